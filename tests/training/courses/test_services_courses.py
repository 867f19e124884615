"""Services of the courses part: planning, status guards, enrolment rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Person
from htxso.training import services_courses as svc
from htxso.training.models import Course, CourseStatus, Enrolment, EnrolmentStatus

from .helpers import at, make_course, member

pytestmark = pytest.mark.django_db


def fields(**kw):
    base = {
        "title": "Mở gian hàng",
        "kind": "store_opening",
        "audience": "members",
        "province": "04",
    }
    base.update(kw)
    return svc.CourseFields(**base)


def test_officer_plans_own_province_only(world):
    officer = world.users["officer_a"]
    course = svc.course_create(actor=officer, fields=fields(province="04"))
    assert course.status == CourseStatus.DRAFT and course.province_id == "04"
    assert AuditEvent.objects.filter(action="training.course.create").count() == 1
    with pytest.raises(ServiceError) as exc:
        svc.course_create(actor=officer, fields=fields(province="66"))
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError):  # a national course is the VCA's
        svc.course_create(actor=officer, fields=fields(province=None))
    assert Course.objects.count() == 1


def test_viewer_and_trainer_cannot_plan(world):
    for key in ("viewer_a", "trainer", "manager_a1"):
        with pytest.raises(ServiceError):
            svc.course_create(actor=world.users[key], fields=fields(province="04"))
    course = make_course()
    with pytest.raises(ServiceError) as exc:
        svc.module_add(actor=world.users["viewer_a"], course=course, title="X", hours=1)
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        svc.module_add(actor=world.users["officer_b"], course=course, title="X", hours=1)
    assert exc.value.kind is Kind.NOT_FOUND


def test_vca_plans_national_course(world):
    course = svc.course_create(actor=world.users["vca"], fields=fields(province=None))
    assert course.province_id is None


def test_script_in_title_refused_and_escaped_in_pages(world, client):
    with pytest.raises(ServiceError) as exc:
        svc.course_create(
            actor=world.users["officer_a"], fields=fields(title="<script>alert(1)</script>")
        )
    assert exc.value.fields["title"]
    # a description may hold any text: shown escaped
    course = make_course()
    course.description = "<script>alert(1)</script>"
    course.save()
    html = client.get(f"/dao-tao/{course.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_bad_fields_collected(world):
    with pytest.raises(ServiceError) as exc:
        svc.course_create(
            actor=world.users["vca"],
            fields=fields(
                title="",
                kind="nope",
                capacity=0,
                starts_on=dt.date(2027, 1, 10),
                ends_on=dt.date(2027, 1, 1),
                min_attendance_percent=120,
            ),
        )
    assert {"title", "kind", "capacity", "ends_on", "min_attendance_percent"} <= set(
        exc.value.fields
    )


def test_cannot_open_without_session_or_module(world):
    officer = world.users["officer_a"]
    course = svc.course_create(actor=officer, fields=fields(province="04"))
    with pytest.raises(ServiceError) as exc:
        svc.course_set_status(actor=officer, course=course, status="open")
    assert exc.value.code == "no_session"
    svc.session_add(
        actor=officer,
        course=course,
        fields=svc.SessionFields(
            title="B1", starts_at=at(3, 8), ends_at=at(3, 10), place="Nhà văn hoá"
        ),
    )
    with pytest.raises(ServiceError) as exc:
        svc.course_set_status(actor=officer, course=course, status="open")
    assert exc.value.code == "no_module"
    svc.module_add(actor=officer, course=course, title="Chụp ảnh sản phẩm", hours="2.5")
    svc.course_set_status(actor=officer, course=course, status="open")
    course.refresh_from_db()
    assert course.status == "open"
    with pytest.raises(ServiceError) as exc:  # not straight to finished
        svc.course_set_status(actor=officer, course=course, status="finished")
    assert exc.value.code == "bad_transition"
    svc.course_set_status(actor=officer, course=course, status="running")
    with pytest.raises(ServiceError) as exc:  # the session is ahead
        svc.course_set_status(actor=officer, course=course, status="finished")
    assert exc.value.code == "sessions_ahead"
    svc.course_set_status(actor=officer, course=course, status="cancelled")
    with pytest.raises(ServiceError) as exc:
        svc.module_add(actor=officer, course=course, title="X", hours=1)
    assert exc.value.code == "course_closed"


def test_session_checks(world):
    course = make_course(status=CourseStatus.DRAFT)
    officer = world.users["officer_a"]
    with pytest.raises(ServiceError) as exc:
        svc.session_add(
            actor=officer,
            course=course,
            fields=svc.SessionFields(
                title="B",
                starts_at=at(2, 10),
                ends_at=at(2, 9),
                mode="hybrid",
                ward="24007",
                online_link="javascript:alert(1)",
            ),
        )
    assert {"ends_at", "online_link"} <= set(exc.value.fields)
    assert "ward" in exc.value.fields or "place" in exc.value.fields


def test_trainers_must_hold_the_role(world):
    course = make_course()
    officer = world.users["officer_a"]
    with pytest.raises(ServiceError) as exc:
        svc.course_set_trainers(actor=officer, course=course, trainers=[world.users["buyer"]])
    assert exc.value.code == "not_a_trainer"
    svc.course_set_trainers(actor=officer, course=course, trainers=[world.users["trainer"]])
    assert list(course.trainers.all()) == [world.users["trainer"]]
    # the trainer now sees the course, not another one
    other = make_course(title="Khác")
    assert get_allowed_or_404(Course, world.users["trainer"], "view", pk=course.pk)
    with pytest.raises(Http404):
        get_allowed_or_404(Course, world.users["trainer"], "view", pk=other.pk)
    with pytest.raises(PermissionDenied):
        get_allowed_or_404(Course, world.users["trainer"], "change", pk=course.pk)


def test_enrol_self_creates_person_and_age(world):
    course = make_course()
    buyer = world.users["buyer"]
    e = svc.enrol_self(
        actor=buyer, course=course, full_name="Lò Văn Tú", birth_year=2001, sex="male"
    )
    assert e.user == buyer and e.person.user == buyer and e.source == "self"
    assert (
        e.age_at_start == course.starts_on.year - 2001
        or e.age_at_start == course.starts_on.year - 2002
    )
    with pytest.raises(ServiceError) as exc:
        svc.enrol_self(actor=buyer, course=course)
    assert exc.value.code == "already_enrolled"
    assert Enrolment.objects.filter(course=course).count() == 1
    # withdraw, then back
    svc.enrolment_withdraw(actor=buyer, enrolment=e)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.WITHDRAWN
    again = svc.enrol_self(actor=buyer, course=course)
    assert again.pk == e.pk and again.status == "enrolled"


def test_member_enrols_with_organisation(world):
    course = make_course()
    e = svc.enrol_self(actor=world.users["member_a1"], course=course, full_name="Thành viên A1")
    assert e.organisation == world.orgs["a1"]


def test_draft_course_refuses_self_enrolment(world):
    course = make_course(status=CourseStatus.DRAFT)
    with pytest.raises(ServiceError) as exc:
        svc.enrol_self(actor=world.users["buyer"], course=course, full_name="A")
    assert exc.value.code == "course_not_open"
    assert not Enrolment.objects.exists()


def test_capacity_two_enrolments_for_last_place(world):
    course = make_course(capacity=1)
    svc.enrol_self(actor=world.users["buyer"], course=course, full_name="Người một")
    people_before = Person.objects.count()
    with pytest.raises(ServiceError) as exc:
        svc.enrol_self(actor=world.users["norole"], course=course, full_name="Người hai")
    assert exc.value.code == "course_full" and exc.value.kind is Kind.CONFLICT
    assert Enrolment.objects.filter(course=course).count() == 1
    assert Person.objects.count() == people_before  # nothing half-saved


def test_manager_enrols_own_members_only(world):
    course = make_course(capacity=3)
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    p1, p2 = member(a1, "Nông Thị Hoa", year=1999), member(a1, "Hoàng Văn Nam", year=1980)
    stranger = member(b1, "Y Bih")
    manager = world.users["manager_a1"]
    done = svc.enrol_members(actor=manager, course=course, organisation=a1, people=[p1, p2])
    assert {e.person for e in done} == {p1, p2}
    assert all(e.organisation == a1 and e.source == "manager" for e in done)
    with pytest.raises(ServiceError) as exc:
        svc.enrol_members(actor=manager, course=course, organisation=b1, people=[stranger])
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        svc.enrol_members(actor=manager, course=course, organisation=a1, people=[stranger])
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:  # p1 twice
        svc.enrol_members(actor=manager, course=course, organisation=a1, people=[p1])
    assert exc.value.code == "already_enrolled"
    p3, p4 = member(a1, "Ba"), member(a1, "Bốn")
    with pytest.raises(ServiceError) as exc:  # 2 + 2 > 3: none enrolled
        svc.enrol_members(actor=manager, course=course, organisation=a1, people=[p3, p4])
    assert exc.value.code == "course_full"
    assert Enrolment.objects.filter(course=course).count() == 2


def test_withdraw_by_others_refused(world):
    course = make_course()
    e = svc.enrol_self(actor=world.users["member_a1"], course=course, full_name="A")
    with pytest.raises(ServiceError):
        svc.enrolment_withdraw(actor=world.users["manager_b1"], enrolment=e)
    with pytest.raises(ServiceError):
        svc.enrolment_withdraw(actor=world.users["buyer"], enrolment=e)
    svc.enrolment_withdraw(actor=world.users["manager_a1"], enrolment=e)


def test_capacity_cannot_drop_below_enrolled(world):
    course = make_course(capacity=5)
    svc.enrol_self(actor=world.users["buyer"], course=course, full_name="A")
    svc.enrol_self(actor=world.users["norole"], course=course, full_name="B")
    with pytest.raises(ServiceError) as exc:
        svc.course_update(
            actor=world.users["officer_a"],
            course=course,
            fields=fields(title=course.title, province="04", capacity=1),
        )
    assert exc.value.code == "capacity_below_enrolled"
    course.refresh_from_db()
    assert course.capacity == 5


def test_system_actor_cannot_enrol_self():
    course = make_course()
    with pytest.raises(ServiceError):
        svc.enrol_self(actor=OPERATOR, course=course)
