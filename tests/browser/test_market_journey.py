"""The market journey at 360 px: a guest buyer searches without accents, filters, buys
from two stores, sees both VietQR codes (decoded and checked); the seller confirms and
ships; the buyer reviews.  Screenshots at 360 px and 1280 px."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from htxso.market.models import Order, Review
from htxso.market.vietqr import parse_payload

from ..market.fixtures_market import make_product, make_store
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _photo(color):
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "anh.jpg"
    buf.size = len(buf.getvalue())
    return buf


@pytest.fixture
def shop(world):
    from htxso.market.services.catalogue import product_add_photo

    a = make_store(world, "a1", "Mật ong Hợp Giang")
    b = make_store(world, "b1", "Cà phê Ea Tu")
    coffee = make_product(
        b,
        "Cà phê Đắk Lắk rang xay",
        cat="ca-phe",
        description="<p>Robusta <strong>rang mộc</strong>.</p>",
        variants=[
            {"label": "500 g", "price": 120000, "stock": 20},
            {"label": "1 kg", "price": 230000, "stock": 8},
        ],
    )
    honey = make_product(
        a,
        "Mật ong bạc hà Cao Bằng",
        cat="mat-ong-nguyen-chat",
        ethnic_minority_producer=True,
        variants=[{"label": "250 ml", "price": 150000, "stock": 10}],
    )
    make_product(a, "Chè Shan tuyết Cao Bằng", cat="che-tra")
    make_product(b, "Hồ tiêu Đắk Lắk", cat="ho-tieu")
    product_add_photo(actor=b.owner, product=coffee, upload=_photo((110, 70, 40)))
    product_add_photo(actor=a.owner, product=honey, upload=_photo((230, 170, 40)))
    return coffee, honey


def test_buyer_two_stores_vietqr_seller_ships_buyer_reviews(live_server, world, shop, page_factory):
    coffee, honey = shop
    base = live_server.url
    page = page_factory("360")
    # Search without accents, with a typo, then filter by province.
    page.goto(f"{base}/cho/?q=ca+phe+dak+lac")
    expect(page.get_by_text("Cà phê Đắk Lắk rang xay").first).to_be_visible()
    page.get_by_text("Bộ lọc").click()
    page.select_option("#f-prov", "66")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**tinh=66**")
    expect(page.get_by_text("Cà phê Đắk Lắk rang xay").first).to_be_visible()
    assert page.get_by_text("Mật ong bạc hà").count() == 0
    assert_no_horizontal_overflow(page)
    shot(page, "market-search-360")
    page.get_by_text("Cà phê Đắk Lắk rang xay").first.click()
    page.wait_for_url(f"**/cho/san-pham/{coffee.pk}/")
    assert_no_horizontal_overflow(page)
    shot(page, "market-product-360")
    page.fill("#qty", "2")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.wait_for_url(f"**/cho/san-pham/{coffee.pk}/")
    # Second store: honey, found without accents.
    page.goto(f"{base}/cho/?q=mat+ong+bac+ha")
    page.get_by_text("Mật ong bạc hà Cao Bằng").first.click()
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto(f"{base}/cho/gio-hang/")
    expect(page.get_by_text("Cà phê Ea Tu").first).to_be_visible()
    expect(page.get_by_text("Mật ong Hợp Giang").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "market-cart-360")
    page.get_by_role("button", name="Tiếp tục đặt hàng").click()
    page.fill("#buyer_name", "Nguyễn Thị Hoa")
    page.fill("#buyer_phone", "09x")  # a wrong phone first
    page.get_by_label("Nhận tại cửa hàng").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.locator(".error").first).to_be_visible()
    assert Order.objects.count() == 0
    page.fill("#buyer_phone", "0912 345 678")
    page.get_by_label("Nhận tại cửa hàng").check()
    assert_no_horizontal_overflow(page)
    shot(page, "market-checkout-360")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/cho/da-dat/**")
    assert_no_horizontal_overflow(page)
    shot(page, "market-vietqr-360")
    payloads = page.locator("[data-vietqr]").evaluate_all("els => els.map(e => e.dataset.vietqr)")
    orders = {o.code: o for o in Order.objects.all()}
    assert len(orders) == 2 and len(payloads) == 2
    for payload in payloads:
        data = parse_payload(payload)
        assert data.dynamic and data.note in orders
        assert data.amount == orders[data.note].total
    assert page.locator(".vietqr svg").count() == 2
    # Read the codes off the screen as a banking app would: each is its order's payload.
    import io

    import zxingcpp
    from PIL import Image

    for i, payload in enumerate(payloads):
        png = page.locator(".vietqr svg").nth(i).screenshot()
        read = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert [r.text for r in read if r.format.name == "QRCode"] == [payload]
    done_url = page.url
    coffee_order = next(o for o in orders.values() if o.store.name == "Cà phê Ea Tu")
    assert coffee_order.total == 240000

    # The seller confirms, records the payment and ships.
    seller = page_factory("360")
    sign_in(seller, base, world.users["manager_b1"].username)
    seller.goto(f"{base}/cho/ban-hang/")
    expect(seller.get_by_text("1 đơn hàng mới").first).to_be_visible()
    assert_no_horizontal_overflow(seller)
    shot(seller, "market-seller-home-360")
    seller.goto(f"{base}/cho/ban-hang/san-pham/{coffee.pk}/")
    assert seller.locator("input[name=v1-price]").input_value() == "230000"
    assert_no_horizontal_overflow(seller)
    shot(seller, "market-seller-product-form-360")
    seller.goto(f"{base}/cho/ban-hang/")
    seller.get_by_role("link", name="Đơn hàng").first.click()
    seller.get_by_text(coffee_order.code).click()
    for label in ("Người bán đã xác nhận", "Đã thanh toán", "Đang giao", "Đã giao"):
        seller.get_by_role("button", name=f"Chuyển sang: {label}").click()
        seller.wait_for_load_state()
        if label == "Đang giao":
            assert_no_horizontal_overflow(seller)
            shot(seller, "market-seller-order-360")
    coffee_order.refresh_from_db()
    assert coffee_order.state == "delivered" and coffee_order.paid_at and coffee_order.shipped_at

    # The buyer (same browser, no account) reviews the delivered coffee.
    page.goto(f"{base}/cho/don-hang/{coffee_order.code}/")
    page.get_by_label("4★").check()
    page.fill("textarea[name=text]", "Cà phê thơm, giao nhanh <script>alert(1)</script>")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    review = Review.objects.get()
    assert review.rating == 4 and "<script>" not in review.text
    page.get_by_role("button", name="Tôi đã nhận được hàng").click()
    page.wait_for_load_state()
    coffee_order.refresh_from_db()
    assert coffee_order.state == "completed"
    page.goto(f"{base}/cho/san-pham/{coffee.pk}/")
    expect(page.get_by_text("Cà phê thơm, giao nhanh")).to_be_visible()
    shot(page, "market-review-360")

    # Wide screens.
    wide = page_factory("1280")
    for name, url in (
        ("search", f"{base}/cho/?q=ca+phe"),
        ("product", f"{base}/cho/san-pham/{honey.pk}/"),
        ("home", f"{base}/cho/"),
    ):
        wide.goto(url)
        assert_no_horizontal_overflow(wide)
        shot(wide, f"market-{name}-1280")
    seller.goto(done_url)  # a shared link opens the orders and their codes
    assert seller.locator("[data-vietqr]").count() == 1  # the coffee order is paid now
    shot(seller, "market-vietqr-after-payment-360")


def test_delivery_with_the_ward_picker_and_cash_on_delivery(live_server, world, shop, page_factory):
    from htxso.geo.models import Ward

    coffee, _honey = shop
    ward = Ward.objects.filter(province_id="66").order_by("name").first()
    base = live_server.url
    page = page_factory("360")
    page.goto(f"{base}/cho/san-pham/{coffee.pk}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto(f"{base}/cho/dat-hang/")
    page.fill("#buyer_name", "Y Sơn Niê")
    page.fill("#buyer_phone", "+84 987 654 321")
    page.get_by_label("Giao hàng tận nơi").check()
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.get_by_role("button", name="Đặt hàng").click()  # no ward, no address yet
    expect(page.get_by_text("Chọn xã/phường nhận hàng.")).to_be_visible()
    page.get_by_label("Giao hàng tận nơi").check()
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.select_option("#province", "66")
    page.wait_for_selector(f"#ward option[value='{ward.code}']", state="attached")
    page.select_option("#ward", ward.code)
    page.fill("#address", "Buôn Ko Siêr")
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "market-checkout-delivery-360")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/cho/da-dat/**")
    order = Order.objects.get()
    assert order.ward_id == ward.code and order.payment_method == "cod"
    assert order.total == 120000 + 30000 and order.buyer_phone == "0987654321"
    assert page.locator("[data-vietqr]").count() == 0
    expect(page.get_by_text("Bạn trả tiền mặt khi nhận hàng.")).to_be_visible()
