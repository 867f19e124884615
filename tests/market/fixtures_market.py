"""Market test data built with the real services (stores, products, carts)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from types import SimpleNamespace

import pytest
from django.utils import timezone

from htxso.core.actors import OPERATOR, PUBLIC
from htxso.core.errors import Kind, ServiceError
from htxso.market.models import Cart, Category, Store, StoreStatus
from htxso.market.services import cart as cart_svc
from htxso.market.services import catalogue as catalogue_svc
from htxso.market.services import orders as order_svc
from htxso.market.services import stores as store_svc

STORE_DATA = {
    "offers_pickup": "1",
    "offers_delivery": "1",
    "pickup_address": "Thôn 1",
    "pickup_ward": "01273",  # Phường Thục Phán, Cao Bằng (province of the "a" orgs)
    "delivery_fee": "30.000",
    "bank_bin": "970436",
    "bank_account": "0011001234567",
    "bank_account_name": "HTX Test",
}


def ensure_categories() -> None:
    """The category tree comes from a data migration; a transactional test's flush
    empties it, so put it back when missing (as tests/conftest.py does for other
    reference data)."""
    if not Category.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("htxso.market.migrations.0002_seed_categories").seed(apps, None)


def make_store(world, key: str, name: str, *, verify=True) -> Store:
    ensure_categories()
    manager = world.users[f"manager_{key}"]
    org = world.orgs[key]
    store = store_svc.store_create(
        actor=manager,
        organisation=org,
        data={**STORE_DATA, "name": name, "pickup_ward": ward_in(org.province_id)},
    )
    if verify:
        Store.objects.filter(pk=store.pk).update(
            status=StoreStatus.VERIFIED, verified_at=timezone.now()
        )
        store.refresh_from_db()
    return store


def ward_in(province_code: str) -> str:
    """A ward code of the province (the first in the picker's order)."""
    from htxso.geo.models import Ward

    return Ward.objects.filter(province_id=province_code).order_by("search_text", "code")[0].pk


def category(slug: str) -> Category:
    ensure_categories()
    return Category.objects.get(slug=slug)


def make_product(store, title, *, cat="ca-phe", variants=None, actor=None, **extra):
    actor = actor or store.owner or OPERATOR
    data = {"title": title, "category": category(cat).pk, "unit": "gói", **extra}
    if category(cat).perishable and "shelf_life_days" not in data:
        data["shelf_life_days"] = 5
    return catalogue_svc.product_save(
        actor=actor,
        store=store,
        data=data,
        variants=variants or [{"label": "500 g", "price": 120000, "stock": 20}],
    )


def new_cart() -> Cart:
    return Cart.objects.create(session_key=secrets.token_hex(16))


BUYER = {
    "buyer_name": "Nguyễn Văn An",
    "buyer_phone": "0912 345 678",
    "ward": "",
    "address": "Số 1 Hàng Bài",
    "fulfilment": "pickup",
    "payment_method": "vietqr",
}


def place(cart, *, actor=None, key=None, **data):
    """Check out ``cart`` as ``actor`` (default: a guest, ``PUBLIC``)."""
    return order_svc.checkout_place(
        actor=actor or PUBLIC,
        cart=cart,
        data={**BUYER, **data},
        idempotency_key=key or secrets.token_hex(8),
    )


def add(cart, variant, qty=1):
    return cart_svc.cart_add(cart=cart, variant_id=variant.pk, quantity=qty)


@pytest.fixture
def market(world):
    a = make_store(world, "a1", "Gian hàng Hợp Giang")
    b = make_store(world, "b1", "Cà phê Ea Tu")
    coffee = make_product(
        b,
        "Cà phê Đắk Lắk rang xay",
        cat="ca-phe",
        description="<p>Cà phê <strong>Robusta</strong></p>",
    )
    honey = make_product(
        a,
        "Mật ong bạc hà Cao Bằng",
        cat="mat-ong-nguyen-chat",
        variants=[
            {"label": "250 ml", "price": 150000, "stock": 10},
            {"label": "500 ml", "price": 280000, "stock": 5},
        ],
    )
    tea = make_product(a, "Chè Shan tuyết", cat="che-tra")
    return SimpleNamespace(store_a=a, store_b=b, coffee=coffee, honey=honey, tea=tea, world=world)


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@contextlib.contextmanager
def refused():
    """The service refuses the actor (``forbidden`` or ``not_found``: the page answers
    403 or 404), as ``PermissionDenied`` did before issue 11."""
    with pytest.raises(ServiceError) as exc:
        yield exc
    assert exc.value.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND), exc.value.kind
