"""Formulas over the registry: organisations, their members, grades, value chains, high
technology and revenue.

They reuse the definitions of the statistics pages (``registry.stats_queries`` and
``registry.stats_indicators``), so a dashboard and ``/thong-ke/`` give the same figure for
the same year: the year of a period is the year of the annual reports and of the
classification read, and organisations are counted as operating on the period's last day
(today for the running period).  Counts of organisations also leave out those
established after that day, so a past period is not given today's count.

Every formula here can also count one ward or commune (a ward office's report): the
organisations whose registered ward is that ward.  The statistics group their figures
by province only, so :func:`ward_figures` reads the same aggregates — built from the
registry's own pieces (``counted_reports``, ``counted``, ``operating_on``) with the
statistics' definitions — for the ward; a test checks that the wards of a province add
up to the statistics' figures of the province.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.registry import stats_indicators
from htxso.registry.models import (
    AnnualReport,
    ClassificationScore,
    Organisation,
    OrganisationKind,
    ScoreStatus,
    ValueChainLink,
)
from htxso.registry.selectors_reports import counted, counted_reports
from htxso.registry.stats_queries import Figures, collect, operating_on

from ..models.frameworks import Unit
from ..periods import Period
from .base import (
    NOTE_NO_DATA,
    SYSTEM,
    Result,
    average,
    cell_key,
    count,
    formula,
    share,
    ward_of,
)

SOURCE = "registry"


def as_of(period: Period) -> dt.date:
    """The day a period is read on: its last day, or today while it runs."""
    return min(period.end, timezone.localdate())


def _code(province: Any) -> str | None:
    return getattr(province, "pk", province) or None


#: Figures already read during one :func:`figures_memo` block, per (period, province).
_MEMO: contextvars.ContextVar[dict[tuple[str, str | None], dict[str, Figures]] | None] = (
    contextvars.ContextVar("indicators_registry_figures", default=None)
)


@contextlib.contextmanager
def figures_memo() -> Iterator[None]:
    """Read the statistics' figures once per period and province inside the block (a
    refresh computes a dozen indicators from the same figures); nothing is kept after."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def figures(period: Period, province: Any, ward: str | None = None) -> dict[str, Figures]:
    """The statistics' figures per province code for the period's year (only the
    organisations of ``ward`` when one is given)."""
    memo = _MEMO.get()
    key = (period.code, f"ward:{ward}" if ward else _code(province))
    if memo is not None and key in memo:
        return memo[key]
    if ward:
        out = ward_figures(ward, year=period.year, as_of=as_of(period))
    else:
        out = collect(user=SYSTEM, province=key[1], year=period.year, as_of=as_of(period))
    if memo is not None:
        memo[key] = out
    return out


