"""Training rows for the certificates tests, made directly (the courses and attendance
parts write their own services; these tests only need the rows)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

_seq = itertools.count(1)


def make_course(
    *,
    province="04",
    trainer=None,
    sessions=4,
    min_attendance=75,
    pass_score=None,
    requires_store=False,
    title="Kỹ năng số cho thanh niên Cao Bằng",
    hours=("8", "12.5"),
):
    from htxso.training.models import Course, CourseSession, Module

    n = next(_seq)
    course = Course.objects.create(
        code=f"ky-nang-so-{n}",
        title=title,
        kind="store_opening" if requires_store else "digital_skills",
        audience="youth",
        province_id=province,
        status="running",
        funded_by="Dự án EU chuyển đổi số cho thanh niên",
        min_attendance_percent=min_attendance,
        pass_score=pass_score,
        requires_store=requires_store,
    )
    if trainer is not None:
        course.trainers.add(trainer)
    for i, h in enumerate(hours):
        Module.objects.create(course=course, order=i + 1, title=f"Phần {i + 1}", hours=Decimal(h))
    start = timezone.now() - dt.timedelta(days=30)
    for i in range(sessions):
        CourseSession.objects.create(
            course=course,
            title=f"Buổi {i + 1}",
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=3),
            mode="in_person",
            place="Hội trường",
        )
    return course


def enrol(course, name="Nông Thị Hoa", *, user=None, organisation=None, attended=0, score=None):
    from htxso.registry.models import Person
    from htxso.training.models import Attendance, Enrolment

    person = Person.objects.create(full_name=name, organisation=organisation)
    enrolment = Enrolment.objects.create(
        course=course,
        person=person,
        user=user,
        organisation=organisation,
        source="staff",
        assessment_score=score,
    )
    for session in list(course.sessions.all())[:attended]:
        Attendance.objects.create(
            enrolment=enrolment, session=session, method="roster", checked_in_at=session.starts_at
        )
    return enrolment


def open_store(world, user, *, on_sale=True, verified=True):
    """A verified member-household store of a1 run by ``user`` with a product on sale."""
    from htxso.market.models import Category, Product, Store
    from tests.market.fixtures_market import ensure_categories

    ensure_categories()
    n = next(_seq)
    store = Store.objects.create(
        organisation=world.orgs["a1"],
        kind="household",
        household_name="Hộ Nông Thị Hoa",
        owner=user,
        name=f"Gian hàng Hoa {n}",
        slug=f"gian-hang-hoa-{n}",
        status="verified" if verified else "pending",
        bank_bin="970405",
        bank_account="0123456789",
    )
    Product.objects.create(
        store=store,
        category=Category.objects.first(),
        province_id="04",
        title="Miến dong Cao Bằng",
        status="active" if on_sale else "draft",
    )
    return store
