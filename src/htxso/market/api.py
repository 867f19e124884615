"""API of the market app, mounted under /api/v1/market/.

* Public catalogue (read): categories, products (search and filters), one product,
  stores, one store.
* Buyer: the signed-in user's own orders.
* Seller: the orders and products of stores the user runs; order state changes.

Errors are JSON with a stable ``code`` (``core.errors.ServiceError``, turned into JSON
by ``core.api``).
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import route
from htxso.core.errors import Kind, ServiceError
from htxso.core.policy import allowed, holds
from htxso.core.schemas import Id, NonNegative, Offset, Text

from . import selectors
from .models import Order, OrderState, Product, Store
from .payment import order_payment, order_qr_png
from .search import SearchFilters, parse_query, search_products
from .services import orders as order_svc

router = Router(tags=["market"])


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str
    parent_id: int | None


class VariantOut(Schema):
    id: int
    label: str
    price: int = Field(description="VND")
    stock: int


class ProductOut(Schema):
    id: int
    title: str
    title_en: str
    unit: str
    category_id: int
    store_slug: str
    store_name: str
    province_code: str
    province: str
    min_price: int = Field(description="Lowest price of the sizes for sale, VND")
    in_stock: bool
    ocop_stars: int | None = Field(None, description="Only when backed by a valid OCOP record")
    ethnic_minority_producer: bool
    rating: float | None
    rating_count: int
    thumbnail: str | None
    url: str


class ProductDetailOut(ProductOut):
    description: str = Field(description="Sanitised HTML")
    description_en: str
    shelf_life_days: int | None
    origin_ward: str | None
    variants: list[VariantOut]
    images: list[str]


class StoreOut(Schema):
    slug: str
    name: str
    kind: str
    organisation: str
    province_code: str
    province: str
    offers_pickup: bool
    #: The ward (new administrative units) where buyers pick up; null without pickup.
    pickup_ward_code: str | None
    #: "street, ward, province", empty without pickup.
    pickup_place: str
    offers_delivery: bool
    delivery_fee: int


class OrderLineOut(Schema):
    title: str
    variant_label: str
    unit_price: int
    quantity: int
    line_total: int


class OrderOut(Schema):
    id: int
    code: str
    store_slug: str
    store_name: str
    state: str
    state_reason: str
    payment_method: str
    fulfilment: str
    subtotal: int
    delivery_fee: int
    total: int
    placed_at: dt.datetime
    expires_at: dt.datetime | None
    paid_at: dt.datetime | None
    lines: list[OrderLineOut]


class BuyerOrderOut(OrderOut):
    vietqr_payload: str | None = Field(
        description=(
            "While the order awaits a VietQR bank transfer: the EMVCo/NAPAS VietQR string "
            "(the seller's account, the total as amount, the order code as transfer note) "
            "to show as a QR code or hand to a banking app. Null once paid, for cash on "
            "delivery, and for closed orders."
        )
    )
    vietqr_image_url: str | None = Field(
        description=(
            "While the order awaits payment: absolute URL of a PNG of that QR code with the "
            "amount and transfer note printed under it (GET with the same credentials; "
            "only the order's buyer may fetch it). Null otherwise."
        )
    )


class SellerOrderOut(OrderOut):
    buyer_name: str
    buyer_phone: str
    address: str
    ward: str | None
    note: str
    next_states: list[str]


class SellerProductOut(Schema):
    id: int
    title: str
    status: str
    min_price: int
    in_stock: bool
    variants: list[VariantOut]


class ProductQuery(Schema):
    q: Text = Field("", max_length=120, description="Words, accents optional, small typos ok")
    category: Id | None = None
    province: str = Field("", pattern=r"^(\d{2})?$")
    ocop: int | None = Field(None, ge=3, le=5, description="At least this many OCOP stars")
    min_price: NonNegative | None = None
    max_price: NonNegative | None = None
    sort: str = Field("relevance", pattern=r"^(relevance|price_asc|price_desc|newest)$")
    limit: int = Field(24, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10000)


class TransitionIn(Schema):
    to_state: str = Field(pattern=r"^[a-z]{4,12}$")
    reason: Text = Field("", max_length=500)
    reference: Text = Field("", max_length=100)


def _product(p: Product) -> dict:
    from django.urls import reverse

    images = list(p.images.all())
    return {
        "id": p.pk,
        "title": p.title,
        "title_en": p.title_en,
        "unit": p.unit,
        "category_id": p.category_id,
        "store_slug": p.store.slug,
        "store_name": p.store.name,
        "province_code": p.province_id,
        "province": p.province.name,
        "min_price": p.min_price,
        "in_stock": p.in_stock,
        "ocop_stars": p.ocop_stars,
        "ethnic_minority_producer": p.ethnic_minority_producer,
        "rating": p.rating,
        "rating_count": p.rating_count,
        "thumbnail": images[0].thumb.url if images else None,
        "url": reverse("market:product_detail", args=[p.pk]),
    }


def _order(o: Order) -> dict:
    return {
        "id": o.pk,
        "code": o.code,
        "store_slug": o.store.slug,
        "store_name": o.store.name,
        "state": o.state,
        "state_reason": o.state_reason,
        "payment_method": o.payment_method,
        "fulfilment": o.fulfilment,
        "subtotal": o.subtotal,
        "delivery_fee": o.delivery_fee,
        "total": o.total,
        "placed_at": o.placed_at,
        "expires_at": o.expires_at,
        "paid_at": o.paid_at,
        "lines": [
            {
                "title": ln.title,
                "variant_label": ln.variant_label,
                "unit_price": ln.unit_price,
                "quantity": ln.quantity,
                "line_total": ln.line_total,
            }
            for ln in o.lines.all()
        ],
    }


def _buyer_order(request, o: Order) -> dict:
    from django.urls import reverse

    payment = order_payment(o)
    return {
        **_order(o),
        "vietqr_payload": payment.payload if payment else None,
        "vietqr_image_url": request.build_absolute_uri(
            reverse("api:market_my_order_qr", args=[o.code])
        )
        if payment
        else None,
    }


def _seller_order(o: Order) -> dict:
    return {
        **_order(o),
        "buyer_name": o.buyer_name,
        "buyer_phone": o.buyer_phone,
        "address": o.address,
        "ward": o.ward.name if o.ward_id else None,
        "note": o.note,
        "next_states": order_svc.allowed_next(o),
    }


def _store(s: Store) -> dict:
    return {
        "slug": s.slug,
        "name": s.name,
        "kind": s.kind,
        "organisation": s.organisation.name if s.organisation_id else "",
        "province_code": s.province_id,
        "province": s.province.name,
        "offers_pickup": s.offers_pickup,
        "pickup_ward_code": s.pickup_ward_id if s.offers_pickup else None,
        "pickup_place": s.pickup_place,
        "offers_delivery": s.offers_delivery,
        "delivery_fee": s.delivery_fee,
    }


def _not_found(what: str):
    return ServiceError("not_found", _("Not found."), details={"object": what}, kind=Kind.NOT_FOUND)


# ------------------------------------------------------------------ public catalogue


@route(router.get, "/categories", public=True, response=list[CategoryOut])
def categories(request):
    from .models import Category

    return list(
        Category.objects.order_by("parent_id", "position").values(
            "id", "slug", "name", "name_en", "parent_id"
        )
    )


@route(router.get, "/products", public=True, response=list[ProductOut])
def products(request, filters: Query[ProductQuery]):
    from .models import Category

    cats = []
    if filters.category:
        cats = [
            filters.category,
            *Category.objects.filter(parent_id=filters.category).values_list("pk", flat=True),
        ]
    f = SearchFilters(
        query=filters.q,
        category_ids=cats,
        province=filters.province or None,
        min_stars=filters.ocop,
        min_price=filters.min_price,
        max_price=filters.max_price,
        sort=filters.sort,
    )
    qs = selectors.product_card_list(search_products(f, parsed=parse_query(f.query)))
    return [_product(p) for p in qs[filters.offset : filters.offset + filters.limit]]


@route(router.get, "/products/{market_product_id}", public=True, response=ProductDetailOut)
def product(request, market_product_id: Id):
    try:
        p = selectors.public_product(market_product_id)
    except Http404:
        raise _not_found("Product") from None
    return {
        **_product(p),
        "description": p.description,
        "description_en": p.description_en,
        "shelf_life_days": p.shelf_life_days,
        "origin_ward": p.origin_ward.name if p.origin_ward_id else None,
        "variants": [
            {"id": v.pk, "label": v.label, "price": v.price, "stock": v.stock}
            for v in p.variants.all()
        ],
        "images": [i.image.url for i in p.images.all()],
    }


@route(router.get, "/stores", public=True, response=list[StoreOut])
def stores(request, limit: int = Query(50, ge=1, le=200), offset: Offset = 0):
    qs = selectors.public_stores().order_by("name")[offset : offset + limit]
    return [_store(s) for s in qs]


@route(router.get, "/stores/{market_store_slug}", public=True, response=StoreOut)
def store(request, market_store_slug: str):
    try:
        return _store(selectors.public_store(market_store_slug[:140]))
    except Http404:
        raise _not_found("Store") from None


# ------------------------------------------------------------------ buyer


@route(router.get, "/my/orders", authenticated=True, response=list[BuyerOrderOut])
def my_orders(request):
    qs = selectors.buyer_orders(request.user).prefetch_related("lines")[:200]
    return [_buyer_order(request, o) for o in qs]


def _my_order(request, code: str) -> Order:
    o = (
        selectors.buyer_orders(request.user)
        .prefetch_related("lines")
        .filter(code=code[:12])
        .first()
    )
    if o is None:
        raise _not_found("Order")
    return o


@route(router.get, "/my/orders/{market_order_code}", authenticated=True, response=BuyerOrderOut)
def my_order(request, market_order_code: str):
    return _buyer_order(request, _my_order(request, market_order_code))


@route(
    router.get,
    "/my/orders/{market_order_code}/vietqr.png",
    authenticated=True,
    url_name="market_my_order_qr",
    summary="The VietQR code of your unpaid order as a PNG",
    description=(
        "The QR code with the amount and transfer note printed under it, to save on the "
        "phone the order was placed on. 404 when the order is not yours or does not await "
        "a VietQR payment."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "PNG image",
                "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def my_order_qr(request, market_order_code: str):
    from django.http import HttpResponse

    payment = order_payment(_my_order(request, market_order_code))
    if payment is None:
        raise ServiceError(
            "no_payment_due",
            _("This order does not await a VietQR payment."),
            kind=Kind.NOT_FOUND,
        )
    response = HttpResponse(order_qr_png(payment), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ seller


def _seller_store(request, store_id: int) -> Store:
    store = selectors.seller_stores(request.user).filter(pk=store_id).first()
    if store is None and holds(request.user, roles.VCA):
        store = Store.objects.filter(pk=store_id).first()
    if store is None:
        raise _not_found("Store")
    return store


@route(
    router.get,
    "/seller/stores/{market_store_id}/orders",
    roles=roles.SELLERS,
    response=list[SellerOrderOut],
)
def seller_orders(
    request,
    market_store_id: Id,
    state: str = Query(
        "",
        pattern=r"^(placed|confirmed|paid|shipped|delivered|completed|cancelled|refunded|expired)?$",
    ),
    limit: int = Query(50, ge=1, le=200),
    offset: Offset = 0,
):
    store = _seller_store(request, market_store_id)
    qs = selectors.seller_orders(request.user, store, state or None).select_related("store", "ward")
    return [_seller_order(o) for o in qs[offset : offset + limit]]


@route(
    router.get,
    "/seller/stores/{market_store_id}/products",
    roles=roles.SELLERS,
    response=list[SellerProductOut],
)
def seller_products(request, market_store_id: Id):
    store = _seller_store(request, market_store_id)
    qs = store.products.prefetch_related("variants").order_by("-updated_at")[:500]
    return [
        {
            "id": p.pk,
            "title": p.title,
            "status": p.status,
            "min_price": p.min_price,
            "in_stock": p.in_stock,
            "variants": [
                {"id": v.pk, "label": v.label, "price": v.price, "stock": v.stock}
                for v in p.variants.all()
                if v.is_active
            ],
        }
        for p in qs
    ]


@route(
    router.post,
    "/seller/orders/{market_order_id}/transition",
    roles=roles.SELLERS,
    response=SellerOrderOut,
    summary="Move an order of your store to its next state",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TransitionIn.model_json_schema()}},
        }
    },
)
def seller_order_transition(request, market_order_id: Id):
    import json

    from pydantic import ValidationError as PydanticError

    order = allowed(Order, request.user, "change").filter(pk=market_order_id).first()
    if order is None:
        raise _not_found("Order")
    try:
        data = TransitionIn.model_validate(json.loads(request.body or b"{}"))
    except (ValueError, UnicodeDecodeError, PydanticError) as exc:
        raise ServiceError(
            "invalid_body", _("The body must be JSON with to_state (and reason).")
        ) from exc
    if data.to_state not in OrderState.values:
        raise ServiceError("bad_state", _("Unknown order state."))
    order = order_svc.order_transition(
        actor=request.user,
        order=order,
        to_state=data.to_state,
        reason=data.reason,
        reference=data.reference,
    )
    order = Order.objects.select_related("store", "ward").prefetch_related("lines").get(pk=order.pk)
    return _seller_order(order)
