"""Indicators computed from :class:`~.stats_queries.Figures`, compared with targets.

The definitions written on the dashboard (``DEFINITIONS``) are the ones computed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from htxso.core.formatting import format_number, format_vnd

from .models import Grade, Indicator, OrganisationKind, OrganisationStatus
from .stats_queries import Figures

COUNT, PERCENT, VND = "count", "percent", "vnd"

#: (code, unit) in the order shown; codes outside ``Indicator`` have no targets yet.
INDICATORS: list[tuple[str, str]] = [
    (Indicator.COOPERATIVES, COUNT),
    (Indicator.GROUPS, COUNT),
    (Indicator.UNIONS, COUNT),
    ("members", COUNT),
    (Indicator.COOPERATIVE_MEMBERS, COUNT),
    (Indicator.GROUP_MEMBERS, COUNT),
    ("workers", COUNT),
    (Indicator.SHARE_EFFECTIVE, PERCENT),
    (Indicator.REVENUE_PER_COOPERATIVE, VND),
    (Indicator.INCOME_PER_WORKER, VND),
    (Indicator.YOUTH_SHARE, PERCENT),
    (Indicator.SHARE_VALUE_CHAIN, PERCENT),
    (Indicator.HIGH_TECH, COUNT),
    ("ocop_products", COUNT),
    (Indicator.SHARE_GOOD_OR_FAIR, PERCENT),
]
UNITS = dict(INDICATORS)

EXTRA_LABELS = {
    "members": _("Members (annual reports)"),
    "workers": _("Workers (annual reports)"),
    "ocop_products": _("Valid OCOP products"),
}

#: Short column headings for the comparison of provinces.
SHORT_LABELS = {
    Indicator.COOPERATIVES: _("Cooperatives"),
    Indicator.GROUPS: _("Groups"),
    Indicator.UNIONS: _("Unions"),
    "members": _("Members"),
    "workers": _("Workers"),
    Indicator.SHARE_EFFECTIVE: _("Effective (%)"),
    Indicator.REVENUE_PER_COOPERATIVE: _("Revenue per cooperative"),
    Indicator.INCOME_PER_WORKER: _("Income per worker a month"),
    Indicator.YOUTH_SHARE: _("Under 35 (%)"),
    Indicator.SHARE_VALUE_CHAIN: _("In value chains (%)"),
    Indicator.HIGH_TECH: _("High tech"),
    "ocop_products": _("OCOP products"),
    Indicator.SHARE_GOOD_OR_FAIR: _("Good or fair (%)"),
}

#: How each indicator is computed, shown on the page under the table.
DEFINITIONS = {
    Indicator.COOPERATIVES: _(
        "Cooperatives operating on the reference date (31 December of the year, or today): "
        "status operating, or dissolved after that date."
    ),
    Indicator.GROUPS: _("The same, for cooperative groups."),
    Indicator.UNIONS: _("The same, for unions of cooperatives."),
    "members": _(
        "Official and associate members at 31 December, summed over the year's annual reports."
    ),
    Indicator.COOPERATIVE_MEMBERS: _("The same, for the reports of cooperatives."),
    Indicator.GROUP_MEMBERS: _("The same, for the reports of cooperative groups."),
    "workers": _("Workers at 31 December, summed over the year's annual reports."),
    Indicator.SHARE_EFFECTIVE: _(
        "Cooperatives whose annual report says they operate effectively, out of the "
        "cooperatives whose report answers the question."
    ),
    Indicator.REVENUE_PER_COOPERATIVE: _(
        "Total revenue of the cooperatives' annual reports divided by the number of those "
        "reports that give a revenue."
    ),
    Indicator.INCOME_PER_WORKER: _(
        "Average monthly income of the reports, weighted by each report's number of workers."
    ),
    Indicator.YOUTH_SHARE: _(
        "Workers under 35 divided by all workers, in the annual reports that give both "
        "figures (the annual report is the one source of this figure)."
    ),
    Indicator.SHARE_VALUE_CHAIN: _(
        "Operating organisations with a value-chain link active during the year, or whose "
        "annual report says they are part of a value chain, out of all operating "
        "organisations."
    ),
    Indicator.HIGH_TECH: _(
        "Operating cooperatives marked as applying high technology, or whose annual report says so."
    ),
    "ocop_products": _("OCOP products whose certificate is valid on the reference date."),
    Indicator.SHARE_GOOD_OR_FAIR: _(
        "Organisations graded good or fair in the published classification of the year, "
        "out of those given a grade (not-graded ones excluded)."
    ),
}


def label(code: str) -> str:
    if code in Indicator.values:
        return Indicator(code).label
    return EXTRA_LABELS[code]


def _share(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


def _ratio(total: int, n: int) -> int | None:
    return round(total / n) if n else None


def compute(f: Figures) -> dict[str, float | int | None]:
    """Actual value of each indicator; ``None`` when there is nothing to compute from."""
    operating = f.operating_by_kind
    graded = sum(f.grades.get(g, 0) for g in ("good", "fair", "average", "weak"))
    has_reports = f.reports > 0
    return {
        # the same rows as the shares' "operating organisations" (``Figures.operating``)
        Indicator.COOPERATIVES: operating.get(OrganisationKind.COOPERATIVE, 0),
        Indicator.GROUPS: operating.get(OrganisationKind.GROUP, 0),
        Indicator.UNIONS: operating.get(OrganisationKind.UNION, 0),
        "members": (
            f.members_cooperative + f.members_group + f.members_union if f.members_reports else None
        ),
        Indicator.COOPERATIVE_MEMBERS: f.members_cooperative if f.members_reports else None,
        Indicator.GROUP_MEMBERS: f.members_group if f.members_reports else None,
        "workers": f.workers if f.workers_reports else None,
        Indicator.SHARE_EFFECTIVE: _share(f.effective_yes, f.effective_answered),
        Indicator.REVENUE_PER_COOPERATIVE: _ratio(f.revenue_sum, f.revenue_reports),
        Indicator.INCOME_PER_WORKER: _ratio(f.income_x_workers, f.income_workers),
        Indicator.YOUTH_SHARE: _share(f.youth, f.youth_base),
        Indicator.SHARE_VALUE_CHAIN: _share(f.in_value_chain, f.operating),
        Indicator.HIGH_TECH: f.high_tech if (f.operating or has_reports) else None,
        "ocop_products": sum(f.ocop.values()),
        Indicator.SHARE_GOOD_OR_FAIR: _share(
            f.grades.get("good", 0) + f.grades.get("fair", 0), graded
        ),
    }


@dataclass(frozen=True)
class Target:
    value: Decimal
    comparison: str
    year: int
    source: str
    reference: bool = False


def pick_target(options: list[Target], year: int) -> Target | None:
    """The target for ``year``: the nearest target year from then on, else the latest."""
    later = [t for t in options if t.year >= year]
    if later:
        return min(later, key=lambda t: t.year)
    return max(options, key=lambda t: t.year) if options else None


def format_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == PERCENT:
        return f"{format_number(value, 1)}\u00a0%"
    if unit == VND:
        return format_vnd(int(value))
    return format_number(int(value)) if float(value).is_integer() else format_number(value, 2)


COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤"}


@dataclass
class IndicatorRow:
    code: str
    unit: str
    actual: float | int | None
    target: Target | None

    @property
    def label(self) -> str:
        return label(self.code)

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.code]

    @property
    def met(self) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        value = float(self.target.value)
        actual = round(float(self.actual), 4)
        return {
            ">=": actual >= value,
            ">": actual > value,
            "<=": actual <= value,
        }[self.target.comparison]

    @property
    def gap(self) -> float | int | None:
        """Actual minus target (percentage points for shares)."""
        if self.target is None or self.actual is None:
            return None
        gap = Decimal(str(self.actual)) - self.target.value
        return int(gap) if self.unit == VND or gap == gap.to_integral() else float(gap)

    @property
    def actual_display(self) -> str:
        return format_value(self.actual, self.unit)

    @property
    def target_display(self) -> str:
        if self.target is None:
            return ""
        sign = COMPARISON_SIGNS.get(self.target.comparison, self.target.comparison)
        return f"{sign}\u00a0{format_value(self.target.value, self.unit)}"

    @property
    def gap_display(self) -> str:
        gap = self.gap
        if gap is None:
            return ""
        if self.unit == PERCENT:
            text = f"{format_number(abs(gap), 1)} " + str(_("points"))
        else:
            text = format_value(abs(gap), self.unit)
        return ("+" if gap > 0 else "−" if gap < 0 else "") + text

    @property
    def status(self) -> str:
        """``met`` / ``not_met`` / ``no_data`` / ``no_target`` (CSS class and API value)."""
        if self.target is None:
            return "no_target"
        if self.actual is None:
            return "no_data"
        return "met" if self.met else "not_met"

    @property
    def status_display(self) -> str:
        reference = self.target is not None and self.target.reference
        texts = {
            "met": _("✔ At or above the reference") if reference else _("✔ Target met"),
            "not_met": _("✘ Below the reference") if reference else _("✘ Target not met"),
            "no_data": _("No data yet"),
            "no_target": "",
        }
        return str(texts[self.status])


def indicator_rows(f: Figures, targets: dict[str, list[Target]], year: int) -> list[IndicatorRow]:
    actual = compute(f)
    return [
        IndicatorRow(code, unit, actual[code], pick_target(targets.get(code, []), year))
        for code, unit in INDICATORS
    ]


GRADE_ORDER = [Grade.GOOD, Grade.FAIR, Grade.AVERAGE, Grade.WEAK, Grade.NOT_GRADED]
KIND_ORDER = [OrganisationKind.COOPERATIVE, OrganisationKind.GROUP, OrganisationKind.UNION]
STATUS_ORDER = list(OrganisationStatus)


def reference_date(year: int, today: dt.date) -> dt.date:
    """OCOP validity is counted on 31 December of the year, or today for this year."""
    return min(today, dt.date(year, 12, 31))