def ward_figures(ward: str, *, year: int, as_of: dt.date) -> dict[str, Figures]:
    """The statistics' figures (annual reports of ``year``, organisations operating on
    ``as_of``, published grades of ``year``) of the organisations registered in
    ``ward``, keyed by their province code like ``stats_queries.collect``: three
    queries.  The same definitions as the statistics (see the module's docstring)."""
    out: dict[str, Figures] = {}
    coop = Q(organisation__kind=OrganisationKind.COOPERATIVE)
    income = Q(average_income_month__isnull=False, workers_total__gt=0)
    youth = Q(workers_youth__isnull=False, workers_total__isnull=False)
    members = Coalesce("members_official", Value(0)) + Coalesce("members_associate", Value(0))
    has_members = Q(members_official__isnull=False) | Q(members_associate__isnull=False)
    reports = (
        counted_reports(
            AnnualReport.objects.allowed(SYSTEM, "view").filter(organisation__ward_id=ward),
            year=year,
        )
        .order_by()
        .values(pid=F("organisation__province_id"))
        .annotate(
            reports=Count("id"),
            coop_reports=Count("id", filter=coop),
            effective_yes=Count("id", filter=coop & Q(operating_effectively=True)),
            effective_answered=Count("id", filter=coop & Q(operating_effectively__isnull=False)),
            revenue_sum=Sum("revenue", filter=coop),
            revenue_reports=Count("id", filter=coop & Q(revenue__isnull=False)),
            income_x_workers=Sum(F("average_income_month") * F("workers_total"), filter=income),
            income_workers=Sum("workers_total", filter=income),
            workers=Sum("workers_total"),
            workers_reports=Count("id", filter=Q(workers_total__isnull=False)),
            youth=Sum("workers_youth", filter=youth),
            youth_base=Sum("workers_total", filter=youth),
            members_cooperative=Sum(members, filter=coop & has_members),
            members_group=Sum(members, filter=Q(organisation__kind="group") & has_members),
            members_union=Sum(members, filter=Q(organisation__kind="union") & has_members),
            members_reports=Count("id", filter=has_members),
        )
    )
    for r in reports:
        f = out.setdefault(r.pop("pid"), Figures())
        for name, value in r.items():
            setattr(f, name, int(value or 0))
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    link = ValueChainLink.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first),
        organisation=OuterRef("pk"),
        started_on__lte=last,
    )
    operating = (
        Organisation.objects.allowed(SYSTEM, "view")
        .filter(ward_id=ward)
        .filter(operating_on(as_of))
        .annotate(
            report=FilteredRelation(
                "annual_reports",
                condition=Q(annual_reports__year=year) & counted("annual_reports__"),
            )
        )
        .order_by()
        .values("province_id", "kind")
        .annotate(
            operating=Count("id"),
            in_value_chain=Count("id", filter=Q(report__in_value_chain=True) | Q(Exists(link))),
            high_tech=Count(
                "id",
                filter=Q(kind=OrganisationKind.COOPERATIVE)
                & (Q(high_tech=True) | Q(report__uses_high_tech=True)),
            ),
        )
    )
    for r in operating:
        f = out.setdefault(r["province_id"], Figures())
        f.operating_by_kind[r["kind"]] = r["operating"]
        f.operating += r["operating"]
        f.in_value_chain += r["in_value_chain"]
        f.high_tech += r["high_tech"]
    grades = (
        ClassificationScore.objects.allowed(SYSTEM, "view")
        .filter(organisation__ward_id=ward, year=year, status=ScoreStatus.PUBLISHED)
        .exclude(grade="")
        .order_by()
        .values("grade", pid=F("organisation__province_id"))
        .annotate(n=Count("organisation", distinct=True))
    )
    for r in grades:
        out.setdefault(r["pid"], Figures()).grades[r["grade"]] = r["n"]
    return out


def _total(per_province: Mapping[str, Figures]) -> Figures:
    total = Figures()
    for f in per_province.values():
        total = total + f
    return total


# --- counts of organisations ---------------------------------------------------------------
def _organisations(kind: str) -> Callable[..., Result]:
    def compute(
        *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
    ) -> Result:
        day = as_of(period)
        ward = ward_of(params)
        qs = Organisation.objects.allowed(SYSTEM, "view").filter(kind=kind)
        if _code(province):
            qs = qs.filter(province_id=_code(province))
        if ward:
            qs = qs.filter(ward_id=ward)
        qs = qs.filter(operating_on(day)).filter(
            Q(established_on__isnull=True) | Q(established_on__lte=day)
        )
        rows = list(qs.order_by().values("province_id", "sector").annotate(n=Count("id")))
        if not rows and not _registered_by(day, province, ward):
            return Result(None, note=NOTE_NO_DATA)
        result = count(sum(r["n"] for r in rows))
        for key in ("province", "sector"):
            if key not in by:
                continue
            field = "province_id" if key == "province" else "sector"
            cells: dict[str, int] = {}
            for r in rows:
                value = r[field] or "unknown"
                cells[value] = cells.get(value, 0) + r["n"]
            for value, n in sorted(cells.items()):
                result.cells[cell_key(**{key: value})] = count(n)
        return result

    return compute


def _registered_by(day: dt.date, province: Any, ward: str | None = None) -> bool:
    """Whether the registry held any organisation of the scope on ``day`` (else the
    period has no data rather than zero organisations)."""
    qs = Organisation.objects.allowed(SYSTEM, "view").filter(
        Q(established_on__isnull=True) | Q(established_on__lte=day)
    )
    if _code(province):
        qs = qs.filter(province_id=_code(province))
    if ward:
        qs = qs.filter(ward_id=ward)
    return qs.exists()


_ORG_DESCRIPTION = _(
    "Organisations of this kind operating on the last day of the period (today while it "
    "runs), established by then — the statistics' definition."
)

for _key, _kind, _label in (
    ("registry.cooperatives", OrganisationKind.COOPERATIVE, _("Cooperatives")),
    ("registry.groups", OrganisationKind.GROUP, _("Cooperative groups")),
    ("registry.unions", OrganisationKind.UNION, _("Unions of cooperatives")),
):
    formula(
        _key,
        _label,
        unit=Unit.COUNT,
        source=SOURCE,
        description=_ORG_DESCRIPTION,
        disaggregations=("province", "sector"),
        wards=True,
    )(_organisations(_kind))


