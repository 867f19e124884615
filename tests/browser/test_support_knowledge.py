"""Issue 18, news and guides: a provincial officer writes and publishes a guide with a
step picture at 1280 px; a phone user (360 px) finds it without accents and reads it.
Screenshots in test-artifacts/screenshots/knowledge-*.png."""

from __future__ import annotations

import pytest
from PIL import Image

from htxso.core.actors import OPERATOR
from htxso.support.knowledge import services
from htxso.support.knowledge.models import Article

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"
TITLE = "Mở gian hàng trên Chợ HTX Số (Cao Bằng)"


def _picture(tmp_path) -> str:
    path = tmp_path / "man-hinh.png"
    Image.new("RGB", (800, 500), (40, 110, 80)).save(path, format="PNG")
    return str(path)


def _upload(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with open(_picture(tmp_path), "rb") as f:
        return SimpleUploadedFile("anh.png", f.read(), content_type="image/png")


def test_officer_publishes_a_guide_and_a_phone_user_finds_it(
    live_server, world, page_factory, tmp_path
):
    base = live_server.url
    page = page_factory("1280")
    page.goto(f"{base}/dang-nhap/?next=/quan-ly/kien-thuc/")
    page.get_by_label("Tên đăng nhập").fill("u_officer_a")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Viết bài hoặc hướng dẫn").click()
    page.locator("#id_kind").select_option("guide")
    # an officer writes for his province only: no "whole country" choice
    choices = page.locator("#id_province option").all_inner_texts()
    assert len(choices) == 1 and "Cao Bằng" in choices[0]
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Các bước mở gian hàng cho hợp tác xã ở Cao Bằng.")
    page.locator("#id_body").fill(
        "Chuẩn bị ảnh sản phẩm.\n\n<script>alert(1)</script><b>Giá bán</b> và tài khoản."
    )
    page.locator("#id_tags").fill("chợ, bán hàng")
    page.locator("#save-article").click()
    page.locator("#steps").wait_for()
    page.locator("#steps #id_title").fill("Mở trang Bán hàng")
    page.locator("#steps #id_text").fill("Mở trình đơn, chọn Bán hàng.")
    page.locator("#steps #id_image").set_input_files(_picture(tmp_path))
    page.locator("#add-step").click()
    page.locator("#steps").get_by_text("có ảnh").wait_for()
    assert_no_horizontal_overflow(page)
    shot(page, "knowledge-officer-guide-1280")
    page.get_by_role("button", name="Đăng ngay").click()
    page.locator("#guide-steps").wait_for()
    article = Article.objects.get(title=TITLE)
    assert article.is_public and article.province_id == "04"

    # --- a phone user, not signed in -------------------------------------------
    phone = page_factory("360")
    phone.goto(f"{base}/tin-tuc/")
    phone.get_by_label("Tìm kiếm").fill("mo gian hang")
    phone.get_by_role("button", name="Tìm kiếm").click()
    phone.get_by_role("link", name=TITLE).wait_for()
    assert_no_horizontal_overflow(phone)
    shot(phone, "knowledge-phone-search-360")
    phone.get_by_role("link", name=TITLE).click()
    phone.locator("#guide-steps").wait_for()
    body = phone.locator("#article-body").inner_html()
    assert "<script" not in body and "<b>Giá bán</b>" in body
    image = phone.locator("#guide-steps img").first
    assert image.get_attribute("loading") == "lazy" and image.get_attribute("width")
    image.scroll_into_view_if_needed()
    assert phone.evaluate(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    og = phone.locator('meta[property="og:title"]').get_attribute("content")
    assert og == TITLE
    assert_no_horizontal_overflow(phone)
    shot(phone, "knowledge-phone-guide-360")

    # --- a model case on the phone: figures with their source, contact with consent --
    case = services.case_save(
        actor=OPERATOR,
        organisation=world.orgs["b1"],
        data={
            "title": "Cà phê Ea Tu truy xuất từng lô",
            "themes": ["traceability", "ecommerce"],
            "summary": "Gắn tem truy xuất cho từng lô và bán trên Chợ HTX Số.",
            "what_done": "Ghi nhật ký canh tác.\n\nGắn mã QR cho từng lô.",
            "contact_name": "Y Bhim Niê",
            "contact_phone": "0912 660 101",
            "contact_consent": True,
        },
    )
    services.case_figure_add(
        actor=OPERATOR, case=case, label="Giá bán so với thị trường", value=10, unit="%"
    )
    services.case_photo_add(actor=OPERATOR, case=case, file=_upload(tmp_path))
    services.case_set_status(actor=OPERATOR, case=case, status="published")
    phone.goto(f"{base}/mo-hinh-htx/?q=ca+phe+ea+tu")
    phone.get_by_role("link", name="Cà phê Ea Tu truy xuất từng lô").click()
    phone.locator("#case-figures").wait_for()
    assert "tự khai báo" in phone.locator("#case-figures").inner_text()
    assert "Y Bhim Niê" in phone.locator("#case-contact").inner_text()
    assert_no_horizontal_overflow(phone)
    shot(phone, "knowledge-phone-case-360")
