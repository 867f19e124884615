"""Market statistics by province and the seller dashboard: figures, scoping, fixed
query counts."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import pytest
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from htxso.market import selectors_stats as sel
from htxso.market.models import (
    Category,
    Checkout,
    Order,
    OrderLine,
    Product,
    Store,
    Variant,
)

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


# --------------------------------------------------------------------- factories


def make_category(name="Cà phê", name_en="Coffee") -> Category:
    n = next(_seq)
    return Category.objects.create(slug=f"t-stats-{n}", name=name, name_en=name_en, position=n)


def make_store(org, status="verified", name=None, owner=None) -> Store:
    n = next(_seq)
    return Store.objects.create(
        organisation=org,
        name=name or f"Gian hàng {n}",
        slug=f"gian-hang-test-{n}",
        status=status,
        bank_bin="970405",
        bank_account="0123456789",
        owner=owner,
    )


def make_product(store, category, *, status="active", title="Cà phê Đắk Lắk", variants=()):
    product = Product.objects.create(
        store=store,
        category=category,
        province_id=store.organisation.province_id,
        title=title,
        status=status,
    )
    for i, (label, price, stock) in enumerate(variants or [("500 g", 120_000, 10)]):
        Variant.objects.create(product=product, label=label, price=price, stock=stock, position=i)
    return product


def make_order(
    store,
    *,
    state="placed",
    lines=(),
    placed_at=None,
    paid=False,
    fee=0,
    buyer_name="Nguyễn Thị Lan",
    payment_method="vietqr",
):
    """An order with ``lines`` = [(variant, quantity)] at the variant's price."""
    placed_at = placed_at or timezone.now()
    checkout = Checkout.objects.create(
        idempotency_key=secrets.token_hex(16), token=secrets.token_urlsafe(32)
    )
    subtotal = sum(v.price * q for v, q in lines) or 50_000
    order = Order.objects.create(
        code=f"DH{next(_seq):06d}",
        checkout=checkout,
        store=store,
        buyer_name=buyer_name,
        buyer_phone="0912345678",
        address="Số 5, đường Hùng Vương",
        fulfilment="delivery",
        payment_method=payment_method,
        state=state,
        subtotal=subtotal,
        delivery_fee=fee,
        total=subtotal + fee,
        placed_at=placed_at,
        paid_at=placed_at + dt.timedelta(hours=2) if paid else None,
        completed_at=placed_at + dt.timedelta(days=3) if state == "completed" else None,
        state_reason="Người mua đổi ý" if state == "cancelled" else "",
    )
    for variant, quantity in lines:
        OrderLine.objects.create(
            order=order,
            product=variant.product,
            variant=variant,
            title=variant.product.title,
            variant_label=variant.label,
            unit=variant.product.unit,
            unit_price=variant.price,
            quantity=quantity,
            line_total=variant.price * quantity,
        )
    return order


@pytest.fixture
def market(world):
    return build_market(world)


def build_market(world):
    """Stores in Cao Bằng (04) and Đắk Lắk (66) with products and orders in every state."""
    coffee, honey = make_category("Cà phê", "Coffee"), make_category("Mật ong", "Honey")
    a1 = make_store(world.orgs["a1"], "verified", "Chợ HTX Hợp Giang")
    a2 = make_store(world.orgs["a2"], "pending", "Thổ cẩm Bảo Lạc")
    make_store(world.orgs["a2"], "draft", "Nháp")
    b1 = make_store(world.orgs["b1"], "verified", "Cà phê Ea Tu")
    honey_a1 = make_product(
        a1, honey, title="Mật ong bạc hà", variants=[("250 g", 90_000, 3), ("500 g", 170_000, 40)]
    )
    make_product(a1, coffee, title="Cà phê Cao Bằng", status="hidden")
    make_product(a2, honey, title="Mật ong rừng")  # store not verified: not on sale
    coffee_b1 = make_product(b1, coffee, title="Cà phê Robusta", variants=[("1 kg", 250_000, 0)])
    v250, v500 = honey_a1.variants.order_by("position")
    (v1kg,) = coffee_b1.variants.all()
    make_order(a1, state="completed", lines=[(v250, 2)], paid=True)  # 180.000
    make_order(a1, state="paid", lines=[(v500, 1)], paid=True, fee=30_000)  # 200.000
    make_order(a1, state="placed", lines=[(v500, 3)])  # 510.000, unpaid
    make_order(a1, state="cancelled", lines=[(v250, 1)])
    make_order(a1, state="refunded", lines=[(v500, 1)], paid=True)  # refunded: not a sale
    old = timezone.now() - dt.timedelta(days=200)
    make_order(a1, state="completed", lines=[(v250, 1)], paid=True, placed_at=old)  # 90.000
    make_order(b1, state="completed", lines=[(v1kg, 4)], paid=True)  # 1.000.000
    make_order(b1, state="shipped", lines=[(v1kg, 1)])
    return {"a1": a1, "a2": a2, "b1": b1, "honey": honey, "coffee": coffee, "v250": v250}


