"""The import journey in the browser: a Đắk Lắk officer uploads the province's messy
spreadsheet, maps its columns, reads the problems per row, imports the valid rows and
downloads the report — at 360 px and 1280 px, with screenshots."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from htxso.registry.models import ImportJob, ImportStatus, Organisation

from ..registry.fixtures_import import write_messy_xlsx
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("width", ["360", "1280"])
def test_officer_imports_the_province_spreadsheet(
    live_server, world, page_factory, tmp_path, width
):
    path = write_messy_xlsx(tmp_path / "Danh sach HTX Dak Lak.xlsx")
    page = page_factory(width)
    base = live_server.url
    sign_in(page, base, world.users["officer_b"].username)

    page.goto(f"{base}/nhap-du-lieu/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("select[name=kind]").select_option("organisations")
    assert_no_horizontal_overflow(page)
    shot(page, f"import-upload-{width}")
    page.locator("form[enctype] button[type=submit]").click()

    page.wait_for_url("**/cot/")
    assert page.locator("select[name=map-name]").input_value() == "1"
    assert page.locator("select[name=map-ward_name]").input_value() == "3"
    assert_no_horizontal_overflow(page)
    shot(page, f"import-mapping-{width}")
    page.locator("form.imp-map button[type=submit]").click()

    page.wait_for_selector(".imp-problems")
    assert page.locator(".imp-problem").count() == 7
    assert_no_horizontal_overflow(page)
    shot(page, f"import-preview-{width}")
    page.locator("input[name=mode][value=valid]").check()
    page.locator("form.imp-run button[type=submit]").click()

    page.wait_for_selector(".imp-status--done")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (4, 1, 7)
    assert Organisation.objects.filter(province_id="66").count() == 5
    assert_no_horizontal_overflow(page)
    shot(page, f"import-result-{width}")
    with page.expect_download() as info:
        page.locator(".imp-download a.btn[download]").click()  # the report, not the upload
    data = info.value.path().read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 13  # header + every input row
