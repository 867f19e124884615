"""Reads of the frameworks part: the frameworks a user may see, a framework's dashboard
(tree, values from the cache, targets and their status, the chart drawn from the same
rows as the table) and an indicator's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core import charts, roles
from htxso.core.formatting import format_number, format_vnd
from htxso.core.policy import allowed, get_allowed_or_404, reach_of
from htxso.geo.models import Province
from htxso.registry.data.ethnicities import ETHNICITIES
from htxso.registry.models import Sector
from htxso.registry.models.people import Sex
from htxso.training.selectors_counts import AGE_BANDS

from . import formulas, periods
from .compute import values as cached_values
from .formulas.base import NOTES
from .models import (
    Disaggregation,
    Framework,
    Indicator,
    IndicatorValue,
    Level,
    ReferenceValue,
    ResultNode,
    Target,
    Unit,
)
from .periods import Period
from .status import NO_DATA, NO_TARGET, Point, Progress, judge

COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤"}


# --- lists ---------------------------------------------------------------------------------
def frameworks_for(user: Any) -> QuerySet[Framework]:
    """The frameworks ``user`` may see: national ones for all staff, a province's for its
    staff (the VCA all)."""
    return (
        allowed(Framework, user, "view").select_related("province").order_by("province_id", "code")
    )


def framework_or_404(user: Any, code: str, action: str = "view") -> Framework:
    return get_allowed_or_404(
        Framework.objects.select_related("province"), user, action, code=str(code)[:60]
    )


def indicator_or_404(user: Any, framework: Framework, code: str, action: str = "view") -> Indicator:
    return get_allowed_or_404(
        Indicator.objects.select_related("framework", "node"),
        user,
        action,
        framework=framework,
        code=str(code)[:60],
    )


def may_change(user: Any, framework: Framework) -> bool:
    return Framework.policy.allows(user, "change", framework)


def province_choices(user: Any, framework: Framework) -> list[Province]:
    """The provinces a dashboard may be narrowed to: a province's framework has its own;
    a national one every province the user's staff role reaches."""
    if framework.province_id:
        return []
    everywhere, provinces, _orgs = reach_of(user, roles.STAFF)
    qs = Province.objects.order_by("code")
    if not everywhere:
        qs = qs.filter(code__in=sorted(provinces))
    return list(qs)


def period_choices(framework: Framework, today: dt.date | None = None) -> list[Period]:
    """Half-years then years, newest first: from the framework's start (else two years
    back) to today, plus the target periods of its indicators."""
    today = today or timezone.localdate()
    first = framework.start_date.year if framework.start_date else today.year - 2
    last = today.year
    found = {p.code: p for p in periods.half_years(first, last) if p.start <= today}
    for p in periods.years(first, last):
        found[p.code] = p
    for code in Target.objects.filter(indicator__framework=framework).values_list(
        "period", flat=True
    ):
        if periods.is_valid(code):
            found[code] = periods.parse(code)
    return sorted(found.values(), key=lambda p: (p.end, -p.days), reverse=True)


def default_period(framework: Framework, today: dt.date | None = None) -> Period:
    """The computed period with the most values (annual figures exist for years only
    once the reports are in), the newest among equals; else the running half-year."""
    today = today or timezone.localdate()
    filled: dict[str, int] = {}
    for code, value in IndicatorValue.objects.filter(
        indicator__framework=framework, province__isnull=True, cell=""
    ).values_list("period", "value"):
        filled[code] = filled.get(code, 0) + (value is not None)
    started = [(periods.parse(c), n) for c, n in filled.items() if periods.is_valid(c)]
    started = [(p, n) for p, n in started if p.start <= today]
    if started:
        return max(started, key=lambda pn: (pn[1], pn[0].end, -pn[0].days))[0]
    return periods.current(today)


# --- formatting ----------------------------------------------------------------------------
def format_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{format_number(value, 1)}\u00a0%"
    if unit == Unit.VND:
        return format_vnd(int(value.to_integral_value()))
    if value == value.to_integral_value():
        return format_number(int(value))
    return format_number(value, 2)


def format_target(target: Target | None, unit: str) -> str:
    if target is None:
        return ""
    sign = COMPARISON_SIGNS.get(target.comparison, target.comparison)
    return f"{sign}\u00a0{format_value(target.value, unit)}"


# --- status --------------------------------------------------------------------------------
def value_day(period: Period, computed_at: dt.datetime | None) -> dt.date:
    """The day a period's value stands for: its last day, or the day it was computed
    while the period ran."""
    if computed_at is None:
        return period.end
    return min(period.end, timezone.localdate(computed_at))


