"""Calls: creation and criteria by VCA, opening and closing, publication by provinces."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core import audit, roles
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import ServiceError
from htxso.core.policy import require_role
from htxso.core.text import TextError, clean_text
from htxso.registry.models import Grade, OrganisationKind, Sector

from ..models import Call, CallProvince, CallStatus, Criterion, CriterionKind
from .common import fail, managers_of_province, notify

CALL_FIELDS = (
    "title",
    "programme",
    "donor",
    "period",
    "summary",
    "audience_kinds",
    "deadline",
    "forward_deadline",
    "min_eligible",
    "provinces_min",
    "provinces_max",
    "ranking",
    "reference",
    "contact",
)


def _clean_call(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ServiceError]] = {}
    out: dict[str, Any] = {}
    for name, limit, required in (
        ("title", 255, True),
        ("programme", 255, True),
        ("donor", 255, False),
        ("period", 100, False),
        ("reference", 60, False),
        ("contact", 255, False),
    ):
        try:
            out[name] = clean_text(data.get(name) or "", max_length=limit)
        except TextError as exc:
            errors[name] = [ServiceError(exc.code, exc.message)]
            continue
        if required and not out[name]:
            errors[name] = [ServiceError("required", _("This field is required."))]
    try:
        out["summary"] = clean_text(data.get("summary") or "", max_length=6000, multiline=True)
    except TextError as exc:
        errors["summary"] = [ServiceError(exc.code, exc.message)]
    kinds = list(data.get("audience_kinds") or [])
    if not kinds or any(k not in OrganisationKind.values for k in kinds):
        errors["audience_kinds"] = [
            ServiceError("audience_invalid", _("Choose at least one kind of organisation."))
        ]
    out["audience_kinds"] = kinds
    deadline = data.get("deadline")
    if not isinstance(deadline, dt.datetime) or timezone.is_naive(deadline):
        errors["deadline"] = [ServiceError("deadline_invalid", _("Enter the deadline."))]
    out["deadline"] = deadline
    forward = data.get("forward_deadline")
    if forward is not None and isinstance(deadline, dt.datetime) and forward < deadline:
        errors["forward_deadline"] = [
            ServiceError(
                "forward_before_deadline",
                _("Provinces cannot forward their lists before applications close."),
            )
        ]
    out["forward_deadline"] = forward
    for name, low, high in (
        ("min_eligible", 1, 1000),
        ("provinces_min", 1, 34),
        ("provinces_max", 1, 34),
    ):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [
                ServiceError(
                    "out_of_range",
                    _("Enter a whole number from %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                )
            ]
        out[name] = value
    if (
        "provinces_min" not in errors
        and "provinces_max" not in errors
        and out["provinces_min"] > out["provinces_max"]
    ):
        errors["provinces_max"] = [
            ServiceError(
                "bounds_reversed", _("The most provinces cannot be fewer than the fewest.")
            )
        ]
    from ..models import Ranking

    out["ranking"] = data.get("ranking") or Ranking.ELIGIBLE_COUNT
    if out["ranking"] not in Ranking.values:
        errors["ranking"] = [ServiceError("ranking_invalid", _("Choose a ranking."))]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first.code, first.message, fields=errors)
    return out


@transaction.atomic
def call_create(*, actor: Actor, data: dict[str, Any]) -> Call:
    require_role(actor, roles.VCA)
    cleaned = _clean_call(data)
    call = Call.objects.create(
        created_by=None if isinstance(actor, SystemActor) else actor, **cleaned
    )
    audit.record(actor=actor, action="call.create", instance=call, after=audit.snapshot(call))
    return call


@transaction.atomic
def call_update(*, actor: Actor, call: Call, data: dict[str, Any]) -> Call:
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.DECIDED:
        raise fail("call_decided", _("The selection is decided; the call can no longer change."))
    before = audit.snapshot(call)
    for name, value in _clean_call(data).items():
        setattr(call, name, value)
    call.save()
    audit.record(
        actor=actor, action="call.update", instance=call, before=before, after=audit.snapshot(call)
    )
    return call


# ------------------------------------------------------------------------ criteria


def clean_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a criterion's parameters; ServiceError on ``params``."""

    def bad(message):
        return fail("params_invalid", message, "params")

    p = dict(params or {})
    out: dict[str, Any] = {}
    if p.get("as_of"):
        try:
            out["as_of"] = dt.date.fromisoformat(str(p["as_of"])).isoformat()
        except ValueError as exc:
            raise bad(_("The reference date must be a date.")) from exc
    try:
        if kind == CriterionKind.YOUTH_SHARE:
            out["threshold"] = float(p.get("threshold", 40))
            if not 0 <= out["threshold"] < 100:
                raise bad(_("The share must be between 0 and 100 %."))
        elif kind == CriterionKind.FINANCE:
            out["field"] = p.get("field") or "profit"
            out["mode"] = p.get("mode") or "positive"
            out["years"] = int(p.get("years") or 2)
            if out["field"] not in ("revenue", "profit") or out["mode"] not in (
                "positive",
                "growing",
            ):
                raise bad(_("Choose revenue or profit, positive or growing."))
            if not 1 <= out["years"] <= 5:
                raise bad(_("Look at 1 to 5 annual reports."))
            if p.get("last_year"):
                out["last_year"] = int(p["last_year"])
        elif kind == CriterionKind.GRADE:
            out["at_least"] = p.get("at_least") or "fair"
            if out["at_least"] not in (Grade.GOOD, Grade.FAIR, Grade.AVERAGE):
                raise bad(_("Choose good, fair or average."))
        elif kind == CriterionKind.VALUE_CHAIN:
            out["min_links"] = int(p.get("min_links") or 1)
            if not 1 <= out["min_links"] <= 50:
                raise bad(_("Enter 1 to 50 links."))
        elif kind == CriterionKind.OCOP:
            out["min_stars"] = int(p.get("min_stars") or 3)
            if not 3 <= out["min_stars"] <= 5:
                raise bad(_("OCOP stars go from 3 to 5."))
        elif kind == CriterionKind.SECTOR:
            out["sectors"] = [s for s in p.get("sectors") or [] if s in Sector.values]
            if not out["sectors"]:
                raise bad(_("Choose at least one sector."))
        elif kind == CriterionKind.PROVINCE:
            from htxso.geo.models import Province

            wanted = [str(c) for c in p.get("provinces") or []]
            out["provinces"] = sorted(
                Province.objects.filter(pk__in=wanted).values_list("pk", flat=True)
            )
            if not out["provinces"] or len(out["provinces"]) != len(set(wanted)):
                raise bad(_("Choose provinces by their codes."))
        elif kind == CriterionKind.ORG_KIND:
            out["kinds"] = [k for k in p.get("kinds") or [] if k in OrganisationKind.values]
            if not out["kinds"]:
                raise bad(_("Choose at least one kind of organisation."))
        elif kind == CriterionKind.OPERATING_MONTHS:
            out["min_months"] = int(p.get("min_months") or 12)
            if not 0 <= out["min_months"] <= 600:
                raise bad(_("Enter 0 to 600 months."))
        elif kind != CriterionKind.DECLARED:
            raise bad(_("Unknown kind of criterion."))
    except (TypeError, ValueError) as exc:
        raise bad(_("Enter whole numbers where numbers are asked.")) from exc
    return out


