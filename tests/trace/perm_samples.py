"""Permission-test samples for the trace pages and API (read by tests/permissions/samples.py)."""

from __future__ import annotations

from tests.conftest import ORG_A1_STAFF_SEERS

from .helpers import make_chain

#: Who may change organisation a1's trace data (VCA, Cao Bằng's officer, a1's manager).
A1_EDITORS = {"vca", "officer_a", "manager_a1"}


def _chain(w):
    cached = getattr(w, "_trace_chain", None)
    if cached is None:
        cached = make_chain(w.orgs["a1"], plots=1, tag="HopGiangMau")
        w._trace_chain = cached
    return cached


def _batch(w):
    from htxso.core.actors import OPERATOR
    from htxso.trace.services import stamps

    c = _chain(w)
    batch = getattr(w, "_trace_batch", None)
    if batch is None:
        batch = stamps.stamp_batch_order(
            actor=OPERATOR, organisation=c.org, trade_item=c.items["packaged"], quantity=3
        )
        stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=c.packaged)
        w._trace_batch = batch
    return batch


def _org(w):
    return {"org_id": w.orgs["a1"].pk}


SAMPLES = {
    "trace:resolve_lot": lambda w: (
        {"gtin": _chain(w).packaged.gtin, "lot": _chain(w).packaged.code},
        None,
    ),
    "trace:resolve_serial": lambda w: (
        {"gtin": _chain(w).packaged.gtin, "serial": _batch(w).stamps.first().serial},
        None,
    ),
    "trace:org_home": lambda w: (_org(w), ORG_A1_STAFF_SEERS),
    "trace:plot_add": lambda w: (_org(w), A1_EDITORS),
    "trace:facility_add": lambda w: (_org(w), A1_EDITORS),
    "trace:product_add": lambda w: (_org(w), A1_EDITORS),
    "trace:record": lambda w: ({**_org(w), "kind": "harvest"}, A1_EDITORS),
    "trace:stamp_order": lambda w: (_org(w), A1_EDITORS),
    "trace:plot_detail": lambda w: ({"plot_id": _chain(w).plots[0].pk}, ORG_A1_STAFF_SEERS),
    "trace:lot_detail": lambda w: ({"lot_id": _chain(w).packaged.pk}, ORG_A1_STAFF_SEERS),
    "trace:lot_qr": lambda w: ({"lot_id": _chain(w).packaged.pk, "fmt": "svg"}, ORG_A1_STAFF_SEERS),
    "trace:eudr_report": lambda w: ({"lot_id": _chain(w).packaged.pk}, ORG_A1_STAFF_SEERS),
    "trace:eudr_geojson": lambda w: ({"lot_id": _chain(w).packaged.pk}, ORG_A1_STAFF_SEERS),
    "trace:stamp_batch": lambda w: ({"batch_id": _batch(w).pk}, ORG_A1_STAFF_SEERS),
    "trace:stamp_activate": lambda w: ({"batch_id": _batch(w).pk}, A1_EDITORS),
    "trace:event_error": lambda w: ({"event_id": _chain(w).events[-1].pk}, A1_EDITORS),
    "trace:stamp_labels": lambda w: ({"batch_id": _batch(w).pk}, ORG_A1_STAFF_SEERS),
}

#: The activation form is POSTed; a GET sends back to the batch page.
POST_ONLY = {"trace:stamp_activate", "trace:event_error"}

#: Someone who manages exactly one organisation is sent on to its page.
ALLOWED_STATUS = {"trace:home": {"authenticated": {200, 302}}}

#: Lists that must not show organisation a1's lots to people outside its scope.
LIST_LEAKS: dict = {}

API_SAMPLES = {
    "/api/v1/trace/lots/{lot_id}/epcis": lambda w: {"lot_id": _chain(w).packaged.pk},
}
