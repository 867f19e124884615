"""A refused write answers 403 or 404 and changes nothing (issue 11, item 7): never a
flash message and a redirect that looks like success."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.market.models import Order, Store, StoreStatus

from .fixtures_market import STORE_DATA, add, make_store, new_cart, place, ward_in

pytestmark = pytest.mark.django_db


def v(product, i=0):
    return list(product.variants.order_by("position"))[i]


def test_another_stores_order_is_not_moved(client, market):
    cart = new_cart()
    add(cart, v(market.coffee))  # the coffee is b1's
    (order,) = place(cart)
    client.force_login(market.world.users["manager_a1"])
    r = client.post(reverse("market:seller_order", args=[order.pk]), {"to_state": "confirmed"})
    assert r.status_code == 404
    assert Order.objects.get(pk=order.pk).state == "placed"


def test_officer_of_another_province_cannot_decide_a_store(client, world):
    store = make_store(world, "a1", "HTX chờ duyệt", verify=False)
    Store.objects.filter(pk=store.pk).update(status=StoreStatus.PENDING)
    client.force_login(world.users["officer_b"])
    url = reverse("market:officer_store", args=[store.pk])
    assert client.post(url, {"action": "reject", "reason": "Không"}).status_code == 404
    assert Store.objects.get(pk=store.pk).status == StoreStatus.PENDING


def _member_store_data(world, kind):
    return {
        **STORE_DATA,
        "organisation": str(world.orgs["a1"].pk),
        "name": "Hộ X",
        "kind": kind,
        "household_name": "Hộ X" if kind == "household" else "",
        "pickup_ward": ward_in(world.orgs["a1"].province_id),
    }


def test_a_member_may_not_open_the_cooperatives_store(client, market):
    """A member runs only their household's store; opening the cooperative's store is
    the manager's: refused (403), nothing created."""
    world = market.world
    client.force_login(world.users["member_a1"])
    data = _member_store_data(world, "cooperative")
    assert client.post(reverse("market:store_create"), data).status_code == 403
    assert not Store.objects.filter(name="Hộ X").exists()


def test_a_member_household_opens_and_runs_its_own_store(client, market):
    world = market.world
    member = world.users["member_a1"]
    client.force_login(member)
    data = _member_store_data(world, "household")
    assert client.post(reverse("market:store_create"), data).status_code == 302
    store = Store.objects.get(name="Hộ X")
    assert store.owner == member and store.kind == "household"
    assert client.get(reverse("market:seller_store", args=[store.pk])).status_code == 200
    # the cooperative's own store stays the manager's (tests/permissions/pages.tsv: 404)
    other = make_store(world, "a1", "HTX bán hàng", verify=False)
    assert client.get(reverse("market:seller_store", args=[other.pk])).status_code == 404


def test_buyer_cannot_cancel_a_confirmed_order(client, market):
    from htxso.core.actors import SCHEDULER
    from htxso.market.services.orders import order_transition

    cart = new_cart()
    add(cart, v(market.coffee))
    (order,) = place(cart)
    session = client.session
    session["market_checkouts"] = [order.checkout.token]
    session.save()
    order_transition(actor=SCHEDULER, order=order, to_state="confirmed")
    url = reverse("market:order_detail", args=[order.code])
    assert client.post(url, {"action": "cancel", "reason": "x"}).status_code == 403
    assert Order.objects.get(pk=order.pk).state == "confirmed"
