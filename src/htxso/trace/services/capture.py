"""The capture API's service: store every event of an EPCIS 2.0 document, all or none.

Events already stored under the same eventID are returned, not stored twice (an
offline client or a partner may resend a document).  Lots named by GS1 Digital Link
URIs (``https://id.gs1.org/01/{gtin}/10/{lot}``) are linked to ours; an output lot of
one of the organisation's products that we do not know yet is created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from htxso.core.actors import Actor
from htxso.core.errors import Kind, ServiceError
from htxso.registry.models import Organisation
from htxso.trace.epcis.documents import parse_digital_link
from htxso.trace.epcis.hashing import event_hash
from htxso.trace.epcis.validation import validate_document
from htxso.trace.models import Event, Lot, TradeItem
from htxso.trace.vocab import KIND_OF_STEP, short_step

from .recording import APPEND_ATTEMPTS, check_order, event_store

MAX_EVENTS = 5000


@dataclass
class CaptureResult:
    captured: list[Event] = field(default_factory=list)
    duplicates: list[Event] = field(default_factory=list)


def _problems_json(problems) -> list[dict]:
    return [{"path": p.path, "code": p.code, "message": str(p.message)} for p in problems]


def _lot_key(uri: str) -> tuple[str, str] | None:
    """(gtin14, lot) of a Digital Link lot URI, or None for anything else."""
    if not isinstance(uri, str) or "/10/" not in uri:
        return None
    try:
        link = parse_digital_link(urlsplit(uri).path)
    except Exception:
        return None
    if not getattr(link, "lot", None):
        return None
    return link.gtin, link.lot


def _quantities(items) -> list[tuple[tuple[str, str], Decimal | None]]:
    out = []
    for item in items or []:
        key = _lot_key(item.get("epcClass")) if isinstance(item, dict) else None
        if key:
            qty = item.get("quantity")
            out.append((key, Decimal(str(qty)) if isinstance(qty, int | float) else None))
    return out


def _event_time(event: dict) -> dt.datetime:
    value = parse_datetime(str(event.get("eventTime", "")))
    if value is None or value.tzinfo is None:
        raise ServiceError("event_time_invalid", _("eventTime needs a date, a time and an offset."))
    if value > timezone.now() + dt.timedelta(minutes=10):
        raise ServiceError("event_in_future", _("The date and time are in the future."))
    return value


def capture_document(*, actor: Actor, organisation: Organisation, doc: dict) -> CaptureResult:
    """Validate and store the document's events; nothing is stored if one is refused.

    A concurrent writer that took the next ledger number makes the whole document be
    tried again (events it already stored are then found as duplicates).
    """
    Organisation.policy.require(actor, "change", organisation)
    for attempt in range(APPEND_ATTEMPTS):
        try:
            return _capture(actor=actor, organisation=organisation, doc=doc)
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _capture(*, actor: Actor, organisation: Organisation, doc: dict) -> CaptureResult:
    """Validate and store the document's events; nothing is stored if one is refused."""
    problems = validate_document(doc)
    if problems:
        raise ServiceError(
            "epcis_invalid",
            _("The EPCIS document is not valid: %(n)s problem(s).") % {"n": len(problems)},
            details=_problems_json(problems),
        )
    events = doc["epcisBody"]["eventList"]
    if len(events) > MAX_EVENTS:
        raise ServiceError(
            "too_many_events",
            _("Send at most %(n)s events per document.") % {"n": MAX_EVENTS},
            kind=Kind.TOO_LARGE,
        )
    context = doc.get("@context")
    result = CaptureResult()
    seen: set[str] = set()
    items = {t.gtin: t for t in TradeItem.objects.filter(organisation=organisation)}
    with transaction.atomic():
        for index, raw in enumerate(events):
            body = dict(raw)
            if (
                "@context" not in body
                and isinstance(context, list)
                and any(isinstance(c, dict) for c in context)
            ):
                body["@context"] = context
            event_id = body.get("eventID") or event_hash(body)
            body.setdefault("eventID", event_id)
            if event_id in seen:
                continue
            seen.add(event_id)
            found = Event.objects.filter(event_id=event_id).first()
            if found is not None:
                if found.organisation_id != organisation.pk:
                    raise ServiceError(
                        "event_id_taken",
                        _("Another organisation already recorded an event with this ID."),
                        details={"index": index, "eventID": event_id},
                        kind=Kind.CONFLICT,
                    )
                result.duplicates.append(found)
                continue
            result.captured.append(
                _store(actor=actor, organisation=organisation, body=body, items=items, index=index)
            )
    return result


def _store(
    *, actor: Actor, organisation: Organisation, body: dict, items: dict, index: int
) -> Event:
    try:
        at = _event_time(body)
    except ServiceError as exc:
        exc.details = {"index": index, "eventID": body["eventID"]}
        raise
    step = short_step(str(body.get("bizStep", "")))
    kind = KIND_OF_STEP.get(step) or KIND_OF_STEP.get(str(body.get("bizStep", ""))) or "other"
    if kind == "inspection" and body.get("certificationInfo"):
        kind = "certification"
    keys_in = _quantities(body.get("inputQuantityList"))
    keys_out = _quantities(body.get("outputQuantityList"))
    keys_obj = _quantities(body.get("quantityList"))
    for uri in body.get("epcList") or []:
        key = _lot_key(uri)
        if key:
            keys_obj.append((key, None))
    wanted = {k for k, _q in keys_in + keys_out + keys_obj}
    lots = {(lot.gtin, lot.code): lot for lot in _lots(wanted, organisation)}
    inputs = [(lots[k], q) for k, q in keys_in if k in lots]
    objects = [(lots[k], q) for k, q in keys_obj if k in lots]
    try:
        check_order([lot for lot, _q in inputs + objects], at)
    except ServiceError as exc:
        exc.details = {**(exc.details or {}), "index": index, "eventID": body["eventID"]}
        raise
    outputs = []
    for key, qty in keys_out:
        lot = lots.get(key)
        if lot is None and key[0] in items:
            item = items[key[0]]
            lot = Lot.objects.create(
                organisation=organisation,
                trade_item=item,
                code=key[1][:20],
                kind=item.lot_kind,
                quantity_kg=qty or 0,
                produced_at=at,
            )
            lots[key] = lot
        if lot is not None:
            outputs.append((lot, qty))
    ilmd_objects = body.get("action") == "ADD" and body.get("type") == "ObjectEvent"
    if ilmd_objects:
        for key, qty in keys_obj:
            if key not in lots and key[0] in items:
                item = items[key[0]]
                lots[key] = Lot.objects.create(
                    organisation=organisation,
                    trade_item=item,
                    code=key[1][:20],
                    kind=item.lot_kind,
                    quantity_kg=qty or 0,
                    produced_at=at,
                )
                objects.append((lots[key], qty))
    certification = body.get("certificationInfo") or ""
    return event_store(
        actor=actor,
        organisation=organisation,
        kind=kind,
        body=body,
        at=at,
        inputs=inputs,
        outputs=outputs,
        objects=objects,
        certification=certification if isinstance(certification, str) else str(certification),
    )


def _lots(keys, organisation) -> list[Lot]:
    if not keys:
        return []
    from django.db.models import Q

    q = Q(pk__in=[])
    for gtin, code in keys:
        q |= Q(gtin=gtin, code=code)
    # lots of other organisations may be inputs (bought cherries) but are linked only
    # when the capturing organisation owns them or they were shipped to it
    return list(Lot.objects.filter(q).filter(Q(organisation=organisation) | Q(shipped=True)))
