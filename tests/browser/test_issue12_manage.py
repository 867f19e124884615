"""Account management on a phone: a provincial officer finds a person, gives a role and
takes it away; the VCA's invite-staff page.  Screenshots at 360 and 1280 px in
var/screenshots/issue12/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from htxso.accounts import services
from htxso.accounts.models import Role, RoleAssignment
from htxso.core.actors import OPERATOR
from htxso.core.models import AuditEvent

from .conftest import assert_no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"
OUT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"


def _shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_officer_finds_a_person_gives_and_takes_away_a_role(
    live_server, world, page_factory, width
):
    w = world
    person = services.user_create(
        actor=OPERATOR,
        username="u_lo_thi_mai",
        password=None,
        full_name="Lò Thị Mai",
        phone="+84912345678",
        email="mai@example.vn",
    )
    services.role_assign(
        actor=OPERATOR, user=person, role=Role.COOP_MEMBER, organisation=w.orgs["a1"]
    )
    services.role_assign(
        actor=OPERATOR, user=person, role=Role.COOP_MEMBER, organisation=w.orgs["b1"]
    )
    officer = w.users["officer_a"]
    base = live_server.url
    page = page_factory(width)
    _sign_in(page, base, officer.username)

    page.goto(f"{base}/quan-ly/tai-khoan/")
    expect(page.get_by_role("heading", name="Tài khoản", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(page)
    _shot(page, f"manage-list-officer-{width}")

    # search accent-free; her Đắk Lắk role is not shown to Cao Bằng's officer
    page.get_by_label("Tên, số điện thoại hoặc e-mail").fill("lo thi mai")
    page.get_by_role("button", name="Tìm kiếm").click()
    rows = page.locator("#account-rows > li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("HTX Nông nghiệp Hợp Giang")
    expect(rows.first).not_to_contain_text("HTX Cà phê Ea Tu")
    expect(rows.first).to_contain_text("0912 345 678")
    assert_no_horizontal_overflow(page)
    _shot(page, f"manage-search-officer-{width}")

    rows.first.get_by_role("link", name="Lò Thị Mai").click()
    expect(page.get_by_role("heading", name="Lò Thị Mai")).to_be_visible()
    expect(page.get_by_text("còn giữ 1 vai trò ngoài phạm vi của bạn")).to_be_visible()
    # the organisation field shows once a role that needs it is chosen
    page.locator("#add_role").select_option(Role.COOP_MANAGER.value)
    organisation = page.locator("#add_organisation")
    expect(organisation).to_be_visible()
    organisation.select_option(label="Tổ hợp tác Dệt thổ cẩm Bảo Lạc — Cao Bằng")
    assert_no_horizontal_overflow(page)
    _shot(page, f"manage-detail-officer-{width}")
    page.get_by_role("button", name="Cấp vai trò").click()
    expect(page.locator(".msg--success")).to_contain_text("Lò Thị Mai đã được cấp vai trò")
    assert RoleAssignment.objects.filter(
        user=person, role=Role.COOP_MANAGER, organisation=w.orgs["a2"]
    ).exists()
    expect(page.locator("#h-trail + ul, #h-trail ~ ul").first).to_contain_text(
        "Giao vai trò · Người quản lý hợp tác xã"
    )
    assert_no_horizontal_overflow(page)
    _shot(page, f"manage-role-given-{width}")

    page.get_by_role("button", name="Thu hồi vai trò Người quản lý hợp tác xã").click()
    expect(page.locator(".msg--success")).to_contain_text("Đã thu hồi vai trò")
    assert not RoleAssignment.objects.filter(user=person, role=Role.COOP_MANAGER).exists()
    assert AuditEvent.objects.filter(action="role.revoke", actor=officer).count() == 1
    # she also works in Đắk Lắk: only the VCA may deactivate her account
    expect(page.get_by_text("chỉ VCA mới được khoá tài khoản")).to_be_visible()
    _shot(page, f"manage-role-taken-{width}")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_vca_invite_staff_page(live_server, world, page_factory, width):
    base = live_server.url
    page = page_factory(width)
    _sign_in(page, base, world.users["vca"].username)
    page.goto(f"{base}/quan-ly/tai-khoan/moi-nhan-vien/")
    page.locator("#id_role").select_option(Role.PROVINCE_OFFICER.value)
    expect(page.get_by_label("Tỉnh")).to_be_visible()
    expect(page.get_by_label("Tổ chức")).to_be_hidden()
    page.get_by_role("button", name="Gửi lời mời").click()  # nothing filled in
    expect(page.locator(".error").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    _shot(page, f"manage-invite-errors-{width}")
    page.get_by_label("Tỉnh").select_option("04")
    page.get_by_label("Họ và tên").fill("Nông Văn Cán")
    page.get_by_label("Số di động").fill("0987 654 321")
    page.get_by_role("button", name="Gửi lời mời").click()
    expect(page.locator(".msg--success")).to_contain_text("Đã gửi lời mời tới Nông Văn Cán")
    _shot(page, f"manage-invite-sent-{width}")
