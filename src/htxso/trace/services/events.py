"""The critical tracking events field staff record: harvest, transformations
(processing, drying, hulling, roasting, packing) and observations (storage,
shipping, receiving, inspection, certification)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.core.formatting import format_quantity
from htxso.registry.models import Organisation
from htxso.trace.models import Event, EventLot, Facility, Lot, LotPlot, Plot, TradeItem
from htxso.trace.vocab import (
    MASS_TOLERANCE,
    OBSERVATIONS,
    OUTPUT_KIND,
    TRANSFORMATIONS,
    YIELD_RANGES,
)

from .recording import build_body, check_order, event_store, htx, idempotent

#: Lot-code prefix per lot kind.
LOT_PREFIX = {
    "cherry": "CH",
    "parchment": "PA",
    "dried_cherry": "DC",
    "green": "GR",
    "roasted": "RO",
    "packaged": "PK",
}
MAX_HARVEST_KG = Decimal("50000")


def kg_text(value) -> str:
    """``Decimal("1250.500")`` → ``1.250,5`` (Vietnamese) / ``1,250.5`` (English): the
    quantity formatter the trace pages use, to the gram, trailing zeros dropped."""
    value = Decimal(value)
    places = min(3, max(0, -value.normalize().as_tuple().exponent))
    return format_quantity(value, places, language=get_language() or "vi")


def _not_future(at: dt.datetime) -> None:
    if at > timezone.now() + dt.timedelta(minutes=10):
        raise ServiceError("event_in_future", _("The date and time are in the future."))


def _positive(kg, field: str = "quantity_kg") -> Decimal:
    try:
        value = Decimal(str(kg))
    except Exception as exc:
        raise ServiceError("quantity_invalid", _("Enter a quantity in kg.")) from exc
    if not value.is_finite() or value <= 0:
        message = _("The quantity must be more than 0 kg.")
        raise ServiceError("quantity_invalid", message, fields={field: [message]})
    return value.quantize(Decimal("0.001"))


def next_lot_code(trade_item: TradeItem, kind: str, at: dt.datetime) -> str:
    """``PA260115-003``: kind prefix, local date, a counter for the day."""
    stem = f"{LOT_PREFIX.get(kind, 'LT')}{timezone.localtime(at):%y%m%d}-"
    taken = set(
        Lot.objects.filter(gtin=trade_item.gtin, code__startswith=stem).values_list(
            "code", flat=True
        )
    )
    n = len(taken) + 1
    while f"{stem}{n:03d}" in taken:
        n += 1
    return f"{stem}{n:03d}"


def _lot_create(*, organisation, trade_item, kind, kg, at, code=None, plot=None, facility=None):
    if trade_item.organisation_id != organisation.pk:
        raise ServiceError("product_not_yours", _("This product belongs to another organisation."))
    code = (code or "").strip() or next_lot_code(trade_item, kind, at)
    if len(code) > 20 or not all(c.isalnum() or c in "-._" for c in code):
        raise ServiceError(
            "lot_code_invalid",
            _("A lot code has at most 20 letters, digits, dashes, dots or underscores."),
        )
    if Lot.objects.filter(gtin=trade_item.gtin, code=code).exists():
        raise ServiceError(
            "lot_code_taken", _("Lot %(code)s already exists for this product.") % {"code": code}
        )
    return Lot.objects.create(
        organisation=organisation,
        trade_item=trade_item,
        code=code,
        kind=kind,
        quantity_kg=kg,
        plot=plot,
        facility=facility,
        produced_at=at,
    )


@idempotent
def harvest_record(
    *,
    actor: Actor,
    organisation: Organisation,
    event_id: str,
    plot: Plot,
    trade_item: TradeItem,
    quantity_kg,
    harvested_at: dt.datetime,
    facility: Facility | None = None,
    lot_code: str | None = None,
) -> Event:
    """A harvest: the plot's cherries become a new lot (kg)."""
    Organisation.policy.require(actor, "change", organisation)
    kg = _positive(quantity_kg)
    if kg > MAX_HARVEST_KG:
        raise ServiceError(
            "quantity_implausible",
            _("%(kg)s kg from one plot in one harvest is not plausible.") % {"kg": kg_text(kg)},
        )
    _not_future(harvested_at)
    if plot.organisation_id != organisation.pk:
        raise ServiceError("plot_not_yours", _("This plot belongs to another organisation."))
    lot = _lot_create(
        organisation=organisation,
        trade_item=trade_item,
        kind="cherry",
        kg=kg,
        at=harvested_at,
        code=lot_code,
        plot=plot,
        facility=facility,
    )
    LotPlot.objects.create(lot=lot, plot=plot)
    body = build_body(
        kind="harvest",
        event_id=event_id,
        at=harvested_at,
        facility=facility,
        objects=[(lot, kg)],
        extra={"ilmd": {htx("plot"): plot.code, htx("crop"): plot.crop, htx("lotKind"): "cherry"}},
    )
    return event_store(
        actor=actor,
        organisation=organisation,
        kind="harvest",
        body=body,
        at=harvested_at,
        facility=facility,
        objects=[(lot, kg)],
        summary=_("%(kg)s kg of cherry from plot %(plot)s")
        % {"kg": kg_text(kg), "plot": plot.code},
    )


