"""API of the people part of training (mounted under /api/v1/training): the figures of
unique people (staff), the likely duplicates and their decision (VCA, province officer)."""

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field
from pydantic import ValidationError as PydanticError

from htxso.core import roles
from htxso.core.api import ErrorOut, route
from htxso.core.errors import ServiceError
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset

from . import selectors_counts, services_people
from .models import Audience, CourseKind, DuplicateCandidate, DuplicateStatus

router = Router(tags=["training"])

MAX_BODY = 4_000


class FiguresQuery(Schema):
    kind: Literal[tuple(CourseKind.values)] | None = None  # type: ignore[valid-type]
    audience: Literal[tuple(Audience.values)] | None = None  # type: ignore[valid-type]
    funded_by: str | None = Field(None, max_length=100)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    province: str | None = Field(None, max_length=8, description="a province code or 'national'")


class FigureRow(Schema):
    key: str
    label: str
    trained: int | str = Field(description="a number, '<5' (1–4) or '…' (hidden)")
    completed: int | str


class FiguresOut(Schema):
    trained: int
    completed: int
    youth_trained: int
    youth_completed: int
    sex: list[FigureRow]
    age: list[FigureRow]
    ethnicity: list[FigureRow] | None = Field(
        description="null when too few people to show any ethnicity figure safely"
    )
    province: list[FigureRow]


@route(
    router.get,
    "/figures",
    roles=roles.STAFF,
    response=FiguresOut,
    summary="Unique people trained and completed, with breakdowns (small cells suppressed)",
    description="Counts of people, not enrolments, in the courses of your reach. Ethnicity "
    "cells of 1–4 are '<5' and '…' hides cells so that none can be computed back.",
)
def figures(request: HttpRequest, filters: Query[FiguresQuery]):
    given = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors_counts.unique_people_breakdown(actor=request.user, **given).as_json()


class PersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    sex: str
    phone: str
    citizen_id: str | None
    organisation_id: int | None


class DuplicateOut(Schema):
    id: int
    reason: str
    status: str
    province: str | None
    found_at: dt.datetime
    first: PersonOut
    second: PersonOut


class PeopleListQuery(Schema):
    offset: Offset = 0
    limit: int = Field(50, ge=1, le=200)


def _person(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "full_name": p.full_name,
        "birth_year": p.birth_year or (p.birth_date.year if p.birth_date else None),
        "sex": p.sex,
        "phone": p.phone,
        "citizen_id": p.citizen_id,
        "organisation_id": p.organisation_id,
    }


def _row(c: DuplicateCandidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "reason": c.reason,
        "status": c.status,
        "province": c.province_id,
        "found_at": c.found_at,
        "first": _person(c.first),
        "second": _person(c.second),
    }


@route(
    router.get,
    "/duplicates",
    roles=roles.REVIEWERS,
    response=list[DuplicateOut],
    summary="Likely duplicate people waiting for a decision (your province's)",
)
def duplicates(request: HttpRequest, q: Query[PeopleListQuery]):
    qs = (
        DuplicateCandidate.policy.queryset(request.user, "view")
        .filter(status=DuplicateStatus.OPEN)
        .select_related("first", "second")
        .order_by("found_at", "id")
    )
    return [_row(c) for c in qs[q.offset : q.offset + q.limit]]


class DecideIn(Schema):
    decision: Literal["same", "different"]


@route(
    router.post,
    "/duplicates/{candidate_id}/decide",
    roles=roles.REVIEWERS,
    response={200: DuplicateOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Decide a likely duplicate: 'same' merges the two records, 'different' closes it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DecideIn.model_json_schema()}},
        }
    },
)
def decide(request: HttpRequest, candidate_id: Id):
    cand = get_allowed_or_404(
        DuplicateCandidate.objects.select_related("first", "second"),
        request.user,
        "change",
        pk=candidate_id,
    )
    raw = request.body or b""
    if len(raw) > MAX_BODY:
        raise ServiceError("too_large", _("The request body is too large."))
    try:
        data = DecideIn.model_validate(json.loads(raw or b"{}"))
    except (ValueError, UnicodeDecodeError, PydanticError):
        raise ServiceError(
            "validation_error", _("Send the decision: “same” or “different”.")
        ) from None
    services_people.decide_duplicate(actor=request.user, candidate=cand, decision=data.decision)
    return _row(DuplicateCandidate.objects.select_related("first", "second").get(pk=cand.pk))
