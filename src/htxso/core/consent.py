"""Consent to the privacy notice, and the log of exports holding sensitive data.

The Law on Personal Data Protection (91/2025/QH15) and Decree 13/2023/NĐ-CP ask for
proof that a person agreed to a notice that named the purposes, and a record of who
took sensitive personal data (ID numbers, ethnicity) out of the system.  Both live in
``core`` so every app may call them; the pages reading them are in ``htxso.privacy``.

Callers:

* ``record_consent(user=…, purpose="signup")`` when a person ticks the notice's box
  (sign-up, accepting an invitation, an access request, a store request);
* ``log_sensitive_export(actor=…, what="…", people=n)`` wherever a file, page or API
  answer hands out ID numbers or ethnicity of more than the reader himself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actors import Actor, SystemActor, require_actor
from .errors import ServiceError
from .models import ConsentPurpose, ConsentRecord, SensitiveExport

#: The version (date) of the privacy notice in force; the notice page shows it.  A
#: new text gets a new version: consents name the version the person agreed to.
NOTICE_VERSION: str = "2026-12-06"

#: The purposes a consent may be given for.
PURPOSES: frozenset[str] = frozenset(ConsentPurpose.values)


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ServiceError(
            "consent_purpose_unknown",
            _("Unknown consent purpose: %(purpose)s."),
            {"purpose": str(purpose)[:40]},
        )


def record_consent(*, user: Any, purpose: str, notice_version: str = NOTICE_VERSION) -> None:
    """Record that ``user`` agreed to the notice ``notice_version`` for ``purpose``.

    Idempotent: a second call for the same purpose and version while the consent is
    in force writes nothing (a double submit leaves one row).  After a withdrawal, a
    new consent writes a new row."""
    _check_purpose(purpose)
    if not getattr(user, "pk", None):
        raise TypeError("record_consent needs a saved user")
    version = str(notice_version or NOTICE_VERSION)[:20]
    with transaction.atomic():
        exists = (
            ConsentRecord.objects.select_for_update()
            .filter(user=user, purpose=purpose, notice_version=version, withdrawn_at=None)
            .exists()
        )
        if not exists:
            ConsentRecord.objects.create(user=user, purpose=purpose, notice_version=version)


def consents_in_force(user: Any) -> list[ConsentRecord]:
    """The consents ``user`` gave and has not withdrawn, newest first."""
    return list(ConsentRecord.objects.filter(user=user, withdrawn_at=None))


def withdraw_consent(*, user: Any, purpose: str) -> int:
    """Mark ``user``'s consents for ``purpose`` withdrawn now; the number withdrawn.

    The low-level step; ``htxso.privacy.services`` audits it and explains the
    consequence to the person."""
    _check_purpose(purpose)
    return ConsentRecord.objects.filter(user=user, purpose=purpose, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )


def log_sensitive_export(
    *,
    actor: Actor,
    what: str,
    people: int,
    province: str | None = None,
    organisation_id: int | None = None,
) -> None:
    """Log that ``actor`` exported ID numbers or ethnicity of ``people`` persons.

    ``what`` names the export ("registry members CSV, HTX Hoà Bình"); ``province`` and
    ``organisation_id`` (optional) place it so a province's officer sees his
    province's exports."""
    actor = require_actor(actor)
    SensitiveExport.objects.create(
        actor=None if isinstance(actor, SystemActor) else actor,  # type: ignore[misc]  # Actor's user is settings.AUTH_USER_MODEL
        actor_label=(
            actor.get_username() if not isinstance(actor, SystemActor) else actor.username
        )[:150],
        what=str(what)[:200],
        people=max(0, int(people)),
        province_id=province or None,
        organisation_id=organisation_id,
    )
