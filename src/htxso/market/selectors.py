"""Reads of the market, taking the acting user first where scoping applies."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import (
    Category,
    Order,
    OrderState,
    Product,
    ProductImage,
    Report,
    ReportStatus,
    Review,
    ReviewStatus,
    Store,
    StoreStatus,
    Variant,
)
from .search import public_products


def categories_tree() -> list[Category]:
    """Top-level categories with their children (two queries)."""
    return list(
        Category.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Category.objects.order_by("position", "name"))
        )
    )


def product_cards(qs: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card needs, in a fixed number of queries.  (The OCOP check compares
    the record's organisation with ``store.organisation_id``: no organisation row.)"""
    return qs.select_related("store", "province", "ocop").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )


#: Columns no card in a list shows: long texts, moderation notes, stored search words.
CARD_DEFERRED = (
    "description",
    "description_en",
    "status_reason",
    "search_text",
    "search_title",
    "store__description",
    "store__delivery_note",
    "store__status_reason",
    "store__search_text",
)


def product_card_list(qs: QuerySet[Product]) -> QuerySet[Product]:
    """Cards of a list (search results, a store's products, the API list): as
    :func:`product_cards` without the columns in :data:`CARD_DEFERRED`, so a page of 24
    cards reads and builds less.  Code that shows a listed product in full loads it
    again with :func:`public_product`."""
    return product_cards(qs).defer(*CARD_DEFERRED)


def public_product(product_id) -> Product:
    from django.http import Http404

    try:
        return (
            product_cards(public_products())
            .select_related(
                "category__parent",
                "origin_ward",
                "store__organisation__province",
                "store__province",
            )
            .prefetch_related(
                Prefetch(
                    "variants",
                    queryset=Variant.objects.filter(is_active=True).order_by("position", "price"),
                )
            )
            .get(pk=int(product_id))
        )
    except (Product.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def product_reviews(product: Product, limit: int = 20) -> list[Review]:
    return list(product.reviews.filter(status=ReviewStatus.VISIBLE).order_by("-created_at")[:limit])


def public_store(slug: str) -> Store:
    from django.http import Http404

    try:
        return Store.objects.select_related(
            "organisation__province", "province", "pickup_ward__province"
        ).get(slug=slug, status=StoreStatus.VERIFIED)
    except Store.DoesNotExist as exc:
        raise Http404 from exc


def public_stores() -> QuerySet[Store]:
    return Store.objects.filter(status=StoreStatus.VERIFIED).select_related(
        "organisation__province", "province", "pickup_ward__province"
    )


def seller_stores(user) -> QuerySet[Store]:
    """Stores the user runs: of organisations they manage, or their household's."""
    if not user.is_authenticated:
        return Store.objects.none()
    return (
        Store.objects.allowed(user, "sell")
        .select_related("organisation__province", "province")
        .order_by("name")
    )


def seller_orders(user, store: Store, state: str | None = None) -> QuerySet[Order]:
    qs = Order.objects.allowed(user, "change").filter(store=store).prefetch_related("lines")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-placed_at", "-id")


def buyer_orders(user) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(buyer=user).select_related("store").order_by("-placed_at")


def order_for_buyer(request, code: str) -> Order:
    """An order the requester bought: their account's, or one of a checkout whose token
    they hold (guests, kept in the session)."""
    from django.http import Http404

    tokens = set(request.session.get("market_checkouts", []))
    order = (
        Order.objects.select_related(
            "store__organisation__province",
            "store__province",
            "store__pickup_ward__province",
            "ward",
            "checkout",
        )
        .prefetch_related("lines")
        .filter(code=str(code)[:12])
        .first()
    )
    if order is None:
        raise Http404
    if request.user.is_authenticated and order.buyer_id == request.user.pk:
        return order
    if order.checkout.token in tokens:
        return order
    raise Http404


def moderation_queue(user) -> dict:
    """Stores waiting for verification and open reports in the officer's provinces."""
    return {
        "pending_stores": list(
            Store.objects.allowed(user, "verify")
            .filter(status=StoreStatus.PENDING)
            .select_related("organisation__province", "province")
        ),
        "reports": list(
            Report.objects.allowed(user, "resolve")
            .filter(status=ReportStatus.OPEN)
            .select_related("product", "review__product")[:100]
        ),
    }


OPEN_STATES = (OrderState.PLACED, OrderState.CONFIRMED, OrderState.PAID, OrderState.SHIPPED)
