"""The charts of a dashboard, built from its figures (see ``core.charts``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from htxso.core import charts
from htxso.core.formatting import format_number

from .models import Indicator, OrganisationKind
from .stats import Dashboard

GRADE_COLOURS = {
    "good": "#0b6b3a",
    "fair": "#4f9d69",
    "average": "#f4c430",
    "weak": "#b3261e",
    "not_graded": "#8a958f",
}
SHARES = [
    Indicator.SHARE_EFFECTIVE,
    Indicator.YOUTH_SHARE,
    Indicator.SHARE_VALUE_CHAIN,
    Indicator.SHARE_GOOD_OR_FAIR,
]


def _pct(part: int, whole: int) -> str:
    return f"{format_number(part * 100 / whole, 1)}\u00a0%" if whole else "—"


#: The indicator giving the bar of each kind: the chart shows the very figures of the
#: indicators table (operating organisations), not a second count of its own.
KIND_INDICATORS = [
    (OrganisationKind.COOPERATIVE, Indicator.COOPERATIVES),
    (OrganisationKind.GROUP, Indicator.GROUPS),
    (OrganisationKind.UNION, Indicator.UNIONS),
]


def dashboard_charts(board: Dashboard) -> list[charts.Chart]:
    rows = {r.code: r for r in board.indicators}
    kinds = [
        charts.Row(
            label=str(kind.label),
            value=rows[code].actual or 0,
            display=rows[code].actual_display,
        )
        for kind, code in KIND_INDICATORS
    ]
    shares = []
    for code in SHARES:
        r = rows[code]
        shares.append(
            charts.Row(
                label=str(r.label).replace(" (%)", ""),
                value=float(r.actual or 0),
                display=r.actual_display,
                target=float(r.target.value) if r.target else None,
                target_display=(
                    _("target %(value)s") % {"value": r.target_display} if r.target else ""
                ),
            )
        )
    ocop_total = sum(n for _s, n in board.ocop_by_stars)
    ocop = [
        charts.Row(
            label=_("%(n)s stars") % {"n": stars},
            value=n,
            display=format_number(n),
            colour=["#8a958f", "#4f9d69", "#0b6b3a"][stars - 3],
        )
        for stars, n in board.ocop_by_stars
    ]
    graded_total = sum(n for _c, _l, n in board.grades)
    # shares of the organisations given a grade, as the indicator "good or fair" counts
    # them: "not graded" is shown with its number but outside the percentages
    given = sum(n for code, _l, n in board.grades if code != "not_graded")
    grades = [
        charts.Row(
            label=str(label),
            value=n,
            display=format_number(n)
            if code == "not_graded"
            else f"{format_number(n)} ({_pct(n, given)})",
            colour=GRADE_COLOURS[code],
        )
        for code, label, n in board.grades
    ]
    count = _("Number")
    return [
        charts.bar_chart(_("Operating organisations by kind"), kinds, value_heading=count),
        charts.bar_chart(
            _("Shares against targets (%)")
            if any(r.target is not None for r in shares)
            else _("Shares (%)"),
            shares,
            max_value=100,
            value_heading=_("Share"),
            target_label=_("dashed line: target or reference"),
        ),
        charts.column_chart(
            _("Valid OCOP products by stars (%(total)s)") % {"total": format_number(ocop_total)},
            ocop,
            value_heading=count,
        ),
        charts.donut_chart(
            _("Published grades of %(year)s") % {"year": board.year},
            grades,
            value_heading=count,
            total_display=format_number(graded_total),
        ),
    ]
