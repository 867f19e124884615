"""Training courses on a phone (issue 16): a provincial officer plans a course with a
session and opens it; a cooperative member enrols from the catalogue.  Screenshots at
360 px (the journey) and 1280 px (the course page) in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from htxso.training.models import Course, Enrolment

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_officer_opens_a_course_and_a_member_enrols(live_server, world, page_factory):
    base = live_server.url
    page = page_factory("360")
    _sign_in(page, base, "u_officer_a")
    page.goto(f"{base}/dao-tao/khoa-hoc/")
    expect(page.get_by_text("Chưa có khoá học nào.")).to_be_visible()
    page.get_by_role("link", name="Lập kế hoạch khoá học mới").click()
    page.get_by_label("Tiêu đề").fill("Kỹ năng số cho thanh niên Hòa An")
    page.get_by_label("Số chỗ").fill("25")
    page.get_by_role("button", name="Tạo khoá học").click()
    expect(page.locator("#course-status")).to_have_text("Bản nháp")
    course = Course.objects.get()
    assert course.province_id == "04"
    page.get_by_label("Học phần").fill("Dùng điện thoại thông minh")
    page.get_by_label("Số giờ").fill("4")
    page.get_by_role("button", name="Thêm học phần").click()
    page.locator("#add-session").click()
    page.locator("#id_title").fill("Buổi 1: làm quen")
    day = timezone.localdate() + dt.timedelta(days=7)
    page.locator("#id_day").fill(day.isoformat())
    page.locator("#id_start").fill("08:00")
    page.locator("#id_end").fill("11:00")
    page.locator("#id_place").fill("Hội trường UBND xã Hòa An")
    page.get_by_role("button", name="Thêm buổi học").click()
    page.locator("button[data-status=open]").click()
    expect(page.locator("#course-status")).to_have_text("Mở đăng ký")
    assert_no_horizontal_overflow(page)
    shot(page, "training-courses-officer-360")

    member = page_factory("360")
    _sign_in(member, base, "u_member_a1")
    member.goto(f"{base}/dao-tao/")
    member.get_by_role("link", name="Kỹ năng số cho thanh niên Hòa An").click()
    assert_no_horizontal_overflow(member)
    shot(member, "training-courses-public-360")
    member.locator("#enrol-link").click()
    member.get_by_label("Năm sinh").fill("2001")
    member.get_by_role("button", name="Đăng ký cho tôi").click()
    member.wait_for_url(f"{base}/dao-tao/cua-toi/")
    expect(member.locator(".my-courses strong").first).to_have_text(
        "Kỹ năng số cho thanh niên Hòa An"
    )
    assert_no_horizontal_overflow(member)
    shot(member, "training-courses-my-360")
    e = Enrolment.objects.get()
    assert e.organisation_id == world.orgs["a1"].pk and e.age_at_start in (
        day.year - 2001,
        day.year - 2002,
    )

    wide = page_factory("1280")
    _sign_in(wide, base, "u_officer_a")
    wide.goto(f"{base}/dao-tao/khoa-hoc/{course.pk}/")
    expect(wide.locator("#enrolled-count")).to_have_text("1 / 25")
    shot(wide, "training-courses-officer-1280")
