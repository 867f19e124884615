"""Charts of the market pages, drawn with the shared small server-side SVG charts
(``core.charts``: no JavaScript, a ``<title>``/``<desc>``, every value also as
text and in a data table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from htxso.core.charts import PALETTE, Chart, Row, bar_chart, column_chart
from htxso.core.formatting import format_number, format_vnd

from .selectors_stats import CategoryRow, WeekSales

__all__ = ["Chart", "category_sales_chart", "millions", "weekly_sales_chart"]


def millions(amount: int) -> str:
    """A chart label in millions of đồng: ``1.250.000`` → ``"1,3"``, ``0`` → ``"0"``;
    the exact amount is in the table under the chart."""
    if not amount:
        return "0"
    return format_number(amount / 1_000_000, 1 if amount < 100_000_000 else 0)


def weekly_sales_chart(weeks: list[WeekSales]) -> Chart:
    """Columns of the value of orders received per week (labelled by the Monday)."""
    rows = [
        Row(
            label=w.start.strftime("%d/%m"),
            value=w.value,
            display=millions(w.value),
            colour=PALETTE[0],
        )
        for w in weeks
    ]
    chart = column_chart(
        _("Orders received per week (million VND)"), rows, value_heading=_("Value of orders")
    )
    # The data table under the chart shows the exact amount and the number of orders.
    for row, week in zip(chart.rows, weeks, strict=True):
        row.label = _("Week of %(date)s") % {"date": week.start.strftime("%d/%m/%Y")}
        row.display = _("%(value)s (%(n)s orders)") % {
            "value": format_vnd(week.value),
            "n": format_number(week.orders),
        }
    return chart


def category_sales_chart(categories: list[CategoryRow]) -> Chart:
    """Horizontal bars: sales value of the top categories."""
    rows = [
        Row(label=c.display_name, value=c.sales_value, display=format_vnd(c.sales_value))
        for c in categories
        if c.sales_value
    ]
    return bar_chart(_("Sales by category"), rows, value_heading=_("Sales value"))
