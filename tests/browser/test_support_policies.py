"""Support policies in a browser: a cooperative manager on a phone (360 px) opens
“Chính sách bạn có thể được hưởng”, reads why each policy matches (met, missed, cannot
check: missing data) and follows the link to apply (a programme call); a provincial
officer at 1280 px publishes a draft policy of the province."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.programs.helpers import make_call
from tests.support_policies.helpers import give_facts, make_policy

from .conftest import SCREENSHOTS, assert_no_horizontal_overflow
from .conftest import shot as _shot
from .test_roles import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.evaluate("window.scrollTo(0, 0)")
    assert_no_horizontal_overflow(page)
    return _shot(page, name)


def test_manager_sees_matches_and_officer_publishes(live_server, world, page_factory):
    base = live_server.url
    vca, officer = world.users["vca"], world.users["officer_a"]
    org = world.orgs["a1"]
    give_facts(org)
    call = make_call(vca)
    make_policy(vca, name="Cho vay ưu đãi từ Quỹ hỗ trợ phát triển HTX", call_id=call.pk)
    make_policy(
        vca,
        name="Hỗ trợ phát triển sản phẩm OCOP",
        legal_number="919/QĐ-TTg",
        criteria=[{"kind": "ocop", "label": "Có sản phẩm OCOP từ 3 sao", "params": {}}],
    )
    make_policy(
        officer,
        level="provincial",
        province="04",
        name="Hỗ trợ HTX Cao Bằng mở gian hàng thương mại điện tử",
        legal_number="Kế hoạch minh họa",
        criteria=[
            {"kind": "operating_months", "label": "Hoạt động từ 12 tháng", "params": {}},
            {"kind": "grade", "label": "Xếp loại từ khá trở lên", "params": {}},
        ],
    )
    draft = make_policy(
        officer,
        level="provincial",
        province="04",
        name="Hỗ trợ HTX du lịch cộng đồng Cao Bằng",
        legal_number="Dự thảo 2026",
        criteria=[{"kind": "sector", "label": "HTX du lịch", "params": {"sectors": ["tourism"]}}],
        publish=False,
    )

    # 1. the manager, on a phone
    page = page_factory("360")
    sign_in(page, base, world.users["manager_a1"].username)
    page.goto(f"{base}/ho-tro/chinh-sach/")
    page.get_by_role("link", name="Chính sách bạn có thể được hưởng").click()
    page.wait_for_url(f"**/ho-tro/chinh-sach/to-chuc/{org.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chính sách bạn có thể được hưởng")
    eligible = page.locator(".sp-match--eligible")
    missed = page.locator(".sp-match--not_eligible")
    unknown = page.locator(".sp-match--cannot_check")
    expect(eligible).to_have_count(1)
    expect(missed).to_have_count(1)
    expect(unknown).to_have_count(1)
    expect(eligible.locator(".sp-badge--pass")).to_have_count(3)
    expect(eligible).to_contain_text("Đủ điều kiện")
    expect(missed).to_contain_text("Không đạt")
    expect(missed).to_contain_text("OCOP")
    expect(unknown).to_contain_text("Chưa kiểm tra được: thiếu dữ liệu: kết quả xếp loại")
    expect(page.get_by_text("Hỗ trợ HTX du lịch cộng đồng Cao Bằng")).to_have_count(0)
    shot(page, "support-policies-01-matches-360")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    unknown.screenshot(path=str(SCREENSHOTS / "support-policies-02-cannot-check-360.png"))
    eligible.get_by_role("link", name="Cách đăng ký").click()
    page.wait_for_url(f"**/chuong-trinh/dot/{call.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "support-policies-03-apply-call-360")
    page.context.close()

    # 2. the officer, at a desk, publishes the province's draft
    desk = page_factory("1280")
    sign_in(desk, base, officer.username)
    desk.goto(f"{base}/ho-tro/chinh-sach/")
    desk.get_by_role("link", name="Hỗ trợ HTX du lịch cộng đồng Cao Bằng").click()
    expect(desk.locator("#policy-status")).to_have_text("Bản nháp")
    shot(desk, "support-policies-04-draft-1280")
    desk.get_by_role("button", name="Công bố").click()
    expect(desk.locator("#policy-status")).to_have_text("Đã công bố")
    shot(desk, "support-policies-05-published-1280")
    draft.refresh_from_db()
    assert draft.status == "published"
