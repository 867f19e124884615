"""API of the plans part (mounted under ``/api/v1/assessment``, paths ``/plans…``).

The cooperative (its manager, its DX leads): ``GET /plans/mine``, ``GET /plans/{id}``,
``PUT /plans/{id}`` (text, budget, visibility), ``POST /plans/{id}/actions``,
``PUT /plans/actions/{id}``, ``POST /plans/actions/{id}/progress``,
``POST /plans/{id}/submit``.  Officers: ``GET /plans/review`` (their provinces' queue),
``GET /plans/{id}``, ``POST /plans/actions/{id}/comments``, ``POST /plans/{id}/return``,
``POST /plans/{id}/approve``.

Errors are JSON ``{"code", "message", "details"}`` with stable codes: ``not_found``
(404: another cooperative's plan, another province's review), ``forbidden`` (403),
``cost_negative``, ``dates_reversed``, ``text_markup``, ``owner_missing``… (400),
``plan_already_submitted``, ``plan_not_submitted``, ``plan_not_editable``,
``plan_approved``, ``plan_not_approved`` (409), ``validation_error`` (a body that is not
the schema).
"""

import datetime as dt
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.schemas import Id

from . import selectors_plans as sel
from . import services_plans as services
from .models.plans import Plan, PlanStatus

router = Router(tags=["assessment"])
MAX_BODY = 64 * 1024
_body = partial(read_json, max_bytes=MAX_BODY, message=_("The request body is not valid."))
#: who calls the plan operations (objects are then checked by ``Plan.policy``)
PEOPLE = roles.STAFF_AND_ORGANISATIONS
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PlanActionOut(Schema):
    id: int
    title: str
    dimension_key: str
    catalogue_code: str | None
    owner: str
    start: dt.date
    end: dt.date
    cost: int = Field(description="VND")
    progress: int = Field(description="0–100 %")
    progress_note: str
    comments: list[dict]


class DxPlanOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    province_code: str
    assessment_id: int | None
    status: str
    title: str
    objectives: str
    strategy: str
    budget: int = Field(description="VND")
    budget_note: str
    risks: str
    is_public: bool
    submitted_at: dt.datetime | None
    decision_note: str
    approved_on: dt.date | None
    actions: list[PlanActionOut]


class DxPlanBriefOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    province_code: str
    status: str
    title: str
    submitted_at: dt.datetime | None


class DxPlanIn(Schema):
    title: str | None = Field(None, max_length=400)
    objectives: str | None = Field(None, max_length=8000)
    strategy: str | None = Field(None, max_length=8000)
    budget: int | None = None
    budget_note: str | None = Field(None, max_length=4000)
    risks: str | None = Field(None, max_length=8000)
    is_public: bool | None = None


class PlanActionIn(Schema):
    title: str = Field(max_length=400)
    owner: str = Field("", max_length=300)
    start: dt.date
    end: dt.date
    cost: int


class ProgressIn(Schema):
    progress: int
    note: str = Field("", max_length=1000)


class PlanCommentIn(Schema):
    body: str = Field(max_length=4000)


class PlanNoteIn(Schema):
    note: str = Field("", max_length=4000)


def _action_out(a: Any) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "dimension_key": a.dimension_key,
        "catalogue_code": a.catalogue.code if a.catalogue_id else None,
        "owner": a.owner,
        "start": a.start,
        "end": a.end,
        "cost": a.cost,
        "progress": a.progress,
        "progress_note": a.progress_note,
        "comments": [
            {
                "id": c.pk,
                "by_staff": c.by_staff,
                "author": c.author.display_name if c.author else "",
                "body": c.body,
                "created_at": c.created_at.isoformat(),
            }
            for c in getattr(a, "comment_list", [])
        ],
    }


def _plan_out(plan: Plan) -> dict:
    plan.refresh_from_db()
    return {
        "id": plan.pk,
        "organisation_id": plan.organisation_id,
        "organisation_name": plan.organisation.name,
        "province_code": plan.province_id,
        "assessment_id": plan.assessment_id,
        "status": plan.status,
        "title": plan.title,
        "objectives": plan.objectives,
        "strategy": plan.strategy,
        "budget": plan.budget,
        "budget_note": plan.budget_note,
        "risks": plan.risks,
        "is_public": plan.is_public,
        "submitted_at": plan.submitted_at,
        "decision_note": plan.decision_note,
        "approved_on": plan.approved_on,
        "actions": [_action_out(a) for a in sel.plan_actions(plan)],
    }


def _brief(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "organisation_id": plan.organisation_id,
        "organisation_name": plan.organisation.name,
        "province_code": plan.province_id,
        "status": plan.status,
        "title": plan.title,
        "submitted_at": plan.submitted_at,
    }


@route(
    router.get,
    "/plans/mine",
    roles=PEOPLE,
    response=list[DxPlanBriefOut],
    summary="The plans of the cooperatives the caller manages or leads (current ones)",
)
def plans_mine(request: HttpRequest):
    out = []
    for org in sel.led_organisations(request.user):
        plan = sel.current_plan(org.pk)
        if plan is not None:
            out.append(_brief(plan))
    return out


