"""Every write of the completion and certificates part: results, completion decisions,
certificates (issue, revoke).

Completion follows the course's rule (``training.completion``): a participant who does
not meet it is refused with the reason, and a batch is all or nothing.  Completing
issues the certificate in the same transaction: a short public code, the Open Badges
credential signed with the active key (``training.keys``), a frozen snapshot of what
it says (name, course, hours, issuer, date).  Every change is audited.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, not_found

from . import badges, completion, keys
from .models import Certificate, Course, Enrolment, EnrolmentStatus

ACTION_LABELS.update(
    {
        "training.result": gettext_lazy("Training result recorded"),
        "training.complete": gettext_lazy("Training completed"),
        "training.not_completed": gettext_lazy("Training not completed"),
        "training.certificate_issue": gettext_lazy("Training certificate issued"),
        "training.certificate_revoke": gettext_lazy("Training certificate revoked"),
    }
)

#: Letters of certificate codes: base32 without the ones people misread (0 O 1 I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
#: Participants one decision may name (a course is a few hundred people at most).
MAX_BATCH = 500
_MARKUP = set("<>{}\\")


def new_code() -> str:
    """A short unguessable code (32**10 ≈ 10**15 possibilities)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str | None:
    """A typed code (any case, spaces or dashes) → the stored form, or ``None``."""
    code = "".join(ch for ch in (value or "")[:40] if ch not in " -").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _plain(errors: Errors, field: str, value: Any, *, max_length: int, required: bool) -> str:
    result = text(errors, field, value, max_length=max_length, required=required)
    if result and (_MARKUP & set(result)):
        errors.add(field, gettext_lazy("Write it without symbols like < > { }."), "text_markup")
        return ""
    return result


def _require_teach(course: Course, *, actor: Actor) -> None:
    Course.policy.require(actor, "teach", course)


def _name(enrolment: Enrolment) -> str:
    return enrolment.person.full_name


# ------------------------------------------------------------------ results


def record_result(*, actor: Actor, enrolment: Enrolment, score: int | None, note: str) -> Enrolment:
    """The trainer's assessment score (0–100, empty = none) and note of a participant."""
    Enrolment.policy.require(actor, "teach", enrolment)
    errors = Errors()
    if score is not None and (not isinstance(score, int) or not 0 <= score <= 100):
        errors.add("score", gettext_lazy("A score is a whole number from 0 to 100."), "score")
    clean_note = _plain(errors, "note", note, max_length=500, required=False)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        if locked.status == EnrolmentStatus.WITHDRAWN:
            raise conflict(_("The participant withdrew from the course."), "withdrawn")
        if hasattr(locked, "certificate"):
            raise conflict(
                _("A certificate was issued: revoke it before changing the result."),
                "has_certificate",
            )
        before = {"assessment_score": locked.assessment_score, "result_note": locked.result_note}
        locked.assessment_score, locked.result_note = score, clean_note
        locked.save(update_fields=["assessment_score", "result_note"])
        audit.record(
            actor=actor,
            action="training.result",
            instance=locked,
            before=before,
            after={"assessment_score": score, "result_note": clean_note},
        )
    return locked


# ------------------------------------------------------------------ completion


def _batch(course: Course, enrolments: Sequence[Enrolment]) -> list[Enrolment]:
    if not enrolments:
        raise ServiceError("empty", gettext_lazy("Choose at least one participant."))
    if len(enrolments) > MAX_BATCH:
        raise ServiceError(
            "too_many",
            gettext_lazy("At most %(n)s participants at once."),
            {"n": MAX_BATCH},
        )
    ids = sorted({e.pk for e in enrolments})
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, course=course)
        .select_related("person")
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise not_found(_("A chosen participant is not in this course."))
    return rows


def complete(*, actor: Actor, course: Course, enrolments: Sequence[Enrolment]) -> list[Certificate]:
    """Complete the participants who meet the rule and issue their certificates.

    All or nothing: when one of them does not meet the rule (or withdrew), nothing is
    saved and the refusal names each of them with the reason."""
    _require_teach(course, actor=actor)
    with transaction.atomic():
        rows = _batch(course, enrolments)
        withdrawn = [e for e in rows if e.status == EnrolmentStatus.WITHDRAWN]
        if withdrawn:
            raise conflict(
                _("Withdrew from the course: %(names)s."),
                "withdrawn",
                {"names": ", ".join(_name(e) for e in withdrawn)},
            )
        todo = [e for e in rows if e.status != EnrolmentStatus.COMPLETED]
        results = completion.evaluate(course, todo)
        failing = [r for r in results if not r.ok]
        if failing:
            lines = "; ".join(f"{_name(r.enrolment)}: {r.why_not()}" for r in failing)
            raise ServiceError(
                "rule_not_met",
                gettext_lazy("The completion rule is not met — %(details)s"),
                {"details": lines},
                details=[
                    {
                        "enrolment": r.enrolment.pk,
                        "checks": [
                            {"check": c.key, "ok": c.ok, "reason": c.reason} for c in r.checks
                        ],
                    }
                    for r in failing
                ],
            )
        now = timezone.now()
        issued = []
        for enrolment in todo:
            before = {"status": enrolment.status}
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_at = now
            enrolment.completed_by = None if isinstance(actor, SystemActor) else actor  # type: ignore[assignment]
            enrolment.save(update_fields=["status", "completed_at", "completed_by"])
            audit.record(
                actor=actor,
                action="training.complete",
                instance=enrolment,
                before=before,
                after={"status": enrolment.status},
            )
            if not Certificate.objects.filter(enrolment=enrolment).exists():
                issued.append(_issue(actor=actor, enrolment=enrolment, course=course))
        return issued


