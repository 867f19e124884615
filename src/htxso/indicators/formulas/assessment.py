"""Formulas over the DX self-assessment and plans (issue 15): cooperatives with an
approved DX plan, and the young DX leads behind those plans.

They read the assessment module only through what it publishes for the results app,
``assessment.selectors_plans.approved_plan_organisations`` and ``plan_youths`` (a plan
counts from the day the alliance approved it; a youth is an active DX lead under 35 on
the day read, by the registry's date or year of birth — a lead whose age is unknown is
not counted, so the figure is a floor).  The day read is the period's last day, or today
while it runs.  Before any plan exists in the scope the period has no data (not 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from htxso.assessment.selectors_plans import approved_plan_organisations, plan_youths
from htxso.core.policy import allowed
from htxso.registry.models import Organisation, OrganisationKind

from ..models.frameworks import Unit
from ..periods import Period
from .base import NOTE_NO_DATA, SYSTEM, Result, cell_key, count, formula, ward_of
from .registry import as_of

SOURCE = "assessment"


def _code(province: Any) -> str | None:
    return getattr(province, "pk", province) or None


def _any_plan(province: str | None, until: Any) -> bool:
    """Whether the scope had any DX plan (in any state) by ``until`` (made by then, or
    approved by then)."""
    from htxso.assessment.models.plans import Plan

    qs = allowed(Plan, SYSTEM, "view").filter(
        Q(created_at__date__lte=until) | Q(approved_on__lte=until)
    )
    if province:
        qs = qs.filter(province_id=province)
    return qs.exists()


@formula(
    "assessment.cooperatives_with_plan",
    _("Cooperatives with an approved DX plan"),
    unit=Unit.COUNT,
    source=SOURCE,
    cumulative=True,
    wards=True,
    description=_(
        "Cooperatives whose digital transformation plan the alliance approved on or "
        "before the period's last day (today while it runs), each counted once."
    ),
    disaggregations=("province",),
)
def cooperatives_with_plan(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    day = as_of(period)
    code = _code(province)
    if not _any_plan(code, day):
        return Result(None, note=NOTE_NO_DATA)
    qs = Organisation.objects.allowed(SYSTEM, "view").filter(
        pk__in=approved_plan_organisations(province=code, until=day),
        kind=OrganisationKind.COOPERATIVE,
    )
    if ward_of(params):
        qs = qs.filter(ward_id=ward_of(params))
    result = count(qs.count())
    if "province" in by:
        rows = qs.order_by().values("province_id").annotate(n=Count("id")).order_by("province_id")
        for r in rows:
            result.cells[cell_key(province=r["province_id"] or "unknown")] = count(r["n"])
    return result


@formula(
    "assessment.plan_youths",
    _("Young people behind approved DX plans"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_(
        "Different active DX leads under 35 (by the registry's date or year of birth; "
        "a lead whose age is unknown is not counted) of the organisations whose plan was "
        "approved on or before the period's last day (today while it runs)."
    ),
)
def youths_with_plan(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    day = as_of(period)
    code = _code(province)
    if not _any_plan(code, day):
        return Result(None, note=NOTE_NO_DATA)
    return count(plan_youths(province=code, until=day).count())