@transaction.atomic
def criterion_add(
    *, actor: Actor, call: Call, kind: str, label: str, params: dict | None = None
) -> Criterion:
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        raise fail(
            "call_not_draft",
            _("Criteria can only change while the call is a draft (not yet open)."),
        )
    try:
        label = clean_text(label or "", max_length=255)
    except TextError as exc:
        raise fail(exc.code, exc.message, "label") from exc
    if not label:
        raise fail("required", _("Write the criterion as applicants will read it."), "label")
    if kind not in CriterionKind.values:
        raise fail("kind_invalid", _("Choose a kind of criterion."), "kind")
    position = call.criteria.count() + 1
    criterion = Criterion.objects.create(
        call=call,
        kind=kind,
        label=label,
        params=clean_params(kind, params or {}),
        position=position,
    )
    audit.record(
        actor=actor,
        action="call.criteria",
        instance=call,
        after={"added": audit.snapshot(criterion)},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Actor, criterion: Criterion) -> None:
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=criterion.call_id)
    if call.status != CallStatus.DRAFT:
        raise fail(
            "call_not_draft",
            _("Criteria can only change while the call is a draft (not yet open)."),
        )
    audit.record(
        actor=actor,
        action="call.criteria",
        instance=call,
        before={"removed": audit.snapshot(criterion)},
    )
    criterion.delete()


