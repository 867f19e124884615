"""API of the programs app, mounted under /api/v1/programs/ (read-only, scoped)."""

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset
from htxso.registry.rules.text import describe

from . import selectors
from .models import Application, ApplicationStatus, CallStatus, ProvinceDecision

router = Router(tags=["programs"])


class CriterionOut(Schema):
    id: int
    kind: str
    label: str
    params: dict


class CallOut(Schema):
    id: int
    title: str
    programme: str
    donor: str
    period: str
    status: str
    audience_kinds: list[str]
    deadline: dt.datetime
    min_eligible: int
    provinces_min: int
    provinces_max: int
    ranking: str


class CallDetailOut(CallOut):
    summary: str
    contact: str
    criteria: list[CriterionOut]
    published_in: list[str] = Field(description="Province codes where the call is published")


class ResultOut(Schema):
    criterion_id: int
    criterion: str
    verdict: str = Field(description="pass | fail | no_data | pending")
    reason: str
    statement: str


class ApplicationOut(Schema):
    id: int
    call_id: int
    call: str
    organisation_id: int
    organisation: str
    tax_code: str | None
    province_code: str
    status: str
    eligible: bool | None
    youth_share: float | None = Field(None, description="Percent of workers under 35")
    submitted_at: dt.datetime | None
    decision_reason: str


class ApplicationDetailOut(ApplicationOut):
    report: dict
    officer_comment: str
    results: list[ResultOut]


class ProvinceResultOut(Schema):
    province_code: str
    province: str
    applications: int
    eligible: int
    qualifies: bool
    rank: int | None
    selected: bool | None
    reason: str


class ResultsOut(Schema):
    call_id: int
    status: str
    min_eligible: int
    provinces_min: int
    provinces_max: int
    provinces: list[ProvinceResultOut]
    selected_applications: list[ApplicationOut]


class PageQuery(Schema):
    status: str = Field("", pattern=r"^(draft|open|closed|decided)?$")
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


def _call(c) -> dict:
    return {
        name: getattr(c, name)
        for name in (
            "id",
            "title",
            "programme",
            "donor",
            "period",
            "status",
            "audience_kinds",
            "deadline",
            "min_eligible",
            "provinces_min",
            "provinces_max",
            "ranking",
        )
    }


def _application(a) -> dict:
    return {
        "id": a.pk,
        "call_id": a.call_id,
        "call": a.call.title,
        "organisation_id": a.organisation_id,
        "organisation": a.organisation.name,
        "tax_code": a.organisation.tax_code,
        "province_code": a.organisation.province_id,
        "status": a.status,
        "eligible": a.eligible,
        "youth_share": a.youth_share,
        "submitted_at": a.submitted_at,
        "decision_reason": a.decision_reason,
    }


@route(
    router.get,
    "/calls",
    authenticated=True,
    response=list[CallOut],
    summary="Calls the caller may see",
)
def call_list(request, filters: Query[PageQuery]):
    qs = selectors.calls_visible(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return [_call(c) for c in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/calls/{call_id}",
    authenticated=True,
    response=CallDetailOut,
    summary="One call with its criteria",
)
def call_detail(request, call_id: Id):
    c = selectors.call_visible_or_404(request.user, call_id)
    return {
        **_call(c),
        "summary": c.summary,
        "contact": c.contact,
        "criteria": [
            {"id": k.pk, "kind": k.kind, "label": k.label, "params": k.params}
            for k in c.criteria.all()
        ],
        "published_in": sorted(c.publications.values_list("province_id", flat=True)),
    }


@route(
    router.get,
    "/applications/mine",
    roles=roles.MANAGERS,
    response=list[ApplicationOut],
    summary="Applicant view: the applications of the organisations the caller manages",
)
def my_applications(request):
    return [_application(a) for a in selectors.my_applications(request.user)]


@route(
    router.get,
    "/applications/{application_id}",
    roles=roles.READERS,
    response=ApplicationDetailOut,
    summary="One application with the verdict and reason of every criterion",
)
def application_detail(request, application_id: Id):
    qs = Application.objects.select_related("call", "organisation")
    a = get_allowed_or_404(qs, request.user, "view", pk=application_id)
    return {
        **_application(a),
        "report": a.report,
        "officer_comment": a.officer_comment,
        "results": [
            {
                "criterion_id": r.criterion_id,
                "criterion": r.criterion.label,
                "verdict": r.verdict,
                "reason": describe(r.data.get("code", ""), r.data)
                if r.data.get("code")
                else r.reason,
                "statement": r.statement,
            }
            for r in a.results.select_related("criterion")
        ],
    }


@route(
    router.get,
    "/calls/{call_id}/provinces/{call_province_code}/applications",
    roles=roles.STAFF,
    response=list[ApplicationOut],
    summary="Reviewer view: the submitted applications of one province",
)
def province_applications(request, call_id: Id, call_province_code: str):
    if not Application.policy.allows_at(request.user, "view", province=call_province_code):
        raise Http404
    c = selectors.call_visible_or_404(request.user, call_id)
    return [
        _application(a)
        for a in selectors.province_applications(
            request.user, c, call_province_code
        ).select_related("call")
    ]


@route(
    router.get,
    "/calls/{call_id}/results",
    roles=roles.STAFF,
    response=ResultsOut,
    summary="Provinces (eligible counts, qualification, rank, decision) and selected cooperatives",
)
def call_results(request, call_id: Id):
    c = selectors.call_visible_or_404(request.user, call_id)
    summary = selectors.national_summary(c)
    rows = [
        r
        for r in summary.rows
        if ProvinceDecision.policy.allows_at(request.user, "view", province=r.province_id)
    ]
    decided = c.status == CallStatus.DECIDED
    return {
        "call_id": c.pk,
        "status": c.status,
        "min_eligible": c.min_eligible,
        "provinces_min": c.provinces_min,
        "provinces_max": c.provinces_max,
        "provinces": [
            {
                "province_code": r.province_id,
                "province": r.name,
                "applications": r.submitted,
                "eligible": r.eligible,
                "qualifies": r.qualifies,
                "rank": r.rank,
                "selected": r.decision.selected if decided and r.decision else None,
                "reason": r.decision.reason if decided and r.decision else "",
            }
            for r in rows
        ],
        "selected_applications": [
            _application(a)
            for r in rows
            for a in r.applications
            if decided and a.status == ApplicationStatus.SELECTED
        ],
    }
