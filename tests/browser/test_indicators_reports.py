"""Issue 17 "Done when": a ward submits its 6-month report on a phone (360 px), the
Department of Finance returns it (1280 px), the ward resubmits, the department accepts
and compiles the province report; the .docx and .xlsx are downloaded and reopened.

Screenshots in test-artifacts/screenshots/indicators-reports-*.png."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from htxso.indicators.models import CompiledReport, Submission, SubmissionEvent
from tests.indicators.reports.conftest import build

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _shot(page, name):
    assert_no_horizontal_overflow(page)
    shot(page, f"indicators-reports-{name}")


def _download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def test_ward_submits_department_returns_ward_resubmits_department_accepts_and_compiles(
    live_server, world, page_factory
):
    rep = build(world)
    base = live_server.url
    sections = list(rep.template.sections.all())
    fill_url = f"{base}/ket-qua/bao-cao/ky/{rep.cycle.pk}/don-vi/{rep.ward_office.pk}/"

    # --- the ward's member, on a phone ---------------------------------------------
    ward = page_factory("360")
    _sign_in(ward, base, world.users["viewer_a"].username)
    ward.goto(f"{base}/ket-qua/bao-cao/")
    _shot(ward, "my-reports-360")
    ward.locator(f"a[href='{fill_url.removeprefix(base)}']").click()
    ward.wait_for_url(fill_url)
    expect(ward.locator("#id_figure_cooperatives")).to_have_value("1")  # pre-filled
    ward.locator(f"#id_narrative_{sections[0].pk}").fill("Các hợp tác xã hoạt động ổn định.")
    ward.locator(f"#id_narrative_{sections[1].pk}").fill("Đề nghị hỗ trợ chuyển đổi số.")
    ward.locator("#id_figure_members").fill("40")
    ward.locator("#id_figure_share").fill("55,5")
    _shot(ward, "fill-360")
    ward.locator("#submit-report").click()
    expect(ward.locator("#sub-state .rep-state--submitted")).to_be_visible()
    _shot(ward, "submitted-360")
    sub = Submission.objects.get(cycle=rep.cycle, office=rep.ward_office)
    assert sub.status == "submitted" and sub.figures["members"] == "40"

    # --- the Department of Finance, on a desktop --------------------------------------
    fin = page_factory("1280")
    _sign_in(fin, base, world.users["officer_a"].username)
    fin.goto(f"{base}/ket-qua/bao-cao/ky/{rep.cycle.pk}/")
    expect(fin.locator("#count-submitted")).to_have_text("1")
    fin.locator(f"a[href='/ket-qua/bao-cao/ho-so/{sub.pk}/']").click()
    fin.locator("#id_comment").fill("Bổ sung số thành viên mới trong kỳ.")
    _shot(fin, "review-1280")
    fin.locator("#return").click()
    expect(fin.locator("#count-returned")).to_have_text("1")

    # --- the ward corrects and resubmits ----------------------------------------------
    ward.goto(fill_url)
    expect(ward.locator("#returned-comment")).to_contain_text("Bổ sung số thành viên mới")
    _shot(ward, "returned-360")
    ward.locator("#id_figure_members").fill("46")
    ward.locator("#submit-report").click()
    expect(ward.locator("#sub-state .rep-state--submitted")).to_be_visible()

    # --- the department accepts and compiles ------------------------------------------
    fin.goto(f"{base}/ket-qua/bao-cao/ho-so/{sub.pk}/")
    fin.locator("#accept").click()
    expect(fin.locator("#count-accepted")).to_have_text("1")
    fin.locator("#compile").click()
    expect(fin.locator("#docx-1")).to_be_visible()
    _shot(fin, "compiled-1280")
    docx = _download(fin, "#docx-1")
    xlsx = _download(fin, "#xlsx-1")

    sub.refresh_from_db()
    assert sub.status == "accepted" and sub.figures["members"] == "46"
    assert list(
        SubmissionEvent.objects.filter(submission=sub).values_list("to_status", flat=True)
    ) == ["submitted", "returned", "submitted", "accepted"]
    compiled = CompiledReport.objects.get(cycle=rep.cycle)
    assert compiled.submission_ids == [sub.pk]

    doc = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2026" in text
    assert "Số thành viên: 46 người" in text
    assert "Các hợp tác xã hoạt động ổn định." in text
    wb = load_workbook(io.BytesIO(xlsx))
    rows = [[c.value for c in r] for r in wb["Số liệu theo đơn vị"].iter_rows()]
    header = next(r for r in rows if r[0] == "Cơ quan, đơn vị")
    office = next(r for r in rows if r[0] == rep.ward_office.name)
    assert office[header.index("Số thành viên (người)")] == 46
    assert office[header.index("Tỷ lệ hiệu quả (%)")] == "55,5"
