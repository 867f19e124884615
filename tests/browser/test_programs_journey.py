"""The whole journey of a programme call in the browser, at 360 px and 1280 px:
VCA creates the call and its criteria, the province publishes it and downloads its
letter, a cooperative applies, the province reviews and forwards, VCA selects."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.programs.helpers import make_eligible

from .conftest import assert_no_horizontal_overflow
from .conftest import shot as _shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    page.evaluate("window.scrollTo(0, 0)")
    assert_no_horizontal_overflow(page)
    return _shot(page, name)


@pytest.fixture
def letter_templates(transactional_db):
    """A transactional test's flush empties the templates shipped by migration."""
    from django.apps import apps

    from htxso.core.models import LetterTemplate

    if not LetterTemplate.objects.exists():
        module = importlib.import_module("htxso.core.migrations.0003_letter_templates_seed")
        module.seed_letter_templates(apps, None)


def _docx_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("width", ["360", "1280"])
def test_call_journey(live_server, world, page_factory, letter_templates, width):
    base = live_server.url
    make_eligible(world.orgs["a1"])
    w = width

    # 1. VCA creates the call, its criteria, opens it and downloads its letter
    vca = page_factory(width)
    sign_in(vca, base, world.users["vca"].username)
    vca.goto(f"{base}/chuong-trinh/")
    shot(vca, f"programs-01-list-empty-{w}")
    vca.get_by_role("link", name="Đợt tuyển chọn mới").click()
    vca.fill("[name=title]", "Lựa chọn HTX tham gia dự án thanh niên chuyển đổi số")
    vca.fill(
        "[name=programme]",
        "Dự án “Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương”",
    )
    vca.fill("[name=donor]", "Liên minh châu Âu (EU)")
    vca.fill("[name=period]", "2024–2027 (42 tháng)")
    deadline = timezone.localtime() + dt.timedelta(days=10)
    vca.fill("[name=deadline]", deadline.strftime("%Y-%m-%dT17:00"))
    vca.fill("[name=min_eligible]", "1")
    vca.fill("[name=provinces_min]", "1")
    vca.fill("[name=provinces_max]", "24")
    vca.fill("[name=reference]", "205/CQLMHTXVN-HTQT")
    shot(vca, f"programs-02-call-form-{w}")
    vca.get_by_role("button", name="Lưu").click()
    vca.wait_for_url("**/tieu-chi/")
    # only the settings of the chosen kind are shown; changing the kind swaps them (htmx)
    expect(vca.locator("[name=threshold]")).to_be_visible()
    assert vca.locator("[name=sectors], [name=min_links], [name=years]").count() == 0
    vca.select_option("[name=kind]", "finance")
    vca.locator("[name=years]").wait_for()
    assert vca.locator("[name=threshold]").count() == 0
    shot(vca, f"programs-03a-criterion-finance-{w}")
    vca.select_option("[name=kind]", "youth_share")
    vca.locator("[name=threshold]").wait_for()
    vca.fill("[name=label]", "Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX")
    vca.fill("[name=threshold]", "40")
    vca.get_by_role("button", name="Thêm tiêu chí").click()
    vca.select_option("[name=kind]", "value_chain")
    vca.locator("[name=min_links]").wait_for()
    vca.fill("[name=label]", "HTX tham gia sản xuất theo chuỗi giá trị sản phẩm")
    vca.get_by_role("button", name="Thêm tiêu chí").click()
    vca.select_option("[name=kind]", "declared")
    vca.locator("[name=threshold]").wait_for(state="detached")
    expect(vca.get_by_text("Không cần thông số")).to_be_visible()
    vca.fill("[name=label]", "Ban lãnh đạo năng động, sẵn sàng chuyển đổi số")
    vca.get_by_role("button", name="Thêm tiêu chí").click()
    expect(vca.locator(".verdicts > li")).to_have_count(3)
    shot(vca, f"programs-03-criteria-{w}")
    vca.get_by_role("link", name="Xong").click()
    vca.get_by_role("button", name="Mở đợt tuyển chọn").click()
    expect(vca.locator("#call-status")).to_have_text("Đang nhận hồ sơ")
    with vca.expect_download() as download:
        vca.get_by_role("link", name="Công văn gửi các tỉnh (.docx)").click()
    text = _docx_text(download.value.path())
    assert "LIÊN MINH HỢP TÁC XÃ VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Kính gửi" in text and "Nơi nhận" in text
    shot(vca, f"programs-04-call-open-{w}")
    call_url = vca.url

    # 2. The provincial officer publishes it and downloads the province's letter
    officer = page_factory(width)
    sign_in(officer, base, world.users["officer_a"].username)
    officer.goto(call_url)
    officer.get_by_role("link", name="Tỉnh của tôi: thông báo và xét hồ sơ").click()
    officer.fill("[name=letter_number]", "108/CV-LMHTX")
    officer.fill("[name=contact]", "Đ/c Nguyễn Thị Hương, 0983 920 883")
    officer.get_by_role("button", name="Thông báo đến các HTX").click()
    expect(officer.get_by_text("Đã thông báo đến các HTX trong tỉnh")).to_be_visible()
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Công văn của tỉnh gửi các HTX (.docx)").click()
    text = _docx_text(download.value.path())
    assert "UBND TỈNH CAO BẰNG" in text and "108" in text and "tỉnh Cao Bằng" in text
    shot(officer, f"programs-05-province-published-{w}")
    province_url = officer.url

    # 3. The cooperative's manager applies, edits the report and submits
    manager = page_factory(width)
    sign_in(manager, base, world.users["manager_a1"].username)
    manager.goto(f"{base}/chuong-trinh/")
    shot(manager, f"programs-06-manager-list-{w}")
    manager.get_by_role(
        "link", name="Lựa chọn HTX tham gia dự án thanh niên chuyển đổi số"
    ).first.click()
    manager.get_by_role("button", name="Đăng ký cho HTX này").click()
    manager.wait_for_url("**/bao-cao/")
    assert manager.input_value("[name=workers_total]") == "10"
    manager.fill("[name=activities]", "Trồng, sơ chế và tiêu thụ cà phê theo hợp đồng.")
    shot(manager, f"programs-07-report-form-{w}")
    manager.get_by_role("button", name="Lưu").click()
    manager.fill("textarea[name=statement]", "Ban giám đốc trẻ, đã dùng phần mềm kế toán.")
    manager.get_by_role("button", name="Lưu câu trả lời").click()
    manager.locator("#submit-application").click()
    assert manager.locator("#application-status").get_attribute("data-status") == "submitted"
    expect(manager.get_by_text("6/10 = 60\u00a0% > 40\u00a0% ✔")).to_be_visible()
    shot(manager, f"programs-08-submitted-{w}")

    # 4. The province checks, verifies and forwards the compiled list
    officer.goto(province_url)
    officer.get_by_role("link", name=world.orgs["a1"].name).click()
    officer.get_by_role("button", name="Chấp nhận", exact=True).click()
    officer.get_by_role("button", name="Xác nhận: đủ điều kiện").click()
    assert officer.locator("#application-status").get_attribute("data-status") == "verified"
    shot(officer, f"programs-09-verified-{w}")
    officer.goto(province_url)
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Danh sách tổng hợp (.xlsx)").click()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert world.orgs["a1"].name in cells
    officer.get_by_role("button", name="Chuyển lên VCA").click()
    expect(officer.locator("#forwarded")).to_be_visible()
    shot(officer, f"programs-10-forwarded-{w}")

    # 5. VCA: a selection outside the bounds is refused, then the province is selected
    vca.goto(call_url + "toan-quoc/")
    assert vca.locator("#qualified-count").inner_text() == "1"
    shot(vca, f"programs-11-national-{w}")
    vca.locator("input[name=province]").uncheck()
    vca.get_by_role("button", name="Ghi nhận kết quả tuyển chọn").click()
    expect(vca.get_by_text("Cần chọn từ 1 đến 24 tỉnh; đang chọn 0")).to_be_visible()
    shot(vca, f"programs-12-national-refused-{w}")
    vca.get_by_role("button", name="Ghi nhận kết quả tuyển chọn").click()
    expect(vca.get_by_text("Đã ghi nhận kết quả tuyển chọn")).to_be_visible()
    shot(vca, f"programs-13-national-decided-{w}")
    manager.goto(f"{base}/chuong-trinh/")
    expect(manager.get_by_text("HTX của bạn được chọn tham gia").first).to_be_visible()
    shot(manager, f"programs-14-manager-selected-{w}")

    # 6. Each role's home page tells what to do about calls
    manager.goto(f"{base}/")
    expect(manager.get_by_text("Được lựa chọn").first).to_be_visible()
    shot(manager, f"programs-15-home-manager-{w}")
    officer.goto(f"{base}/")
    expect(officer.get_by_text("Đã chuyển danh sách lên VCA")).to_be_visible()
    shot(officer, f"programs-16-home-officer-{w}")
    vca.goto(f"{base}/")
    expect(vca.get_by_text("1 tỉnh đã chuyển danh sách")).to_be_visible()
    shot(vca, f"programs-17-home-vca-{w}")