def baseline_point(
    indicator: Indicator, history: dict[str, IndicatorValue], before: dt.date
) -> Point | None:
    """Where the trend starts: the baseline, else 0 at the framework's start for a
    cumulative formula, else the earliest computed value before ``before``."""
    if indicator.baseline_value is not None and periods.is_valid(indicator.baseline_period):
        return Point(periods.parse(indicator.baseline_period).end, indicator.baseline_value)
    spec = formulas.get(indicator.formula)
    start = indicator.framework.start_date
    if spec is not None and spec.cumulative and start is not None:
        return Point(start, Decimal(0))
    earliest: Point | None = None
    for code, row in history.items():
        if row.value is None or not periods.is_valid(code):
            continue
        p = periods.parse(code)
        day = value_day(p, row.computed_at)
        if day < before and (earliest is None or day < earliest.day):
            earliest = Point(day, row.value)
    return earliest


def pick_target(targets: Iterable[Target], period: Period) -> Target | None:
    """The target a period is judged against: the nearest target period ending on or
    after it, else the latest."""
    parsed = [(periods.parse(t.period), t) for t in targets if periods.is_valid(t.period)]
    later = [(p, t) for p, t in parsed if p.end >= period.end]
    if later:
        return min(later, key=lambda pt: (pt[0].end, pt[0].days))[1]
    return max(parsed, key=lambda pt: pt[0].end)[1] if parsed else None


def progress(
    indicator: Indicator,
    target: Target | None,
    current: IndicatorValue | None,
    period: Period,
    history: dict[str, IndicatorValue],
    today: dt.date | None = None,
) -> Progress:
    today = today or timezone.localdate()
    if target is None:
        return Progress(NO_TARGET)
    if current is None or current.value is None:
        return Progress(NO_DATA)
    latest = Point(value_day(period, current.computed_at), current.value)
    return judge(
        target_value=target.value,
        target_period=periods.parse(target.period),
        comparison=target.comparison,
        latest=latest,
        baseline=baseline_point(indicator, history, latest.day),
        today=today,
    )


def _targets_for(indicator: Indicator, province: Province | None) -> list[Target]:
    """The targets of the place shown: the province's own when it has some, else the
    framework's scope-wide ones (a national framework's province view shows none)."""
    mine = [t for t in indicator.targets.all() if t.province_id == getattr(province, "pk", None)]
    return mine


def _history(indicator: Indicator, province: Province | None) -> dict[str, IndicatorValue]:
    """Total values per period code for the place."""
    return {
        v.period: v
        for v in indicator.values.all()
        if v.cell == "" and v.province_id == getattr(province, "pk", None)
    }


# --- the dashboard -------------------------------------------------------------------------
@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None
    target: Target | None
    progress: Progress
    value_display: str
    target_display: str
    note: str

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def beside_display(self) -> str:
        """The share over all organisations, when the formula gives one."""
        if self.value is None or self.value.beside_value is None:
            return ""
        return format_value(self.value.beside_value, self.indicator.unit)

    @property
    def target_period_label(self) -> str:
        return periods.parse(self.target.period).label if self.target else ""


@dataclass
class NodeRow:
    node: ResultNode | None
    depth: int
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class Dashboard:
    framework: Framework
    period: Period
    province: Province | None
    nodes: list[NodeRow]
    rows: list[IndicatorRow]
    computed_at: dt.datetime | None
    chart: charts.Chart

    @property
    def computed(self) -> bool:
        return self.computed_at is not None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out


def _note(value: IndicatorValue | None) -> str:
    if value is None:
        return _("Not computed yet.")
    if value.value is None:
        return str(NOTES.get(value.note, value.note)) if value.note else _("No data.")
    return ""


