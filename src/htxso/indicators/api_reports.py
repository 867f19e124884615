"""API of the periodic reports (mounted under ``/api/v1/indicators``).

* ``GET /reports/cycles`` — the report cycles the caller may see (province staff, the
  members of a submitting or the compiling office);
* ``GET /reports/cycles/{cycle_id}`` — one cycle: every office with its state, counts;
* ``GET /reports/submissions/{submission_id}`` — one submission with its history;
* ``POST /reports/cycles/{cycle_id}/offices/{office_id}/submission`` — an office member
  saves the draft or submits (``"submit": true``);
* ``POST /reports/submissions/{submission_id}/return`` and ``…/accept`` — the compiling
  office's decision.

Errors are JSON ``{"code", "message", "details"}``: ``submission_invalid`` and
``invalid`` (400, with the fields), ``submission_submitted``, ``submission_accepted``,
``submission_draft``, ``submission_returned`` (409: the state does not allow it),
``not_found`` (404: missing, or another province's).
"""

import datetime as dt
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.errors import not_found
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset, Text

from . import selectors_reports as sel
from . import services_reports as svc
from .models import ReportCycle, ReportingOffice, Submission

router = Router(tags=["indicators"])
MAX_BODY = 200_000


class CycleOut(Schema):
    id: int
    template: str
    kind: str
    province_code: str
    period: str
    due_on: dt.date


class OfficeStateOut(Schema):
    office_id: int
    office: str
    kind: str
    state: str
    late: bool
    submission_id: int | None
    submitted_at: dt.datetime | None


class CycleDetailOut(CycleOut):
    counts: dict[str, int]
    offices: list[OfficeStateOut]


class SubmissionEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    by: str
    at: dt.datetime
    comment: str


class SubmissionWarningOut(Schema):
    figure: str
    value: str
    platform_key: str
    platform: str
    message: str


class SubmissionOut(Schema):
    id: int
    cycle_id: int
    office_id: int
    office: str
    status: str
    late: bool
    narratives: dict[str, str]
    figures: dict[str, str]
    platform: dict[str, int]
    warnings: list[SubmissionWarningOut]
    submitted_at: dt.datetime | None
    comment: str
    events: list[SubmissionEventOut]


class SubmissionIn(Schema):
    narratives: dict[str, Text] = Field(default_factory=dict, max_length=50)
    figures: dict[str, Text | int] = Field(default_factory=dict, max_length=200)
    submit: bool = False


class DecisionIn(Schema):
    comment: Text = Field("", max_length=2000)


class ReportPageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


#: The JSON body of an operation, validated (``core.api.read_json``); its OpenAPI entry.
_body = partial(read_json, max_bytes=MAX_BODY)
_json_body = partial(json_body_doc, required=False)


def _cycle_out(c: ReportCycle) -> dict[str, Any]:
    return {
        "id": c.pk,
        "template": c.template.name,
        "kind": c.template.kind,
        "province_code": c.template.province_id,
        "period": c.period,
        "due_on": c.due_on,
    }


def _submission_out(s: Submission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "cycle_id": s.cycle_id,
        "office_id": s.office_id,
        "office": s.office.name,
        "status": s.status,
        "late": s.is_late,
        "narratives": s.narratives,
        "figures": s.figures,
        "platform": s.platform,
        "warnings": [
            {
                "figure": w["figure"],
                "value": w["value"],
                "platform_key": w["platform_key"],
                "platform": w["platform"],
                "message": svc.warning_text(w),
            }
            for w in s.warnings
        ],
        "submitted_at": s.submitted_at,
        "comment": s.last_comment,
        "events": [
            {
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "by": e.actor_label,
                "at": e.at,
                "comment": e.comment,
            }
            for e in s.events.all()
        ],
    }


