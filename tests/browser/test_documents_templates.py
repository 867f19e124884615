"""The letter-template editor in the browser, at 360 px and 1280 px."""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow
from .conftest import shot as _shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    page.evaluate("window.scrollTo(0, 0)")
    return _shot(page, name)


@pytest.mark.parametrize("width", ["360", "1280"])
def test_vca_edits_a_letter_template(live_server, world, page_factory, width):
    from htxso.core.models import LetterTemplate

    base = live_server.url
    page = page_factory(width)
    sign_in(page, base, world.users["vca"].username)

    page.goto(f"{base}/van-ban/mau/")
    expect(page.get_by_role("heading", name="Mẫu công văn")).to_be_visible()
    assert page.locator(".doc-templates li").count() == 3
    assert_no_horizontal_overflow(page)
    shot(page, f"documents-templates-list-{width}")

    province = LetterTemplate.objects.get(code="call_province")
    page.get_by_role("link", name=province.title).click()
    page.wait_for_url(f"{base}/van-ban/mau/call_province/")
    expect(page.get_by_role("heading", name="Sửa mẫu công văn")).to_be_visible()
    expect(page.get_by_text("13 chỗ điền có thể dùng")).to_be_visible()
    slot = page.locator("button[data-slot='{{ deadline }}']")
    if width == "360":  # the list is folded on a phone, open on a wide screen
        expect(slot).to_be_hidden()
        page.get_by_text("13 chỗ điền có thể dùng").click()
    expect(slot).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"documents-template-edit-{width}")

    # a click on a placeholder inserts it where the cursor was
    subject = page.locator("#id_subject")
    subject.fill("tham gia ")
    subject.press("End")
    slot.click()
    assert subject.input_value() == "tham gia {{ deadline }}"
    subject.fill(province.subject)

    # a placeholder that does not exist is refused with a precise message
    body = page.locator("#id_body")
    original = body.input_value()
    body.fill(original + "\n\nHạn nộp: {{ han_nop }}.")
    page.locator("button[value=save]").click()
    error = page.locator("#id_body_error")
    assert "Không có chỗ điền {{ han_nop }}" in error.inner_text()
    assert "{{ deadline }}" in error.inner_text()
    assert page.get_by_role("alert").first.inner_text().startswith("Chưa lưu")
    assert_no_horizontal_overflow(page)
    shot(page, f"documents-template-error-{width}")
    assert LetterTemplate.objects.get(code="call_province").body == province.body

    # corrected, saved
    page.locator("#id_body").fill(original + "\n\nHạn nộp: {{ deadline }}.")
    page.locator("button[value=save]").click()
    expect(page.get_by_text(f"Đã lưu mẫu “{province.title}”.")).to_be_visible()
    saved = LetterTemplate.objects.get(code="call_province")
    assert saved.body.endswith("Hạn nộp: {{ deadline }}.")
    assert saved.updated_by_id == world.users["vca"].pk
    shot(page, f"documents-template-saved-{width}")

    # the preview download is a Decree 30 letter filled with the example values
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bản xem thử (.docx)").click()
    download = info.value
    assert download.suggested_filename == "mau-call_province-xem-thu.docx"
    with open(download.path(), "rb") as f:
        doc = Document(io.BytesIO(f.read()))
    texts = [p.text for p in doc.paragraphs]
    assert "Hạn nộp: 15/4/2024." in texts
    assert "Độc lập - Tự do - Hạnh phúc" in [
        p.text for p in doc.tables[0].rows[0].cells[1].paragraphs
    ]
