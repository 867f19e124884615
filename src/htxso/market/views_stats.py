"""Market statistics (province / national) and the seller's dashboard and order export.

Thin: parse → access → ``selectors_stats`` → render.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from htxso.core import roles
from htxso.core.access import access
from htxso.core.formatting import format_number, format_vnd
from htxso.core.policy import get_allowed_or_404
from htxso.geo.models import Province

from . import selectors_stats as sel
from .charts import category_sales_chart, weekly_sales_chart
from .exports import XLSX_CONTENT_TYPE, orders_filename, orders_xlsx
from .forms import ExportForm, StatsFilterForm
from .models import OrderState, Store, StoreStatus
from .views_common import seller_access

# Display order of the states on the pages.
STORE_STATUSES = [
    StoreStatus.VERIFIED,
    StoreStatus.PENDING,
    StoreStatus.DRAFT,
    StoreStatus.REJECTED,
    StoreStatus.SUSPENDED,
]
ORDER_STATES = list(OrderState)


def _seller_store(request, store_id: int) -> Store:
    """The store whose figures the user may read: a store they change (its
    organisation's manager; the VCA any store — officers are refused by the route)."""
    return get_allowed_or_404(
        Store.objects.select_related("organisation__province", "province"),
        request.user,
        "change",
        hide=True,
        pk=store_id,
    )


def _url(name: str, *args) -> str | None:
    """``reverse`` that gives ``None`` while a URL is not wired yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _period_choices() -> list[tuple[str, str]]:
    return [
        ("all", _("Since the market opened")),
        ("30", _("Last 30 days")),
        ("90", _("Last 90 days")),
        ("365", _("Last 12 months")),
    ]


@access(roles=roles.STAFF)
@require_GET
def market_stats(request):
    province = request.GET.get("province", "").strip()[:2] or None
    period = request.GET.get("period", "all").strip()[:5]
    stats = sel.market_stats(user=request.user, province=province, period=period)
    national, allowed = sel.stats_provinces(request.user)
    choices = Province.objects.order_by("name")
    if not national:
        choices = choices.filter(pk__in=allowed) if len(allowed) > 1 else choices.none()
    province_choices = list(choices.values_list("code", "name"))
    total = stats.total
    if stats.province:
        scope_name = total.name
    elif national:
        scope_name = _("All provinces")
    else:
        scope_name = ", ".join(
            Province.objects.filter(pk__in=allowed).order_by("name").values_list("name", flat=True)
        )
    store_rows = [
        {"label": s.label, "n": format_number(total.stores.get(s, 0)), "code": s.value}
        for s in STORE_STATUSES
    ]
    order_rows = [
        {"label": s.label, "n": format_number(total.orders.get(s, 0)), "code": s.value}
        for s in ORDER_STATES
    ]
    province_rows = [
        {
            "code": r.code,
            "name": r.name,
            "stores_verified": format_number(r.stores_verified),
            "stores_pending": format_number(r.stores_pending),
            "products": format_number(r.products_on_sale),
            "orders": format_number(r.orders_total),
            "sales": format_vnd(r.sales_value),
        }
        for r in stats.rows
    ]
    categories = [
        {
            "name": c.display_name,
            "products": format_number(c.products_on_sale),
            "quantity": format_number(c.quantity),
            "sales": format_vnd(c.sales_value),
        }
        for c in stats.categories
    ]
    chart = category_sales_chart(stats.categories)
    context = {
        "stats": stats,
        "scope_name": scope_name,
        "province_choices": province_choices,
        "period_choices": _period_choices(),
        "filter_form": StatsFilterForm(
            initial={"province": stats.province or "", "period": stats.period},
            provinces=province_choices,
            periods=_period_choices(),
            all_label=_("All provinces") if stats.national else _("All my provinces"),
        ),
        "figures": {
            "stores_verified": format_number(total.stores_verified),
            "stores_pending": format_number(total.stores_pending),
            "products_on_sale": format_number(total.products_on_sale),
            "products_total": format_number(total.products_total),
            "orders_total": format_number(total.orders_total),
            "orders_completed": format_number(total.orders_completed),
            "sales_value": format_vnd(total.sales_value),
            "orders_value": format_vnd(total.orders_value),
        },
        "store_rows": store_rows,
        "order_rows": order_rows,
        "province_rows": province_rows
        if not stats.province and (national or len(province_rows) > 1)
        else [],
        "categories": categories,
        "chart": chart,
    }
    return render(request, "market/stats/stats.html", context)


# ------------------------------------------------------------------ seller


@seller_access
@require_GET
def seller_dashboard(request, store_id: int):
    store = _seller_store(request, store_id)
    board = sel.seller_dashboard(store=store)
    states = dict(OrderState.choices)
    context = {
        "store": store,
        "board": board,
        "chart": weekly_sales_chart(board.weeks),
        "low_stock_limit": sel.LOW_STOCK,
        "figures": {
            "waiting": format_number(board.waiting),
            "orders_total": format_number(board.orders_total),
            "sales_value": format_vnd(board.sales_value),
            "low_stock": format_number(len(board.low_stock)),
            "orders_completed": format_number(board.orders_by_state.get(OrderState.COMPLETED, 0)),
        },
        "state_rows": [
            {"label": states[s], "n": format_number(board.orders_by_state.get(s, 0))}
            for s in ORDER_STATES
            if board.orders_by_state.get(s)
        ],
        "variants": [
            {
                "product": v.product.title,
                "label": v.label,
                "price": format_vnd(v.price),
                "stock": format_number(v.stock),
                "low": v.is_active and v.stock <= sel.LOW_STOCK,
                "out": v.stock == 0,
                "active": v.is_active,
            }
            for v in board.variants
        ],
        "xlsx_url": _url("market:seller_orders_xlsx", store.pk),
        "export_form": ExportForm(),
    }
    return render(request, "market/stats/seller_dashboard.html", context)


def _date_param(request, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ValueError(name) from None


@seller_access
@require_GET
def seller_orders_xlsx(request, store_id: int):
    store = _seller_store(request, store_id)
    try:
        since = _date_param(request, "from")
        until = _date_param(request, "to")
    except ValueError:
        return HttpResponseBadRequest(
            _("The dates must be written as YYYY-MM-DD, for example 2026-01-31."),
            content_type="text/plain; charset=utf-8",
        )
    if since and until and since > until:
        return HttpResponseBadRequest(
            _("The start date is after the end date."), content_type="text/plain; charset=utf-8"
        )
    orders = sel.seller_orders(store=store, since=since, until=until)
    body = orders_xlsx(store=store, orders=orders, since=since, until=until)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{orders_filename(store)}"'
    return response