@route(
    router.get,
    "/reports/cycles",
    authenticated=True,
    response=list[CycleOut],
    summary="Report cycles the caller may see (province staff, office members)",
)
def cycle_list(request: HttpRequest, page: Query[ReportPageQuery]):
    qs = sel.cycles_for(request.user)
    return [_cycle_out(c) for c in qs[page.offset : page.offset + page.limit]]


@route(
    router.get,
    "/reports/cycles/{cycle_id}",
    authenticated=True,
    response={200: CycleDetailOut, 404: ErrorOut},
    summary="One report cycle: every office with its state, and counts",
)
def cycle_detail(request: HttpRequest, cycle_id: Id):
    cycle = get_allowed_or_404(
        ReportCycle.objects.select_related("template"), request.user, pk=cycle_id
    )
    view = sel.overview(cycle)
    return {
        **_cycle_out(cycle),
        "counts": view.counts,
        "offices": [
            {
                "office_id": r.office.pk,
                "office": r.office.name,
                "kind": r.office.kind,
                "state": r.state,
                "late": r.late,
                "submission_id": r.submission.pk if r.submission else None,
                "submitted_at": r.submission.submitted_at if r.submission else None,
            }
            for r in view.rows
        ],
    }


@route(
    router.get,
    "/reports/submissions/{submission_id}",
    authenticated=True,
    response={200: SubmissionOut, 404: ErrorOut},
    summary="One office's report with its figures, warnings and history",
)
def submission_detail(request: HttpRequest, submission_id: Id):
    sub = get_allowed_or_404(
        Submission.objects.select_related("office"), request.user, pk=submission_id
    )
    return _submission_out(sub)


@route(
    router.post,
    "/reports/cycles/{cycle_id}/offices/{office_id}/submission",
    authenticated=True,
    response={200: SubmissionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Save the office's draft, or submit it (an office member)",
    description="Refusals: 400 invalid/submission_invalid (field messages in details); "
    "409 submission_submitted, submission_accepted; 404 when the cycle or the office is "
    "not the caller's.",
    openapi_extra=_json_body(SubmissionIn),
)
def submission_save(request: HttpRequest, cycle_id: Id, office_id: Id):
    cycle = get_allowed_or_404(
        ReportCycle.objects.select_related("template"), request.user, pk=cycle_id
    )
    office = ReportingOffice.objects.filter(pk=office_id).first()
    if office is None:
        raise not_found(_("Not found."))
    data = _body(request, SubmissionIn)
    sub = svc.submission_save(
        actor=request.user,
        cycle=cycle,
        office=office,
        narratives={str(k): v for k, v in data.narratives.items()},
        figures={str(k): str(v) for k, v in data.figures.items()},
        submit=data.submit,
    )
    return _submission_out(sub)


def _decide(request: HttpRequest, submission_id: int, doing: str):
    sub = get_allowed_or_404(
        Submission.objects.select_related("office", "cycle"),
        request.user,
        "review",
        pk=submission_id,
    )
    data = _body(request, DecisionIn)
    run = svc.submission_return if doing == "return" else svc.submission_accept
    return _submission_out(run(actor=request.user, submission=sub, comment=data.comment))


@route(
    router.post,
    "/reports/submissions/{submission_id}/return",
    authenticated=True,
    response={200: SubmissionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Return a submitted report to its office with a comment (compiling office)",
    description="Refusals: 400 invalid (the comment is required); 409 submission_draft, "
    "submission_returned, submission_accepted.",
    openapi_extra=_json_body(DecisionIn),
)
def submission_return(request: HttpRequest, submission_id: Id):
    return _decide(request, submission_id, "return")


@route(
    router.post,
    "/reports/submissions/{submission_id}/accept",
    authenticated=True,
    response={200: SubmissionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Accept a submitted report (compiling office)",
    description="Refusals: 409 submission_draft, submission_returned, submission_accepted.",
    openapi_extra=_json_body(DecisionIn),
)
def submission_accept(request: HttpRequest, submission_id: Id):
    return _decide(request, submission_id, "accept")