@route(
    router.get,
    "/plans/review",
    roles=roles.REVIEWERS,
    response=list[DxPlanBriefOut],
    summary="Plans sent to the alliance in the caller's provinces (oldest first)",
)
def plans_review(request: HttpRequest, status: str = PlanStatus.SUBMITTED):
    if status not in PlanStatus.values:
        status = PlanStatus.SUBMITTED
    return [_brief(p) for p in sel.review_queue(request.user, status=status)[:500]]


@route(
    router.get,
    "/plans/{plan_id}",
    roles=PEOPLE,
    response={200: DxPlanOut, 404: ErrorOut},
    summary="One plan with its actions and comments (404 when missing or not yours)",
)
def plan_detail(request: HttpRequest, plan_id: Id):
    return _plan_out(sel.plan_get(request.user, plan_id))


@route(
    router.put,
    "/plans/{plan_id}",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Change the plan's title, objectives, strategy, budget, risks, visibility",
    description="Fields left out are kept. Refused once sent (`plan_not_editable`) or "
    "approved (`plan_approved`); markup in text answers `text_markup`.",
    openapi_extra=json_body_doc(DxPlanIn),
)
def plan_update(request: HttpRequest, plan_id: Id):
    plan = sel.plan_get(request.user, plan_id, "edit")
    data = _body(request, DxPlanIn)
    services.plan_update(actor=request.user, plan=plan, **data.model_dump())
    return _plan_out(plan)


@route(
    router.post,
    "/plans/{plan_id}/actions",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Add an action (a negative cost: `cost_negative`; end before start: `dates_reversed`)",
    openapi_extra=json_body_doc(PlanActionIn),
)
def action_add(request: HttpRequest, plan_id: Id):
    plan = sel.plan_get(request.user, plan_id, "edit")
    data = _body(request, PlanActionIn)
    services.action_add(actor=request.user, plan=plan, **data.model_dump())
    return _plan_out(plan)


@route(
    router.put,
    "/plans/actions/{action_id}",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Change an action (who, dates, cost)",
    openapi_extra=json_body_doc(PlanActionIn),
)
def action_update(request: HttpRequest, action_id: Id):
    action = sel.action_get(request.user, action_id)
    Plan.policy.check(request.user, "edit", action.plan)
    data = _body(request, PlanActionIn)
    services.action_update(actor=request.user, action=action, **data.model_dump())
    return _plan_out(action.plan)


@route(
    router.post,
    "/plans/actions/{action_id}/progress",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Record the progress of one action of an approved plan (0–100 %)",
    openapi_extra=json_body_doc(ProgressIn),
)
def action_progress(request: HttpRequest, action_id: Id):
    action = sel.action_get(request.user, action_id)
    Plan.policy.check(request.user, "edit", action.plan)
    data = _body(request, ProgressIn)
    services.action_progress(actor=request.user, action=action, **data.model_dump())
    return _plan_out(action.plan)


@route(
    router.post,
    "/plans/actions/{action_id}/comments",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Comment on one action (the alliance's advice, the youths' answer)",
    openapi_extra=json_body_doc(PlanCommentIn),
)
def action_comment(request: HttpRequest, action_id: Id):
    action = sel.action_get(request.user, action_id)
    Plan.policy.check(request.user, "comment", action.plan)
    data = _body(request, PlanCommentIn)
    services.comment_add(actor=request.user, action=action, body=data.body)
    return _plan_out(action.plan)


@route(
    router.post,
    "/plans/{plan_id}/submit",
    roles=PEOPLE,
    response={200: DxPlanOut, **ERRORS},
    summary="Send the plan to the provincial alliance (twice: `plan_already_submitted`)",
)
def plan_submit(request: HttpRequest, plan_id: Id):
    plan = sel.plan_get(request.user, plan_id, "edit")
    services.plan_submit(actor=request.user, plan=plan)
    return _plan_out(plan)


@route(
    router.post,
    "/plans/{plan_id}/return",
    roles=roles.REVIEWERS,
    response={200: DxPlanOut, **ERRORS},
    summary="Return a sent plan to the youths with a comment (`note` required)",
    openapi_extra=json_body_doc(PlanNoteIn),
)
def plan_return(request: HttpRequest, plan_id: Id):
    plan = sel.plan_get(request.user, plan_id, "review")
    data = _body(request, PlanNoteIn)
    services.plan_return(actor=request.user, plan=plan, note=data.note)
    return _plan_out(plan)


@route(
    router.post,
    "/plans/{plan_id}/approve",
    roles=roles.REVIEWERS,
    response={200: DxPlanOut, **ERRORS},
    summary="Approve a sent plan (a draft: `plan_not_submitted`)",
    openapi_extra=json_body_doc(PlanNoteIn, required=False),
)
def plan_approve(request: HttpRequest, plan_id: Id):
    plan = sel.plan_get(request.user, plan_id, "review")
    data = _body(request, PlanNoteIn)
    services.plan_approve(actor=request.user, plan=plan, note=data.note)
    return _plan_out(plan)
