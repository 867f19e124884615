"""Issue 13, the buyer on one phone: the payment in the API and as a PNG to save, copy
buttons, the full total before ordering, a cart that keeps typed quantities, the header
cart link, sign-in back to checkout, a closed filter panel and joined search words."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from htxso.market.models import Fulfilment, Order
from htxso.market.payment import order_payment
from htxso.market.search import SearchFilters, fts_query, parse_query, search_products
from htxso.market.services import orders as order_svc
from htxso.market.services.orders import delivery_fee

from .fixtures_market import BUYER, add, new_cart, place

pytestmark = pytest.mark.django_db


def v(product, i=0):
    return list(product.variants.order_by("position"))[i]


def decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode"]


def guest_order(client, market, **data) -> Order:
    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 2})
    r = client.post(
        reverse("market:checkout"), {**BUYER, "idempotency_key": "same-phone-1", **data}
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    return Order.objects.get()


# ------------------------------------------------------------------ payment


def test_saved_qr_png_decodes_to_the_order_payload_for_its_buyer_only(client, market):
    order = guest_order(client, market)
    payload = order_payment(order).payload
    page = client.get(reverse("market:order_detail", args=[order.code])).content.decode()
    url = reverse("market:order_qr", args=[order.code])
    assert f'href="{url}" download=' in page
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert "attachment" in r["Content-Disposition"] and order.code in r["Content-Disposition"]
    assert decode(r.content) == [payload]
    image = Image.open(io.BytesIO(r.content))
    assert image.height > image.width  # amount and transfer note printed under the code
    # Another phone without the checkout link cannot fetch it.
    assert Client().get(url).status_code == 404
    # Once paid there is nothing to save.
    for state in ("confirmed", "paid"):
        order_svc.order_transition(actor=market.store_b.owner, order=order, to_state=state)
    assert client.get(url).status_code == 404


def test_copy_buttons_for_account_amount_and_note(client, market):
    order = guest_order(client, market)
    page = client.get(reverse("market:order_detail", args=[order.code])).content.decode()
    copies = re.findall(
        r'<button class="btn btn--small copy" type="button" data-copy="([^"]+)"', page
    )
    assert copies == [market.store_b.bank_account, str(order.total), order.code]
    assert "js/market.js" in page
    assert "onclick" not in page and " style=" not in page


def test_buyer_api_gives_payload_and_image_url_while_awaiting_payment(client, market):
    buyer, other = market.world.users["buyer"], market.world.users["norole"]
    cart = new_cart()
    add(cart, v(market.coffee))
    (qr_order,) = place(cart, actor=buyer)
    cart = new_cart()
    add(cart, v(market.honey))
    (cod_order,) = place(cart, actor=buyer, payment_method="cod")
    client.force_login(buyer)
    rows = {o["code"]: o for o in client.get("/api/v1/market/my/orders").json()}
    assert rows[qr_order.code]["vietqr_payload"] == order_payment(qr_order).payload
    assert rows[cod_order.code]["vietqr_payload"] is None
    assert rows[cod_order.code]["vietqr_image_url"] is None
    one = client.get(f"/api/v1/market/my/orders/{qr_order.code}").json()
    url = one["vietqr_image_url"]
    assert url.startswith("http://testserver/api/v1/market/my/orders/")
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert decode(r.content) == [one["vietqr_payload"]]
    r = client.get(f"/api/v1/market/my/orders/{cod_order.code}/vietqr.png")
    assert r.status_code == 404 and r.json()["code"] == "no_payment_due"
    client.force_login(other)
    assert client.get(url).status_code == 404
    # Paid: null.
    for state in ("confirmed", "paid"):
        order_svc.order_transition(actor=market.store_b.owner, order=qr_order, to_state=state)
    client.force_login(buyer)
    one = client.get(f"/api/v1/market/my/orders/{qr_order.code}").json()
    assert one["vietqr_payload"] is None and one["vietqr_image_url"] is None


def test_openapi_documents_the_payment_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    props = schema["components"]["schemas"]["BuyerOrderOut"]["properties"]
    for name in ("vietqr_payload", "vietqr_image_url"):
        assert "awaits" in props[name]["description"]
    png = schema["paths"]["/api/v1/market/my/orders/{market_order_code}/vietqr.png"]["get"]
    assert "image/png" in png["responses"]["200"]["content"]


# ------------------------------------------------------------------ checkout total


def test_checkout_shows_the_total_with_delivery_that_the_order_will_have(client, market):
    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 2})
    client.post(reverse("market:cart_add"), {"variant": v(market.honey).pk, "quantity": 1})
    goods = 2 * 120000 + 150000
    fees = sum(
        delivery_fee(store=s, fulfilment=Fulfilment.DELIVERY)
        for s in (market.store_a, market.store_b)
    )
    assert fees == 60000
    page = client.get(reverse("market:checkout")).content.decode()
    shown = re.search(r'id="grand-total">([^<]+)<', page).group(1)
    assert shown == f"{goods + fees:,}".replace(",", ".") + "\xa0₫"
    assert page.index('id="grand-total"') < page.index('id="place-order"')
    # htmx: the buyer switches to pickup.
    r = client.get(
        reverse("market:checkout"),
        {"part": "total", "fulfilment": "pickup"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and b"<html" not in r.content
    assert re.search(r'id="grand-total">([^<]+)<', r.content.decode()).group(1) == "390.000\xa0₫"
    # Without JavaScript the other way's total is there too.
    assert "<noscript>" in page and "390.000" in page
    from htxso.geo.models import Ward

    ward = Ward.objects.filter(province_id="66").first()
    r = client.post(
        reverse("market:checkout"),
        {**BUYER, "fulfilment": "delivery", "ward": ward.pk, "idempotency_key": "total-key-1"},
    )
    assert r.status_code == 302
    assert sum(o.total for o in Order.objects.all()) == goods + fees


def test_checkout_offers_sign_in_that_comes_back(client, market):
    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 1})
    page = client.get(reverse("market:checkout")).content.decode()
    link = f"{reverse('accounts:login')}?next=/cho/dat-hang/"
    assert link in page
    login = client.get(link).content.decode()
    assert 'name="next" value="/cho/dat-hang/"' in login
    buyer = market.world.users["buyer"]
    r = client.post(
        link,
        {"username": buyer.username, "password": "Mat-khau-rat-dai-2026", "next": "/cho/dat-hang/"},
    )
    assert r.status_code == 302 and r["Location"] == "/cho/dat-hang/"
    page = client.get(r["Location"]).content.decode()
    assert "Cà phê Đắk Lắk rang xay" in page  # the guest cart came along
    assert buyer.full_name and f'name="buyer_name" value="{buyer.full_name}"' in page


# ------------------------------------------------------------------ cart


def test_a_typed_quantity_is_saved_on_change_and_on_continue(client, market):
    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 1})
    client.post(reverse("market:cart_add"), {"variant": v(market.honey).pk, "quantity": 1})
    from htxso.market.models import CartLine

    coffee, honey = (CartLine.objects.get(variant=v(p)) for p in (market.coffee, market.honey))
    # htmx on change: the cart body comes back with the new amount.
    r = client.post(
        reverse("market:cart_update"),
        {f"qty-{coffee.pk}": "3", f"qty-{honey.pk}": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and b"<html" not in r.content
    assert "360.000" in r.content.decode()
    coffee.refresh_from_db()
    assert coffee.quantity == 3
    # "Continue to checkout" submits the quantities and goes on.
    r = client.post(
        reverse("market:cart_update"),
        {f"qty-{coffee.pk}": "4", f"qty-{honey.pk}": "2", "go": "checkout"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("market:checkout")
    assert [ln.quantity for ln in CartLine.objects.order_by("pk")] == [4, 2]
    # One quantity too large: the other is still saved, the buyer stays on the cart.
    r = client.post(
        reverse("market:cart_update"),
        {f"qty-{coffee.pk}": "5", f"qty-{honey.pk}": "500", "go": "checkout"},
    )
    assert r["Location"] == reverse("market:cart")
    assert [ln.quantity for ln in CartLine.objects.order_by("pk")] == [5, 2]
    # The page's first submit button (Enter on the phone keyboard) saves; it never removes.
    page = client.get(reverse("market:cart")).content.decode()
    first = re.search(r"<button[^>]*>", page[page.index('id="cart-form"') :]).group(0)
    assert 'name="remove"' not in first
    assert 'form="cart-form" name="go" value="checkout"' in page


def test_header_cart_link_counts_items_and_added_message_links_to_cart(client, market):
    page = client.get(reverse("market:home")).content.decode()
    assert 'class="cartlink"' not in page
    r = client.post(
        reverse("market:cart_add"),
        {
            "variant": v(market.coffee).pk,
            "quantity": 2,
            "next": f"/cho/san-pham/{market.coffee.pk}/",
        },
        follow=True,
    )
    page = r.content.decode()
    assert re.search(r'class="cartlink"[^>]*>.*?<span class="cartlink__n"[^>]*>2</span>', page)
    messages = page[page.index('class="messages"') :]
    assert f'<a href="{reverse("market:cart")}">' in messages[: messages.index("</div>")]
    # Other pages too (the header is on every page), and it follows the cart.
    client.post(reverse("market:cart_add"), {"variant": v(market.honey).pk, "quantity": 1})
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'<span class="cartlink__n"[^>]*>3</span>', page)
    client.post(reverse("market:checkout"), {**BUYER, "idempotency_key": "count-key-1"})
    page = client.get(reverse("market:home")).content.decode()
    assert 'class="cartlink"' not in page


def test_results_page_renders_the_filter_panel_closed(client, market):
    page = client.get(reverse("market:home"), {"q": "ca phe", "tinh": "66"}).content.decode()
    tag = re.search(r'<details class="mk-filters"[^>]*>', page).group(0)
    assert "open" not in tag
    assert re.search(r'<summary>[^<]*<span class="badge">1</span>', page)


# ------------------------------------------------------------------ search


@pytest.mark.parametrize(
    ("joined", "apart"),
    [("caphe", "ca phe"), ("matong", "mat ong"), ("caphe dak lak", "ca phe dak lak")],
)
def test_joined_words_find_what_the_words_apart_find(market, joined, apart):
    got = [p.title for p in search_products(SearchFilters(query=joined))]
    want = [p.title for p in search_products(SearchFilters(query=apart))]
    assert got == want and got
    assert got[0] == ("Mật ong bạc hà Cao Bằng" if "mat" in apart else "Cà phê Đắk Lắk rang xay")


def test_joined_words_give_the_same_full_text_query_on_both_databases(market):
    joined, apart = parse_query("matong"), parse_query("mat ong")
    assert joined.words == ["mat", "ong"]
    for postgresql in (True, False):
        assert fts_query(joined.groups, postgresql=postgresql) == fts_query(
            apart.groups, postgresql=postgresql
        )


def test_unknown_words_that_are_not_two_words_are_left_alone(market):
    assert parse_query("xemay").words == ["xemay"]
    assert [p.title for p in search_products(SearchFilters(query="xemay"))] == []
    # The last word may be a word being typed: "phe" begins no longer word, but "rang"
    # typed as "ran" stays a prefix.
    assert parse_query("ca ran").words == ["ca", "ran"]
