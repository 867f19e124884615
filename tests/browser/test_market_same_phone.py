"""Issue 13 at 360 px: a guest buys on the phone they will pay with.  A quantity typed in
the cart is kept when they continue; the checkout shows the full total (delivery
included) before "Đặt hàng" and follows delivery/pickup; after ordering they save the
QR image (downloaded, decoded back to the order's payload) and find copy buttons.
Screenshots at 360 px and 1280 px."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from htxso.market.models import CartLine, Order
from htxso.market.payment import order_payment

from .conftest import SCREENSHOTS, assert_no_horizontal_overflow, shot, wait_until
from .test_market_journey import shop  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_same_phone_cart_total_save_qr_and_copy(live_server, world, shop, page_factory):  # noqa: F811
    coffee, honey = shop
    base = live_server.url
    page = page_factory("360")

    # Search without the space, filter on a phone: the panel closes on the results.
    page.goto(f"{base}/cho/?q=matong")
    expect(page.get_by_text("Mật ong bạc hà Cao Bằng").first).to_be_visible()
    page.get_by_text("Bộ lọc").click()
    page.select_option("#f-prov", "04")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**tinh=04**")
    assert page.locator("details.mk-filters").evaluate("d => d.open") is False
    expect(page.get_by_text("Mật ong bạc hà Cao Bằng").first).to_be_visible()
    # The ethnic-minority badge wraps inside its card instead of being cut.
    badge = page.locator(".pcard .badge--ethnic").first
    expect(badge).to_be_visible()
    assert badge.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    card = page.locator(".pcard").first.bounding_box()
    box = badge.bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"] + 1
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-same-phone-search-360")

    # Add to the cart: a message links to the cart, the header counts.
    page.goto(f"{base}/cho/san-pham/{coffee.pk}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.wait_for_url(f"**/cho/san-pham/{coffee.pk}/")
    expect(page.locator(".messages a[href='/cho/gio-hang/']")).to_be_visible()
    expect(page.locator(".cartlink .cartlink__n")).to_have_text("1")
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-same-phone-added-360")
    page.locator(".cartlink").click()
    page.wait_for_url("**/cho/gio-hang/")

    # Enter on the phone keyboard saves the quantity (never removes the line).
    line = CartLine.objects.get()
    qty = page.locator(f"#qty-{line.pk}")
    qty.fill("2")
    qty.press("Enter")
    # Enter saves through htmx (no page load): wait until that save has come back
    wait_until(page, "!document.querySelector('.htmx-request')")
    expect(page.locator(f"#qty-{line.pk}")).to_have_value("2")
    line.refresh_from_db()
    assert line.quantity == 2
    # Typed, then straight on to checkout: the quantity is kept.
    page.locator(f"#qty-{line.pk}").fill("3")
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-same-phone-cart-360")
    page.get_by_role("button", name="Tiếp tục đặt hàng").click()
    page.wait_for_url("**/cho/dat-hang/")
    line.refresh_from_db()
    assert line.quantity == 3
    expect(page.get_by_text("3 × Cà phê Đắk Lắk rang xay")).to_be_visible()

    # The full total before "Đặt hàng": delivery by default, pickup without the fee.
    total = page.locator("#grand-total")
    expect(total).to_have_text("390.000\xa0₫")
    page.get_by_label("Nhận tại cửa hàng").check()
    expect(total).to_have_text("360.000\xa0₫")
    page.get_by_label("Giao hàng tận nơi").check()
    expect(total).to_have_text("390.000\xa0₫")
    page.get_by_label("Nhận tại cửa hàng").check()
    expect(total).to_have_text("360.000\xa0₫")
    button = page.locator("#place-order").bounding_box()
    assert total.bounding_box()["y"] < button["y"]
    page.fill("#buyer_name", "Nguyễn Thị Hoa")
    page.fill("#buyer_phone", "0912 345 678")
    assert_no_horizontal_overflow(page)
    total.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "market-same-phone-total-360.png"))
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-same-phone-checkout-360")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/cho/da-dat/**")
    order = Order.objects.get()
    assert order.total == 360000
    payload = order_payment(order).payload

    # Save the QR image: a PNG download that reads back as the order's payload.
    with page.expect_download() as info:
        page.locator(".vietqr__save").click()
    download = info.value
    assert download.suggested_filename == f"VietQR-{order.code}.png"
    path = SCREENSHOTS / f"market-same-phone-saved-{order.code}.png"
    download.save_as(str(path))
    read = zxingcpp.read_barcodes(Image.open(path))
    assert [r.text for r in read if r.format.name == "QRCode"] == [payload]
    path.rename(SCREENSHOTS / "market-same-phone-saved-qr.png")

    # Copy buttons, finger-sized; the amount goes to the clipboard as digits.
    copies = page.locator("button[data-copy]")
    assert copies.count() == 3
    for i in range(3):
        box = copies.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    copies.nth(1).click()
    expect(copies.nth(1)).to_have_class("btn btn--small copy is-copied")
    assert page.evaluate("navigator.clipboard.readText()") == "360000"
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-same-phone-vietqr-360")

    # Wide screens: the same pages.
    done_url = page.url
    wide = page_factory("1280")
    wide.goto(done_url)
    assert_no_horizontal_overflow(wide)
    shot(wide, "market-same-phone-vietqr-1280")
    wide.goto(f"{base}/cho/san-pham/{honey.pk}/")
    wide.get_by_role("button", name="Thêm vào giỏ").click()
    wide.goto(f"{base}/cho/dat-hang/")
    expect(wide.locator("#grand-total")).to_have_text("180.000\xa0₫")
    assert_no_horizontal_overflow(wide)
    shot(wide, "market-same-phone-checkout-1280")
    wide.goto(f"{base}/cho/gio-hang/")
    assert_no_horizontal_overflow(wide)
    shot(wide, "market-same-phone-cart-1280")
