"""API of the courses part: lists by policy, detail, my enrolments, enrol self."""

from __future__ import annotations

import pytest

from htxso.training import services_courses as svc

from .helpers import make_course

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def test_course_list_and_detail_by_scope(world, client):
    a = make_course(title="Khoá Cao Bằng")
    b = make_course(title="Khoá Đắk Lắk", province="66")
    client.force_login(world.users["officer_a"])
    r = client.get(f"{API}/courses")
    assert r.status_code == 200 and [c["title"] for c in r.json()] == ["Khoá Cao Bằng"]
    d = client.get(f"{API}/courses/{a.pk}").json()
    assert d["total_hours"] == 4.0 and len(d["sessions"]) == 1 and d["enrolled"] == 0
    assert client.get(f"{API}/courses/{b.pk}").status_code == 404
    assert client.get(f"{API}/courses/{2**63}").status_code in (404, 422)
    assert client.get(f"{API}/courses?limit=1&offset=1").json() == []
    client.force_login(world.users["trainer"])
    assert client.get(f"{API}/courses").json() == []
    svc.course_set_trainers(actor=world.users["vca"], course=b, trainers=[world.users["trainer"]])
    assert [c["id"] for c in client.get(f"{API}/courses").json()] == [b.pk]
    client.force_login(world.users["member_a1"])
    assert client.get(f"{API}/courses").status_code == 403


def test_enrol_self_and_mine(world, client):
    course = make_course(capacity=1)
    client.force_login(world.users["buyer"])
    r = client.post(
        f"{API}/courses/{course.pk}/enrol",
        {"full_name": "Lường Thị Dung", "birth_year": 2000, "sex": "female", "remote": False},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "enrolled"
    again = client.post(
        f"{API}/courses/{course.pk}/enrol", {"remote": False}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"
    mine = client.get(f"{API}/enrolments/mine").json()
    assert [m["course_id"] for m in mine] == [course.pk]
    client.force_login(world.users["norole"])
    full = client.post(
        f"{API}/courses/{course.pk}/enrol",
        {"full_name": "Khác", "remote": False},
        content_type="application/json",
    )
    assert full.status_code == 409 and full.json()["code"] == "course_full"
    assert client.get(f"{API}/enrolments/mine").json() == []
    for body in (b"{not json", b"{}"):
        bad = client.post(f"{API}/courses/{course.pk}/enrol", body, content_type="application/json")
        assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    draft = make_course(title="Nháp", status="draft")
    r = client.post(
        f"{API}/courses/{draft.pk}/enrol", {"remote": True}, content_type="application/json"
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"
