"""Writes to an organisation's own record (details, contacts, capital).

Services validate everything themselves (views, API, imports and demo data all call
them), raise ``ServiceError`` (a ``ValidationError``) with a field → errors dict and
stable codes, run in one transaction and write one audit row per action.  Who may do
what is the models' policy (``Organisation.policy``); every service takes the ``actor``
(a user, or a named system actor for imports and demo data).

``Errors`` and ``text`` moved to ``htxso.core.errorlist``; they are still importable
from here for the modules that have not switched yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_tax_code, validate_vn_phone
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError
from htxso.geo.models import Province, Ward

from ..models import Organisation, OrganisationKind, OrganisationStatus, Sector

__all__ = [
    "Errors",  # compatibility: now htxso.core.errorlist.Errors
    "amount",
    "date_value",
    "field_error",
    "organisation_create",
    "organisation_update",
    "phone",
    "text",  # compatibility: now htxso.core.errorlist.text
]

ACTION_LABELS.update(
    {
        "organisation.create": _("Organisation created"),
        "organisation.update": _("Organisation details changed"),
    }
)

#: The largest amount of money accepted anywhere in the registry (10 million billion ₫).
MAX_VND = 10**16
#: The oldest date accepted (no cooperative or member before this).
MIN_DATE = dt.date(1900, 1, 1)


# ------------------------------------------------------------------ helpers


def today() -> dt.date:
    return timezone.localdate()


def date_value(
    errors: Errors, field: str, value, *, required=False, allow_future=False
) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter a date."), "required")
        return None
    if not isinstance(value, dt.date):
        errors.add(field, _("Enter a valid date (dd/mm/yyyy)."), "invalid_date")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < MIN_DATE:
        errors.add(field, _("The date is too far in the past."), "date_too_old")
    elif not allow_future and value > today():
        errors.add(field, _("The date cannot be in the future."), "date_in_future")
    return value


def amount(errors: Errors, field: str, value, *, required=False) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter an amount."), "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, _("Enter a whole number of đồng."), "invalid_amount")
        return None
    if value < 0:
        errors.add(field, _("The amount cannot be negative."), "amount_negative")
    elif value > MAX_VND:
        errors.add(field, _("The amount is too large to be real."), "amount_absurd")
    return value


def phone(errors: Errors, field: str, value) -> str:
    if not value:
        return ""
    try:
        return validate_vn_phone(str(value)[:40])
    except CodeError as exc:
        errors.add(field, exc.message, exc.code, exc.params)
        return ""


def field_error(
    field: str, message: Any, code: str, params: dict[str, Any] | None = None
) -> ServiceError:
    """A refusal of one field's value (kind INVALID), shown next to the field."""
    return ServiceError(
        code, message, params, fields={field: [ServiceError(code, message, params)]}
    )


def _tax_code_duplicate() -> ServiceError:
    return field_error(
        "tax_code", _("Another organisation already has this tax code."), "tax_code_duplicate"
    )


# ------------------------------------------------------------------ services

EDITABLE_FIELDS = (
    "name",
    "tax_code",
    "ward",
    "address",
    "status",
    "established_on",
    "sector",
    "main_products",
    "description",
    "phone",
    "email",
    "website",
    "charter_capital",
    "high_tech",
)


