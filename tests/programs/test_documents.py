"""The generated letters (.docx, Decree 30 layout) and spreadsheets (.xlsx), reopened."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from htxso.programs.services import calls, review, selection

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> tuple[str, Document]:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts), document


def assert_decree_30(text: str, document) -> None:
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số:" in text and "V/v" in text
    assert "Kính gửi" in text and "Nơi nhận" in text
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.font.name}
    assert fonts <= {"Times New Roman"}


@pytest.fixture
def journey(world):
    call = make_call(world.users["vca"], min_eligible=1, provinces_min=1)
    calls.call_publish(
        actor=world.users["officer_a"],
        call=call,
        province_id="04",
        letter_number="108/CV-LMHTX",
        contact="Đ/c Nguyễn Thị Hương, 0983 920 883",
    )
    make_eligible(world.orgs["a1"], youth=12, total=25)
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    officer = world.users["officer_a"]
    review.declared_check(
        actor=officer,
        application=application,
        criterion=call.criteria.get(kind="declared"),
        accepted=True,
    )
    review.application_verify(actor=officer, application=application)
    return call, application


def test_national_letter(client, world, journey):
    call, _application = journey
    client.force_login(world.users["vca"])
    response = client.get(reverse("programs:call_letter", kwargs={"call_id": call.pk}))
    assert response.status_code == 200
    text, document = text_of(response.content)
    assert_decree_30(text, document)
    assert "LIÊN MINH HỢP TÁC XÃ VIỆT NAM" in text
    assert "205" in text and "CQLMHTXVN-HTQT" in text
    assert "Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX" in text
    assert "Hà Nội, ngày" in text


def test_province_letter_like_source_000(client, world, journey):
    call, _application = journey
    client.force_login(world.users["officer_a"])
    url = reverse("programs:province_letter", kwargs={"call_id": call.pk, "province_code": "04"})
    text, document = text_of(client.get(url).content)
    assert_decree_30(text, document)
    assert "UBND TỈNH CAO BẰNG" in text and "LIÊN MINH HỢP TÁC XÃ" in text
    assert "108" in text and "CV-LMHTX" in text
    assert "Cao Bằng, ngày" in text
    assert "Các hợp tác xã trên địa bàn tỉnh Cao Bằng" in text
    assert "Nguyễn Thị Hương" in text


def test_missing_template_is_a_clear_message_not_a_500(client, world, journey):
    from htxso.core.models import LetterTemplate

    call, _application = journey
    LetterTemplate.objects.filter(code="call_national").delete()
    client.force_login(world.users["vca"])
    response = client.get(reverse("programs:call_letter", kwargs={"call_id": call.pk}), follow=True)
    assert response.status_code == 200
    assert "call_national" in response.content.decode()


def test_province_xlsx_has_the_figures(client, world, journey):
    call, _application = journey
    client.force_login(world.users["officer_a"])
    url = reverse("programs:province_xlsx", kwargs={"call_id": call.pk, "province_code": "04"})
    book = load_workbook(io.BytesIO(client.get(url).content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if r and "Mã số thuế" in r)
    header = rows[header_index]
    data = dict(zip(header, rows[header_index + 1], strict=False))
    assert data["Tổ chức"] == "HTX Nông nghiệp Hợp Giang"
    assert data["Mã số thuế"] == "0100233488"
    assert data["Đủ điều kiện"] == "Có"
    youth = next(v for v in data.values() if isinstance(v, str) and "12/25" in v)
    assert youth.startswith("Thanh niên dưới 35 tuổi: 12/25 = 48\u00a0% > 40\u00a0% ✔ (báo cáo năm")
    assert sheet.freeze_panes is not None


def test_results_xlsx_and_letter(client, world, journey):
    call, _application = journey
    review.compilation_forward(actor=world.users["officer_a"], call=call, province_id="04")
    selection.selection_decide(actor=world.users["vca"], call=call, provinces=["04"])
    client.force_login(world.users["vca"])
    content = client.get(reverse("programs:call_results_xlsx", kwargs={"call_id": call.pk})).content
    book = load_workbook(io.BytesIO(content))
    provinces, coops = book.worksheets
    values = [v for row in provinces.iter_rows(values_only=True) for v in row]
    assert "Tỉnh Cao Bằng" in values
    row = next(r for r in provinces.iter_rows(values_only=True) if "Tỉnh Cao Bằng" in r)
    assert row[0] == 1 and row[2] == 1 and row[3] == 1  # rank, applications, eligible
    coop_values = [v for row in coops.iter_rows(values_only=True) for v in row]
    assert "HTX Nông nghiệp Hợp Giang" in coop_values
    assert 0.48 in coop_values
    letter = client.get(reverse("programs:call_result_letter", kwargs={"call_id": call.pk}))
    text, document = text_of(letter.content)
    assert_decree_30(text, document)
    assert "Liên minh Hợp tác xã tỉnh Cao Bằng" in text