# ------------------------------------------------------------------ market_stats


def test_officer_sees_own_province_only(world, market):
    stats = sel.market_stats(user=world.users["officer_a"])
    assert not stats.national and stats.provinces == ["04"]
    total = stats.total
    assert total.stores == {"verified": 1, "pending": 1, "draft": 1}
    assert total.products_total == 3 and total.products_on_sale == 1
    assert total.orders == {"completed": 2, "paid": 1, "placed": 1, "cancelled": 1, "refunded": 1}
    assert total.sales_value == 180_000 + 200_000 + 90_000
    assert [r.code for r in stats.rows] == ["04"]
    # Đắk Lắk's coffee sales are not counted.
    assert [c.name for c in stats.categories] == ["Mật ong"]
    assert stats.categories[0].sales_value == 180_000 + 170_000 + 90_000
    assert stats.categories[0].quantity == 4


def test_viewer_same_as_officer_and_other_province_refused(world, market):
    stats = sel.market_stats(user=world.users["viewer_b"])
    assert stats.total.sales_value == 1_000_000
    assert stats.total.stores == {"verified": 1}
    with pytest.raises(Http404):
        sel.market_stats(user=world.users["viewer_b"], province="04")
    with pytest.raises(Http404):
        sel.market_stats(user=world.users["vca"], province="99")


def test_vca_sees_every_province_and_can_choose(world, market):
    stats = sel.market_stats(user=world.users["vca"])
    assert stats.national
    assert stats.total.sales_value == 470_000 + 1_000_000
    assert [r.code for r in stats.rows] == ["66", "04"]  # by sales value
    assert [c.name for c in stats.categories] == ["Cà phê", "Mật ong"]
    one = sel.market_stats(user=world.users["vca"], province="66")
    assert one.total.sales_value == 1_000_000 and one.provinces == ["66"]


def test_period_limits_orders_not_stores(world, market):
    stats = sel.market_stats(user=world.users["officer_a"], period="30")
    assert stats.total.sales_value == 380_000  # the 200-day-old order is left out
    assert stats.total.orders["completed"] == 1
    assert stats.total.stores_total == 3
    assert sel.market_stats(user=world.users["officer_a"], period="bogus").period == "all"


def test_market_stats_query_count_is_fixed(world, market, django_assert_num_queries):
    user = world.users["vca"]
    sel.stats_provinces(user)  # the scope is cached on the user
    with django_assert_num_queries(6):
        sel.market_stats(user=user)
    # More stores, products and orders: the same number of queries.
    extra = make_store(world.orgs["b1"], "verified")
    product = make_product(extra, make_category("Chè", "Tea"))
    for _i in range(5):
        make_order(extra, state="completed", lines=[(product.variants.first(), 1)], paid=True)
    with django_assert_num_queries(6):
        stats = sel.market_stats(user=user)
    assert stats.total.stores_total == 5


def test_empty_market(world):
    stats = sel.market_stats(user=world.users["officer_a"])
    assert stats.is_empty and stats.categories == [] and stats.total.sales_value == 0


# ----------------------------------------------------------------- seller dashboard


def test_seller_dashboard_figures(world, market):
    store = sel.seller_store_or_404(world.users["manager_a1"], market["a1"].pk)
    board = sel.seller_dashboard(store=store)
    assert board.orders_by_state["completed"] == 2
    assert board.sales_value == 470_000
    assert board.waiting == 1
    stocks = [(v.product.title, v.label, v.stock) for v in board.variants]
    assert stocks[0] == ("Mật ong bạc hà", "250 g", 3)  # lowest stock first
    assert [v.label for v in board.low_stock] == ["250 g"]
    assert len(board.weeks) == 8
    assert board.weeks[-1].start <= timezone.localdate() < board.weeks[-1].start + dt.timedelta(7)
    # This week: completed 180.000 + paid 200.000 + placed 510.000 (cancelled and refunded
    # are not orders received); the 200-day-old order is outside the chart.
    assert board.weeks[-1].value == 890_000 and board.weeks[-1].orders == 3
    assert sum(w.value for w in board.weeks[:-1]) == 0


