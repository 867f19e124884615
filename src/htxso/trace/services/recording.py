"""Recording one event: idempotency on eventID, order checks, the lot graph, the
event hash and the ledger link — the one path every event takes (field pages, the
capture API, the demo)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import Kind, ServiceError
from htxso.registry.models import Organisation
from htxso.trace.epcis.documents import location_epc, lot_epc
from htxso.trace.epcis.hashing import event_hash
from htxso.trace.models import Event, EventLot, Facility, Lot, LotEdge, LotPlot
from htxso.trace.vocab import HTX_NS, STEPS

from .ledger import ledger_append

LotQty = tuple[Lot, Decimal | None]
#: Tries of a recording that lost a race for the next ledger number.
APPEND_ATTEMPTS = 3


def new_event_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def epcis_time(at: dt.datetime) -> tuple[str, str]:
    """``(eventTime, eventTimeZoneOffset)`` in Vietnam time with milliseconds."""
    local = timezone.localtime(at)
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    return local.isoformat(timespec="milliseconds"), offset


def _qty(lot: Lot, kg: Decimal | None) -> dict:
    item: dict = {"epcClass": lot_epc(lot.gtin, lot.code)}
    if kg is not None:
        item["quantity"] = float(kg)
        item["uom"] = "KGM"
    return item


def build_body(
    *,
    kind: str,
    event_id: str,
    at: dt.datetime,
    facility: Facility | None,
    inputs: Iterable[LotQty] = (),
    outputs: Iterable[LotQty] = (),
    objects: Iterable[LotQty] = (),
    extra: dict | None = None,
) -> dict:
    """The EPCIS 2.0 JSON-LD event for one of our critical tracking events."""
    event_type, action, biz_step, disposition = STEPS[kind]
    event_time, offset = epcis_time(at)
    body: dict = {
        "@context": {"htx": HTX_NS},
        "type": event_type,
        "eventID": event_id,
        "eventTime": event_time,
        "eventTimeZoneOffset": offset,
    }
    if action:
        body["action"] = action
    if event_type == "TransformationEvent":
        body["inputQuantityList"] = [_qty(lot, kg) for lot, kg in inputs]
        body["outputQuantityList"] = [_qty(lot, kg) for lot, kg in outputs]
    else:
        body["quantityList"] = [_qty(lot, kg) for lot, kg in objects]
    body["bizStep"] = biz_step
    body["disposition"] = disposition
    if facility is not None and facility.gln:
        body["readPoint"] = {"id": location_epc(facility.gln)}
        body["bizLocation"] = {"id": location_epc(facility.gln)}
    body[htx("kind")] = kind
    for key, value in (extra or {}).items():
        if value not in (None, "", [], {}):
            body[key] = value
    return body


def check_order(lots: Iterable[Lot], at: dt.datetime) -> None:
    """Refuse an event dated before a lot it uses was made (shipped before harvested)."""
    for lot in lots:
        if at < lot.produced_at:
            raise ServiceError(
                "event_before_lot_created",
                _(
                    "Lot %(lot)s was made on %(made)s; this event is dated %(at)s, before "
                    "the lot existed. Check the date and time."
                )
                % {
                    "lot": lot.code,
                    "made": formats.date_format(timezone.localtime(lot.produced_at), "d/m/Y H:i"),
                    "at": formats.date_format(timezone.localtime(at), "d/m/Y H:i"),
                },
                details={"lot": lot.code, "lot_made_at": lot.produced_at.isoformat()},
            )


def existing_event(event_id: str, organisation) -> Event | None:
    """The event already recorded under ``event_id`` (idempotent retry), if any."""
    found = Event.objects.filter(event_id=event_id).first()
    if found is not None and found.organisation_id != organisation.pk:
        raise ServiceError(
            "event_id_taken",
            _("Another organisation already recorded an event with this ID."),
            kind=Kind.CONFLICT,
        )
    return found


def event_store(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    body: dict,
    at: dt.datetime,
    facility: Facility | None = None,
    inputs: Iterable[LotQty] = (),
    outputs: Iterable[LotQty] = (),
    objects: Iterable[LotQty] = (),
    summary: str = "",
    certification: str = "",
    flags: list[str] | None = None,
    correction_of: Event | None = None,
) -> Event:
    """Store one event with its lot links, lot graph, origin plots and ledger row.

    Call inside ``transaction.atomic``; the caller checked idempotency and order.
    """
    inputs, outputs, objects = list(inputs), list(outputs), list(objects)
    type_, action, biz_step, disposition = (
        body.get("type", ""),
        body.get("action", ""),
        body.get("bizStep", ""),
        body.get("disposition", ""),
    )
    event = Event.objects.create(
        organisation=organisation,
        event_id=body["eventID"],
        event_type=type_,
        action=action or "",
        kind=kind,
        biz_step=biz_step or "",
        disposition=disposition or "",
        event_time=at,
        event_time_zone_offset=body.get("eventTimeZoneOffset", "+07:00"),
        read_point=(body.get("readPoint") or {}).get("id", "")[:200],
        biz_location=(body.get("bizLocation") or {}).get("id", "")[:200],
        facility=facility,
        summary=summary[:300],
        certification=certification[:200],
        flags=flags or [],
        body=body,
        event_hash=event_hash(body),
        correction_of=correction_of,
        created_by=None if isinstance(actor, SystemActor) else actor,
    )
    links = [EventLot(event=event, lot=lot, role="input", quantity_kg=kg) for lot, kg in inputs]
    links += [EventLot(event=event, lot=lot, role="output", quantity_kg=kg) for lot, kg in outputs]
    links += [EventLot(event=event, lot=lot, role="object", quantity_kg=kg) for lot, kg in objects]
    EventLot.objects.bulk_create(links)
    if inputs and outputs:
        LotEdge.objects.bulk_create(
            [
                LotEdge(parent=parent, child=child, event=event, quantity_kg=kg)
                for child, _kg in outputs
                for parent, kg in inputs
                if parent.pk != child.pk
            ],
            ignore_conflicts=True,
        )
        plot_ids = set(
            LotPlot.objects.filter(lot__in=[lot for lot, _ in inputs]).values_list(
                "plot_id", flat=True
            )
        )
        LotPlot.objects.bulk_create(
            [LotPlot(lot=child, plot_id=p) for child, _kg in outputs for p in sorted(plot_ids)],
            ignore_conflicts=True,
        )
    ledger_append(event)
    audit.record(
        actor=actor,
        action=f"trace.event.{kind}",
        instance=event,
        after={"event_id": event.event_id, "event_hash": event.event_hash, "kind": kind},
    )
    return event


def idempotent(func):
    """Run a recording service; a concurrent duplicate eventID returns the stored event."""

    def wrapper(*, event_id: str | None = None, organisation, **kwargs):
        event_id = event_id or new_event_id()
        found = existing_event(event_id, organisation)
        if found is not None:
            return found
        for attempt in range(APPEND_ATTEMPTS):
            try:
                with transaction.atomic():
                    return func(event_id=event_id, organisation=organisation, **kwargs)
            except IntegrityError:
                found = existing_event(event_id, organisation)
                if found is not None:
                    return found
                # another writer took the next ledger number (or lot code): try again
                if attempt == APPEND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def htx(key: str) -> str:
    """An extension field name in our namespace (``htx:key``)."""
    return f"htx:{key}"
