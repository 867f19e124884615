"""Browser (issue 14, assemblies, session 13): the manager changes an announced assembly
and cancels it through the confirmation page on a 360 px phone; the member then sees it
cancelled.  Screenshots at 360 and 1280 px in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from htxso.governance.models import Assembly
from tests.governance.assemblies.conftest import make_assembly
from tests.governance.conftest import build_gov

from .conftest import assert_no_horizontal_overflow, shot
from .test_governance_assemblies import sign_in

pytestmark = pytest.mark.browser


def test_manager_edits_and_cancels_on_a_phone(live_server, world, page_factory):
    build_gov(world)
    base = live_server.url
    a = make_assembly(
        world,
        status="announced",
        announced_at=timezone.now(),
        when=timezone.now() + dt.timedelta(days=5),
        title="Đại hội thành viên thường niên năm 2026",
    )

    phone = page_factory("360")
    sign_in(phone, base, world.users["manager_a1"].username)
    phone.goto(f"{base}/quan-tri-htx/dai-hoi/{a.pk}/")
    phone.get_by_role("link", name="Sửa", exact=True).click()
    expect(phone.get_by_role("heading", name="Sửa thông tin đại hội")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-assemblies-edit-360")
    phone.get_by_label("Địa điểm họp").fill("Nhà văn hoá thôn Nà Mạ")
    phone.get_by_role("button", name="Lưu thay đổi").click()
    expect(phone.get_by_text("Nhà văn hoá thôn Nà Mạ")).to_be_visible()
    assert Assembly.objects.get(pk=a.pk).place == "Nhà văn hoá thôn Nà Mạ"

    phone.get_by_role("link", name="Huỷ đại hội").click()
    expect(phone.get_by_role("button", name="Đồng ý huỷ đại hội")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-assemblies-cancel-360")
    phone.get_by_label("Lý do huỷ đại hội").fill("Mưa lũ, đường vào thôn bị chia cắt")
    phone.get_by_role("button", name="Đồng ý huỷ đại hội").click()
    expect(phone.locator("#cancelled")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-assemblies-cancelled-360")
    assert Assembly.objects.get(pk=a.pk).status == "cancelled"

    b = make_assembly(
        world,
        status="draft",
        when=timezone.now() + dt.timedelta(days=9),
        title="Đại hội bất thường",
    )
    wide = page_factory("1280")
    sign_in(wide, base, world.users["manager_a1"].username)
    wide.goto(f"{base}/quan-tri-htx/dai-hoi/{b.pk}/sua/")
    shot(wide, "governance-assemblies-edit-1280")
    wide.goto(f"{base}/quan-tri-htx/dai-hoi/{b.pk}/huy/")
    shot(wide, "governance-assemblies-cancel-1280")

    member = page_factory("360")
    sign_in(member, base, world.users["member_a1"].username)
    member.goto(f"{base}/quan-tri-htx/dai-hoi/")
    expect(member.locator(".assembly-status--cancelled").first).to_be_visible()
    shot(member, "governance-assemblies-list-cancelled-360")
