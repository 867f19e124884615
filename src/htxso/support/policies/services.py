"""Writes of the support-policy catalogue: create, edit, criteria, publish, retire.

Every write takes ``actor``, runs in one transaction with one audit row, and refuses
with a :class:`~htxso.core.errors.ServiceError`: ``forbidden`` when the actor may not
write the policy's level/province (nothing saved), ``criteria_invalid`` (with the
position, the kind and what is wrong) for a criterion outside the rule language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.text import TextError, clean_text
from htxso.registry.rules.forms import KIND_SETTINGS, CriterionForm
from htxso.registry.rules.kinds import CriterionKind

from .models import Level, PolicyStatus, SupportPolicy

ACTION_LABELS.update(
    {
        "support_policy.create": _("Support policy created"),
        "support_policy.update": _("Support policy changed"),
        "support_policy.publish": _("Support policy published"),
        "support_policy.retire": _("Support policy withdrawn (expired)"),
    }
)

#: parameters the engine reads that the criterion form does not show
EXTRA_PARAMS = {CriterionKind.FINANCE: {"last_year"}}
MAX_CRITERIA = 20

TEXT_FIELDS = {
    "name": (300, False, True),
    "name_en": (300, False, False),
    "legal_number": (120, False, True),
    "legal_title": (400, False, False),
    "benefit": (4000, True, True),
    "eligible_text": (4000, True, False),
    "how_to_apply": (4000, True, False),
    "contact": (2000, True, False),
}
FIELDS = (*TEXT_FIELDS, "level", "province_id", "legal_date", "apply_url")
FIELDS += ("valid_from", "valid_until", "call_id")


def _bad(field: str, message: Any, params: dict | None = None) -> ServiceError:
    text = message % params if params else message
    return ServiceError("policy_invalid", text, fields={field: [text]})


def _criteria_error(message: Any, params: dict) -> ServiceError:
    text = str(message) % params
    return ServiceError("criteria_invalid", text, fields={"criteria": [text]}, details=params)


# ------------------------------------------------------------------ criteria


def clean_criterion(raw: Any, position: int = 1) -> dict[str, Any]:
    """One criterion checked with the programme calls' criterion form; the normalised
    ``{"kind", "label", "params"}`` or ``criteria_invalid`` saying which and why."""
    where = {"n": position}
    if not isinstance(raw, dict):
        raise _criteria_error(_("Criterion %(n)s: expected an object with a kind."), where)
    kind = raw.get("kind")
    if kind not in KIND_SETTINGS:
        raise _criteria_error(
            _("Criterion %(n)s: unknown kind “%(kind)s”; use one of: %(kinds)s."),
            {**where, "kind": str(kind)[:40], "kinds": ", ".join(KIND_SETTINGS)},
        )
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise _criteria_error(_("Criterion %(n)s: the settings must be an object."), where)
    allowed = set(KIND_SETTINGS[kind]) | EXTRA_PARAMS.get(kind, set())
    unknown = sorted(str(k)[:40] for k in params if k not in allowed)
    if unknown:
        raise _criteria_error(
            _("Criterion %(n)s (%(kind)s): unknown setting %(names)s; allowed: %(allowed)s."),
            {
                **where,
                "kind": kind,
                "names": ", ".join(unknown),
                "allowed": ", ".join(sorted(allowed)) or "—",
            },
        )
    data: dict[str, Any] = {"kind": kind, "label": raw.get("label") or ""}
    for name, value in params.items():
        if name in KIND_SETTINGS[kind]:
            data[name] = value if isinstance(value, list) else str(value)
    form = CriterionForm(data, kind=kind)
    for name in KIND_SETTINGS[kind]:
        # a setting left out takes the engine's default, as in the programme calls
        initial = form.fields[name].initial if name in form.fields else None
        if name not in params and initial is not None:
            form.data = {**form.data, name: str(initial)}
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        raise _criteria_error(
            _("Criterion %(n)s (%(kind)s): %(problems)s"),
            {**where, "kind": kind, "problems": problems},
        )
    out = form.params()
    if "last_year" in params:
        try:
            year = int(params["last_year"])
        except (TypeError, ValueError):
            year = 0
        if not 1990 <= year <= 2100:
            raise _criteria_error(
                _("Criterion %(n)s (finance): last_year must be a year from 1990 to 2100."), where
            )
        out["last_year"] = year
    try:
        label = clean_text(form.cleaned_data["label"], max_length=255)
    except TextError as exc:
        raise _criteria_error(
            _("Criterion %(n)s: %(problem)s"), {**where, "problem": exc.text}
        ) from exc
    return {"kind": kind, "label": label, "params": out}


def clean_criteria(raw: Any) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise _criteria_error(_("The criteria must be a list (%(n)s)."), {"n": type(raw).__name__})
    if len(raw) > MAX_CRITERIA:
        raise _criteria_error(_("At most %(n)s criteria per policy."), {"n": MAX_CRITERIA})
    return [clean_criterion(item, i) for i, item in enumerate(raw, start=1)]


# ------------------------------------------------------------------ fields


def _clean(data: dict[str, Any], current: SupportPolicy | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (limit, multiline, required) in TEXT_FIELDS.items():
        if name not in data and current is not None:
            continue
        try:
            value = clean_text(data.get(name) or "", max_length=limit, multiline=multiline)
        except TextError as exc:
            raise _bad(name, exc.text) from exc
        if required and not value:
            raise _bad(name, _("This field is required."))
        out[name] = value
    level = data.get("level", current.level if current else None)
    if level not in Level.values:
        raise _bad("level", _("Choose national or provincial."))
    out["level"] = level
    province = data.get("province_id", current.province_id if current else None) or None
    if level == Level.PROVINCIAL:
        from htxso.geo.models import Province

        if not province or not Province.objects.filter(pk=str(province)).exists():
            raise _bad("province_id", _("Choose the province of a provincial policy."))
        out["province_id"] = str(province)
    else:
        out["province_id"] = None
    for name in ("legal_date", "valid_from", "valid_until"):
        if name in data or current is None:
            value = data.get(name)
            if value and not isinstance(value, dt.date):
                try:
                    value = dt.date.fromisoformat(str(value))
                except ValueError as exc:
                    raise _bad(name, _("Enter a date, e.g. 31/12/2026.")) from exc
            out[name] = value or None
    start = out.get("valid_from", current.valid_from if current else None)
    end = out.get("valid_until", current.valid_until if current else None)
    if start and end and end < start:
        raise _bad("valid_until", _("The deadline is before the start of validity."))
    if "apply_url" in data or current is None:
        url = (data.get("apply_url") or "").strip()
        if url and not url.startswith(("https://", "http://")):
            raise _bad("apply_url", _("Enter a web address starting with https://."))
        out["apply_url"] = url[:500]
    if "call_id" in data or current is None:
        call = data.get("call_id")
        if call not in (None, ""):
            try:
                call = int(call)
            except (TypeError, ValueError):
                call = 0
            if not 1 <= call <= 2**63 - 1:
                raise _bad("call_id", _("Enter the number of a programme call."))
        out["call_id"] = call or None
    if "criteria" in data:
        out["criteria"] = clean_criteria(data["criteria"])
    return out


def _require_write(*, actor: Actor, level: str, province_id: str | None) -> None:
    allowed = SupportPolicy.policy.allows_at(
        actor, "change", province=province_id if level == Level.PROVINCIAL else None
    )
    if not allowed:
        raise refused(
            _("Only the VCA writes national policies, and a province's officer its own ones.")
        )


def _audit(policy: SupportPolicy, *, actor: Actor, action: str, before=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=policy,
        before=before,
        after=audit.snapshot(policy),
        province=policy.province_id,
    )


@transaction.atomic
def policy_create(*, actor: Actor, data: dict[str, Any]) -> SupportPolicy:
    values = _clean(data, None)
    _require_write(actor=actor, level=values["level"], province_id=values["province_id"])
    policy = SupportPolicy(**values)
    if not isinstance(actor, SystemActor):
        policy.created_by = actor  # type: ignore[assignment]
    policy.status = PolicyStatus.DRAFT
    policy.save()
    _audit(policy, actor=actor, action="support_policy.create")
    return policy


def _lock(policy: SupportPolicy) -> SupportPolicy:
    return SupportPolicy.objects.select_for_update().get(pk=policy.pk)


@transaction.atomic
def policy_update(*, actor: Actor, policy: SupportPolicy, data: dict[str, Any]) -> SupportPolicy:
    policy = _lock(policy)
    _require_write(actor=actor, level=policy.level, province_id=policy.province_id)
    before = audit.snapshot(policy)
    values = _clean(data, policy)
    _require_write(actor=actor, level=values["level"], province_id=values["province_id"])
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    _audit(policy, actor=actor, action="support_policy.update", before=before)
    return policy


@transaction.atomic
def criterion_add(*, actor: Actor, policy: SupportPolicy, criterion: dict) -> SupportPolicy:
    policy = _lock(policy)
    _require_write(actor=actor, level=policy.level, province_id=policy.province_id)
    before = audit.snapshot(policy)
    criteria = clean_criteria([*policy.criteria, criterion])
    policy.criteria = criteria
    policy.save()
    _audit(policy, actor=actor, action="support_policy.update", before=before)
    return policy


@transaction.atomic
def criterion_remove(*, actor: Actor, policy: SupportPolicy, position: int) -> SupportPolicy:
    policy = _lock(policy)
    _require_write(actor=actor, level=policy.level, province_id=policy.province_id)
    if not 1 <= position <= len(policy.criteria):
        raise _criteria_error(_("There is no criterion %(n)s."), {"n": position})
    before = audit.snapshot(policy)
    policy.criteria = [c for i, c in enumerate(policy.criteria, start=1) if i != position]
    policy.save()
    _audit(policy, actor=actor, action="support_policy.update", before=before)
    return policy


@transaction.atomic
def policy_publish(*, actor: Actor, policy: SupportPolicy) -> SupportPolicy:
    policy = _lock(policy)
    _require_write(actor=actor, level=policy.level, province_id=policy.province_id)
    if policy.status == PolicyStatus.PUBLISHED:
        raise conflict(_("This policy is already published."), "already_published")
    if policy.valid_until and policy.valid_until < timezone.localdate():
        raise conflict(
            _("The deadline of this policy has passed; change it before publishing."),
            "deadline_passed",
        )
    clean_criteria(policy.criteria)  # data written before a change of the rules
    before = audit.snapshot(policy)
    policy.status = PolicyStatus.PUBLISHED
    policy.published_at = timezone.now()
    policy.save()
    _audit(policy, actor=actor, action="support_policy.publish", before=before)
    return policy


@transaction.atomic
def policy_retire(*, actor: Actor, policy: SupportPolicy) -> SupportPolicy:
    policy = _lock(policy)
    _require_write(actor=actor, level=policy.level, province_id=policy.province_id)
    if policy.status == PolicyStatus.EXPIRED:
        raise conflict(_("This policy is already expired."), "already_expired")
    before = audit.snapshot(policy)
    policy.status = PolicyStatus.EXPIRED
    policy.save()
    _audit(policy, actor=actor, action="support_policy.retire", before=before)
    return policy
