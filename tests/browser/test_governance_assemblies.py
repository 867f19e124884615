"""Browser (issue 14, assemblies): on a 360 px phone a member opens the assembly page,
reads the agenda and documents and taps "I am here"; the live quorum updates; the manager's
hall screen shows the rotating QR code; the province's list flags the late annual
assembly.  Screenshots at 360 and 1280 px in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.governance.models import AssemblyDocument, Attendance
from tests.governance.assemblies.conftest import make_assembly
from tests.governance.conftest import build_gov

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-dai-2026"


def sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_member_checks_in_on_a_phone_and_manager_sees_hall(live_server, world, page_factory):
    gov = build_gov(world)
    from django.core.files.base import ContentFile

    base = live_server.url
    a = make_assembly(world, status="open", voters_total=5, title="Đại hội thành viên năm 2026")
    doc = AssemblyDocument(
        assembly=a, title="Báo cáo tài chính", uploaded_by=world.users["manager_a1"]
    )
    doc.file.save("bc.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    doc.save()

    phone = page_factory("360")
    sign_in(phone, base, world.users["member_a1"].username)
    phone.goto(f"{base}/quan-tri-htx/dai-hoi/")
    expect(phone.get_by_text("Đại hội thành viên năm 2026").first).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-assemblies-list-360")
    phone.get_by_role("link", name="Đại hội thành viên năm 2026").first.click()
    expect(phone.get_by_role("button", name="Tôi có mặt")).to_be_visible()
    expect(phone.get_by_role("link", name="Báo cáo tài chính")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-assemblies-detail-360")
    phone.get_by_role("button", name="Tôi có mặt").click()
    expect(phone.get_by_role("heading", name="Bạn đã điểm danh")).to_be_visible()
    shot(phone, "governance-assemblies-checked-in-360")
    att = Attendance.objects.get(assembly=a)
    assert att.membership == gov.members["member_a1"] and att.channel == "online"

    wide = page_factory("1280")
    sign_in(wide, base, world.users["manager_a1"].username)
    wide.goto(f"{base}/quan-tri-htx/dai-hoi/{a.pk}/hoi-truong/")
    expect(wide.locator("[data-qr] svg")).to_be_visible()
    expect(wide.locator("[data-present]")).to_have_text("1")
    shot(wide, "governance-assemblies-hall-1280")
    wide.goto(f"{base}/quan-tri-htx/dai-hoi/{a.pk}/")
    shot(wide, "governance-assemblies-detail-manager-1280")
    mgr_phone = page_factory("360")
    sign_in(mgr_phone, base, world.users["manager_a1"].username)
    mgr_phone.goto(f"{base}/quan-tri-htx/dai-hoi/{a.pk}/ban-diem-danh/")
    assert_no_horizontal_overflow(mgr_phone)
    shot(mgr_phone, "governance-assemblies-desk-360")

    officer = page_factory("1280")
    sign_in(officer, base, world.users["officer_a"].username)
    officer.goto(f"{base}/quan-tri-htx/dai-hoi/")
    expect(officer.locator("#late")).to_be_visible()
    shot(officer, "governance-assemblies-province-1280")
