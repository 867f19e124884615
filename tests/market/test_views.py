"""Market pages end to end with the test client: catalogue, cart, checkout, seller,
officer; XSS, scoping (404 for another store's order) and query-count guards."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from htxso.market.models import Order, Review, Store, StoreStatus
from htxso.market.vietqr import parse_payload

from .fixtures_market import BUYER, add, make_product, new_cart, place

pytestmark = pytest.mark.django_db


def v(product, i=0):
    return list(product.variants.order_by("position"))[i]


def test_catalogue_pages_render(client, market):
    r = client.get(reverse("market:home"), {"q": "ca phe dak lac"})
    assert r.status_code == 200
    assert "Cà phê Đắk Lắk rang xay" in r.content.decode()
    r = client.get(reverse("market:home"), {"q": "x", "tinh": "04", "ocop": "4", "gia_tu": "abc"})
    assert r.status_code == 200
    r = client.get(reverse("market:product_detail", args=[market.coffee.pk]))
    assert r.status_code == 200 and "<strong>Robusta</strong>" in r.content.decode()
    r = client.get(reverse("market:store_detail", args=[market.store_b.slug]))
    assert r.status_code == 200
    assert client.get(reverse("market:store_list")).status_code == 200
    r = client.get(reverse("market:home"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"<html" not in r.content


def test_unverified_store_and_its_products_are_not_public(client, market):
    Store.objects.filter(pk=market.store_b.pk).update(status=StoreStatus.PENDING)
    assert client.get(reverse("market:product_detail", args=[market.coffee.pk])).status_code == 404
    assert client.get(reverse("market:store_detail", args=[market.store_b.slug])).status_code == 404


def test_script_in_description_and_review_is_neutralised(client, market):
    seller = market.world.users["manager_b1"]
    p = make_product(
        market.store_b,
        "Cà phê <script>alert(1)</script>",
        actor=seller,
        description='<p onclick="x()">Ngon<script>alert(2)</script><img src=x onerror=alert(3)>'
        '<a href="javascript:alert(4)">link</a></p>',
    )
    html = client.get(reverse("market:product_detail", args=[p.pk])).content.decode()
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert "onclick" not in html
    assert "&lt;script&gt;alert(1)" in html  # the title is escaped, not executed
    cart = new_cart()
    add(cart, v(p))
    (order,) = place(cart)
    for state in ("confirmed", "paid", "shipped", "delivered"):
        from htxso.market.services.orders import order_transition

        order = order_transition(actor=seller, order=order, to_state=state)
    from htxso.core.actors import PUBLIC
    from htxso.market.services.reviews import review_create

    review_create(
        actor=PUBLIC,
        order=order,
        product_id=p.pk,
        rating=5,
        text_value="<script>alert(5)</script>Tuyệt <b>vời</b>",
        author_name="",
    )
    assert Review.objects.get().text == "Tuyệt vời"
    html = client.get(reverse("market:product_detail", args=[p.pk])).content.decode()
    assert "alert(5)" not in html and "Tuyệt vời" in html


def test_guest_checkout_shows_vietqr_for_each_store(client, market):
    client.get(reverse("market:home"))
    for variant in (v(market.coffee), v(market.honey)):
        r = client.post(reverse("market:cart_add"), {"variant": variant.pk, "quantity": 2})
        assert r.status_code == 302
    r = client.get(reverse("market:checkout"))
    assert r.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', r.content.decode()).group(1)
    data = {**BUYER, "idempotency_key": key}
    r = client.post(reverse("market:checkout"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    again = client.post(reverse("market:checkout"), data)  # double click
    assert again.status_code in (302, 200)
    assert Order.objects.count() == 2
    page = client.get(r["Location"]).content.decode()
    payloads = re.findall(r'data-vietqr="([^"]+)"', page)
    assert len(payloads) == 2
    orders = {o.code: o for o in Order.objects.all()}
    for payload in payloads:
        data = parse_payload(payload.replace("&amp;", "&"))
        assert data.dynamic and data.bin == "970436"
        assert data.note in orders and data.amount == orders[data.note].total
    code = next(iter(orders))
    assert client.get(reverse("market:order_detail", args=[code])).status_code == 200
    # Another browser without the checkout token cannot open the order.
    from django.test import Client

    assert Client().get(reverse("market:order_detail", args=[code])).status_code == 404


def test_checkout_errors_are_shown_not_500(client, market):
    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 1})
    r = client.post(
        reverse("market:checkout"),
        {**BUYER, "buyer_phone": "+44 20 7946 0958", "idempotency_key": "k" * 20},
    )
    assert r.status_code == 400
    assert Order.objects.count() == 0
    r = client.post(reverse("market:cart_add"), {"variant": "999999", "quantity": 1})
    assert r.status_code == 302


def test_seller_sees_own_orders_and_404_for_another_store(client, market):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    client.force_login(market.world.users["manager_a1"])
    url = reverse("market:seller_order", args=[order.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_state": "confirmed"}).status_code == 404
    order.refresh_from_db()
    assert order.state == "placed"
    assert client.get(reverse("market:seller_orders", args=[market.store_b.pk])).status_code == 404
    client.force_login(market.world.users["manager_b1"])
    assert client.get(url).status_code == 200
    r = client.post(url, {"to_state": "confirmed"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "confirmed"
    assert client.get(reverse("market:seller_orders", args=[market.store_b.pk])).status_code == 200


def test_seller_store_product_pages(client, market):
    client.force_login(market.world.users["manager_a1"])
    assert client.get(reverse("market:seller_home")).status_code == 200
    assert client.get(reverse("market:seller_store", args=[market.store_a.pk])).status_code == 200
    assert client.get(reverse("market:store_create")).status_code == 200
    r = client.get(reverse("market:seller_products", args=[market.store_a.pk]))
    assert r.status_code == 200
    r = client.get(reverse("market:seller_product_create", args=[market.store_a.pk]))
    assert r.status_code == 200
    r = client.post(
        reverse("market:seller_product_create", args=[market.store_a.pk]),
        {
            "title": "Gạo nếp cái hoa vàng",
            "category": "",
            "variant_count": "3",
            "v0-label": "1 kg",
            "v0-price": "-5",
            "v0-stock": "3",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Choose a category" in body or "Chọn danh mục" in body
    from htxso.market.models import Category

    r = client.post(
        reverse("market:seller_product_create", args=[market.store_a.pk]),
        {
            "title": "Gạo nếp cái hoa vàng",
            "category": Category.objects.get(slug="gao").pk,
            "variant_count": "3",
            "v0-label": "1 kg",
            "v0-price": "45.000",
            "v0-stock": "30",
        },
    )
    assert r.status_code == 302
    assert client.get(r["Location"]).status_code == 200
    # Another store's product: 404.
    r = client.get(reverse("market:seller_product_edit", args=[market.coffee.pk]))
    assert r.status_code == 404


def test_officer_verifies_store_of_own_province_only(client, world):
    from .fixtures_market import make_store

    store = make_store(world, "a1", "HTX mới", verify=False)
    Store.objects.filter(pk=store.pk).update(status=StoreStatus.PENDING)
    client.force_login(world.users["officer_b"])
    url = reverse("market:officer_store", args=[store.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.users["officer_a"])
    assert client.get(reverse("market:moderation")).status_code == 200
    assert client.get(url).status_code == 200
    client.post(url, {"action": "reject", "reason": ""})
    store.refresh_from_db()
    assert store.status == "pending"
    client.post(url, {"action": "verify"})
    store.refresh_from_db()
    assert store.status == "verified" and store.verified_by == world.users["officer_a"]


@pytest.mark.parametrize("n", [3, 12])
def test_query_counts_are_fixed(client, market, django_assert_max_num_queries, n):
    for i in range(n):
        make_product(market.store_a, f"Mật ong rừng số {i}", cat="mat-ong-nguyen-chat")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("market:home"), {"q": "mat ong"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("market:home")).status_code == 200
    with django_assert_max_num_queries(10):
        r = client.get(reverse("market:store_detail", args=[market.store_a.slug]))
        assert r.status_code == 200
    with django_assert_max_num_queries(10):
        r = client.get(reverse("market:product_detail", args=[market.honey.pk]))
        assert r.status_code == 200


def test_guest_cart_joins_the_account_cart_at_sign_in(client, market):
    from htxso.market.models import Cart

    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 2})
    buyer = market.world.users["buyer"]
    mine = Cart.objects.create(user=buyer)
    from htxso.market.services.cart import cart_add

    cart_add(cart=mine, variant_id=v(market.coffee).pk, quantity=1)
    client.force_login(buyer)
    r = client.get(reverse("market:cart"))
    assert r.status_code == 200
    assert Cart.objects.filter(user=buyer).get().lines.get().quantity == 3
    assert not Cart.objects.filter(user__isnull=True).exists()


def test_report_pages_and_english(client, market):
    r = client.get(reverse("market:report"), {"san_pham": market.coffee.pk})
    assert r.status_code == 200
    r = client.post(reverse("market:report"), {"product": market.coffee.pk, "reason": "nope"})
    assert r.status_code == 400
    r = client.post(reverse("market:report"), {"product": market.coffee.pk, "reason": "spoiled"})
    assert r.status_code == 302
    from htxso.market.models import Report

    assert Report.objects.get().province_id == "66"
    client.cookies["django_language"] = "en"
    r = client.get(reverse("market:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200


def test_checkout_page_shows_the_new_price(client, market):
    from htxso.market.models import Variant

    client.post(reverse("market:cart_add"), {"variant": v(market.coffee).pk, "quantity": 1})
    Variant.objects.filter(pk=v(market.coffee).pk).update(price=99000)
    r = client.post(reverse("market:checkout"), {**BUYER, "idempotency_key": "price-change-1"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "99.000" in body and "120.000" in body
    assert Order.objects.count() == 0
    r = client.post(reverse("market:checkout"), {**BUYER, "idempotency_key": "price-change-1"})
    assert r.status_code == 302
    assert Order.objects.get().total == 99000
