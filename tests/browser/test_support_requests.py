"""A cooperative manager sends a service request on a phone (360 px); the provincial
centre asks for information and closes it on a desktop (1280 px); the manager answers
and rates the service.  Screenshots in test-artifacts/screenshots/support-*.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from htxso.support.models import ServiceRequest, Status

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (900, 700), (230, 200, 120)).save(buf, format="JPEG")
    return buf.getvalue()


def _shot(page, name):
    assert_no_horizontal_overflow(page)
    return shot(page, name)


def test_request_sent_answered_closed_and_rated(live_server, world, page_factory):
    base = live_server.url
    # --- the manager of a1, on a phone -------------------------------------------------
    phone = page_factory("360")
    _sign_in(phone, base, world.users["manager_a1"].username)
    phone.goto(f"{base}/ho-tro/yeu-cau/moi/")
    expect(phone.get_by_role("heading", name="Gửi yêu cầu hỗ trợ")).to_be_visible()
    expect(phone.locator("#facts")).to_contain_text("HTX Nông nghiệp Hợp Giang")
    phone.get_by_label("Bạn cần hỗ trợ gì?").select_option("trade")
    phone.get_by_label("Tóm tắt ngắn gọn").fill("Đưa mật ong đi hội chợ Hà Nội <b>tháng 3</b>")
    phone.get_by_label("Mô tả nhu cầu").fill("HTX cần gian hàng tại hội chợ OCOP, 2 người, 3 ngày.")
    phone.get_by_label("Thêm ảnh hoặc tệp PDF").set_input_files(
        files=[{"name": "mat-ong.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    _shot(phone, "support-form-360")
    phone.get_by_role("button", name="Gửi yêu cầu").click()
    expect(phone.locator("#req-status")).to_have_text("Mới")
    expect(phone.locator("#req-title")).to_have_text("Đưa mật ong đi hội chợ Hà Nội <b>tháng 3</b>")
    _shot(phone, "support-sent-360")
    req = ServiceRequest.objects.get()
    assert req.attachments.get().content_type == "image/jpeg"

    # --- the officer of Cao Bằng, on a desktop -------------------------------------------
    desk = page_factory("1280")
    _sign_in(desk, base, world.users["officer_a"].username)
    desk.goto(f"{base}/ho-tro/hang-doi/")
    expect(desk.locator("#count-open")).to_have_text("1")
    _shot(desk, "support-queue-1280")
    desk.get_by_role("link", name="Đưa mật ong đi hội chợ Hà Nội <b>tháng 3</b>").click()
    desk.locator("#ask-form textarea").fill("Xin gửi giấy chứng nhận OCOP của sản phẩm.")
    desk.get_by_role("button", name="Hỏi hợp tác xã").click()
    expect(desk.locator("#req-status")).to_have_text("Chờ hợp tác xã trả lời")
    _shot(desk, "support-asked-1280")

    # --- the manager answers ---------------------------------------------------------------
    phone.reload()
    expect(phone.get_by_text("Xin gửi giấy chứng nhận OCOP của sản phẩm.")).to_be_visible()
    phone.locator("#message-form textarea").fill("Giấy chứng nhận OCOP 4 sao, gửi kèm ảnh.")
    phone.locator("#message-form input[type=file]").set_input_files(
        files=[{"name": "ocop.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    phone.locator("#message-form").get_by_role("button", name="Gửi").click()
    expect(phone.locator("#req-status")).to_have_text("Đang xử lý")

    # --- the officer closes it -------------------------------------------------------------
    desk.reload()
    desk.locator("#close-form").get_by_label("Đã giải quyết").check()
    desk.locator("#close-form textarea").fill("Đã đăng ký gian hàng số 12, hội chợ 15–17/3.")
    desk.get_by_role("button", name="Đóng", exact=True).click()
    expect(desk.locator("#req-status")).to_have_text("Đã đóng")
    _shot(desk, "support-closed-1280")

    # --- the manager rates the service -----------------------------------------------------
    phone.reload()
    phone.locator("#rate-form").get_by_label("★★★★★", exact=True).check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    expect(phone.locator("#req-rating")).to_contain_text("★★★★★")
    _shot(phone, "support-rated-360")
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.rating == 5 and req.within_sla is True
    assert req.paused_working_days == 0
