"""Deciding likely duplicate people: "same person" (merge) or "different people".

A merge keeps the richer record, moves the other's enrolments to it (when both were
enrolled in one course, the better enrolment stays and the other's attendances join it),
fills the kept record's empty fields from the other, and marks the other
``merged_into`` the kept one.  Nothing is deleted but a duplicate enrolment, whose full
row goes into the audit trail.  Memberships and jobs stay on the merged record (their
history is the organisation's).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.errors import Kind, ServiceError
from htxso.registry.models import Person

from .models import Attendance, DuplicateCandidate, DuplicateStatus, Enrolment, EnrolmentStatus

SAME = "same"
DIFFERENT = "different"
DECISIONS = (SAME, DIFFERENT)

audit.ACTION_LABELS.update(
    {
        "training.duplicate_merge": _("Duplicate people merged"),
        "training.duplicate_distinct": _("Possible duplicates marked as different people"),
    }
)

#: Fields copied to the kept record when it has none.
FILLED = ("citizen_id", "birth_date", "birth_year", "phone", "sex", "ethnicity", "user_id")
#: Enrolment states, best first (the better of two enrolments in one course stays).
RANK = {
    EnrolmentStatus.COMPLETED: 0,
    EnrolmentStatus.NOT_COMPLETED: 1,
    EnrolmentStatus.ENROLLED: 2,
    EnrolmentStatus.WITHDRAWN: 3,
}


def richness(person: Person, enrolments: int = 0) -> tuple:
    """How much a record knows (the richer one is kept; then the older one)."""
    filled = sum(
        1
        for name in ("birth_date", "birth_year", "phone", "sex", "ethnicity", "organisation_id")
        if getattr(person, name) not in (None, "")
    )
    return (
        person.citizen_id is not None,
        person.user_id is not None,
        filled,
        enrolments,
        -person.pk,
    )


def _has_certificate(enrolment: Enrolment) -> bool:
    return hasattr(enrolment, "certificate")


def _better(a: Enrolment, b: Enrolment) -> tuple[Enrolment, Enrolment]:
    """(the enrolment that stays, the one folded into it)."""

    def key(e: Enrolment) -> tuple:
        return (not _has_certificate(e), RANK.get(e.status, 9), -e.attendances.count(), e.pk)

    return (a, b) if key(a) <= key(b) else (b, a)


def _merge_enrolments(keep: Person, drop: Person) -> dict[str, Any]:
    moved: list[int] = []
    folded: list[dict[str, Any] | None] = []
    kept_by_course = {e.course_id: e for e in Enrolment.objects.filter(person=keep)}
    for theirs in Enrolment.objects.filter(person=drop).select_related("course").order_by("pk"):
        ours = kept_by_course.get(theirs.course_id)
        if ours is None:
            moved.append(theirs.pk)
            continue
        if _has_certificate(ours) and _has_certificate(theirs):
            raise ServiceError(
                "merge_two_certificates",
                _(
                    "Both records hold a certificate for the course “%(course)s”: revoke "
                    "the wrong one before merging."
                ),
                {"course": theirs.course.title},
                kind=Kind.CONFLICT,
            )
        stays, goes = _better(ours, theirs)
        sessions = set(
            Attendance.objects.filter(enrolment=stays).values_list("session_id", flat=True)
        )
        Attendance.objects.filter(enrolment=goes).exclude(session_id__in=sessions).update(
            enrolment=stays
        )
        for name in ("assessment_score", "result_note", "user_id", "organisation_id"):
            if getattr(stays, name) in (None, "") and getattr(goes, name) not in (None, ""):
                setattr(stays, name, getattr(goes, name))
        folded.append(audit.snapshot(goes))
        goes.delete()  # its remaining attendances (same sessions) go with it
        stays.save()
        if stays.person_id != keep.pk:
            moved.append(stays.pk)
    Enrolment.objects.filter(pk__in=moved).update(person=keep)
    return {"moved": moved, "folded": folded}


def _merge(*, actor: Actor, cand: DuplicateCandidate, a: Person, b: Person) -> Person:
    if a.citizen_id and b.citizen_id and a.citizen_id != b.citizen_id:
        raise ServiceError(
            "merge_two_citizen_ids",
            _("The two records carry different citizen ID numbers: they are two people."),
            kind=Kind.CONFLICT,
        )
    counts = dict(
        Enrolment.objects.filter(person__in=[a, b])
        .values("person")
        .annotate(n=Count("pk"))
        .values_list("person", "n")
    )
    keep, drop = sorted(
        (a, b), key=lambda p: richness(p, counts.get(p.pk, 0)), reverse=True
    )  # richer first
    before = {"kept": audit.snapshot(keep), "merged": audit.snapshot(drop)}
    enrolments = _merge_enrolments(keep, drop)
    taken = {name: getattr(drop, name) for name in FILLED}
    # unique fields leave the merged record before the kept one takes them
    if keep.citizen_id is None and drop.citizen_id:
        drop.citizen_id = None
    if keep.user_id is None and drop.user_id:
        drop.user_id = None
    drop.merged_into = keep
    drop.save()
    for name, value in taken.items():
        if value not in (None, "") and getattr(keep, name) in (None, ""):
            setattr(keep, name, value)
    if keep.organisation_id is None and drop.organisation_id is not None:
        keep.organisation_id = drop.organisation_id
    keep.save()
    audit.record(
        actor=actor,
        action="training.duplicate_merge",
        instance=cand,
        before=before,
        after={
            "kept": audit.snapshot(keep),
            "merged": audit.snapshot(drop),
            "enrolments_moved": enrolments["moved"],
            "enrolments_folded": enrolments["folded"],
        },
    )
    return keep


@transaction.atomic
def decide_duplicate(
    *, actor: Actor, candidate: DuplicateCandidate, decision: str
) -> Person | None:
    """Decide an open candidate: ``"same"`` merges the two records (the kept person is
    returned), ``"different"`` closes it.  A decided candidate refuses a second decision
    (``already_decided``), so two reviewers clicking at once merge once."""
    if decision not in DECISIONS:
        raise ServiceError(
            "decision_invalid",
            _("Choose “same person” or “different people”."),
            fields={"decision": [_("Choose “same person” or “different people”.")]},
        )
    locked = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if locked is None:
        raise ServiceError("not_found", _("Not found."), kind=Kind.NOT_FOUND)
    DuplicateCandidate.policy.require(actor, "change", locked)
    if locked.status != DuplicateStatus.OPEN:
        raise ServiceError(
            "already_decided",
            _("This pair was already decided: %(status)s."),
            {"status": locked.get_status_display()},
            kind=Kind.CONFLICT,
        )
    kept: Person | None = None
    if decision == SAME:
        pair = list(
            Person.objects.select_for_update()
            .filter(pk__in=[locked.first_id, locked.second_id])
            .order_by("pk")
        )
        a, b = (_follow(p) for p in pair)
        # already one person through another decision: nothing to merge
        kept = a if a.pk == b.pk else _merge(actor=actor, cand=locked, a=a, b=b)
        locked.status = DuplicateStatus.MERGED
    else:
        locked.status = DuplicateStatus.DISTINCT
        audit.record(actor=actor, action="training.duplicate_distinct", instance=locked)
    locked.decided_at = timezone.now()
    locked.decided_by = None if not getattr(actor, "is_authenticated", False) else actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return kept


def _follow(person: Person) -> Person:
    """The live record of ``person`` (merged records point to the kept one), locked."""
    while person.merged_into_id is not None:
        person = Person.objects.select_for_update().get(pk=person.merged_into_id)
    return person