@transaction.atomic
def call_open(*, actor: Actor, call: Call) -> Call:
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        raise fail("call_not_draft", _("Only a draft call can be opened."))
    if not call.criteria.exists():
        raise fail("no_criteria", _("Add at least one criterion before opening the call."))
    if call.deadline <= timezone.now():
        raise fail(
            "deadline_passed",
            _(
                "The deadline for applications (%(date)s) has already passed: edit the call "
                "and move the deadline before opening it."
            )
            % {"date": timezone.localtime(call.deadline).strftime("%H:%M %d/%m/%Y")},
        )
    call.status = CallStatus.OPEN
    call.opened_at = timezone.now()
    call.save(update_fields=["status", "opened_at", "updated_at"])
    audit.record(actor=actor, action="call.open", instance=call, after={"status": call.status})
    return call


@transaction.atomic
def call_close(*, actor: Actor, call: Call) -> Call:
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.OPEN:
        raise fail("call_not_open", _("Only an open call can be closed."))
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="call.close", instance=call, after={"status": call.status})
    return call


@transaction.atomic
def call_publish(
    *,
    actor: Actor,
    call: Call,
    province_id: str,
    deadline: dt.datetime | None = None,
    letter_number: str = "",
    contact: str = "",
    address: str = "",
) -> CallProvince:
    """The provincial alliance publishes the call to the cooperatives of its province."""
    CallProvince.policy.require_at(
        actor,
        "publish",
        province=province_id,
        message=_("Only the alliance of the organisation's province (%(code)s) may review it.")
        % {"code": province_id},
    )
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.OPEN:
        raise fail("call_not_open", _("The call is not open."))
    from ..selectors import call_applies_in

    if not call_applies_in(call, province_id):
        raise fail(
            "call_not_for_province",
            _("The criteria of this call leave out the cooperatives of this province."),
        )
    if deadline is not None and deadline > call.deadline:
        raise fail(
            "deadline_after_call",
            _("The provincial deadline cannot be later than VCA's (%(date)s).")
            % {"date": timezone.localtime(call.deadline).strftime("%d/%m/%Y %H:%M")},
            "deadline",
        )
    try:
        values = {
            "letter_number": clean_text(letter_number, max_length=60),
            "contact": clean_text(contact, max_length=255),
            "address": clean_text(address, max_length=255),
        }
    except TextError as exc:
        raise fail(exc.code, exc.message) from exc
    publication, created = CallProvince.objects.get_or_create(
        call=call,
        province_id=province_id,
        defaults={
            "deadline": deadline,
            "published_by": None if isinstance(actor, SystemActor) else actor,
            **values,
        },
    )
    if not created:
        publication.deadline = deadline
        for name, value in values.items():
            setattr(publication, name, value)
        publication.save()
    audit.record(
        actor=actor, action="call.publish", instance=publication, after=audit.snapshot(publication)
    )
    if created:
        url = reverse("programs:call_detail", kwargs={"call_id": call.pk})
        notify(
            managers_of_province(province_id, call.audience_kinds),
            "call.published",
            {"title": call.title},
            url,
        )
    return publication
