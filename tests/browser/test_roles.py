"""Every role signs in through the real form at 360 px and 1280 px; screenshots saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
        expect(page.get_by_role("heading", name=HEADINGS[key]).first).to_be_visible()
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
        expect(page.locator(".error").first).to_be_visible()
        shot(page, f"sign-in-errors-{width}")


def test_language_switch_on_a_phone_is_remembered(live_server, world, page_factory):
    page = page_factory("360")
    sign_in(page, live_server.url, world.users["officer_a"].username)
    page.locator("summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Province: Cao Bằng")).to_be_visible()
    shot(page, "home-officer_a-360-en")
    page.reload()
    expect(page.get_by_role("heading", name="Province: Cao Bằng")).to_be_visible()
    world.users["officer_a"].refresh_from_db()
    assert world.users["officer_a"].preferred_language == "en"


def test_sign_in_works_with_the_keyboard_alone(live_server, world, page_factory):
    page = page_factory("1280")
    page.goto(live_server.url + "/dang-nhap/")
    first = page.evaluate(
        "document.querySelector('a[href], button, input:not([type=hidden]), summary').className"
    )
    assert first == "skip"  # the skip link is the first stop for keyboard users
    page.get_by_label("Tên đăng nhập").focus()
    page.keyboard.type(world.users["trainer"].username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Khóa học của bạn")).to_be_visible()


PAGES = [
    ("organisations", "officer_a", "/to-chuc/?q=hop giang", "Tổ chức"),
    ("organisation-detail", "manager_a1", None, "HTX Nông nghiệp Hợp Giang"),
    ("audit", "vca", "/nhat-ky/", "Nhật ký thay đổi"),
    ("profile", "buyer", "/tai-khoan/", "Tài khoản của tôi"),
    ("two-factor-setup", "viewer_a", "/xac-thuc-2-buoc/bat/", "Bật xác thực hai lớp"),
    ("password-reset", None, "/quen-mat-khau/", "Đặt lại mật khẩu"),
    ("not-found", "officer_b", None, "Không tìm thấy trang"),
]


@pytest.mark.parametrize("width", ["360", "1280"])
def test_main_pages_render_cleanly(live_server, world, page_factory, width):
    for name, key, path, heading in PAGES:
        page = page_factory(width)
        if key:
            sign_in(page, live_server.url, world.users[key].username)
        if path is None:  # the detail of Cao Bằng's cooperative
            path = f"/to-chuc/{world.orgs['a1'].pk}/"
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name=heading).first, name).to_be_visible()
        assert_no_horizontal_overflow(page)
        shot(page, f"{name}-{width}")
        page.context.close()


def test_desktop_shows_the_navigation_without_opening_a_menu(live_server, world, page_factory):
    page = page_factory("1280")
    sign_in(page, live_server.url, world.users["officer_a"].username)
    expect(page.get_by_role("link", name="Tổ chức").first).to_be_visible()
    expect(page.locator("summary")).to_be_hidden()
