"""Reads of attendance: a session's roster, the sessions a trainer runs, and the
attendance of each participant of a course.

For completion (the certificates part) the two functions to call are:

* :func:`attendance_by_enrolment` ``(course) -> {enrolment_id: AttendanceSummary}`` —
  one query for the whole course; every enrolment of the course that has not withdrawn
  is in the dict (0 sessions attended included);
* :func:`attendance_percent` ``(enrolment) -> int`` — the same for one participant.

The percentage is sessions attended ÷ **all** sessions of the course (planned ones
included: a course is complete when it is over), rounded half up for display; compare
with a threshold through :meth:`AttendanceSummary.meets` (exact: 3 of 4 is 75 %, never a
rounded 75 ≥ 75.4).  A course without sessions gives 0 %.  Only attendances of the
course's own sessions count, whatever the method (QR, roster, offline, online link).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q

from .models import (
    Attendance,
    Course,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
)


@dataclass(frozen=True)
class AttendanceSummary:
    attended: int
    total: int

    @property
    def percent(self) -> int:
        if self.total == 0:
            return 0
        return int((Decimal(self.attended) * 100 / self.total).to_integral_value(ROUND_HALF_UP))

    def meets(self, need_percent: int) -> bool:
        """Exactly: attended / total ≥ need_percent / 100."""
        if self.total == 0:
            return need_percent == 0
        return self.attended * 100 >= need_percent * self.total


def attendance_by_enrolment(course: Course) -> dict[int, AttendanceSummary]:
    """Enrolment id → its attendance, for every participant of ``course`` who has not
    withdrawn (two queries)."""
    total = CourseSession.objects.filter(course=course).count()
    rows = (
        Enrolment.objects.filter(course=course)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .annotate(
            n=Count(
                "attendances__session",
                filter=Q(attendances__session__course=course),
                distinct=True,
            )
        )
        .values_list("pk", "n")
    )
    return {pk: AttendanceSummary(n, total) for pk, n in rows}


def attendance_percent(enrolment: Enrolment) -> int:
    """Percent of the course's sessions ``enrolment`` attended (0–100, half up)."""
    total = CourseSession.objects.filter(course_id=enrolment.course_id).count()
    attended = (
        Attendance.objects.filter(enrolment=enrolment, session__course_id=enrolment.course_id)
        .values("session_id")
        .distinct()
        .count()
    )
    return AttendanceSummary(attended, total).percent


@dataclass(frozen=True)
class RosterRow:
    enrolment: Enrolment
    attendance: Attendance | None


def session_roster(session: CourseSession) -> list[RosterRow]:
    """The participants of the session's course (withdrawn ones left out), each with
    their check-in to ``session`` if any, by name."""
    enrolments = (
        Enrolment.objects.filter(course_id=session.course_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person", "organisation")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(session=session),
                to_attr="here",
            )
        )
        .order_by("person__full_name", "id")
    )
    return [RosterRow(e, e.here[0] if e.here else None) for e in enrolments]


def sessions_to_teach(user: Any, *, since: dt.datetime) -> list[CourseSession]:
    """Sessions ``user`` may run (teach) that end after ``since``, soonest first."""
    return list(
        CourseSession.policy.queryset(user, "teach")
        .filter(ends_at__gte=since)
        .select_related("course", "course__province", "ward")
        .distinct()
        .order_by("starts_at", "id")[:100]
    )


def session_counts(course: Course) -> list[tuple[CourseSession, int]]:
    """Each session of ``course`` with its number of check-ins."""
    sessions = (
        CourseSession.objects.filter(course=course)
        .annotate(n=Count("attendances", distinct=True))
        .order_by("starts_at", "id")
    )
    return [(s, s.n) for s in sessions]


def course_attendance(course: Course) -> list[tuple[Enrolment, AttendanceSummary]]:
    """The participants of ``course`` with their attendance, by name."""
    summary = attendance_by_enrolment(course)
    enrolments = (
        Enrolment.objects.filter(pk__in=list(summary))
        .select_related("person", "organisation")
        .order_by("person__full_name", "id")
    )
    return [(e, summary[e.pk]) for e in enrolments]
