"""Recording changes.  Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .actors import Actor, SystemActor, require_actor
from .models import AuditEvent

StrOrPromise = str | Promise

#: Human labels of audit actions; modules add theirs with ``ACTION_LABELS.update``.
ACTION_LABELS: dict[str, StrOrPromise] = {
    "user.create": _("Account created"),
    "user.language": _("Interface language changed"),
    "role.assign": _("Role given"),
    "role.revoke": _("Role taken away"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "two_factor.enable": _("Two-factor sign-in turned on"),
    "two_factor.disable": _("Two-factor sign-in turned off"),
}

#: Fields never copied into the audit trail.
SECRET_FIELDS = {"password", "key_hash", "search_text"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The concrete field values of an instance, JSON-ready, secrets left out."""
    if instance is None:
        return None
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        data[f.name] = _jsonable(getattr(instance, f.attname))
    return data


def _follow(instance: models.Model, path: str) -> Any:
    """Follow a ``a__b__c`` lookup path on an instance; a trailing FK gives its pk."""
    if path in ("pk", "id"):
        return instance.pk
    target: Any = instance
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    last = parts[-1]
    value = getattr(target, f"{last}_id", None) if not last.endswith("_id") else None
    if value is None:
        value = getattr(target, last, None)
    return getattr(value, "pk", value)


def _owner(instance: models.Model | None) -> tuple[str | None, int | None]:
    """Province code and organisation id of the object, for scoping the trail."""
    if instance is None:
        return None, None
    prov_path = getattr(instance, "scope_province_path", None)
    org_path = getattr(instance, "scope_organisation_path", None)
    province = _follow(instance, prov_path) if prov_path else None
    org_id = _follow(instance, org_path) if org_path else None
    return province, org_id


def record(
    *,
    actor: Actor,
    action: str,
    instance: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    province: str | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Write one audit row.  Call inside the service's ``transaction.atomic`` block."""
    actor = require_actor(actor)
    inferred_province, inferred_org = _owner(instance)
    return AuditEvent.objects.create(
        actor=None if isinstance(actor, SystemActor) else actor,  # type: ignore[misc]  # Actor's user is settings.AUTH_USER_MODEL
        actor_label=(
            actor.get_username() if not isinstance(actor, SystemActor) else actor.username
        )[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(instance) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=str(instance)[:255] if instance is not None else "",
        province_id=province or inferred_province,
        organisation_id=organisation_id if organisation_id is not None else inferred_org,
        before=before,
        after=after,
    )
