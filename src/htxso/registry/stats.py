"""Statistics of the registry: the province dashboard and the national view.

``dashboard(user=, province=, year=, use_cache=)`` is the one entry point (pages, API,
exports and the benchmark use it).  It runs a fixed number of aggregate queries
(``stats_queries``), whatever the number of organisations, and caches the result for a
few minutes, keyed by the user's scope, the province, the year, the day and a data
version that :func:`invalidate` bumps — call it after writes that change the figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from htxso.core import roles
from htxso.core.policy import holds_at
from htxso.core.scoping import get_scope
from htxso.geo.models import Province

from .data.targets import is_reference
from .models import ProvinceTarget
from .stats_indicators import (
    GRADE_ORDER,
    KIND_ORDER,
    STATUS_ORDER,
    IndicatorRow,
    Target,
    compute,
    indicator_rows,
    reference_date,
)
from .stats_queries import Figures, collect, report_years

__all__ = [
    "CACHE_TTL",
    "Dashboard",
    "ProvinceRow",
    "dashboard",
    "invalidate",
    "may_see_province",
]

#: Seconds a computed dashboard is kept.
CACHE_TTL = 300
VERSION_KEY = "htxso:registry:stats:version"


def invalidate() -> None:
    """Forget every cached dashboard (call after writes that change the figures)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def may_see_province(user: Any, code: str) -> bool:
    """Whether the user's staff roles cover the whole province (the VCA, the province's
    officers and department viewers: ``roles.STAFF``)."""
    return holds_at(user, roles.STAFF, province=code)


@dataclass
class ProvinceRow:
    code: str
    name: str
    figures: Figures

    @property
    def values(self) -> dict:
        return compute(self.figures)


@dataclass
class Dashboard:
    """Figures of one province (``province_code``) or of everything the user sees."""

    province_code: str | None
    province_name: str | None
    year: int
    years: list[int]
    as_of: dt.date
    figures: Figures
    targets: dict[str, list[Target]] = field(default_factory=dict)
    provinces: list[ProvinceRow] = field(default_factory=list)

    @property
    def is_national(self) -> bool:
        return self.province_code is None

    @property
    def is_empty(self) -> bool:
        """Nothing registered at all: the page shows an empty state instead."""
        return self.figures.organisation_total == 0

    @property
    def has_reports(self) -> bool:
        return self.figures.reports > 0

    @property
    def indicators(self) -> list[IndicatorRow]:
        return indicator_rows(self.figures, self.targets, self.year)

    def indicator(self, code: str) -> IndicatorRow:
        return next(r for r in self.indicators if r.code == code)

    @property
    def by_kind_and_status(self) -> list[dict]:
        rows = []
        for kind in KIND_ORDER:
            counts = [self.figures.count(kind, status) for status in STATUS_ORDER]
            rows.append({"kind": kind, "label": kind.label, "counts": counts, "total": sum(counts)})
        return rows

    @property
    def ocop_by_stars(self) -> list[tuple[int, int]]:
        return [(stars, self.figures.ocop.get(stars, 0)) for stars in (3, 4, 5)]

    @property
    def grades(self) -> list[tuple[str, str, int]]:
        return [(g.value, g.label, self.figures.grades.get(g.value, 0)) for g in GRADE_ORDER]


def _scope_key(user: Any) -> str:
    """What the user's figures depend on (the cache key): their reach, not who they are."""
    scope = get_scope(user)
    if scope.national_view:
        return "all"
    raw = "p" + ",".join(sorted(scope.view_provinces))
    raw += "o" + ",".join(str(o) for o in sorted(scope.view_organisations))
    raw += "m" + ",".join(str(o) for o in sorted(scope.member_organisations))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _targets(province: str | None) -> dict[str, list[Target]]:
    out: dict[str, list[Target]] = {}
    qs = (
        ProvinceTarget.objects.filter(province_id=province)
        if province
        else (ProvinceTarget.objects.filter(province__isnull=True))
    )
    for t in qs:
        out.setdefault(t.indicator, []).append(
            Target(
                value=t.value,
                comparison=t.comparison,
                year=t.year,
                source=t.source,
                reference=is_reference(province, t.indicator, t.year),
            )
        )
    return out


def _compute(user: Any, province: str | None, year: int | None, today: dt.date) -> Dashboard:
    name = None
    if province:
        found = Province.objects.filter(pk=province).values_list("name", flat=True).first()
        if found is None:
            raise Http404
        name = found
    years = report_years(user=user, province=province)
    if year is None:
        year = years[0] if years else today.year - 1
    as_of = reference_date(year, today)
    per_province = collect(user=user, province=province, year=year, as_of=as_of)
    total = Figures()
    for figures in per_province.values():
        total = total + figures
    board = Dashboard(
        province_code=province,
        province_name=name,
        year=year,
        years=years,
        as_of=as_of,
        figures=total,
        targets=_targets(province),
    )
    if province is None and per_province:
        names = dict(Province.objects.filter(pk__in=per_province).values_list("code", "name"))
        board.provinces = [
            ProvinceRow(code=code, name=names.get(code, code), figures=figures)
            for code, figures in sorted(per_province.items())
        ]
    return board


def dashboard(
    *, user: Any, province: str | None = None, year: int | None = None, use_cache: bool = True
) -> Dashboard:
    """The dashboard of ``province`` (``None``: everything the user sees) for ``year``
    (``None``: the latest year with annual reports).

    Raises ``Http404`` when the province is unknown or outside the user's scope — the
    same answer for both, so other provinces cannot be probed.
    """
    if province is not None:
        province = str(province)
        if not (len(province) == 2 and province.isdigit()) or not may_see_province(user, province):
            raise Http404
    if year is not None and not 1990 <= int(year) <= 2100:
        year = None
    today = timezone.localdate()
    if not use_cache:
        return _compute(user, province, year, today)
    # "f2": the shape of ``Figures`` (a board cached by older code lacks its new fields)
    key = "htxso:registry:stats:f2:v{}:{}:{}:{}:{}".format(
        _version(), _scope_key(user), province or "all", year or "latest", today.isoformat()
    )
    board = cache.get(key)
    if board is None:
        board = _compute(user, province, year, today)
        cache.set(key, board, CACHE_TTL)
    return board
