"""API of the frameworks part (mounted under ``/api/v1/indicators``): the frameworks a
caller may see, one framework's structure, and its dashboard for a period and province
(values from the cache, targets and their status).

Staff only (a session or an API token); a framework the caller may not see is a 404.
Errors are JSON with a stable ``code``: ``not_found``, ``period_invalid``,
``province_unknown``, ``province_outside_framework``."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, route
from htxso.core.errors import ServiceError, not_found

from . import periods
from . import selectors_frameworks as sel
from .models import Framework, Indicator

router = Router(tags=["indicators"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FrameworkOut(Schema):
    code: str
    name: str
    province: str | None = Field(description="The province's code; null: national")
    programme: str
    start_date: str | None
    end_date: str | None
    published: bool


class FrameworkIndicatorOut(Schema):
    code: str
    name: str
    result: str | None = Field(description="The code of its goal, outcome or output")
    unit: str
    formula: str
    params: dict[str, Any]
    denominator: str
    disaggregations: list[str]
    dhis2_code: str
    baseline: str | None
    baseline_period: str


class NodeOut(Schema):
    code: str
    level: str
    title: str
    parent: str | None


class FrameworkDetailOut(FrameworkOut):
    results: list[NodeOut]
    indicators: list[FrameworkIndicatorOut]


class FrameworkTargetOut(Schema):
    period: str
    comparison: str
    value: str


class RowOut(Schema):
    indicator: str
    value: str | None = Field(description="The value as text; null = no data (never 0)")
    numerator: str | None
    denominator: str | None
    note: str
    target: FrameworkTargetOut | None
    status: str = Field(
        description="`met`, `not_met`, `on_track`, `at_risk`, `off_track`, `no_data`, "
        "`no_target` — judged for the target's own date"
    )
    projected: str | None
    computed_at: str | None
    cells: dict[str, str | None]


class ValuesOut(Schema):
    framework: str
    period: str
    province: str | None
    computed_at: str | None
    rows: list[RowOut]


class ValuesQuery(Schema):
    period: str = Field("", max_length=10, description="`2026S1`, `2026S2` or `2026`")
    province: str = Field("", max_length=2, description="A province's code (national frameworks)")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _framework(f: Framework) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "province": f.province_id,
        "programme": f.programme_label,
        "start_date": f.start_date.isoformat() if f.start_date else None,
        "end_date": f.end_date.isoformat() if f.end_date else None,
        "published": f.is_published,
    }


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "name": i.name,
        "result": i.node.code if i.node else None,
        "unit": i.unit,
        "formula": i.formula,
        "params": i.params or {},
        "denominator": i.denominator_label,
        "disaggregations": list(i.disaggregations or []),
        "dhis2_code": i.dhis2_code,
        "baseline": _text(i.baseline_value),
        "baseline_period": i.baseline_period,
    }


@route(
    router.get,
    "/frameworks",
    roles=roles.STAFF,
    response={200: list[FrameworkOut], **ERRORS},
    summary="The results frameworks the caller may see",
)
def framework_list(request: HttpRequest):
    return [_framework(f) for f in sel.frameworks_for(request.user)]


@route(
    router.get,
    "/frameworks/{code}",
    roles=roles.STAFF,
    response={200: FrameworkDetailOut, **ERRORS},
    summary="A framework: its results and indicators",
)
def framework_detail(request: HttpRequest, code: str):
    framework = sel.framework_or_404(request.user, code)
    return {
        **_framework(framework),
        "results": [
            {
                "code": n.code,
                "level": n.level,
                "title": n.title,
                "parent": n.parent.code if n.parent else None,
            }
            for n in framework.nodes.select_related("parent")
        ],
        "indicators": [_indicator(i) for i in framework.indicators.select_related("node")],
    }


@route(
    router.get,
    "/frameworks/{code}/values",
    roles=roles.STAFF,
    response={200: ValuesOut, **ERRORS},
    summary="A framework's dashboard: values, targets and status for a period",
    description="Values from the cache (see `computed_at`); each indicator's status is "
    "judged against the target of its own date. Errors: `not_found`, `period_invalid`, "
    "`province_unknown`, `province_outside_framework`.",
)
def framework_values(request: HttpRequest, code: str, query: Query[ValuesQuery]):
    user = request.user
    framework = sel.framework_or_404(user, code)
    if query.period:
        try:
            period = periods.parse(query.period)
        except ValueError as exc:
            raise ServiceError("period_invalid", str(exc)) from None
    else:
        period = sel.default_period(framework)
    province = None
    if query.province:
        if framework.province_id:
            raise ServiceError(
                "province_outside_framework",
                _("This framework is for %(name)s only.") % {"name": framework.province},
            )
        province = next(
            (p for p in sel.province_choices(user, framework) if p.code == query.province),
            None,
        )
        if province is None:
            raise not_found(_("Unknown province, or not yours."), code="province_unknown")
    board = sel.dashboard(framework, period=period, province=province)
    cells = sel.cells_of(framework, period=period, province=province)
    return {
        "framework": framework.code,
        "period": period.code,
        "province": province.code if province else None,
        "computed_at": board.computed_at.isoformat() if board.computed_at else None,
        "rows": [
            {
                "indicator": r.indicator.code,
                "value": _text(r.value.value) if r.value else None,
                "numerator": _text(r.value.numerator) if r.value else None,
                "denominator": _text(r.value.denominator) if r.value else None,
                "note": r.value.note if r.value else "not_computed",
                "target": {
                    "period": r.target.period,
                    "comparison": r.target.comparison,
                    "value": str(r.target.value),
                }
                if r.target
                else None,
                "status": r.status,
                "projected": _text(r.progress.projected),
                "computed_at": r.value.computed_at.isoformat() if r.value else None,
                "cells": cells.get(r.indicator.pk, {}),
            }
            for r in board.rows
        ],
    }
