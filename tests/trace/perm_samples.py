"""Permission-test samples for the trace pages and API (read by tests/permissions/samples.py)."""

from __future__ import annotations

from tests.conftest import ORG_A1_STAFF_SEERS

#: Who may change organisation a1's trace data (VCA, Cao Bằng's officer, a1's manager).
A1_EDITORS = {"vca", "officer_a", "manager_a1"}


def chain_of(org, company: str, tag: str):
    """One plot, a harvest, packing and shipping of ``org`` (names carry ``tag``)."""
    from decimal import Decimal

    from htxso.core.actors import OPERATOR
    from htxso.geo.models import Ward
    from htxso.trace.services import events, master

    from .helpers import CB_LAT, CB_LON, Chain, at, gtin, square

    c = Chain(org=org)
    for kind, ref, name in [("cherry", "001", "Cà phê quả"), ("packaged", "005", "Cà phê gói")]:
        c.items[kind] = master.trade_item_add(
            actor=OPERATOR,
            organisation=org,
            gtin=gtin(ref, company),
            name=f"{name} {tag}",
            lot_kind=kind,
        )
    ward = Ward.objects.filter(province_id=org.province_id).order_by("code").first()
    c.plots.append(
        master.plot_register(
            actor=OPERATOR,
            organisation=org,
            code=f"P-{tag}",
            ward=ward,
            geometry=square(CB_LON, CB_LAT),
            producer_name=f"Nông dân {tag}",
            deforestation_free=True,
            deforestation_evidence="Ảnh vệ tinh 2020",
        )
    )
    ev = events.harvest_record(
        actor=OPERATOR,
        organisation=org,
        plot=c.plots[0],
        trade_item=c.items["cherry"],
        quantity_kg=Decimal("1000"),
        harvested_at=at(30),
    )
    c.events.append(ev)
    c.cherries.append(ev.lot_links.get().lot)
    ev = events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="packing",
        inputs=[(c.cherries[0], Decimal("100"))],
        outputs=[(c.items["packaged"], Decimal("99"), None)],
        at=at(15),
    )
    c.events.append(ev)
    c.packaged = ev.lot_links.get(role="output").lot
    c.events.append(
        events.observation_record(
            actor=OPERATOR,
            organisation=org,
            kind="shipping",
            lots=[c.packaged],
            at=at(10),
            party=f"Cửa hàng {tag}",
        )
    )
    return c


def _chain(w):
    cached = getattr(w, "_trace_chain", None)
    if cached is None:
        cached = chain_of(w.orgs["a1"], "893860099", "HopGiangMau")
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
