"""Minimal courses, sessions and enrolments for the attendance tests (made directly: the
courses part writes their services at the same time)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def course(w, *, province="04", code="kn-so-cb", title="Kỹ năng số cho thanh niên Cao Bằng"):
    from htxso.training.models import Course

    c, _ = Course.objects.get_or_create(
        code=code,
        defaults={
            "title": title,
            "kind": "digital_skills",
            "audience": "youth",
            "province_id": province,
            "status": "running",
        },
    )
    c.trainers.add(w.users["trainer"])
    return c


def session(c, *, start=None, hours=2, title="Buổi 1: Điện thoại thông minh", mode="in_person"):
    from htxso.training.models import CourseSession

    start = start or timezone.now() - dt.timedelta(minutes=10)
    return CourseSession.objects.create(
        course=c,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        mode=mode,
        place="Hội trường UBND xã",
    )


def enrol(c, user=None, *, name="Nông Thị Lan", org=None, remote=False):
    from htxso.registry.models import Person
    from htxso.training.models import Enrolment

    person = Person.objects.create(full_name=name, organisation=org, birth_year=2000)
    return Enrolment.objects.create(
        course=c, person=person, user=user, source="staff", remote=remote
    )
