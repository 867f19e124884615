"""Shared helpers of the courses tests: a planned course with a module and a session."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.registry.models import Membership, Person
from htxso.training import services_courses as svc
from htxso.training.models import Course, CourseStatus


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_course(
    *,
    title: str = "Kỹ năng số cho thanh niên",
    province: str | None = "04",
    capacity: int | None = 30,
    status: str = CourseStatus.OPEN,
    actor=OPERATOR,
) -> Course:
    course = svc.course_create(
        actor=actor,
        fields=svc.CourseFields(
            title=title,
            kind="digital_skills",
            audience="youth",
            province=province,
            capacity=capacity,
            starts_on=timezone.localdate() + dt.timedelta(days=7),
        ),
    )
    if status == CourseStatus.DRAFT:
        return course
    svc.module_add(actor=actor, course=course, title="Điện thoại thông minh", hours="4")
    svc.session_add(
        actor=actor,
        course=course,
        fields=svc.SessionFields(
            title="Buổi 1",
            starts_at=at(7, 8),
            ends_at=at(7, 11),
            mode="in_person",
            place="Hội trường UBND xã",
        ),
    )
    svc.course_set_status(actor=actor, course=course, status=CourseStatus.OPEN)
    if status == CourseStatus.RUNNING:
        svc.course_set_status(actor=actor, course=course, status=CourseStatus.RUNNING)
    course.refresh_from_db()
    return course


def member(org, name: str, *, year: int = 2000) -> Person:
    person = Person.objects.create(organisation=org, full_name=name, birth_date=dt.date(year, 5, 1))
    Membership.objects.create(
        organisation=org, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )
    return person
