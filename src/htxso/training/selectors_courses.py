"""Reads of the courses part, all through the models' policies.

* :func:`course_list` — the courses a user may plan or follow (staff, trainers);
* :func:`catalogue` — the public catalogue: open courses, for anyone (no personal data);
* :func:`my_enrolments` — a participant's own courses;
* :func:`roster` — the enrolments of one course the user may see;
* :func:`members_to_enrol` — the member register of a cooperative the user manages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from htxso.registry.models import Membership, Organisation

from .models import Course, CourseSession, CourseStatus, Enrolment, EnrolmentStatus

ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


@dataclass
class CourseFilters:
    status: str = ""
    kind: str = ""
    audience: str = ""


def _with_counts(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.select_related("province").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE), distinct=True),
    )


def course_list(*, user: Any, filters: CourseFilters | None = None) -> QuerySet[Course]:
    filters = filters or CourseFilters()
    qs = Course.objects.allowed(user, "view")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    return _with_counts(qs).distinct().order_by("-starts_on", "title", "id")


def catalogue(*, filters: CourseFilters | None = None) -> QuerySet[Course]:
    """Courses open for enrolment: anyone may read them (title, dates, places of the
    sessions); never the roster."""
    filters = filters or CourseFilters()
    qs = Course.objects.filter(status=CourseStatus.OPEN)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    return _with_counts(qs).order_by("starts_on", "title", "id")


def public_course(*, pk: int) -> Course | None:
    """One course of the catalogue (open), or ``None``."""
    return catalogue().filter(pk=pk).first()


def course_detail(course: Course) -> dict[str, Any]:
    modules = list(course.modules.all())
    sessions = list(course.sessions.select_related("ward").order_by("starts_at", "id"))
    total = sum((m.hours for m in modules), Decimal(0))
    enrolled = course.enrolments.filter(status__in=ACTIVE).count()
    return {
        "modules": modules,
        "sessions": sessions,
        "total_hours": total,
        "enrolled": enrolled,
        "free": None if course.capacity is None else max(0, course.capacity - enrolled),
        "trainers": list(course.trainers.order_by("full_name", "username")),
    }


def roster(*, user: Any, course: Course) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.allowed(user, "view")
        .filter(course=course)
        .select_related("person", "organisation", "user")
        .distinct()
        .order_by("person__full_name", "id")
    )


def my_enrolments(*, user: Any) -> QuerySet[Enrolment]:
    """The participant's own enrolments (by account, or by their person record)."""
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(Q(user=user) | Q(person__user=user))
        .select_related("course", "course__province", "organisation")
        .prefetch_related(
            Prefetch(
                "course__sessions",
                queryset=CourseSession.objects.select_related("ward").order_by("starts_at"),
            )
        )
        .distinct()
        .order_by("-enrolled_at", "id")
    )


def my_enrolment_in(*, user: Any, course: Course) -> Enrolment | None:
    return my_enrolments(user=user).filter(course=course).first()


def managed_organisations(*, user: Any) -> QuerySet[Organisation]:
    """Cooperatives whose members the user may enrol (their manager's)."""
    from htxso.core.policy import reach_of
    from htxso.core.roles import Role

    _everywhere, _provinces, organisations = reach_of(user, {Role.COOP_MANAGER})
    return Organisation.objects.filter(pk__in=sorted(organisations)).order_by("name")


def members_to_enrol(*, organisation: Organisation, course: Course) -> list[tuple[Any, bool]]:
    """The cooperative's current members, each with whether they are enrolled already."""
    members = (
        Membership.objects.filter(organisation=organisation, left_on__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    enrolled = set(
        Enrolment.objects.filter(course=course, status__in=ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    seen: set[int] = set()
    out = []
    for m in members:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        out.append((m.person, m.person_id in enrolled))
    return out


def total_hours(course: Course) -> Decimal:
    return course.modules.aggregate(total=Sum("hours"))["total"] or Decimal(0)