# --- figures of the statistics (annual reports, grades, value chains) ----------------------
def _by_province(
    per_province: Mapping[str, Figures], by: Sequence[str], one: Callable[[Figures], Result]
) -> dict[str, Result]:
    if "province" not in by:
        return {}
    return {
        cell_key(province=code): one(f)
        for code, f in sorted(per_province.items())
        if code  # organisations without a province are in the total only
    }


def _statistic(one: Callable[[Figures], Result]) -> Callable[..., Result]:
    def compute(
        *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
    ) -> Result:
        per_province = figures(period, province, ward_of(params))
        result = one(_total(per_province))
        result.cells.update(_by_province(per_province, by, one))
        return result

    return compute


def _members(attr: str) -> Callable[[Figures], Result]:
    def one(f: Figures) -> Result:
        if not f.members_reports:
            return Result(None, note=NOTE_NO_DATA)
        return count(getattr(f, attr))

    return one


_MEMBERS_DESCRIPTION = _(
    "Official and associate members at 31 December in the annual reports of the period's "
    "year that were sent to the province or accepted (the statistics' definition)."
)
for _key, _attr, _label in (
    ("registry.cooperative_members", "members_cooperative", _("Members of cooperatives")),
    ("registry.group_members", "members_group", _("Members of cooperative groups")),
    ("registry.union_members", "members_union", _("Members of unions of cooperatives")),
):
    formula(
        _key,
        _label,
        unit=Unit.PEOPLE,
        source=SOURCE,
        description=_MEMBERS_DESCRIPTION,
        disaggregations=("province",),
        wards=True,
    )(_statistic(_members(_attr)))


def _graded(f: Figures) -> int:
    return sum(f.grades.get(g, 0) for g in ("good", "fair", "average", "weak"))


def _good_or_fair(f: Figures) -> Result:
    return share(f.grades.get("good", 0) + f.grades.get("fair", 0), _graded(f))


@formula(
    "registry.share_good_or_fair",
    _("Share of graded organisations rated good or fair"),
    unit=Unit.PERCENT,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["share_good_or_fair"],
    denominator=_("graded organisations (published classification of the year)"),
    disaggregations=("province",),
    wards=True,
)
def share_good_or_fair(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    per_province = figures(period, province, ward_of(params))
    total = _total(per_province)
    result = _good_or_fair(total)
    result.cells.update(_by_province(per_province, by, _good_or_fair))
    if result.value is not None:  # no grade at all: nothing to put beside either
        result.beside = share(result.numerator, total.operating)
    return result


formula(
    "registry.share_value_chain",
    _("Share of organisations in value chains"),
    unit=Unit.PERCENT,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["share_value_chain"],
    denominator=_("operating organisations"),
    disaggregations=("province",),
    wards=True,
)(_statistic(lambda f: share(f.in_value_chain, f.operating)))

formula(
    "registry.share_effective",
    _("Share of cooperatives operating effectively"),
    unit=Unit.PERCENT,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["share_effective"],
    denominator=_("cooperatives whose annual report answers the question"),
    disaggregations=("province",),
    wards=True,
)(_statistic(lambda f: share(f.effective_yes, f.effective_answered)))


def _high_tech(f: Figures) -> Result:
    if not (f.operating or f.reports):
        return Result(None, note=NOTE_NO_DATA)
    return count(f.high_tech)


formula(
    "registry.high_tech",
    _("Cooperatives applying high technology"),
    unit=Unit.COUNT,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["high_tech"],
    disaggregations=("province",),
    wards=True,
)(_statistic(_high_tech))

formula(
    "registry.revenue_per_cooperative",
    _("Average revenue per cooperative"),
    unit=Unit.VND,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["revenue_per_cooperative"],
    denominator=_("cooperatives whose annual report gives a revenue"),
    disaggregations=("province",),
    wards=True,
)(_statistic(lambda f: average(f.revenue_sum, f.revenue_reports)))

formula(
    "registry.income_per_worker",
    _("Average monthly income per worker"),
    unit=Unit.VND,
    source=SOURCE,
    description=stats_indicators.DEFINITIONS["income_per_worker"],
    denominator=_("workers of the reports that give an income"),
    disaggregations=("province",),
    wards=True,
)(_statistic(lambda f: average(f.income_x_workers, f.income_workers)))
