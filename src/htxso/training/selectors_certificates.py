"""Reads of the completion and certificates part, through the models' policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from htxso.core.policy import allowed

from . import badges, completion, keys
from .models import Certificate, Course, Enrolment
from .services_certificates import normalise_code


def my_certificates(user: Any) -> QuerySet[Certificate]:
    """The certificates of the signed-in participant (their own enrolments)."""
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(Q(enrolment__user=user) | Q(enrolment__person__user=user))
        .select_related("enrolment__course")
        .distinct()
        .order_by("-issued_at", "-id")
    )


def certificates_of_course(user: Any, course: Course) -> dict[int, Certificate]:
    """Enrolment id → certificate, of the course's certificates ``user`` may see."""
    rows = allowed(Certificate, user, "view").filter(enrolment__course=course)
    return {c.enrolment_id: c for c in rows}


@dataclass
class CompletionRow:
    result: completion.RuleResult
    certificate: Certificate | None

    @property
    def enrolment(self) -> Enrolment:
        return self.result.enrolment


def completion_rows(user: Any, course: Course) -> list[CompletionRow]:
    """Each participant of the course with the rule's checks and their certificate."""
    enrolments = list(
        allowed(Enrolment, user, "teach")
        .filter(course=course)
        .exclude(status="withdrawn")
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    certificates = certificates_of_course(user, course)
    return [
        CompletionRow(result, certificates.get(result.enrolment.pk))
        for result in completion.evaluate(course, enrolments)
    ]


def public_certificate(code: str) -> Certificate | None:
    """The certificate of a public code (its page shows only the snapshot and status)."""
    normal = normalise_code(code)
    if normal is None:
        return None
    return (
        Certificate.objects.filter(code=normal)
        .only("code", "snapshot", "issued_at", "revoked_at", "revoked_reason")
        .first()
    )


def _public_key(kid: str):
    key = keys.key_by_kid(kid)
    return keys.public_key(key) if key is not None else None


@dataclass
class Checked:
    verification: badges.Verification
    certificate: Certificate | None = None

    @property
    def valid(self) -> bool:
        return self.verification.valid

    @property
    def reason(self) -> str:
        return self.verification.reason

    @property
    def message(self) -> str:
        return self.verification.message


def verify_credential(text: str) -> Checked:
    """A pasted credential checked: signature and key, dates, then revocation."""
    verification = badges.verify(text, public_key_of=_public_key, now=timezone.now())
    certificate = None
    if verification.credential is not None:
        credential_id = badges.credential_uuid(verification.credential)
        if credential_id is not None:
            certificate = Certificate.objects.filter(credential_id=credential_id).first()
    if verification.valid and certificate is not None and certificate.revoked_at is not None:
        verification = badges.Verification(
            badges.Reason.REVOKED,
            verification.credential,
            verification.kid,
            {
                "date": timezone.localtime(certificate.revoked_at).strftime("%d/%m/%Y"),
                "reason": certificate.revoked_reason,
            },
        )
    return Checked(verification, certificate)