def _tree(framework: Framework) -> list[tuple[ResultNode, int]]:
    nodes = list(framework.nodes.all())
    children: dict[int | None, list[ResultNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[tuple[ResultNode, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for n in sorted(children.get(parent, []), key=lambda n: (n.order, n.code)):
            if n.pk in seen:  # a cycle cannot be saved, but never loop
                continue
            seen.add(n.pk)
            out.append((n, depth))
            walk(n.pk, depth + 1)

    walk(None, 0)
    for n in nodes:  # a parent from another framework: shown at the top
        if n.pk not in seen:
            out.append((n, 0))
    return out


def chart_for(rows: list[IndicatorRow], title: str) -> charts.Chart:
    """Progress toward the target, one bar per indicator with a value and a target:
    the bar is the share of the target reached (capped), the text is the table's."""
    chart_rows: list[charts.Row] = []
    full: list[charts.Row] = []
    for r in rows:
        if r.value is None or r.value.value is None or r.target is None or not r.target.value:
            continue
        share = float(r.value.value / r.target.value * 100)
        row = charts.Row(
            label=str(r.indicator.name),
            value=max(0.0, min(share, 120.0)),
            display=r.value_display,
            target=100.0,
            target_display=r.target_display,
            colour=STATUS_COLOURS.get(r.status, ""),
        )
        full.append(row)
        chart_rows.append(replace(row, label=bar_label(row.label, row.display)))
    chart = charts.bar_chart(
        title,
        chart_rows,
        max_value=100,
        value_heading=_("Value"),
        target_label=_("target"),
    )
    chart.rows = full  # the table under the chart gives the whole names
    return chart


#: Characters of a bar's label that fit beside its value in the chart's 320-unit box
#: (13-unit font, about 7 units a character).
BAR_LINE_CHARS = 44


def bar_label(name: str, display: str) -> str:
    """The indicator's name shortened with "…" to fit beside its value on the bar's
    line; the table under the chart gives it whole."""
    room = max(12, BAR_LINE_CHARS - len(display) - 2)
    name = " ".join(name.split())
    return name if len(name) <= room else name[: room - 1].rstrip() + "…"


STATUS_COLOURS = {
    "met": "#0b6b3a",
    "on_track": "#4f9d69",
    "at_risk": "#8a6d00",
    "off_track": "#b3261e",
    "not_met": "#b3261e",
}


def dashboard(
    framework: Framework, *, period: Period, province: Province | None = None
) -> Dashboard:
    """The framework's tree with each indicator's cached value for ``period`` and
    ``province`` (``None`` = the framework's scope), its target and status."""
    indicators = list(
        framework.indicators.select_related("framework").prefetch_related("targets", "values")
    )
    cache = cached_values(framework, period=period, province=province)
    today = timezone.localdate()
    by_node: dict[int | None, list[IndicatorRow]] = {}
    rows: list[IndicatorRow] = []
    computed: list[dt.datetime] = []
    for ind in indicators:
        current = cache.get((ind.pk, ""))
        if current is not None:
            computed.append(current.computed_at)
        target = pick_target(_targets_for(ind, province), period)
        prog = progress(ind, target, current, period, _history(ind, province), today)
        row = IndicatorRow(
            indicator=ind,
            value=current,
            target=target,
            progress=prog,
            value_display=format_value(current.value if current else None, ind.unit),
            target_display=format_target(target, ind.unit),
            note=_note(current),
        )
        rows.append(row)
        by_node.setdefault(ind.node_id, []).append(row)
    nodes = [NodeRow(n, depth, by_node.pop(n.pk, [])) for n, depth in _tree(framework)]
    loose = [r for group in by_node.values() for r in group]
    if loose:
        nodes.append(NodeRow(None, 0, loose))
    ordered = [r for n in nodes for r in n.indicators]
    chart = chart_for(ordered, _("Progress toward the targets"))
    return Dashboard(
        framework=framework,
        period=period,
        province=province,
        nodes=nodes,
        rows=ordered,
        computed_at=min(computed) if computed else None,
        chart=chart,
    )


# --- the indicator page --------------------------------------------------------------------
@dataclass
class PeriodRow:
    period: Period
    value: IndicatorValue | None
    value_display: str
    note: str


@dataclass
class TargetRow:
    target: Target
    period: Period
    value_display: str
    progress: Progress
    latest_period: Period | None


@dataclass
class CellRow:
    key: str
    label: str
    value_display: str
    note: str


def cell_label(cell: str) -> str:
    """``"sex=female|age_band=15_24"`` → "Sex: female; Age band: 15–24"."""
    keys = dict(Disaggregation.choices)
    names: dict[str, dict[str, Any]] = {
        "sex": dict(Sex.choices),
        "age_band": {k: label for k, label, _lo, _hi in AGE_BANDS},
        "ethnicity": dict(ETHNICITIES),
        "sector": dict(Sector.choices),
        "province": dict(Province.objects.values_list("code", "name")),
    }
    parts = []
    for item in cell.split("|"):
        key, _sep, value = item.partition("=")
        label = names.get(key, {}).get(value)
        if value == "unknown":
            label = _("not recorded")
        elif value == "national":
            label = _("National courses")
        parts.append(f"{keys.get(key, key)}: {label if label is not None else value}")
    return "; ".join(parts)


@dataclass
class IndicatorPage:
    indicator: Indicator
    formula: Any
    province: Province | None
    period: Period
    periods: list[PeriodRow]
    targets: list[TargetRow]
    cells: list[CellRow]
    total: IndicatorValue | None
    references: list[ReferenceValue]
    baseline_display: str
    beside_display: str


def indicator_page(
    indicator: Indicator, *, period: Period, province: Province | None = None
) -> IndicatorPage:
    unit = indicator.unit
    values = [
        v
        for v in IndicatorValue.objects.filter(indicator=indicator, province=province)
        if v.province_id == getattr(province, "pk", None)
    ]
    history = {v.period: v for v in values if v.cell == ""}
    period_rows = sorted(
        (
            PeriodRow(
                periods.parse(code),
                v,
                format_value(v.value, unit),
                _note(v),
            )
            for code, v in history.items()
            if periods.is_valid(code)
        ),
        key=lambda r: (r.period.end, -r.period.days),
    )
    today = timezone.localdate()
    computed = [r for r in period_rows if r.value is not None and r.value.value is not None]
    target_rows = []
    for t in sorted(
        (t for t in indicator.targets.all() if t.province_id == getattr(province, "pk", None)),
        key=lambda t: periods.parse(t.period).end if periods.is_valid(t.period) else dt.date.max,
    ):
        if not periods.is_valid(t.period):
            continue
        tp = periods.parse(t.period)
        # judge each target with the newest value not after its date
        usable = [r for r in computed if r.period.end <= tp.end] or computed
        last = usable[-1] if usable else None
        prog = progress(
            indicator,
            t,
            last.value if last else None,
            last.period if last else tp,
            history,
            today,
        )
        target_rows.append(
            TargetRow(t, tp, format_target(t, unit), prog, last.period if last else None)
        )
    total = history.get(period.code)
    cells = sorted(
        (
            CellRow(v.cell, cell_label(v.cell), format_value(v.value, unit), _note(v))
            for v in values
            if v.period == period.code and v.cell
        ),
        key=lambda c: c.key,
    )
    baseline = ""
    if indicator.baseline_value is not None:
        baseline = format_value(indicator.baseline_value, unit)
        if indicator.baseline_period:
            baseline += f" ({indicator.baseline_period})"
    beside = ""
    if total is not None and total.beside_value is not None:
        beside = format_value(total.beside_value, unit)
    return IndicatorPage(
        indicator=indicator,
        formula=formulas.get(indicator.formula),
        province=province,
        period=period,
        periods=period_rows,
        targets=target_rows,
        cells=cells,
        total=total,
        references=with_display(
            list(
                ReferenceValue.objects.filter(indicator=indicator)
                .select_related("province")
                .order_by("period", "label")
            )
        ),
        baseline_display=baseline,
        beside_display=beside,
    )


def framework_references(framework: Framework) -> list[ReferenceValue]:
    """Reference values of the framework's indicators and those of its province (or,
    for a national framework, every reference not tied to an indicator)."""
    qs = ReferenceValue.objects.select_related("province", "indicator")
    linked = list(qs.filter(indicator__framework=framework))
    loose = qs.filter(indicator__isnull=True)
    if framework.province_id:
        loose = loose.filter(province_id=framework.province_id)
    return with_display(linked + list(loose))


def with_display(refs: list[ReferenceValue]) -> list[ReferenceValue]:
    """Set ``display`` on each reference value: its comparison and formatted value."""
    for ref in refs:
        sign = COMPARISON_SIGNS.get(ref.comparison, ref.comparison)
        ref.display = f"{sign}\u00a0{format_value(ref.value, ref.unit)}".lstrip("\u00a0")  # type: ignore[attr-defined]
    return refs


LEVELS = dict(Level.choices)


def cells_of(
    framework: Framework, *, period: Period, province: Province | None = None
) -> dict[int, dict[str, str | None]]:
    """Disaggregation cells per indicator id: cell → value as text (None = no data)."""
    out: dict[int, dict[str, str | None]] = {}
    for (indicator_id, cell), v in cached_values(
        framework, period=period, province=province
    ).items():
        if cell:
            out.setdefault(indicator_id, {})[cell] = None if v.value is None else str(v.value)
    return out
