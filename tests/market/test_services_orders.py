"""Orders: placement per store, stock reservation, idempotency, price changes, states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from htxso.core.actors import PUBLIC, SCHEDULER
from htxso.core.errors import ServiceError
from htxso.market.models import Order, OrderState, Payment, Variant
from htxso.market.services import orders as order_svc

from .fixtures_market import add, new_cart, place, refused

pytestmark = pytest.mark.django_db


def v(product, i=0):
    return list(product.variants.order_by("position"))[i]


def test_checkout_splits_per_store_and_reserves_stock(market):
    cart = new_cart()
    add(cart, v(market.coffee), 2)
    add(cart, v(market.honey, 1), 1)
    orders = place(cart)
    assert len(orders) == 2
    assert {o.store_id for o in orders} == {market.store_a.pk, market.store_b.pk}
    coffee_order = next(o for o in orders if o.store_id == market.store_b.pk)
    assert coffee_order.subtotal == 240000 and coffee_order.total == 240000  # pickup: no fee
    assert coffee_order.code.startswith("DH") and len(coffee_order.code) == 8
    assert coffee_order.lines.get().unit_price == 120000
    assert Variant.objects.get(pk=v(market.coffee).pk).stock == 18
    assert Variant.objects.get(pk=v(market.honey, 1).pk).stock == 4
    assert coffee_order.expires_at is not None
    assert not cart.lines.exists()


def test_delivery_adds_fee_and_needs_address(market):
    cart = new_cart()
    add(cart, v(market.coffee))
    with pytest.raises(ValidationError) as exc:
        place(cart, fulfilment="delivery", address="", ward="")
    assert "ward" in exc.value.error_dict and "address" in exc.value.error_dict
    (order,) = place(cart, fulfilment="delivery", ward="00004", address="12 Lê Lợi")
    assert order.delivery_fee == 30000 and order.total == 150000


def test_same_idempotency_key_is_one_order(market):
    cart = new_cart()
    add(cart, v(market.coffee), 3)
    first = place(cart, key="double-click-1")
    add(cart, v(market.coffee), 1)  # even if the cart changed meanwhile
    second = place(cart, key="double-click-1")
    assert [o.pk for o in first] == [o.pk for o in second]
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=v(market.coffee).pk).stock == 17


def test_more_than_stock_is_refused_and_nothing_saved(market):
    cart = new_cart()
    add(cart, v(market.honey), 10)
    add(cart, v(market.coffee), 1)
    Variant.objects.filter(pk=v(market.honey).pk).update(stock=3)
    with pytest.raises(ServiceError) as exc:
        place(cart)
    assert exc.value.code == "not_enough_stock"
    assert Order.objects.count() == 0
    assert Variant.objects.get(pk=v(market.coffee).pk).stock == 20  # rolled back
    assert Variant.objects.get(pk=v(market.honey).pk).stock == 3
    assert cart.lines.count() == 2


def test_cart_refuses_more_than_stock_and_bad_quantities(market):
    cart = new_cart()
    for bad in (0, -1, "abc", 1000):
        with pytest.raises(ServiceError) as exc:
            add(cart, v(market.coffee), bad)
        assert exc.value.code == "bad_quantity"
    with pytest.raises(ServiceError) as exc:
        add(cart, v(market.coffee), 21)
    assert exc.value.code == "not_enough_stock"


def test_price_change_during_checkout_is_refused_with_new_price(market):
    cart = new_cart()
    add(cart, v(market.coffee), 1)
    Variant.objects.filter(pk=v(market.coffee).pk).update(price=135000)
    with pytest.raises(ServiceError) as exc:
        place(cart)
    assert exc.value.code == "price_changed"
    assert exc.value.details[0]["old"] == 120000 and exc.value.details[0]["new"] == 135000
    assert Order.objects.count() == 0
    # The buyer saw the new price; confirming again places it at that price.
    (order,) = place(cart)
    assert order.lines.get().unit_price == 135000


@pytest.mark.parametrize("phone", ["+1 202 555 0100", "12345", "0123 456 789", "", "091234567a"])
def test_non_vietnamese_phone_is_refused(market, phone):
    cart = new_cart()
    add(cart, v(market.coffee))
    with pytest.raises(ValidationError) as exc:
        place(cart, buyer_phone=phone)
    assert "buyer_phone" in exc.value.error_dict
    assert Order.objects.count() == 0


def test_phone_is_stored_national(market):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart, buyer_phone="+84 912 345 678")
    assert order.buyer_phone == "0912345678"


def test_vietqr_needs_a_bank_account(market):
    market.store_b.bank_bin = market.store_b.bank_account = ""
    market.store_b.save()
    cart = new_cart()
    add(cart, v(market.coffee))
    with pytest.raises(ServiceError) as exc:
        place(cart)
    assert exc.value.code == "vietqr_unavailable"
    (order,) = place(cart, payment_method="cod")
    assert order.expires_at is None


def test_state_machine_vietqr(market):
    seller = market.world.users["manager_b1"]
    cart = new_cart()
    add(cart, v(market.coffee), 2)
    (order,) = place(cart)
    assert order_svc.allowed_next(order) == ["confirmed", "cancelled"]
    for state in ("confirmed", "paid", "shipped", "delivered", "completed"):
        order = order_svc.order_transition(actor=seller, order=order, to_state=state)
        assert getattr(order, order_svc.TIMESTAMP[state]) is not None
    assert Payment.objects.get(order=order).amount == order.total
    assert [e.to_state for e in order.events.all()] == [
        "placed",
        "confirmed",
        "paid",
        "shipped",
        "delivered",
        "completed",
    ]
    market.coffee.refresh_from_db()
    assert market.coffee.sold_count == 2


def test_vietqr_cannot_ship_before_payment_and_cancel_needs_reason(market):
    seller = market.world.users["manager_b1"]
    cart = new_cart()
    add(cart, v(market.coffee), 2)
    (order,) = place(cart)
    order = order_svc.order_transition(actor=seller, order=order, to_state="confirmed")
    with pytest.raises(ServiceError) as exc:
        order_svc.order_transition(actor=seller, order=order, to_state="shipped")
    assert exc.value.code == "bad_transition"
    with pytest.raises(ValidationError):
        order_svc.order_transition(actor=seller, order=order, to_state="cancelled", reason=" ")
    order = order_svc.order_transition(
        actor=seller, order=order, to_state="cancelled", reason="Hết hàng"
    )
    assert order.state_reason == "Hết hàng"
    assert Variant.objects.get(pk=v(market.coffee).pk).stock == 20  # released
    with pytest.raises(ServiceError):
        order_svc.order_transition(actor=seller, order=order, to_state="confirmed")


def test_cod_flow(market):
    seller = market.world.users["manager_b1"]
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart, payment_method="cod")
    for state in ("confirmed", "shipped", "delivered", "paid", "completed"):
        order = order_svc.order_transition(actor=seller, order=order, to_state=state)
    assert order.state == OrderState.COMPLETED


def test_seller_cannot_touch_another_stores_order(market):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    with refused():
        order_svc.order_transition(
            actor=market.world.users["manager_a1"], order=order, to_state="confirmed"
        )
    order.refresh_from_db()
    assert order.state == "placed"


def test_buyer_may_cancel_only_before_confirmation(market):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    order_svc.order_transition(actor=SCHEDULER, order=order, to_state="confirmed")
    with refused():
        order_svc.order_transition(
            actor=PUBLIC, order=order, to_state="cancelled", as_buyer=True, reason="x"
        )


def test_unpaid_orders_expire_and_release_stock(market):
    cart = new_cart()
    add(cart, v(market.coffee), 5)
    (order,) = place(cart)
    cod_cart = new_cart()
    add(cod_cart, v(market.coffee), 1)
    (cod,) = place(cod_cart, payment_method="cod")
    assert order_svc.expire_unpaid() == 0
    later = timezone.now() + dt.timedelta(hours=25)
    assert order_svc.expire_unpaid(now=later) == 1
    order.refresh_from_db()
    cod.refresh_from_db()
    assert order.state == "expired" and order.expired_at and order.stock_released
    assert cod.state == "placed"
    assert Variant.objects.get(pk=v(market.coffee).pk).stock == 19
    assert order_svc.expire_unpaid(now=later) == 0  # released once


def test_reminders_until_confirmed(market, mailoutbox, django_capture_on_commit_callbacks):
    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    mailoutbox.clear()
    later = timezone.now() + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert order_svc.remind_unconfirmed(now=later) == 1
    assert order_svc.remind_unconfirmed(now=later + dt.timedelta(hours=1)) == 0  # not yet
    assert order_svc.remind_unconfirmed(now=later + dt.timedelta(hours=7)) == 1
    assert any(order.code in m.subject for m in mailoutbox)
    order_svc.order_transition(
        actor=market.world.users["manager_b1"], order=order, to_state="confirmed"
    )
    assert order_svc.remind_unconfirmed(now=later + dt.timedelta(hours=20)) == 0
