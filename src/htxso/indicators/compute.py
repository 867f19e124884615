"""Computing indicators and caching their values.

* :func:`compute` — one indicator for one period and province, from its formula (no
  cache, no write);
* :func:`refresh` — compute every indicator of a framework for the given periods and
  provinces and store the :class:`~htxso.indicators.models.IndicatorValue` rows with the
  time they were computed (one transaction; old rows of those periods replaced);
* :func:`values` — read the cache for a dashboard, an export or a report.

Province ``None`` means the framework's whole scope: the country for a programme's
framework, the province for a province's framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit, roles
from htxso.core.actors import Actor
from htxso.core.policy import require_role

from . import formulas
from .formulas.base import (
    NOTE_NOT_FOR_WARD,
    NOTE_NOT_STARTED,
    NOTE_UNKNOWN_FORMULA,
    WARD_PARAM,
    Result,
)
from .formulas.registry import figures_memo
from .models import Framework, Indicator, IndicatorValue
from .periods import Period, parse

__all__ = ["compute", "refresh", "scope_province", "values"]

audit.ACTION_LABELS.update({"indicators.refresh": _("Indicator values recomputed")})


def scope_province(indicator_or_framework: Any, province: Any = None) -> Any:
    """The province a computation covers: the one asked, else the framework's own."""
    if province is not None:
        return province
    framework = getattr(indicator_or_framework, "framework", indicator_or_framework)
    return framework.province


def compute(
    indicator: Indicator, *, period: Period | str, province: Any = None, ward: Any = None
) -> Result:
    """The value of ``indicator`` for ``period`` (a :class:`Period` or its code) and
    ``province`` (``None`` = the framework's scope), with the cells of its
    disaggregations.  Never raises for missing data: the result says "no data".

    ``ward`` (a :class:`~htxso.geo.models.Ward` or its code) restricts the count to one
    ward or commune of its province; a formula that cannot count a ward answers "not
    available for a ward" (never the province's figure), and no disaggregation is
    given for a ward."""
    if isinstance(period, str):
        period = parse(period)
    spec = formulas.get(indicator.formula)
    if spec is None:
        return Result(None, note=NOTE_UNKNOWN_FORMULA)
    if ward is not None and not spec.wards:
        return Result(None, note=NOTE_NOT_FOR_WARD)
    if period.start > timezone.localdate():
        return Result(None, note=NOTE_NOT_STARTED)
    by = [d for d in (indicator.disaggregations or []) if d in spec.disaggregations]
    params = {k: v for k, v in (indicator.params or {}).items() if k != WARD_PARAM}
    start = indicator.framework.start_date
    if start is not None and "since" not in params:
        params["since"] = start.isoformat()
    if ward is not None:
        params[WARD_PARAM] = str(getattr(ward, "pk", ward))
        province = getattr(ward, "province_id", None) or province
        by = []
    return spec.compute(
        period=period,
        province=scope_province(indicator, province),
        params=params,
        by=by,
    )


def _rows(
    indicator: Indicator, period: Period, province: Any, result: Result, now: Any
) -> list[IndicatorValue]:
    rows = [
        IndicatorValue(
            indicator=indicator,
            period=period.code,
            province=province,
            cell="",
            value=result.value,
            numerator=result.numerator,
            denominator=result.denominator,
            note=result.note[:255],
            beside_value=result.beside.value if result.beside else None,
            beside_denominator=result.beside.denominator if result.beside else None,
            computed_at=now,
        )
    ]
    for cell, res in sorted(result.cells.items()):
        rows.append(
            IndicatorValue(
                indicator=indicator,
                period=period.code,
                province=province,
                cell=cell[:200],
                value=res.value,
                numerator=res.numerator,
                denominator=res.denominator,
                note=res.note[:255],
                computed_at=now,
            )
        )
    return rows


def refresh(
    framework: Framework,
    *,
    periods: Iterable[Period | str],
    provinces: Sequence[Any] | None = None,
    actor: Actor,
) -> int:
    """Recompute every indicator of ``framework`` for ``periods`` and ``provinces``
    (``None`` = the framework's scope only) and replace their cached values.  Returns
    the number of rows written.  The actor must be allowed to change the framework (a
    system actor always is)."""
    Framework.policy.require(actor, "view", framework)
    require_role(actor, roles.STAFF)
    parsed = [p if isinstance(p, Period) else parse(p) for p in periods]
    places: list[Any] = list(provinces) if provinces else [None]
    indicators = list(framework.indicators.all())
    now = timezone.now()
    rows: list[IndicatorValue] = []
    with figures_memo():
        for indicator in indicators:
            for period in parsed:
                for province in places:
                    result = compute(indicator, period=period, province=province)
                    rows.extend(_rows(indicator, period, province, result, now))
    with transaction.atomic():
        codes = [p.code for p in parsed]
        old = IndicatorValue.objects.filter(indicator__framework=framework, period__in=codes)
        if provinces:
            old = old.filter(province__in=[getattr(p, "pk", p) for p in places])
        else:
            old = old.filter(province__isnull=True)
        old.delete()
        IndicatorValue.objects.bulk_create(rows, batch_size=500)
        audit.record(
            actor=actor,
            action="indicators.refresh",
            instance=framework,
            after={
                "periods": codes,
                "provinces": [getattr(p, "pk", p) for p in places],
                "rows": len(rows),
            },
        )
    return len(rows)


def values(
    framework: Framework, *, period: Period | str, province: Any = None
) -> dict[tuple[int, str], IndicatorValue]:
    """The cached values of ``framework`` for ``period`` and ``province`` (``None`` =
    the framework's scope): ``(indicator_id, cell) → IndicatorValue``."""
    code = period.code if isinstance(period, Period) else parse(period).code
    qs = IndicatorValue.objects.filter(indicator__framework=framework, period=code)
    qs = qs.filter(province__isnull=True) if province is None else qs.filter(province=province)
    return {(v.indicator_id, v.cell): v for v in qs}
