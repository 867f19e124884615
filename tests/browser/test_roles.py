"""Every role signs in through the real form at 360 px and 1280 px; screenshots saved."""

from __future__ import annotations

import pytest

from ..conftest import USER_KEYS
from .conftest import assert_no_horizontal_overflow, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Mat-khau-rat-dai-2026"

HEADINGS = {
    "vca": "Tổng quan toàn quốc",
    "officer_a": "Tỉnh: Cao Bằng",
    "viewer_a": "Tỉnh: Cao Bằng",
    "manager_a1": "Tổ chức của bạn",
    "member_a1": "Hợp tác xã của bạn",
    "trainer": "Khóa học của bạn",
    "buyer": "Đơn hàng của bạn",
}


def sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_every_role_signs_in_and_sees_its_home(live_server, world, page_factory, width):
    for key in USER_KEYS:
        if key in ("anon", "norole", "officer_b", "viewer_b", "manager_b1"):
            continue
        page = page_factory(width)
        sign_in(page, live_server.url, world.users[key].username)
        assert page.get_by_role("heading", name=HEADINGS[key]).first.is_visible()
        assert_no_horizontal_overflow(page)
        shot(page, f"home-{key}-{width}")
        page.context.close()


def test_anonymous_home_and_sign_in_page(live_server, db, page_factory):
    for width in ("360", "1280"):
        page = page_factory(width)
        page.goto(live_server.url + "/")
        assert "HTX Số" in page.title()
        assert_no_horizontal_overflow(page)
        shot(page, f"home-anonymous-{width}")
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_role("button", name="Đăng nhập").click()
        assert page.locator(".error").first.is_visible()
        shot(page, f"sign-in-errors-{width}")


def test_language_switch_on_a_phone_is_remembered(live_server, world, page_factory):
    page = page_factory("360")
    sign_in(page, live_server.url, world.users["officer_a"].username)
    page.locator("summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Province: Cao Bằng").is_visible()
    shot(page, "home-officer_a-360-en")
    page.reload()
    assert page.get_by_role("heading", name="Province: Cao Bằng").is_visible()
    world.users["officer_a"].refresh_from_db()
    assert world.users["officer_a"].preferred_language == "en"


def test_keyboard_can_reach_the_sign_in_form(live_server, db, page_factory):
    page = page_factory("1280")
    page.goto(live_server.url + "/dang-nhap/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Bỏ qua" in focused  # the skip link comes first
