"""The completion rule of a course, checked per participant.

A participant completes a course when every check of its rule is met:

* **attendance** — sessions attended ≥ ``course.min_attendance_percent`` of the course's
  sessions;
* **assessment** — when ``course.pass_score`` is set, the trainer recorded a score ≥ it;
* **store** — for courses with ``requires_store``: the participant runs a verified store
  with at least one product on sale (the market publishes this outcome through
  ``core.outcomes``; training never imports the market).

:func:`evaluate` answers, for the enrolments of one course, each check with its reason
(a few queries whatever the number of participants).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from htxso.core import outcomes

from .models import Attendance, Course, Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class Check:
    key: str  # "attendance", "assessment", "store"
    label: str
    ok: bool
    reason: str


@dataclass(frozen=True)
class RuleResult:
    enrolment: Enrolment
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def why_not(self) -> str:
        return "; ".join(c.reason for c in self.failed)


def attended_sessions(course: Course) -> dict[int, int]:
    """Enrolment id → number of the course's sessions attended (the attendance part's
    ``selectors_attendance.attendance_by_enrolment`` when present, else counted here)."""
    try:
        from .selectors_attendance import attendance_by_enrolment
    except ImportError:  # pragma: no cover - the attendance part not merged
        pass
    else:
        return {pk: s.attended for pk, s in attendance_by_enrolment(course).items()}
    rows = (
        Attendance.objects.filter(enrolment__course=course, session__course=course)
        .values("enrolment_id")
        .annotate(n=Count("session_id", distinct=True))
    )
    return {row["enrolment_id"]: row["n"] for row in rows}


def course_hours(course: Course) -> Decimal:
    total = course.modules.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def _percent(part: int, whole: int) -> int:
    """Whole percent, rounded down: 2 of 3 shows 66 %, never a 67 % that fails 67 %."""
    if whole == 0:
        return 0
    return part * 100 // whole


def evaluate(course: Course, enrolments: list[Enrolment] | None = None) -> list[RuleResult]:
    """The rule's checks for ``enrolments`` (default: the course's participants who have
    not withdrawn), in the given order."""
    if enrolments is None:
        enrolments = list(
            course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).select_related("person")
        )
    sessions = course.sessions.count()
    attended = attended_sessions(course)
    stores: set[int] | None = set()
    if course.requires_store:
        stores = outcomes.meeting(outcomes.STORE_OPEN, [e.user_id for e in enrolments])
    results = []
    for enrolment in enrolments:
        checks = [_attendance(course, sessions, attended.get(enrolment.pk, 0))]
        if course.pass_score is not None:
            checks.append(_assessment(course, enrolment))
        if course.requires_store:
            checks.append(_store(enrolment, stores))
        results.append(RuleResult(enrolment, tuple(checks)))
    return results


def _attendance(course: Course, sessions: int, attended: int) -> Check:
    label = _("Attendance")
    need = course.min_attendance_percent
    if sessions == 0:
        if need == 0:
            return Check("attendance", label, True, _("No attendance is required."))
        return Check("attendance", label, False, _("The course has no sessions yet."))
    percent = _percent(attended, sessions)
    params = {"n": attended, "total": sessions, "percent": percent, "need": need}
    # compare exactly (3 of 4 sessions = 75 %, not a rounded 75 ≥ 75.4)
    if attended * 100 >= need * sessions:
        return Check(
            "attendance",
            label,
            True,
            _("Attended %(n)s of %(total)s sessions (%(percent)s%%; %(need)s%% needed).") % params,
        )
    return Check(
        "attendance",
        label,
        False,
        _("Attended %(n)s of %(total)s sessions (%(percent)s%%), below the %(need)s%% needed.")
        % params,
    )


def _assessment(course: Course, enrolment: Enrolment) -> Check:
    label = _("Assessment")
    score, need = enrolment.assessment_score, course.pass_score
    if score is None:
        return Check(
            "assessment",
            label,
            False,
            _("No assessment score recorded (pass score %(need)s).") % {"need": need},
        )
    if need is not None and score >= need:
        return Check(
            "assessment",
            label,
            True,
            _("Score %(score)s (pass score %(need)s).") % {"score": score, "need": need},
        )
    return Check(
        "assessment",
        label,
        False,
        _("Score %(score)s is below the pass score %(need)s.") % {"score": score, "need": need},
    )


def _store(enrolment: Enrolment, stores: set[int] | None) -> Check:
    label = _("Store on the market")
    if stores is None:
        return Check("store", label, False, _("The market cannot be asked (not installed)."))
    if enrolment.user_id is None:
        return Check(
            "store",
            label,
            False,
            _("The participant has no account, so no store can be linked to them."),
        )
    if enrolment.user_id in stores:
        return Check("store", label, True, _("Runs a verified store with a product on sale."))
    return Check(
        "store",
        label,
        False,
        _("No verified store with a product on sale on the market yet."),
    )
