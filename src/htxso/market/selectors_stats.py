"""Reads for the market statistics (province and national) and the seller dashboard.

Every function runs a fixed number of aggregate queries whatever the amount of data
(guarded by ``tests/market/test_stats*.py``).

*Sales value* is the value of orders whose payment was received (``paid_at`` set) and
that were not refunded: for VietQR that is paid → shipped → delivered → completed, for
cash on delivery paid → completed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from htxso.core import roles
from htxso.core.policy import holds
from htxso.core.scoping import get_scope
from htxso.geo.models import Province

from .models import (
    Order,
    OrderLine,
    OrderState,
    Product,
    ProductStatus,
    Store,
    StoreStatus,
    Variant,
)

__all__ = [
    "LOW_STOCK",
    "PERIODS",
    "MarketStats",
    "ProvinceRow",
    "SellerDashboard",
    "market_stats",
    "seller_dashboard",
    "seller_orders",
    "seller_store_or_404",
    "stats_provinces",
]

#: Periods of the statistics page (days back from today; None = since the beginning).
PERIODS: dict[str, int | None] = {"all": None, "30": 30, "90": 90, "365": 365}
#: A variant with this many units or fewer is flagged on the seller dashboard.
LOW_STOCK = 5
TOP_CATEGORIES = 8
WEEKS = 8
#: States that count as an order the seller received (not cancelled, expired, refunded).
LIVE_STATES = ("placed", "confirmed", "paid", "shipped", "delivered", "completed")

SALES_Q = Q(paid_at__isnull=False) & ~Q(state=OrderState.REFUNDED)


# ---------------------------------------------------------------- market statistics


@dataclass
class ProvinceRow:
    code: str
    name: str
    stores: dict[str, int] = field(default_factory=dict)  # status -> n
    products_total: int = 0
    products_on_sale: int = 0  # active, in a verified store
    orders: dict[str, int] = field(default_factory=dict)  # state -> n
    orders_value: int = 0  # every order placed, whatever its state
    sales_value: int = 0  # paid and not refunded

    @property
    def stores_total(self) -> int:
        return sum(self.stores.values())

    @property
    def stores_verified(self) -> int:
        return self.stores.get(StoreStatus.VERIFIED, 0)

    @property
    def stores_pending(self) -> int:
        return self.stores.get(StoreStatus.PENDING, 0)

    @property
    def orders_total(self) -> int:
        return sum(self.orders.values())

    @property
    def orders_completed(self) -> int:
        return self.orders.get(OrderState.COMPLETED, 0)


@dataclass
class CategoryRow:
    id: int
    name: str
    name_en: str
    products_on_sale: int = 0
    quantity: int = 0
    sales_value: int = 0

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


@dataclass
class MarketStats:
    provinces: list[str]  # the province codes covered (all of them for a national view)
    province: str | None  # the one province chosen, or None (every province in scope)
    national: bool
    period: str
    since: dt.datetime | None
    total: ProvinceRow
    rows: list[ProvinceRow]  # one per province with any store (national view)
    categories: list[CategoryRow]

    @property
    def is_empty(self) -> bool:
        return self.total.stores_total == 0 and self.total.orders_total == 0


def stats_provinces(user) -> tuple[bool, list[str]]:
    """(national, province codes) the user may read market statistics for."""
    if holds(user, roles.VCA):
        return True, []
    by_role = get_scope(user).provinces_by_role
    return False, sorted(set().union(*(by_role.get(r, frozenset()) for r in roles.STAFF)))


def _since(period: str) -> dt.datetime | None:
    days = PERIODS.get(period)
    if days is None:
        return None
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def market_stats(*, user, province: str | None = None, period: str = "all") -> MarketStats:
    """Stores, products, orders and sales by province, for the user's scope.

    A national reader (VCA) sees every province, or one with ``province``; a provincial
    reader sees their province(s) only — asking for another raises ``Http404``.
    ``period`` ("all", "30", "90", "365") limits orders and sales to orders placed in
    the last days; stores and products are counted as they are now.  Six queries
    (seven with ``province``).
    """
    national, allowed = stats_provinces(user)
    if period not in PERIODS:
        period = "all"
    if province:
        if (not national and province not in allowed) or not Province.objects.filter(
            pk=province
        ).exists():
            raise Http404
        codes = [province]
    else:
        codes = allowed
    since = _since(period)

    def where(path: str) -> Q:
        if national and not province:
            return Q()
        return Q(**{f"{path}__in": codes})

    names = dict(Province.objects.filter(where("code")).order_by().values_list("code", "name"))
    rows: dict[str, ProvinceRow] = {}

    def row(code: str) -> ProvinceRow:
        if code not in rows:
            rows[code] = ProvinceRow(code=code, name=names.get(code, code))
        return rows[code]

    for r in (
        Store.objects.filter(where("province_id"))
        .values(prov=F("province_id"), st=F("status"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["prov"]).stores[r["st"]] = r["n"]

    for r in (
        Product.objects.filter(where("province_id"))
        .values(prov=F("province_id"))
        .annotate(
            n=Count("id"),
            on_sale=Count(
                "id",
                filter=Q(status=ProductStatus.ACTIVE, store__status=StoreStatus.VERIFIED),
            ),
        )
        .order_by()
    ):
        target = row(r["prov"])
        target.products_total = r["n"]
        target.products_on_sale = r["on_sale"]

    orders = Order.objects.filter(where("store__province_id"))
    if since is not None:
        orders = orders.filter(placed_at__gte=since)
    for r in (
        orders.values(prov=F("store__province_id"), st=F("state"))
        .annotate(n=Count("id"), value=Sum("total"), sales=Sum("total", filter=SALES_Q))
        .order_by()
    ):
        target = row(r["prov"])
        target.orders[r["st"]] = r["n"]
        target.orders_value += r["value"] or 0
        target.sales_value += r["sales"] or 0

    categories = _top_categories(where, since)

    total = ProvinceRow(code=province or "", name=names.get(province, "") if province else "")
    for r in rows.values():
        for key, n in r.stores.items():
            total.stores[key] = total.stores.get(key, 0) + n
        for key, n in r.orders.items():
            total.orders[key] = total.orders.get(key, 0) + n
        total.products_total += r.products_total
        total.products_on_sale += r.products_on_sale
        total.orders_value += r.orders_value
        total.sales_value += r.sales_value
    ordered = sorted(rows.values(), key=lambda r: (-r.sales_value, -r.stores_total, r.name))
    return MarketStats(
        provinces=codes if codes else sorted(names),
        province=province,
        national=national,
        period=period,
        since=since,
        total=total,
        rows=ordered,
        categories=categories,
    )


def _top_categories(where, since) -> list[CategoryRow]:
    """Categories by sales value, then by products on sale (two queries)."""
    by_id: dict[int, CategoryRow] = {}
    for r in (
        Product.objects.filter(
            where("province_id"), status=ProductStatus.ACTIVE, store__status=StoreStatus.VERIFIED
        )
        .values("category_id", cat_name=F("category__name"), cat_name_en=F("category__name_en"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_id[r["category_id"]] = CategoryRow(
            r["category_id"], r["cat_name"], r["cat_name_en"], products_on_sale=r["n"]
        )
    lines = OrderLine.objects.filter(
        where("order__store__province_id"),
        order__paid_at__isnull=False,
        product__isnull=False,
    ).exclude(order__state=OrderState.REFUNDED)
    if since is not None:
        lines = lines.filter(order__placed_at__gte=since)
    for r in (
        lines.values(
            cat_id=F("product__category_id"),
            cat_name=F("product__category__name"),
            cat_name_en=F("product__category__name_en"),
        )
        .annotate(qty=Sum("quantity"), value=Sum("line_total"))
        .order_by()
    ):
        target = by_id.setdefault(
            r["cat_id"], CategoryRow(r["cat_id"], r["cat_name"], r["cat_name_en"])
        )
        target.quantity = r["qty"] or 0
        target.sales_value = r["value"] or 0
    ranked = sorted(by_id.values(), key=lambda c: (-c.sales_value, -c.products_on_sale, c.name))
    return ranked[:TOP_CATEGORIES]


# ---------------------------------------------------------------- seller dashboard


def seller_store_or_404(user, store_id) -> Store:
    """A store the user sells through: managed by their organisation, or run by them.

    Officers who may edit stores for verification are not sellers: 404 for them too.
    """
    try:
        store_pk = int(store_id)
    except (TypeError, ValueError):
        raise Http404 from None
    store = (
        Store.objects.allowed(user, "sell")
        .filter(pk=store_pk)
        .select_related("organisation__province", "province")
        .first()
    )
    if store is None:
        raise Http404
    return store


@dataclass
class WeekSales:
    start: dt.date
    orders: int = 0
    value: int = 0


@dataclass
class SellerDashboard:
    store: Store
    variants: list[Variant]
    low_stock: list[Variant]
    weeks: list[WeekSales]
    orders_by_state: dict[str, int]
    sales_value: int
    waiting: int  # placed, not yet confirmed

    @property
    def orders_total(self) -> int:
        return sum(self.orders_by_state.values())


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def seller_dashboard(*, store: Store, weeks: int = WEEKS, today: dt.date | None = None):
    """Stock per variant, sales by week (the last ``weeks`` weeks, Monday to Sunday, the
    current week last) and order counts of one store.  Three queries."""
    today = today or timezone.localdate()
    variants = list(
        Variant.objects.filter(product__store=store)
        .exclude(product__status=ProductStatus.BLOCKED)
        .select_related("product")
        .order_by("stock", "product__title", "position", "id")
    )
    low = [v for v in variants if v.is_active and v.stock <= LOW_STOCK]

    first = _week_start(today) - dt.timedelta(weeks=weeks - 1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    buckets = [WeekSales(first + dt.timedelta(weeks=i)) for i in range(weeks)]
    for r in (
        Order.objects.filter(store=store, placed_at__gte=since, state__in=LIVE_STATES)
        .annotate(day=TruncDate("placed_at"))
        .values("day")
        .annotate(n=Count("id"), value=Sum("total"))
        .order_by()
    ):
        index = (_week_start(r["day"]) - first).days // 7
        if 0 <= index < weeks:
            buckets[index].orders += r["n"]
            buckets[index].value += r["value"] or 0

    by_state: dict[str, int] = {}
    sales = 0
    for r in (
        Order.objects.filter(store=store)
        .values("state")
        .annotate(n=Count("id"), sales=Sum("total", filter=SALES_Q))
        .order_by()
    ):
        by_state[r["state"]] = r["n"]
        sales += r["sales"] or 0
    return SellerDashboard(
        store=store,
        variants=variants,
        low_stock=low,
        weeks=buckets,
        orders_by_state=by_state,
        sales_value=sales,
        waiting=by_state.get(OrderState.PLACED, 0),
    )


def seller_orders(*, store: Store, since: dt.date | None = None, until: dt.date | None = None):
    """The store's orders (newest first) with their lines and ward: two queries."""
    qs = Order.objects.filter(store=store).select_related("ward").prefetch_related("lines")
    if since is not None:
        qs = qs.filter(placed_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
    if until is not None:
        end = until + dt.timedelta(days=1)
        qs = qs.filter(placed_at__lt=timezone.make_aware(dt.datetime.combine(end, dt.time.min)))
    return qs.order_by("-placed_at", "-id")