def _clean(data: dict[str, Any], province_code: str, kind: str, errors: Errors) -> dict:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = text(errors, "name", data["name"], max_length=255, required=True)
    if "tax_code" in data:
        raw = (data["tax_code"] or "").strip()
        if raw:
            try:
                out["tax_code"] = validate_tax_code(raw[:30])
            except CodeError as exc:
                errors.add("tax_code", exc.message, exc.code, exc.params)
        elif kind != OrganisationKind.GROUP:
            errors.add("tax_code", _("A cooperative or union needs a tax code."), "required")
        else:
            out["tax_code"] = None
    if "ward" in data:
        ward = data["ward"]
        code = getattr(ward, "pk", ward) or ""
        if code:
            found = Ward.objects.filter(pk=str(code)[:5]).first()
            if found is None or found.province_id != province_code:
                errors.add(
                    "ward", _("Choose a ward of the organisation's province."), "ward_invalid"
                )
            else:
                out["ward"] = found
        else:
            out["ward"] = None
    for field, length in (("address", 255), ("main_products", 255)):
        if field in data:
            out[field] = text(errors, field, data[field], max_length=length)
    if "description" in data:
        out["description"] = text(
            errors, "description", data["description"], max_length=4000, multiline=True
        )
    if "status" in data:
        if data["status"] not in OrganisationStatus.values:
            errors.add("status", _("Choose a status from the list."), "invalid_choice")
        else:
            out["status"] = data["status"]
    if "sector" in data:
        if data["sector"] and data["sector"] not in Sector.values:
            errors.add("sector", _("Choose a sector from the list."), "invalid_choice")
        else:
            out["sector"] = data["sector"] or ""
    if "established_on" in data:
        out["established_on"] = date_value(errors, "established_on", data["established_on"])
    if "phone" in data:
        out["phone"] = phone(errors, "phone", data["phone"])
    if "email" in data:
        value = (data["email"] or "").strip()[:254]
        try:
            if value:
                EmailValidator()(value)
            out["email"] = value
        except ValidationError:
            errors.add("email", _("Enter a valid e-mail address."), "invalid_email")
    if "website" in data:
        value = (data["website"] or "").strip()[:200]
        try:
            if value:
                URLValidator(schemes=["http", "https"])(value)
            out["website"] = value
        except ValidationError:
            errors.add("website", _("Enter a web address starting with https://."), "invalid_url")
    if "charter_capital" in data:
        out["charter_capital"] = amount(errors, "charter_capital", data["charter_capital"])
    if "high_tech" in data:
        out["high_tech"] = bool(data["high_tech"])
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        errors.add(
            "__all__",
            _("Unknown fields: %(names)s."),
            "unknown_fields",
            {"names": ", ".join(sorted(unknown))},
        )
    return out


def _tax_code_taken(tax_code: str | None, exclude_pk: int | None) -> bool:
    if not tax_code:
        return False
    return Organisation.objects.filter(tax_code=tax_code).exclude(pk=exclude_pk).exists()


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    """Change an organisation's details; only the keys present in ``data`` change.
    Changing the tax code (the organisation's identity) is the province's or the VCA's
    (``change_tax_code``), not the manager's."""
    Organisation.policy.require(actor, "change", organisation)
    errors = Errors()
    values = _clean(data, organisation.province_id, organisation.kind, errors)
    if "tax_code" in values and values["tax_code"] != organisation.tax_code:
        Organisation.policy.require(actor, "change_tax_code", organisation)
    if _tax_code_taken(values.get("tax_code"), organisation.pk):
        errors.add(
            "tax_code", _("Another organisation already has this tax code."), "tax_code_duplicate"
        )
    errors.raise_if_any()
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = audit.snapshot(locked)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for field, value in values.items():
            setattr(locked, field, value)
        if not changed:
            return locked
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise _tax_code_duplicate() from exc
        audit.record(
            actor=actor,
            action="organisation.update",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked


def organisation_create(
    *, actor: Actor, kind: str, province: Province | str, data: dict[str, Any]
) -> Organisation:
    """Register a new organisation in a province (VCA or the province's officer)."""
    errors = Errors()
    if kind not in OrganisationKind.values:
        errors.add("kind", _("Choose a kind from the list."), "invalid_choice")
    province_code = getattr(province, "pk", province)
    if not Province.objects.filter(pk=province_code).exists():
        errors.add("province", _("Choose a province from the list."), "invalid_choice")
    data = {"name": "", "tax_code": "", **data}
    values = _clean(data, province_code, kind, errors)
    if _tax_code_taken(values.get("tax_code"), None):
        errors.add(
            "tax_code", _("Another organisation already has this tax code."), "tax_code_duplicate"
        )
    errors.raise_if_any()
    Organisation.policy.require_at(actor, "create", province=province_code)
    with transaction.atomic():
        org = Organisation(kind=kind, province_id=province_code, **values)
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError as exc:
            raise _tax_code_duplicate() from exc
        audit.record(
            actor=actor, action="organisation.create", instance=org, after=audit.snapshot(org)
        )
    return org
