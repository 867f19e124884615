"""Annual reports in the API (read-only), scoped like the pages."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset

from . import selectors_reports as selectors
from .models import AnnualReport, Organisation
from .services.reports import is_late

router = Router(tags=["annual reports"])


class AnnualReportOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    tax_code: str | None
    province_code: str
    year: int
    status: str
    due_on: dt.date
    late: bool
    members_official: int | None
    members_associate: int | None
    workers_total: int | None
    workers_youth: int | None
    workers_female: int | None
    charter_capital: int | None = Field(None, description="VND")
    total_assets: int | None = Field(None, description="VND")
    revenue: int | None = Field(None, description="VND")
    profit: int | None = Field(None, description="VND; negative for a loss")
    revenue_from_members: int | None = Field(None, description="VND")
    average_income_month: int | None = Field(None, description="VND per worker per month")
    taxes_paid: int | None = Field(None, description="VND")
    operating_effectively: bool | None
    uses_high_tech: bool | None
    in_value_chain: bool | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None


class AnnualReportEventOut(Schema):
    from_status: str
    to_status: str
    comment: str
    created_at: dt.datetime


class AnnualReportDetailOut(AnnualReportOut):
    notes: str
    review_comment: str
    events: list[AnnualReportEventOut]


class AnnualReportQuery(Schema):
    year: int | None = Field(None, ge=1990, le=2100)
    status: str = Field("", pattern=r"^(draft|submitted|returned|accepted)?$")
    province: str = Field("", max_length=2, pattern=r"^(\d{2})?$")
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


FIGURES = (
    "members_official",
    "members_associate",
    "workers_total",
    "workers_youth",
    "workers_female",
    "charter_capital",
    "total_assets",
    "revenue",
    "profit",
    "revenue_from_members",
    "average_income_month",
    "taxes_paid",
    "operating_effectively",
    "uses_high_tech",
    "in_value_chain",
)


def _out(r: AnnualReport) -> dict[str, Any]:
    o = r.organisation
    return {
        "id": r.pk,
        "organisation_id": o.pk,
        "organisation": o.name,
        "tax_code": o.tax_code,
        "province_code": o.province_id,
        "year": r.year,
        "status": r.status,
        "due_on": r.due_on,
        "late": is_late(r),
        **{name: getattr(r, name) for name in FIGURES},
        "submitted_at": r.submitted_at,
        "reviewed_at": r.reviewed_at,
    }


@route(
    router.get,
    "/annual-reports",
    roles=roles.READERS,
    response=list[AnnualReportOut],
    summary="Annual reports the caller may see (filters: year, status, province)",
)
def annual_report_list(
    request: HttpRequest, filters: Query[AnnualReportQuery]
) -> list[dict[str, Any]]:
    qs = selectors.report_list(
        user=request.user, year=filters.year, status=filters.status, province=filters.province
    )
    return [_out(r) for r in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/annual-reports/{report_id}",
    roles=roles.READERS,
    response=AnnualReportDetailOut,
    summary="One annual report with its history (404 when missing or not yours)",
)
def annual_report_detail(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    r = selectors.report_get(user=request.user, pk=report_id)
    return {
        **_out(r),
        "notes": r.notes,
        "review_comment": r.review_comment,
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": e.comment,
                "created_at": e.created_at,
            }
            for e in selectors.report_events(r)
        ],
    }


@route(
    router.get,
    "/organisations/by-tax-code/{tax_code}/annual-reports",
    roles=roles.READERS,
    response=list[AnnualReportOut],
    summary="Annual reports of one organisation found by tax code, newest first",
)
def annual_reports_by_tax_code(request: HttpRequest, tax_code: str) -> list[dict[str, Any]]:
    if len(tax_code) > 14:
        raise Http404
    organisation = get_allowed_or_404(Organisation, request.user, "view", tax_code=tax_code)
    qs = selectors.report_list(user=request.user, organisation=organisation).order_by("-year")
    return [_out(r) for r in qs]
