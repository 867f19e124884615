"""Browser (issue 14): the manager imports the services used from a file — the preview
with rows to correct (a script in a name shown as text) at 360 and 1280 px, then a clean
file confirmed and saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.governance.models import ServiceUse
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


def test_import_preview_and_confirm(live_server, world, page_factory, tmp_path):
    base = live_server.url
    g = build_gov(world)
    m = g.members
    org = world.orgs["a1"]
    header = "Thành viên,Họ tên,Năm,Số tiền (đồng)\n"
    bad = tmp_path / "dich-vu-loi.csv"
    bad.write_text(
        header
        + f"{m['a1_o1'].pk},<script>alert(1)</script>,2025,15.000.000\n"
        + f"{m['b1_o1'].pk},HTX khác,2025,1.000.000\n"
        + f"{m['a1_o1'].pk},Trùng,2025,2.000.000\n"
        + f"{m['a1_o2'].pk},,2025,{2**63}\n"
        + f"{m['a1_o3'].pk},,2024,500.000\n",
        encoding="utf-8-sig",
    )
    good = tmp_path / "dich-vu.csv"
    good.write_text(
        header
        + f"{m['a1_o1'].pk},Thành viên a1_o1,2025,15.000.000\n"
        + f"{m['a1_o2'].pk},Thành viên a1_o2,2025,7.250.000\n",
        encoding="utf-8",
    )
    dialogs = []
    for width in ("360", "1280"):
        page = page_factory(width)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(page, base, world.users["manager_a1"].username)
        page.goto(f"{base}/quan-tri-htx/loi-nhuan/htx/{org.pk}/dich-vu/?year=2025")
        page.get_by_role("link", name="Nhập từ tệp (Excel hoặc CSV)").click()
        expect(page.get_by_role("heading", name="Nhập mức sử dụng dịch vụ từ tệp")).to_be_visible()
        page.get_by_label("Năm").fill("2025")
        page.get_by_label("Tệp (xlsx hoặc csv)").set_input_files(str(bad))
        page.get_by_role("button", name="Kiểm tra tệp").click()
        expect(page.get_by_role("heading", name="Các dòng cần sửa")).to_be_visible()
        expect(page.locator("#su-import-ready")).to_contain_text("<script>alert(1)</script>")
        expect(page.locator("#su-import-confirm")).to_have_count(0)
        assert_no_horizontal_overflow(page)
        shot(page, f"governance-service-import-preview-{width}")
    assert dialogs == []  # the script in the name never ran
    assert ServiceUse.objects.count() == 0

    page.get_by_label("Tệp (xlsx hoặc csv)").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#su-import-counts")).to_contain_text("2")
    shot(page, "governance-service-import-ready-1280")
    page.get_by_role("button", name="Xác nhận và lưu").click()
    expect(page.get_by_text("Đã nhập mức sử dụng dịch vụ của 2 thành viên.")).to_be_visible()
    assert dict(ServiceUse.objects.values_list("membership_id", "amount")) == {
        m["a1_o1"].pk: 15_000_000,
        m["a1_o2"].pk: 7_250_000,
    }
