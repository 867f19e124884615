"""The aggregate queries behind the statistics, grouped by province.

Every function runs ONE query whatever the amount of data (no per-organisation loop)
and returns additive figures (counts and sums) per province code, so a province, the
nation and the comparison of provinces all come from the same numbers.  Querysets start
from ``Model.objects.allowed(user, "view")`` (the model's policy): a user never counts
what they may not see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from . import checks
from .models import (
    AnnualReport,
    ClassificationScore,
    OcopProduct,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    ScoreStatus,
    ValueChainLink,
)
from .selectors_reports import COUNTED, counted, counted_reports

#: Reports that count in statistics: the ones the eligibility rules read too
#: (``selectors_reports.counted_reports``: submitted or accepted).
COUNTED_REPORT_STATUSES = COUNTED
COOP = Q(organisation__kind=OrganisationKind.COOPERATIVE)


@dataclass
class Figures:
    """Additive figures for one province (or the sum of several)."""

    # organisations (current state): {(kind, status): count}
    organisations: dict = field(default_factory=dict)
    # annual reports of the year (submitted or accepted)
    reports: int = 0
    coop_reports: int = 0
    effective_yes: int = 0
    effective_answered: int = 0
    revenue_sum: int = 0
    revenue_reports: int = 0
    income_x_workers: int = 0
    income_workers: int = 0
    workers: int = 0
    workers_reports: int = 0
    youth: int = 0
    youth_base: int = 0
    members_cooperative: int = 0
    members_group: int = 0
    members_union: int = 0
    members_reports: int = 0
    # organisations the tax extract flags (stopped, suspended, left the address…)
    tax_problem: int = 0
    # organisations operating on the reference date {kind: count}: the one set of rows
    # behind the counts by kind (table and chart) and the shares' denominator
    operating_by_kind: dict = field(default_factory=dict)
    operating: int = 0
    in_value_chain: int = 0
    high_tech: int = 0
    # valid OCOP products {stars: count} and published grades {grade: count}
    ocop: dict = field(default_factory=dict)
    grades: dict = field(default_factory=dict)

    def __add__(self, other: Figures) -> Figures:
        out = Figures()
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, dict):
                merged = dict(a)
                for k, v in b.items():
                    merged[k] = merged.get(k, 0) + v
                setattr(out, f.name, merged)
            else:
                setattr(out, f.name, a + b)
        return out

    @property
    def organisation_total(self) -> int:
        return sum(self.organisations.values())

    def count(self, kind: str | None = None, status: str | None = None) -> int:
        return sum(
            n
            for (k, s), n in self.organisations.items()
            if (kind is None or k == kind) and (status is None or s == status)
        )


def _scoped(model, user, province: str | None, path: str):
    qs = model.objects.allowed(user, "view")
    if province:
        qs = qs.filter(**{path: province})
    return qs


def report_years(*, user, province: str | None) -> list[int]:
    """Years with at least one counted annual report, newest first (one query)."""
    qs = _scoped(AnnualReport, user, province, "organisation__province_id")
    return list(counted_reports(qs).order_by("-year").values_list("year", flat=True).distinct())


def collect(*, user, province: str | None, year: int, as_of: dt.date) -> dict[str, Figures]:
    """All figures per province code: five queries, independent of the data size."""
    out: dict[str, Figures] = defaultdict(Figures)
    _organisations(out, user, province)
    _reports(out, user, province, year)
    _operating(out, user, province, year, as_of)
    _ocop(out, user, province, as_of)
    _grades(out, user, province, year)
    return dict(out)


def _organisations(out, user, province):
    rows = (
        _scoped(Organisation, user, province, "province_id")
        .order_by()
        .values("province_id", "kind", "status")
        .annotate(
            n=Count("id"),
            tax=Count("id", filter=Q(tax_status__in=checks.TAX_PROBLEM_STATUSES)),
        )
    )
    for r in rows:
        out[r["province_id"]].organisations[(r["kind"], r["status"])] = r["n"]
        if r["status"] != OrganisationStatus.DISSOLVED:
            out[r["province_id"]].tax_problem += r["tax"]


def _reports(out, user, province, year):
    income = Q(average_income_month__isnull=False, workers_total__gt=0)
    youth = Q(workers_youth__isnull=False, workers_total__isnull=False)
    members = Coalesce("members_official", Value(0)) + Coalesce("members_associate", Value(0))
    has_members = Q(members_official__isnull=False) | Q(members_associate__isnull=False)
    rows = (
        counted_reports(
            _scoped(AnnualReport, user, province, "organisation__province_id"), year=year
        )
        .order_by()
        .values(pid=F("organisation__province_id"))
        .annotate(
            reports=Count("id"),
            coop_reports=Count("id", filter=COOP),
            effective_yes=Count("id", filter=COOP & Q(operating_effectively=True)),
            effective_answered=Count("id", filter=COOP & Q(operating_effectively__isnull=False)),
            revenue_sum=Sum("revenue", filter=COOP),
            revenue_reports=Count("id", filter=COOP & Q(revenue__isnull=False)),
            income_x_workers=Sum(F("average_income_month") * F("workers_total"), filter=income),
            income_workers=Sum("workers_total", filter=income),
            workers=Sum("workers_total"),
            workers_reports=Count("id", filter=Q(workers_total__isnull=False)),
            youth=Sum("workers_youth", filter=youth),
            youth_base=Sum("workers_total", filter=youth),
            members_cooperative=Sum(members, filter=COOP & has_members),
            members_group=Sum(members, filter=Q(organisation__kind="group") & has_members),
            members_union=Sum(members, filter=Q(organisation__kind="union") & has_members),
            members_reports=Count("id", filter=has_members),
        )
    )
    for r in rows:
        figures = out[r.pop("pid")]
        for name, value in r.items():
            setattr(figures, name, int(value or 0))


def operating_on(as_of: dt.date) -> Q:
    """Operating on ``as_of``: active today, or dissolved after that day (an
    organisation stops counting from its ``dissolved_on``, issue 19)."""
    return (Q(status=OrganisationStatus.ACTIVE) & Q(dissolved_on__isnull=True)) | Q(
        status__in=(OrganisationStatus.ACTIVE, OrganisationStatus.DISSOLVED),
        dissolved_on__gt=as_of,
    )


def _operating(out, user, province, year, as_of):
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    link = ValueChainLink.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first),
        organisation=OuterRef("pk"),
        started_on__lte=last,
    )
    coop = Q(kind=OrganisationKind.COOPERATIVE)
    # at most one report per organisation and year (unique constraint): a join, not a
    # subquery per row
    rows = (
        _scoped(Organisation, user, province, "province_id")
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
                "id", filter=coop & (Q(high_tech=True) | Q(report__uses_high_tech=True))
            ),
        )
    )
    for r in rows:
        figures = out[r["province_id"]]
        figures.operating_by_kind[r["kind"]] = r["operating"]
        figures.operating += r["operating"]
        figures.in_value_chain += r["in_value_chain"]
        figures.high_tech += r["high_tech"]


def _ocop(out, user, province, as_of):
    rows = (
        _scoped(OcopProduct, user, province, "organisation__province_id")
        .filter(certified_on__lte=as_of, expires_on__gt=as_of)
        .order_by()
        .values("stars", pid=F("organisation__province_id"))
        .annotate(n=Count("id"))
    )
    for r in rows:
        out[r["pid"]].ocop[r["stars"]] = r["n"]


def _grades(out, user, province, year):
    rows = (
        _scoped(ClassificationScore, user, province, "organisation__province_id")
        .filter(year=year, status=ScoreStatus.PUBLISHED)
        .exclude(grade="")
        .order_by()
        .values("grade", pid=F("organisation__province_id"))
        .annotate(n=Count("organisation", distinct=True))
    )
    for r in rows:
        out[r["pid"]].grades[r["grade"]] = r["n"]