def test_weeks_bucket_by_vietnam_monday(world, market):
    store = market["b1"]
    variant = Variant.objects.get(product__store=store)
    monday = dt.date(2026, 3, 2)  # a Monday
    # Sunday 23:30 in Vietnam is still the week before (16:30 UTC).
    sunday_late = timezone.make_aware(dt.datetime(2026, 3, 1, 23, 30))
    monday_early = timezone.make_aware(dt.datetime(2026, 3, 2, 0, 30))
    make_order(store, state="completed", lines=[(variant, 1)], placed_at=sunday_late, paid=True)
    make_order(store, state="placed", lines=[(variant, 2)], placed_at=monday_early)
    board = sel.seller_dashboard(store=store, today=monday + dt.timedelta(days=3))
    assert board.weeks[-1].start == monday
    assert (board.weeks[-1].orders, board.weeks[-1].value) == (1, 500_000)
    assert (board.weeks[-2].orders, board.weeks[-2].value) == (1, 250_000)


def test_seller_dashboard_query_count(world, market, django_assert_num_queries):
    store = market["a1"]
    with django_assert_num_queries(3):
        sel.seller_dashboard(store=store)
    make_product(store, market["coffee"], variants=[("1 kg", 1, 1), ("2 kg", 2, 2)])
    with django_assert_num_queries(3):
        sel.seller_dashboard(store=store)


def test_only_sellers_reach_a_store(world, market):
    a1 = market["a1"]
    assert sel.seller_store_or_404(world.users["manager_a1"], a1.pk) == a1
    for key in ("manager_b1", "officer_a", "vca", "member_a1", "buyer"):
        with pytest.raises(Http404):
            sel.seller_store_or_404(world.users[key], a1.pk)
    with pytest.raises(Http404):
        sel.seller_store_or_404(world.users["manager_a1"], "abc")
    # A member household runs its own store.
    own = make_store(world.orgs["a1"], owner=world.users["member_a1"])
    assert sel.seller_store_or_404(world.users["member_a1"], own.pk) == own


# ------------------------------------------------------------------ pages


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name} is not wired in market/urls.py yet")


def test_stats_page_for_officer(client, world, market, django_assert_max_num_queries):
    url = _url("market:stats")
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(20):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thống kê chợ" in body
    assert 'data-figure="sales_value">470.000\u00a0₫<' in body
    assert 'data-figure="stores_verified">1<' in body
    assert "Mật ong" in body
    assert "Cà phê Ea Tu" not in body and "Đắk Lắk" not in body


def test_stats_page_national_with_province_table(client, world, market):
    url = _url("market:stats")
    client.force_login(world.users["vca"])
    body = client.get(url).content.decode()
    assert 'data-province="66"' in body and 'data-province="04"' in body
    assert 'data-figure="sales_value">1.470.000\u00a0₫<' in body
    body = client.get(url, {"province": "66", "period": "30"}).content.decode()
    assert 'data-figure="sales_value">1.000.000\u00a0₫<' in body
    assert client.get(url, {"province": "xx"}).status_code == 404


def test_stats_page_query_count_does_not_grow(client, world, market, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = _url("market:stats")
    client.force_login(world.users["vca"])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    extra = make_store(world.orgs["a2"], "verified")
    product = make_product(extra, make_category("Gạo", "Rice"))
    for _i in range(4):
        make_order(extra, state="completed", lines=[(product.variants.first(), 1)], paid=True)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_seller_dashboard_page(client, world, market, django_assert_max_num_queries):
    url = _url("market:seller_dashboard", market["a1"].pk)
    client.force_login(world.users["manager_a1"])
    with django_assert_max_num_queries(20):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "chart__svg" in body
    assert 'class="is-low"' in body
    assert 'data-figure="waiting">1<' in body
    client.force_login(world.users["manager_b1"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["officer_a"])
    assert client.get(url).status_code == 403


def test_seller_dashboard_empty_store(client, world):
    store = make_store(world.orgs["a1"])
    url = _url("market:seller_dashboard", store.pk)
    client.force_login(world.users["manager_a1"])
    response = client.get(url)
    assert response.status_code == 200
    assert "empty" in response.content.decode()
