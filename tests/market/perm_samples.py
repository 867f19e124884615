"""Permission-test samples for the market pages and API (read by tests/permissions/samples.py)."""

from __future__ import annotations

SELLERS_A1 = {"vca", "manager_a1"}
OFFICERS_04 = {"vca", "officer_a"}


def sample_data(w):
    """A verified store of a1 with one product, an order by the buyer, an open report."""
    from htxso.market.models import Order, Report, Store

    store = Store.objects.filter(slug="perm-cho-a1").first()
    if store is not None:
        return (
            store,
            store.products.get(),
            Order.objects.get(store=store),
            Report.objects.get(product__store=store),
        )
    from htxso.market.models import Category, StoreStatus

    from .fixtures_market import ensure_categories

    ensure_categories()
    from htxso.market.services import cart as cart_svc
    from htxso.market.services import catalogue, orders, reviews, stores

    store = stores.store_create(
        actor=w.users["manager_a1"],
        organisation=w.orgs["a1"],
        data={
            "name": "Gian hàng mẫu quyền",
            "offers_pickup": "1",
            "pickup_address": "Thôn 2",
            "pickup_ward": "01273",
            "offers_delivery": "",
            "bank_bin": "970436",
            "bank_account": "0011009999",
        },
    )
    Store.objects.filter(pk=store.pk).update(slug="perm-cho-a1", status=StoreStatus.VERIFIED)
    store.refresh_from_db()
    product = catalogue.product_save(
        actor=w.users["manager_a1"],
        store=store,
        data={
            "title": "Mật ong mẫu quyền",
            "category": Category.objects.get(slug="mat-ong-nguyen-chat").pk,
        },
        variants=[{"label": "500 ml", "price": 200000, "stock": 50}],
    )
    from htxso.market.models import Cart

    cart = Cart.objects.create(user=w.users["buyer"])
    cart_svc.cart_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
    orders.checkout_place(
        actor=w.users["buyer"],
        cart=cart,
        idempotency_key="perm-sample-order",
        data={
            "buyer_name": "Người mua",
            "buyer_phone": "0912345678",
            "fulfilment": "pickup",
            "payment_method": "vietqr",
        },
    )
    from htxso.core.actors import PUBLIC

    reviews.report_create(actor=PUBLIC, product=product, reason="wrong_info", detail="Sai")
    return sample_data(w)


def _store(w):
    return {"store_id": sample_data(w)[0].pk}, SELLERS_A1


def _store_officer(w):
    return {"store_id": sample_data(w)[0].pk}, OFFICERS_04


SAMPLES = {
    "market:store_detail": lambda w: ({"store_slug": sample_data(w)[0].slug}, None),
    "market:product_detail": lambda w: ({"product_id": sample_data(w)[1].pk}, None),
    "market:checkout_done": lambda w: ({"checkout_token": sample_data(w)[2].checkout.token}, None),
    "market:order_detail": lambda w: ({"order_code": sample_data(w)[2].code}, {"buyer"}),
    "market:order_qr": lambda w: ({"order_code": sample_data(w)[2].code}, {"buyer"}),
    "market:seller_store": _store,
    "market:seller_products": _store,
    "market:seller_product_create": _store,
    "market:seller_orders": _store,
    "market:seller_product_edit": lambda w: ({"product_id": sample_data(w)[1].pk}, SELLERS_A1),
    "market:seller_product_preview": lambda w: (
        {"product_id": sample_data(w)[1].pk},
        SELLERS_A1,
    ),
    "market:seller_order": lambda w: ({"order_id": sample_data(w)[2].pk}, SELLERS_A1),
    "market:officer_store": _store_officer,
    "market:officer_report": lambda w: ({"report_id": sample_data(w)[3].pk}, OFFICERS_04),
}

POST_ONLY = {"market:cart_add", "market:cart_update"}

API_SAMPLES = {
    "/api/v1/market/products/{market_product_id}": lambda w: {
        "market_product_id": sample_data(w)[1].pk
    },
    "/api/v1/market/stores/{market_store_slug}": lambda w: {
        "market_store_slug": sample_data(w)[0].slug
    },
    # the buyer's order
    "/api/v1/market/my/orders/{market_order_code}": lambda w: {
        "market_order_code": sample_data(w)[2].code
    },
    "/api/v1/market/my/orders/{market_order_code}/vietqr.png": lambda w: {
        "market_order_code": sample_data(w)[2].code
    },
    # a1's store and an order of it
    "/api/v1/market/seller/stores/{market_store_id}/orders": lambda w: {
        "market_store_id": sample_data(w)[0].pk
    },
    "/api/v1/market/seller/stores/{market_store_id}/products": lambda w: {
        "market_store_id": sample_data(w)[0].pk
    },
    "/api/v1/market/seller/orders/{market_order_id}/transition": lambda w: {
        "market_order_id": sample_data(w)[2].pk
    },
}
