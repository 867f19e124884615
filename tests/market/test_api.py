"""Market API: public catalogue, buyer's own orders, seller scope and stable error codes."""

from __future__ import annotations

import pytest

from .fixtures_market import add, new_cart, place

pytestmark = pytest.mark.django_db


def v(product, i=0):
    return list(product.variants.order_by("position"))[i]


def test_catalogue(client, market):
    r = client.get("/api/v1/market/products", {"q": "mat ong bac haa"})
    assert r.status_code == 200
    assert r.json()[0]["title"] == "Mật ong bạc hà Cao Bằng"
    r = client.get("/api/v1/market/products", {"province": "66"})
    assert [p["title"] for p in r.json()] == ["Cà phê Đắk Lắk rang xay"]
    r = client.get(f"/api/v1/market/products/{market.honey.pk}")
    assert r.status_code == 200 and len(r.json()["variants"]) == 2
    assert client.get("/api/v1/market/products/999999").json()["code"] == "not_found"
    assert client.get("/api/v1/market/products", {"ocop": 9}).status_code in (400, 422)
    assert len(client.get("/api/v1/market/categories").json()) > 20
    assert client.get(f"/api/v1/market/stores/{market.store_a.slug}").status_code == 200


def test_buyer_sees_own_orders_only(client, market):
    buyer, other = market.world.users["buyer"], market.world.users["norole"]
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart, actor=buyer)
    client.force_login(buyer)
    assert [o["code"] for o in client.get("/api/v1/market/my/orders").json()] == [order.code]
    client.force_login(other)
    assert client.get("/api/v1/market/my/orders").json() == []
    assert client.get(f"/api/v1/market/my/orders/{order.code}").status_code == 404


def test_seller_api_scope_and_transition(client, market):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    url = f"/api/v1/market/seller/orders/{order.pk}/transition"
    client.force_login(market.world.users["manager_a1"])
    r = client.post(url, {"to_state": "confirmed"}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get(f"/api/v1/market/seller/stores/{market.store_b.pk}/orders")
    assert r.status_code == 404
    client.force_login(market.world.users["manager_b1"])
    r = client.get(f"/api/v1/market/seller/stores/{market.store_b.pk}/orders")
    assert [o["code"] for o in r.json()] == [order.code]
    assert r.json()[0]["buyer_phone"] == "0912345678"
    r = client.post(url, {"to_state": "shipped"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "bad_transition"
    r = client.post(url, {"to_state": "cancelled"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = client.post(url, "not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_body"
    r = client.post(url, {"to_state": "confirmed"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "confirmed"
    assert "paid" in r.json()["next_states"]
    r = client.get(f"/api/v1/market/seller/stores/{market.store_b.pk}/products")
    assert r.json()[0]["variants"][0]["stock"] == 19