def mark_not_completed(*, actor: Actor, course: Course, enrolments: Sequence[Enrolment]) -> int:
    """Decide that the participants did not complete (refused when one holds a
    certificate in force: revoke it first).  Answers how many changed."""
    _require_teach(course, actor=actor)
    with transaction.atomic():
        rows = _batch(course, enrolments)
        certified = [
            e
            for e in rows
            if Certificate.objects.filter(enrolment=e, revoked_at__isnull=True).exists()
        ]
        if certified:
            raise conflict(
                _("A certificate is in force for %(names)s: revoke it first."),
                "has_certificate",
                {"names": ", ".join(_name(e) for e in certified)},
            )
        changed = 0
        for enrolment in rows:
            if enrolment.status == EnrolmentStatus.NOT_COMPLETED:
                continue
            before = {"status": enrolment.status}
            enrolment.status = EnrolmentStatus.NOT_COMPLETED
            enrolment.completed_at = None
            enrolment.completed_by = None
            enrolment.save(update_fields=["status", "completed_at", "completed_by"])
            audit.record(
                actor=actor,
                action="training.not_completed",
                instance=enrolment,
                before=before,
                after={"status": enrolment.status},
            )
            changed += 1
        return changed


# ------------------------------------------------------------------ certificates


def _criteria(course: Course) -> str:
    parts = [
        _("Attended at least %(percent)s%% of the course's sessions.")
        % {"percent": course.min_attendance_percent}
    ]
    if course.pass_score is not None:
        parts.append(
            _("Passed the final assessment with a score of at least %(score)s of 100.")
            % {"score": course.pass_score}
        )
    if course.requires_store:
        parts.append(
            _("Runs a verified store with at least one product on sale on the HTX Số market.")
        )
    return " ".join(parts)


def _issue(*, actor: Actor, enrolment: Enrolment, course: Course) -> Certificate:
    key = keys.active_key(actor=actor)
    now = timezone.now()
    hours = completion.course_hours(course)
    name = _name(enrolment)
    credential_id = uuid.uuid4()
    with translation.override("vi"):
        criteria = _criteria(course)
    snapshot = {
        "name": name,
        "course": course.title,
        "course_code": course.code,
        "hours": badges.format_hours(hours),
        "issuer": badges.ISSUER_NAME,
        "funded_by": course.funded_by,
        "issued_on": timezone.localtime(now).date().isoformat(),
    }
    for _attempt in range(5):
        code = new_code()
        credential = badges.build_credential(
            credential_id=credential_id,
            code=code,
            name=name,
            course_code=course.code,
            course_title=course.title,
            course_description=course.description[:1000],
            hours=hours,
            criteria=criteria,
            issued_at=now,
            funded_by=course.funded_by,
        )
        token = badges.sign(credential, kid=key.kid, private=keys.private_key(key))
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment,
                    code=code,
                    issued_at=now,
                    issued_by=None if isinstance(actor, SystemActor) else actor,
                    key=key,
                    credential=token,
                    credential_id=credential_id,
                    snapshot=snapshot,
                )
        except IntegrityError:
            if Certificate.objects.filter(enrolment=enrolment).exists():
                raise conflict(
                    _("A certificate was already issued for this participant."), "duplicate"
                ) from None
            continue  # the code was taken (one chance in 10**15): draw another
        audit.record(
            actor=actor,
            action="training.certificate_issue",
            instance=certificate,
            after={"code": code, "enrolment": enrolment.pk, "kid": key.kid},
        )
        return certificate
    raise conflict(_("No free certificate code was found; try again."), "code_exhausted")


def issue_certificate(*, actor: Actor, enrolment: Enrolment) -> Certificate:
    """The certificate of a participant who completed the course (refused otherwise)."""
    course = enrolment.course
    _require_teach(course, actor=actor)
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("person", "course")
            .get(pk=enrolment.pk)
        )
        if locked.status != EnrolmentStatus.COMPLETED:
            raise conflict(
                _("%(name)s did not complete the course: no certificate can be issued."),
                "not_completed",
                {"name": _name(locked)},
            )
        if Certificate.objects.filter(enrolment=locked).exists():
            raise conflict(_("A certificate was already issued for this participant."), "duplicate")
        return _issue(actor=actor, enrolment=locked, course=locked.course)


def revoke_certificate(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (the verify page then says so, with the date and reason)."""
    Certificate.policy.require(actor, "change", certificate)
    errors = Errors()
    clean = _plain(errors, "reason", reason, max_length=300, required=True)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise conflict(_("The certificate is already revoked."), "already_revoked")
        locked.revoked_at, locked.revoked_reason = timezone.now(), clean
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(
            actor=actor,
            action="training.certificate_revoke",
            instance=locked,
            before={"revoked_at": None},
            after={"revoked_at": locked.revoked_at.isoformat(), "reason": clean},
        )
    return locked
