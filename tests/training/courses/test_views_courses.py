"""Pages of the courses part: planning journey, catalogue, enrolment, my training."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from htxso.training.models import Course, Enrolment

from .helpers import make_course, member

pytestmark = pytest.mark.django_db


def test_empty_list_and_filters(world, client):
    client.force_login(world.users["officer_a"])
    r = client.get("/dao-tao/khoa-hoc/")
    assert r.status_code == 200 and r.context["page"].paginator.count == 0
    make_course(title="Cao Bằng số")
    make_course(title="Đắk Lắk số", province="66")
    r = client.get("/dao-tao/khoa-hoc/?status=open")
    titles = [c.title for c in r.context["page"]]
    assert titles == ["Cao Bằng số"]  # not the other province's
    r = client.get("/dao-tao/khoa-hoc/?status=draft")
    assert not r.context["page"].object_list


def test_officer_plans_and_opens_by_pages(world, client):
    client.force_login(world.users["officer_a"])
    r = client.post(
        "/dao-tao/khoa-hoc/moi/",
        {
            "title": "Bán hàng trên chợ số",
            "kind": "store_opening",
            "audience": "members",
            "province": "04",
            "capacity": "20",
            "min_attendance_percent": "80",
        },
    )
    course = Course.objects.get()
    assert r.status_code == 302 and course.province_id == "04" and course.created_by
    base = f"/dao-tao/khoa-hoc/{course.pk}/"
    client.post(base + "hoc-phan/", {"title": "Chụp ảnh", "hours": "3.5"})
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    r = client.post(
        base + "buoi-hoc/",
        {
            "title": "Buổi 1",
            "day": day,
            "start": "08:00",
            "end": "11:30",
            "mode": "in_person",
            "ward": "",
            "place": "Nhà văn hoá xóm",
        },
    )
    assert r.status_code == 302, r.context["form"].errors
    session = course.sessions.get()
    assert timezone.localtime(session.starts_at).hour == 8  # Vietnam time
    r = client.post(base + "trang-thai/", {"status": "open"})
    course.refresh_from_db()
    assert course.status == "open"
    page = client.get(base)
    assert page.context["total_hours"] == 3.5 and page.context["enrolled"] == 0
    # another province's officer gets 404 on every page of the course
    client.force_login(world.users["officer_b"])
    for url in (base, base + "sua/", base + "buoi-hoc/", base + "nhap-danh-sach/"):
        assert client.get(url).status_code == 404
    assert client.post(base + "trang-thai/", {"status": "cancelled"}).status_code == 404
    course.refresh_from_db()
    assert course.status == "open"


def test_form_refuses_other_province(world, client):
    client.force_login(world.users["officer_a"])
    r = client.post(
        "/dao-tao/khoa-hoc/moi/",
        {
            "title": "X",
            "kind": "other",
            "audience": "general",
            "province": "66",
            "min_attendance_percent": "80",
        },
    )
    assert r.status_code == 200 and not Course.objects.exists()


def test_viewer_reads_only(world, client):
    course = make_course()
    client.force_login(world.users["viewer_a"])
    r = client.get(f"/dao-tao/khoa-hoc/{course.pk}/")
    assert r.status_code == 200 and not r.context["can_change"]
    assert b"trang-thai" not in r.content
    assert (
        client.post(
            f"/dao-tao/khoa-hoc/{course.pk}/trang-thai/", {"status": "cancelled"}
        ).status_code
        == 403
    )


def test_huge_ids_404(world, client):
    client.force_login(world.users["vca"])
    for url in (f"/dao-tao/khoa-hoc/{2**63}/", f"/dao-tao/{2**64}/", f"/dao-tao/{10**30}/dang-ky/"):
        assert client.get(url).status_code == 404


def test_catalogue_public_and_no_personal_data(world, client):
    course = make_course(capacity=2)
    draft = make_course(title="Bản nháp", status="draft")
    r = client.get("/dao-tao/")
    assert r.status_code == 200
    titles = [c.title for c in r.context["page"]]
    assert course.title in titles and draft.title not in titles
    assert client.get(f"/dao-tao/{draft.pk}/").status_code == 404
    client.force_login(world.users["buyer"])
    client.post(
        f"/dao-tao/{course.pk}/dang-ky/", {"full_name": "Nguyễn Bí Mật", "birth_year": "1998"}
    )
    client.logout()
    page = client.get(f"/dao-tao/{course.pk}/").content.decode()
    assert "Nguyễn Bí Mật" not in page
    assert client.get(f"/dao-tao/{course.pk}/dang-ky/").status_code == 302  # sign in first


def test_enrol_and_my_training(world, client):
    course = make_course()
    client.force_login(world.users["norole"])
    assert client.get("/dao-tao/cua-toi/").context["rows"] == []
    r = client.post(
        f"/dao-tao/{course.pk}/dang-ky/",
        {"full_name": "Hà Văn Lâm", "birth_year": "2003", "sex": "male"},
    )
    assert r.status_code == 302
    e = Enrolment.objects.get()
    assert e.person.full_name == "Hà Văn Lâm" and e.age_at_start in (
        course.starts_on.year - 2003,
        course.starts_on.year - 2004,
    )
    rows = client.get("/dao-tao/cua-toi/").context["rows"]
    assert [row["enrolment"] for row in rows] == [e]
    # enrolling again goes to my training, adds nothing
    client.post(f"/dao-tao/{course.pk}/dang-ky/", {})
    assert Enrolment.objects.count() == 1
    # someone else cannot withdraw it
    client.force_login(world.users["buyer"])
    assert client.post(f"/dao-tao/dang-ky/{e.pk}/rut/").status_code == 404
    client.force_login(world.users["norole"])
    client.post(f"/dao-tao/dang-ky/{e.pk}/rut/")
    e.refresh_from_db()
    assert e.status == "withdrawn"


def test_full_course_refused_on_page(world, client):
    course = make_course(capacity=1)
    client.force_login(world.users["buyer"])
    client.post(f"/dao-tao/{course.pk}/dang-ky/", {"full_name": "Một"})
    client.force_login(world.users["norole"])
    r = client.post(f"/dao-tao/{course.pk}/dang-ky/", {"full_name": "Hai"})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert Enrolment.objects.count() == 1


def test_manager_enrols_members_page(world, client):
    course = make_course()
    a1 = world.orgs["a1"]
    p = member(a1, "Nông Văn Sáu")
    other = member(world.orgs["b1"], "Y Bih")
    client.force_login(world.users["manager_a1"])
    url = f"/dao-tao/{course.pk}/dang-ky-thanh-vien/"
    r = client.get(url)
    assert (
        r.status_code == 200
        and "Nông Văn Sáu" in r.content.decode()
        and "Y Bih" not in r.content.decode()
    )
    r = client.post(url, {"org": a1.pk, "people": [other.pk]})  # not in the choices
    assert not Enrolment.objects.exists()
    assert client.get(url + f"?org={world.orgs['b1'].pk}").status_code == 404
    r = client.post(url, {"org": a1.pk, "people": [p.pk]})
    assert r.status_code == 302
    e = Enrolment.objects.get()
    assert e.organisation == a1 and e.source == "manager"
    # the manager of another cooperative does not see it in a roster; the officer does
    client.force_login(world.users["officer_a"])
    assert [x.pk for x in client.get(f"/dao-tao/khoa-hoc/{course.pk}/").context["roster"]] == [e.pk]


def test_lists_query_counts(world, client, django_assert_max_num_queries):
    for i in range(6):
        course = make_course(title=f"Khoá {i}")
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(14):
        assert client.get("/dao-tao/khoa-hoc/").status_code == 200
    client.logout()
    with django_assert_max_num_queries(10):
        assert client.get("/dao-tao/").status_code == 200
    client.force_login(world.users["buyer"])
    for c in Course.objects.all():
        client.post(f"/dao-tao/{c.pk}/dang-ky/", {"full_name": "Người học"})
    with django_assert_max_num_queries(14):
        assert len(client.get("/dao-tao/cua-toi/").context["rows"]) == 6
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(16):
        assert client.get(f"/dao-tao/khoa-hoc/{course.pk}/").status_code == 200


def test_remove_module_and_session_by_pages(world, client):
    """The two "remove" buttons: a bogus or another course's item changes nothing, the
    last module/session of an open course stays, a draft's are removed."""
    from htxso.training import services_courses as svc
    from htxso.training.models import CourseSession, Module

    client.force_login(world.users["officer_a"])
    course = make_course(title="Khoá có học phần")
    other = make_course(title="Khoá khác")
    base = f"/dao-tao/khoa-hoc/{course.pk}/"
    module = course.modules.get()
    # another course's module, nonsense, nothing: refused, nothing removed
    for item in (other.modules.get().pk, "abc", "9" * 30, ""):
        r = client.post(f"{base}hoc-phan/xoa/", {"item": item}, follow=True)
        assert r.status_code == 200
    assert Module.objects.count() == 2
    # the last module of an open course stays (a precise message)
    r = client.post(f"{base}hoc-phan/xoa/", {"item": module.pk}, follow=True)
    assert Module.objects.filter(pk=module.pk).exists()
    assert "ít nhất một học phần" in r.content.decode() or "at least one module" in (
        r.content.decode()
    )
    svc.module_add(actor=world.users["officer_a"], course=course, title="Phần 2", hours="2")
    r = client.post(f"{base}hoc-phan/xoa/", {"item": module.pk})
    assert r.status_code == 302 and r["Location"].endswith("#modules")
    assert not Module.objects.filter(pk=module.pk).exists()
    session = course.sessions.get()
    r = client.post(f"{base}buoi-hoc/xoa/", {"item": session.pk}, follow=True)
    assert CourseSession.objects.filter(pk=session.pk).exists()  # the last session stays
