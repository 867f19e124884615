"""Training demo data (ORDER 80, after the registry, accounts and market demos):

* the EU youth-DX project's **training of trainers** (national, 3 sessions in the hall
  and online, trainer ``giangvien``), trainers without a cooperative;
* a **youth digital-skills** course in Cao Bằng for young people of its cooperatives, and
  one likely duplicate (same name and year, no phone) waiting in Cao Bằng's review queue;
* a **store-opening** course in Nghệ An whose completed participants are the people who
  run the province's verified demo stores (the outcome, not only the attendance).

Idempotent: courses are found by code, people by name + year + phone, rows by their keys.
No organisation is created.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from htxso.core import roles
from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext

ORDER = 80

EU = "Dự án EU hỗ trợ chuyển đổi số cho thanh niên hợp tác xã"

TOT_TRAINEES = [
    # name, birth year, phone, sex, remote
    ("Hà Thị Thu Trang", 1988, "0912 600 001", "female", False),
    ("Phan Văn Đức", 1985, "0912 600 002", "male", False),
    ("Lương Thị Kim", 1991, "0912 600 003", "female", True),
    ("Triệu Văn Sơn", 1983, "0912 600 004", "male", True),
    ("Nguyễn Thị Hồng Nhung", 1990, "0912 600 005", "female", False),
    ("Vũ Minh Tuấn", 1987, "0912 600 006", "male", True),
]
YOUTH = [
    ("Nông Thị Hoa", 2001, "0912 604 001", "female", "02"),
    ("Hoàng Văn Quân", 1999, "0912 604 002", "male", "03"),
    ("Bế Thị Ngọc", 2003, "0912 604 003", "female", "02"),
    ("Lục Văn Thắng", 1997, "0912 604 004", "male", "07"),
    ("Đàm Thị Yến", 2000, "0912 604 005", "female", "02"),
    ("Mã Văn Khoa", 1995, "0912 604 006", "male", "01"),
    ("Lý Thị Dung", 2002, "0912 604 007", "female", "07"),
    ("Nông Văn Tiến", 1998, "0912 604 008", "male", "02"),
]


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _course(code: str, **values: Any):
    from .models import Course

    course, _created = Course.objects.get_or_create(code=code, defaults=values)
    return course


def _session(course, title: str, day: dt.date, mode: str, **extra: Any):
    from .models import CourseSession

    found = CourseSession.objects.filter(course=course, title=title).first()
    return found or CourseSession.objects.create(
        course=course,
        title=title,
        starts_at=_aware(day, 8),
        ends_at=_aware(day, 11),
        mode=mode,
        **extra,
    )


def _enrol(course, person, *, status: str = "enrolled", remote: bool = False, **extra: Any):
    from .models import Enrolment

    found = Enrolment.objects.filter(course=course, person=person).first()
    if found is not None:
        return found
    age = None
    if course.starts_on and (person.birth_date or person.birth_year):
        age = (
            person.age_on(course.starts_on)
            if person.birth_date
            else course.starts_on.year - person.birth_year
        )
    return Enrolment.objects.create(
        course=course,
        person=person,
        user=person.user,
        organisation=person.organisation,
        remote=remote,
        source=extra.pop("source", "staff"),
        status=status,
        age_at_start=age,
        completed_at=_aware(course.ends_on, 17) if status == "completed" else None,
        **extra,
    )


def _attend(enrolment, session, method: str = "qr") -> None:
    from .models import Attendance

    Attendance.objects.get_or_create(
        enrolment=enrolment,
        session=session,
        defaults={"method": method, "checked_in_at": session.starts_at + dt.timedelta(minutes=7)},
    )


def _person(name: str, year: int, phone: str, sex: str, *, ethnicity: str = "", **kw: Any):
    from .people import find_or_create_person

    return find_or_create_person(
        actor=OPERATOR,
        full_name=name,
        birth_year=year,
        phone=phone,
        sex=sex,
        ethnicity=ethnicity,
        **kw,
    )


def _tot(trainer) -> None:
    course = _course(
        "eu-tot-2026",
        title="Tập huấn giảng viên nguồn chuyển đổi số (ToT)",
        description="Khóa đào tạo giảng viên nguồn của dự án EU, học tại hội trường và trực tuyến.",
        kind="tot",
        audience="trainers",
        funded_by=EU,
        province=None,
        capacity=40,
        status="finished",
        starts_on=dt.date(2026, 10, 6),
        ends_on=dt.date(2026, 10, 8),
        min_attendance_percent=80,
    )
    course.trainers.add(trainer)
    sessions = [
        _session(
            course,
            f"Buổi {n}",
            dt.date(2026, 10, 5 + n),
            "hybrid",
            place="Hội trường Liên minh HTX Việt Nam, Hà Nội",
            online_link="https://meet.example.vn/eu-tot",
        )
        for n in (1, 2, 3)
    ]
    for i, (name, year, phone, sex, remote) in enumerate(TOT_TRAINEES):
        person = _person(name, year, phone, sex)  # trainers: no cooperative
        status = "completed" if i < 2 else "enrolled"
        enrolment = _enrol(course, person, status=status, remote=remote)
        for session in sessions if i < 2 else sessions[:1]:
            _attend(enrolment, session, "online_link" if remote else "qr")


def _youth(trainer) -> None:
    from htxso.registry.models import Organisation, Person

    course = _course(
        "cb-ky-nang-so-thanh-nien-2026",
        title="Kỹ năng số cho thanh niên hợp tác xã Cao Bằng",
        description="Dùng điện thoại thông minh, bán hàng trực tuyến, an toàn thông tin.",
        kind="digital_skills",
        audience="youth",
        funded_by=EU,
        province_id="04",
        capacity=30,
        status="running",
        starts_on=dt.date(2026, 11, 16),
        ends_on=dt.date(2026, 11, 18),
    )
    course.trainers.add(trainer)
    s1 = _session(course, "Buổi 1: điện thoại thông minh", dt.date(2026, 11, 16), "in_person")
    _session(course, "Buổi 2: bán hàng trực tuyến", dt.date(2026, 11, 17), "in_person")
    orgs = list(Organisation.objects.filter(province_id="04", status="active").order_by("id")[:3])
    for i, (name, year, phone, sex, ethnicity) in enumerate(YOUTH):
        org = orgs[i % len(orgs)] if orgs else None
        person = _person(
            name, year, phone, sex, ethnicity=ethnicity, organisation=org, province="04"
        )
        enrolment = _enrol(course, person, status="completed" if i == 0 else "enrolled")
        if i < 5:
            _attend(enrolment, s1, "roster" if i % 2 else "qr")
    # the same young woman, enrolled again from a paper list without her phone: a likely
    # duplicate for Cao Bằng's officer to review
    name, year, *_rest = YOUTH[0]
    twin = (
        Person.objects.filter(search_text="nong thi hoa", birth_year=year, phone="")
        .order_by("pk")
        .first()
    )
    if twin is None:
        twin = _person(name.upper(), year, "", "female", province="04")
    _enrol(course, twin, source="import")


def _store_opening(trainer) -> None:
    from htxso.accounts.models import RoleAssignment
    from htxso.registry.models import Person

    course = _course(
        "na-mo-gian-hang-2026",
        title="Mở gian hàng và đăng sản phẩm trên chợ HTX Số (Nghệ An)",
        description="Từng bước mở gian hàng, chụp ảnh và đăng sản phẩm, nhận đơn.",
        kind="store_opening",
        audience="members",
        province_id="40",
        capacity=25,
        status="finished",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 11, 3),
        requires_store=True,
        min_attendance_percent=50,
    )
    course.trainers.add(trainer)
    sessions = [
        _session(course, "Buổi 1: mở gian hàng", dt.date(2026, 11, 2), "in_person"),
        _session(course, "Buổi 2: đăng sản phẩm", dt.date(2026, 11, 3), "in_person"),
    ]
    store_model = apps.get_model("market", "Store")  # the market's demo stores (no import)
    stores = store_model.objects.filter(province_id="40", status="verified").order_by("id")
    seen: set[int] = set()
    for store in stores:
        user = store.owner
        if user is None and store.organisation_id:
            assignment = (
                RoleAssignment.objects.filter(organisation_id=store.organisation_id)
                .filter(role=roles.Role.COOP_MANAGER)
                .select_related("user")
                .order_by("id")
                .first()
            )
            user = assignment.user if assignment else None
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        person = Person.objects.filter(user=user).first() or _person(
            user.full_name or user.username,
            None,
            user.phone or "",
            "",
            organisation=store.organisation,
            user=user,
            province="40",
        )
        enrolment = _enrol(course, person, status="completed", source="manager")
        for session in sessions:
            _attend(enrolment, session)
    # a member who attended once and has no store yet: not completed
    other = _person("Lô Thị Hằng", 1994, "0912 640 001", "female", province="40")
    enrolment = _enrol(course, other, status="not_completed")
    _attend(enrolment, sessions[0], "roster")


def seed(ctx: DemoContext) -> None:
    from htxso.accounts.models import User

    trainer = User.objects.filter(username="giangvien").first()
    if trainer is None:  # pragma: no cover - the accounts demo runs first
        ctx.log("training: no demo trainer, skipped")
        return
    _tot(trainer)
    _youth(trainer)
    _store_opening(trainer)
    ctx.log("training: 3 demo courses (ToT, Cao Bằng youth, Nghệ An store opening)")