def consumed_kg(lot: Lot) -> Decimal:
    return EventLot.objects.filter(lot=lot, role="input").aggregate(s=Sum("quantity_kg"))[
        "s"
    ] or Decimal(0)


@idempotent
def transformation_record(
    *,
    actor: Actor,
    organisation: Organisation,
    event_id: str,
    kind: str,
    inputs: list[tuple[Lot, object]],
    outputs: list[tuple[TradeItem, object, str | None]],
    at: dt.datetime,
    facility: Facility | None = None,
    method: str = "",
) -> Event:
    """Input lots become output lots.  Mass may not grow beyond a tolerance; a yield
    outside the usual range for the step is recorded with a flag."""
    Organisation.policy.require(actor, "change", organisation)
    if kind not in TRANSFORMATIONS:
        raise ServiceError("kind_invalid", _("Unknown processing step."))
    if not inputs:
        raise ServiceError("inputs_missing", _("Pick at least one input lot."))
    if not outputs:
        raise ServiceError("outputs_missing", _("Enter at least one output."))
    _not_future(at)
    ins = [(lot, _positive(kg)) for lot, kg in inputs]
    if len({lot.pk for lot, _kg in ins}) != len(ins):
        raise ServiceError("input_repeated", _("The same input lot is listed twice."))
    for lot, kg in ins:
        if lot.organisation_id != organisation.pk:
            raise ServiceError(
                "lot_not_yours",
                _("Lot %(lot)s belongs to another organisation.") % {"lot": lot.code},
            )
        left = lot.quantity_kg - consumed_kg(lot)
        if kg > left * Decimal(1 + MASS_TOLERANCE):
            raise ServiceError(
                "input_exceeds_lot",
                _("Only %(left)s kg of lot %(lot)s is left; %(kg)s kg cannot be used.")
                % {"left": kg_text(left), "lot": lot.code, "kg": kg_text(kg)},
                details={"lot": lot.code, "left_kg": str(left)},
            )
    check_order([lot for lot, _kg in ins], at)
    total_in = sum((kg for _lot, kg in ins), Decimal(0))
    outs_kg = [(item, _positive(kg), code) for item, kg, code in outputs]
    total_out = sum((kg for _i, kg, _c in outs_kg), Decimal(0))
    if total_out > total_in * Decimal(1 + MASS_TOLERANCE):
        raise ServiceError(
            "mass_not_conserved",
            _(
                "The outputs (%(out)s kg) weigh more than the inputs (%(in)s kg): "
                "quantities are not conserved."
            )
            % {"out": kg_text(total_out), "in": kg_text(total_in)},
            details={"input_kg": str(total_in), "output_kg": str(total_out)},
        )
    flags = []
    low, high = YIELD_RANGES[kind]
    ratio = float(total_out / total_in)
    if ratio < low or ratio > high:
        flags.append("yield_implausible")
    out_lots = [
        (
            _lot_create(
                organisation=organisation,
                trade_item=item,
                kind=OUTPUT_KIND[kind],
                kg=kg,
                at=at,
                code=code,
                facility=facility,
            ),
            kg,
        )
        for item, kg, code in outs_kg
    ]
    extra = {}
    if method:
        extra[htx("method")] = method
    if flags:
        extra[htx("yield")] = round(ratio, 4)
    body = build_body(
        kind=kind,
        event_id=event_id,
        at=at,
        facility=facility,
        inputs=ins,
        outputs=out_lots,
        extra=extra,
    )
    return event_store(
        actor=actor,
        organisation=organisation,
        kind=kind,
        body=body,
        at=at,
        facility=facility,
        inputs=ins,
        outputs=out_lots,
        flags=flags,
        summary=_("%(in)s kg → %(out)s kg (yield %(pct)s%%)")
        % {
            "in": kg_text(total_in),
            "out": kg_text(total_out),
            "pct": formats.number_format(round(ratio * 100, 1), use_l10n=True),
        },
    )


