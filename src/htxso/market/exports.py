"""Excel export of a store's orders (``core.documents.workbooks``).

Two sheets: one row per order (state, buyer, amounts…), one row per order line. Headers
are translated in the active language; amounts are whole VND with a thousands format;
dates are Vietnam time.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core.documents.workbooks import XLSX_CONTENT_TYPE, Column, Sheet, build_workbook
from htxso.core.formatting import format_date

from .models import Fulfilment, Order, OrderState, PaymentMethod, Store

__all__ = ["XLSX_CONTENT_TYPE", "orders_filename", "orders_xlsx"]


def _items(order: Order) -> str:
    return "; ".join(
        f"{line.title} {line.variant_label} × {line.quantity}".replace("  ", " ")
        for line in order.lines.all()
    )


def _address(order: Order) -> str:
    parts = [order.address]
    if order.ward_id and order.ward is not None:
        parts.append(order.ward.name)
    return ", ".join(p for p in parts if p)


def orders_xlsx(*, store: Store, orders, since: dt.date | None = None, until=None) -> bytes:
    """The workbook of ``orders`` (an iterable with ``lines`` and ``ward`` loaded)."""
    states = dict(OrderState.choices)
    fulfilments = dict(Fulfilment.choices)
    methods = dict(PaymentMethod.choices)
    order_rows, line_rows = [], []
    for order in orders:
        order_rows.append(
            {
                "code": order.code,
                "placed_at": order.placed_at,
                "state": str(states.get(order.state, order.state)),
                "buyer": order.buyer_name,
                "phone": order.buyer_phone,
                "fulfilment": str(fulfilments.get(order.fulfilment, order.fulfilment)),
                "address": _address(order),
                "payment": str(methods.get(order.payment_method, order.payment_method)),
                "items": _items(order),
                "subtotal": order.subtotal,
                "delivery_fee": order.delivery_fee,
                "total": order.total,
                "paid_at": order.paid_at,
                "completed_at": order.completed_at,
                "reason": order.state_reason,
                "note": order.note,
            }
        )
        for line in order.lines.all():
            line_rows.append(
                {
                    "code": order.code,
                    "placed_at": order.placed_at,
                    "state": str(states.get(order.state, order.state)),
                    "product": line.title,
                    "size": line.variant_label,
                    "unit": line.unit,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                    "amount": line.line_total,
                }
            )
    if since or until:
        period = _("Orders placed from %(since)s to %(until)s") % {
            "since": format_date(since) if since else "…",
            "until": format_date(until) if until else "…",
        }
    else:
        period = _("All orders")
    heading = [
        _("Orders of the store %(name)s") % {"name": store.name},
        f"{store.seller_label} — {period}",
        _("Exported on %(date)s") % {"date": format_date(timezone.localdate())},
    ]
    orders_sheet = Sheet(
        title=_("Orders"),
        heading=heading,
        columns=[
            Column("code", _("Order code"), "text", 12),
            Column("placed_at", _("Placed at"), "datetime"),
            Column("state", _("State"), "text", 22),
            Column("buyer", _("Buyer")),
            Column("phone", _("Phone"), "text", 13),
            Column("fulfilment", _("Receive by"), "text", 18),
            Column("address", _("Delivery address")),
            Column("payment", _("Payment"), "text", 22),
            Column("items", _("Items")),
            Column("subtotal", _("Goods (VND)"), "vnd"),
            Column("delivery_fee", _("Delivery fee (VND)"), "vnd"),
            Column("total", _("Total (VND)"), "vnd"),
            Column("paid_at", _("Paid at"), "datetime"),
            Column("completed_at", _("Completed at"), "datetime"),
            Column("reason", _("Reason (cancellation, refund)")),
            Column("note", _("Buyer's note")),
        ],
        rows=order_rows,
    )
    lines_sheet = Sheet(
        title=_("Order lines"),
        heading=heading,
        columns=[
            Column("code", _("Order code"), "text", 12),
            Column("placed_at", _("Placed at"), "datetime"),
            Column("state", _("State"), "text", 22),
            Column("product", _("Product")),
            Column("size", _("Size"), "text", 12),
            Column("unit", _("Unit"), "text", 10),
            Column("unit_price", _("Unit price (VND)"), "vnd"),
            Column("quantity", _("Quantity"), "int"),
            Column("amount", _("Amount (VND)"), "vnd"),
        ],
        rows=line_rows,
    )
    return build_workbook([orders_sheet, lines_sheet])


def orders_filename(store: Store, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"don-hang-{store.slug[:60]}-{today:%Y%m%d}.xlsx"
