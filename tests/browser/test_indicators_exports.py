"""The export page in Chromium at 360 px and 1280 px: a department viewer of Cao Bằng
downloads the national framework's DHIS2 document (validated) and its Excel workbook
(reopened); an indicator without a DHIS2 code is named on the page."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from htxso.indicators import dhis2

from ..indicators.exports.helpers import EU_2025S1, framework, put
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _choose(page, fw, fmt):
    page.locator("select[name=framework]").select_option(fw.code)
    page.locator("select[name=period]").select_option("2025S1")
    page.locator(f"input[name=format][value={fmt}]").check()


def test_staff_export_dhis2_and_excel(live_server, world, page_factory, tmp_path):
    fw = framework(name="Dự án EU: thanh niên và chuyển đổi số")
    put(fw, "2025S1", EU_2025S1)
    base = live_server.url

    phone = page_factory("360")
    sign_in(phone, base, world.users["viewer_a"].username)
    phone.goto(f"{base}/ket-qua/xuat/")
    assert_no_horizontal_overflow(phone)
    _choose(phone, fw, "dhis2")
    shot(phone, "indicators-export-360")
    with phone.expect_download() as info:
        phone.get_by_role("button", name="Tải về").click()
    path = tmp_path / "dhis2.json"
    info.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert dhis2.validate(doc) == []
    assert {
        "dataElement": "HTX_SHARE_GOOD",
        "period": "2025S1",
        "orgUnit": "VN",
        "categoryOptionCombo": "default",
        "value": "62.5",
    } in doc["dataValues"]

    page = page_factory("1280")
    sign_in(page, base, world.users["viewer_a"].username)
    page.goto(f"{base}/ket-qua/xuat/")
    _choose(page, fw, "xlsx")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải về").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.active["A1"].value == fw.name

    fw.indicators.filter(code="share-good").update(dhis2_code="")
    _choose(page, fw, "dhis2")
    page.get_by_role("button", name="Tải về").click()
    page.wait_for_selector("text=chưa có mã DHIS2")
    assert "share-good" in page.locator("main").inner_text()
    shot(page, "indicators-export-refused-1280")
