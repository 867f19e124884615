"""Browser (360 px, issue 14): the member portal on a phone — my capital, a posted
disclosure, a question to the board answered by the manager; the manager's governance
home with a late disclosure; back-dating refused on the disclosure form; 1280 px views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from htxso.governance import services_disclosures
from htxso.governance.models import Disclosure, Question
from tests.browser.conftest import assert_no_horizontal_overflow, shot
from tests.governance.conftest import build_gov

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-dai-2026"


def sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_member_portal_and_manager_home(live_server, world, page_factory):
    base = live_server.url
    build_gov(world)
    today = timezone.localdate()
    manager, org = world.users["manager_a1"], world.orgs["a1"]
    services_disclosures.record(
        actor=manager,
        organisation=org,
        kind="financial",
        title="Báo cáo tài chính năm 2025",
        event_on=today,
        body="Lợi nhuận sau thuế: 240.000.000 đồng.",
    )
    services_disclosures.record(
        actor=manager,
        organisation=org,
        kind="fund_use",
        title="Sử dụng quỹ đầu tư phát triển",
        event_on=today - dt.timedelta(days=30),
        post=False,
    )

    # The member on a phone: the portal, then a question to the board.
    phone = page_factory("360")
    sign_in(phone, base, world.users["member_a1"].username)
    phone.goto(f"{base}/quan-tri-htx/thanh-vien/")
    expect(phone.get_by_role("heading", name="HTX Nông nghiệp Hợp Giang")).to_be_visible()
    expect(phone.locator("#gp-paid")).to_contain_text("10.000.000")
    expect(phone.get_by_role("link", name="Báo cáo tài chính năm 2025")).to_be_visible()
    expect(phone.get_by_text("Sử dụng quỹ đầu tư phát triển")).to_have_count(0)
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-portal-member-360")
    phone.get_by_label("Câu hỏi của bạn gửi Hội đồng quản trị").fill("Khi nào chia lãi năm 2025?")
    phone.get_by_role("button", name="Gửi câu hỏi").click()
    expect(phone.get_by_text("Câu hỏi của bạn đã được gửi tới Hội đồng quản trị.")).to_be_visible()
    expect(phone.get_by_text("Đang chờ Hội đồng quản trị trả lời.")).to_be_visible()
    q = Question.objects.get()

    # The manager: the governance home shows the late disclosure and the question.
    desk = page_factory("360")
    sign_in(desk, base, manager.username)
    desk.goto(f"{base}/quan-tri-htx/")
    expect(desk.locator("#gp-late-count")).to_have_text("1")
    expect(desk.get_by_text("Có 1 câu hỏi đang chờ trả lời.")).to_be_visible()
    assert_no_horizontal_overflow(desk)
    shot(desk, "governance-portal-home-360")
    desk.get_by_role("link", name="Câu hỏi gửi Hội đồng quản trị").click()
    desk.get_by_label("Trả lời").fill("Sau Đại hội tháng 3.")
    desk.get_by_role("button", name="Gửi trả lời").click()
    expect(desk.get_by_text("Đã gửi trả lời.")).to_be_visible()
    q.refresh_from_db()
    assert q.answer == "Sau Đại hội tháng 3."

    # Back-dating a disclosure is refused on the form; nothing is saved.
    desk.goto(f"{base}/quan-tri-htx/cong-khai/htx/{org.pk}/moi/")
    desk.get_by_label("Nội dung công khai").select_option("charter")
    desk.get_by_label("Tiêu đề").fill("Điều lệ sửa đổi")
    desk.get_by_label("Ngày công khai").fill((today - dt.timedelta(days=3)).isoformat())
    desk.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(desk.get_by_text("Không được ghi lùi ngày.")).to_be_visible()
    assert_no_horizontal_overflow(desk)
    shot(desk, "governance-portal-backdate-360")
    assert Disclosure.objects.count() == 2

    # The member sees the answer.
    phone.goto(f"{base}/quan-tri-htx/thanh-vien/")
    expect(phone.get_by_text("Sau Đại hội tháng 3.")).to_be_visible()

    wide = page_factory("1280")
    sign_in(wide, base, world.users["member_a1"].username)
    wide.goto(f"{base}/quan-tri-htx/thanh-vien/")
    assert_no_horizontal_overflow(wide)
    shot(wide, "governance-portal-member-1280")
    wide_m = page_factory("1280")
    sign_in(wide_m, base, manager.username)
    wide_m.goto(f"{base}/quan-tri-htx/")
    shot(wide_m, "governance-portal-home-1280")