@idempotent
def observation_record(
    *,
    actor: Actor,
    organisation: Organisation,
    event_id: str,
    kind: str,
    lots: list[Lot],
    at: dt.datetime,
    facility: Facility | None = None,
    party: str = "",
    certification: str = "",
    note: str = "",
) -> Event:
    """Storage, shipping, receiving, inspection or certification of lots."""
    Organisation.policy.require(actor, "change", organisation)
    if kind not in OBSERVATIONS:
        raise ServiceError("kind_invalid", _("Unknown event."))
    if not lots:
        raise ServiceError("lots_missing", _("Pick at least one lot."))
    _not_future(at)
    for lot in lots:
        if lot.organisation_id != organisation.pk:
            raise ServiceError(
                "lot_not_yours",
                _("Lot %(lot)s belongs to another organisation.") % {"lot": lot.code},
            )
    check_order(lots, at)
    if kind == "receiving":
        shipped = set(
            EventLot.objects.filter(
                lot__in=lots, role="object", event__kind="shipping", event__event_time__lte=at
            ).values_list("lot_id", flat=True)
        )
        missing = [lot.code for lot in lots if lot.pk not in shipped]
        if missing:
            raise ServiceError(
                "received_before_shipped",
                _("Lot %(lot)s has no shipping event before this time.") % {"lot": missing[0]},
            )
    if kind == "certification" and not certification.strip():
        raise ServiceError("certification_missing", _("Name the certificate or standard."))
    extra: dict = {}
    if party:
        extra[htx("party")] = party
    if certification:
        extra[htx("certificate")] = certification
        if certification.startswith(("https://", "http://")):
            extra["certificationInfo"] = certification
    if note:
        extra[htx("note")] = note
    objects = [(lot, None) for lot in lots]
    body = build_body(
        kind=kind, event_id=event_id, at=at, facility=facility, objects=objects, extra=extra
    )
    event = event_store(
        actor=actor,
        organisation=organisation,
        kind=kind,
        body=body,
        at=at,
        facility=facility,
        objects=objects,
        certification=certification,
        summary=(party or note)[:300],
    )
    if kind == "shipping":
        Lot.objects.filter(pk__in=[lot.pk for lot in lots]).update(shipped=True)
    return event


def event_error_declare(*, actor: Actor, event: Event, reason: str) -> Event:
    """Declare a recorded event wrong (EPCIS 2.0 error declaration): a NEW event, a copy
    of the original with ``errorDeclaration``; the original is never edited."""
    from django.db import transaction

    from .recording import new_event_id

    Event.policy.require(actor, "change", event)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise ServiceError("reason_missing", _("Say what is wrong with this event."))
    if event.correction_of_id is not None:
        raise ServiceError("already_a_correction", _("This is already an error declaration."))
    if event.corrections.exists():
        raise ServiceError("already_declared", _("An error was already declared for this event."))
    body = {k: v for k, v in event.body.items() if k != "errorDeclaration"}
    body["eventID"] = new_event_id()
    body["errorDeclaration"] = {
        "declarationTime": timezone.localtime().isoformat(timespec="milliseconds"),
        "reason": "incorrect_data",
        htx("note"): reason,
    }
    lots = [(link.lot, None) for link in event.lot_links.select_related("lot")]
    with transaction.atomic():
        return event_store(
            actor=actor,
            organisation=event.organisation,
            kind=event.kind,
            body=body,
            at=event.event_time,
            facility=event.facility,
            objects=lots,
            summary=_("Error declared: %(reason)s") % {"reason": reason},
            flags=["error_declaration"],
            correction_of=event,
        )
