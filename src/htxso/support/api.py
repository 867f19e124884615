"""API of service requests, mounted under /api/v1/support/.

The cooperative: send a request, list its requests, follow one, write to the centre.
The centre: its queue, and the same "follow" and "write" (a reply).  Bodies are read
after the access check (so a refused role answers 403, never a validation error), and
every refusal is JSON with a stable ``code``: ``validation_error``, ``not_found``,
``forbidden``, ``request_closed``, ``request_duplicate`` (``details.id``: the request
already sent with that ``client_key``), ``too_many_requests``…
"""

import datetime as dt
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.errors import refused
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset, Text
from htxso.registry.models import Organisation

from . import selectors, services
from .models import RequestType, ServiceRequest, Status

router = Router(tags=["support"])
MAX_BODY = 64 * 1024
#: The body of an operation, read and validated by the shared ``core.api.read_json``.
_body = partial(read_json, max_bytes=MAX_BODY, error_types=True)
_json_body = json_body_doc


class EntryOut(Schema):
    kind: str
    text: str
    author: str
    internal: bool
    at: dt.datetime
    files: list[str]


class RequestOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    province_code: str
    request_type: str
    title: str
    status: str
    outcome: str
    created_at: dt.datetime
    first_response_due: dt.date
    resolution_due: dt.date
    overdue: bool
    paused: bool
    assignee: str | None
    rating: int | None


class RequestDetailOut(RequestOut):
    description: str
    facts: dict
    related_case_id: int | None
    closed_at: dt.datetime | None
    outcome_note: str
    entries: list[EntryOut]


class RequestIn(Schema):
    organisation_id: Id
    request_type: str = Field(description="One of: " + ", ".join(RequestType.values))
    title: Text = Field(max_length=200)
    description: Text = Field(max_length=4000)
    related_case_id: Id | None = None
    client_key: str = Field(
        "", max_length=40, description="Any string; a second request with it is refused"
    )


class MessageIn(Schema):
    message: Text = Field(max_length=4000)


class MineQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class QueueQuery(Schema):
    request_type: str = Field("", pattern=r"^[a-z_]{0,20}$")
    status: str = Field("", pattern=r"^[a-z_]{0,20}$")
    overdue: bool = False
    assignee: str = Field("", pattern=r"^(me|none|\d{1,18})?$")
    province: str = Field("", pattern=r"^(\d{2})?$")
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


def _row(r: ServiceRequest, day: dt.date, cal: Any) -> dict[str, Any]:
    sla = selectors.sla_state(r, day, cal)
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "organisation": r.organisation.name,
        "province_code": r.province_id,
        "request_type": r.request_type,
        "title": r.title,
        "status": r.status,
        "outcome": r.outcome,
        "created_at": r.created_at,
        "first_response_due": r.first_response_due,
        "resolution_due": r.resolution_due,
        "overdue": sla.overdue,
        "paused": sla.paused,
        "assignee": (r.assignee.full_name or r.assignee.username) if r.assignee_id else None,
        "rating": r.rating,
    }


def _detail(request: HttpRequest, r: ServiceRequest) -> dict[str, Any]:
    data = _row(r, selectors.today(), selectors.working_calendar())
    data.update(
        description=r.description,
        facts=r.facts,
        related_case_id=r.related_case_id,
        closed_at=r.closed_at,
        outcome_note=r.outcome_note,
        entries=[
            {
                "kind": e.kind,
                "text": e.text,
                "author": e.author_name,
                "internal": e.internal,
                "at": e.created_at,
                "files": [a.name for a in e.attachments.all()],
            }
            for e in selectors.timeline(user=request.user, req=r)
        ],
    )
    return data


def _one(request: HttpRequest, request_id: int) -> ServiceRequest:
    return get_allowed_or_404(
        ServiceRequest.objects.select_related("organisation", "assignee", "created_by"),
        request.user,
        "view",
        pk=request_id,
    )


@route(
    router.post,
    "/requests",
    roles=roles.MANAGERS,
    response={201: RequestDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Send a service request for your cooperative",
    description="The organisation's registry facts are attached; deadlines follow the "
    "type's service level in working days.",
    openapi_extra=_json_body(RequestIn),
)
def request_create(request: HttpRequest):
    data = _body(request, RequestIn)
    org = Organisation.objects.filter(pk=data.organisation_id).first()
    if org is None or not ServiceRequest.policy.allows_at(request.user, "own", organisation=org.pk):
        raise Http404
    created = services.request_create(
        actor=request.user,
        organisation=org,
        request_type=data.request_type,
        title=data.title,
        description=data.description,
        related_case_id=data.related_case_id,
        submit_key=data.client_key,
    )
    return Answer(201, _detail(request, _one(request, created.pk)))


@route(
    router.get,
    "/requests/mine",
    roles=roles.MANAGERS,
    response=list[RequestOut],
    summary="The requests of the cooperatives you manage, newest first",
)
def my_requests(request: HttpRequest, filters: Query[MineQuery]):
    qs = selectors.my_requests(user=request.user)[filters.offset : filters.offset + filters.limit]
    day, cal = selectors.today(), selectors.working_calendar()
    return [_row(r, day, cal) for r in qs]


@route(
    router.get,
    "/requests/{request_id}",
    roles=roles.READERS,
    response=RequestDetailOut,
    summary="One request with its exchanges (internal notes: the centre's staff only)",
)
def request_get(request: HttpRequest, request_id: Id):
    return _detail(request, _one(request, request_id))


@route(
    router.post,
    "/requests/{request_id}/messages",
    roles=roles.READERS,
    response={200: RequestDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Write on a request: the centre's reply, or the cooperative's message/answer",
    openapi_extra=_json_body(MessageIn),
)
def request_write(request: HttpRequest, request_id: Id):
    req = _one(request, request_id)
    policy = ServiceRequest.policy
    if policy.allows(request.user, "handle", req):
        data = _body(request, MessageIn)
        services.request_reply(actor=request.user, service_request=req, message=data.message)
    elif policy.allows(request.user, "own", req):
        data = _body(request, MessageIn)
        services.request_message(actor=request.user, service_request=req, message=data.message)
    else:
        raise refused(_("Your role may not do this."))
    return Answer(200, _detail(request, _one(request, request_id)))


@route(
    router.get,
    "/queue",
    roles=roles.STAFF,
    response=list[RequestOut],
    summary="The centre's queue, by deadline (open requests unless status is given)",
)
def queue(request: HttpRequest, filters: Query[QueueQuery]):
    status = filters.status if filters.status in (*Status.values, "all") else ""
    request_type = filters.request_type if filters.request_type in RequestType.values else ""
    qs = selectors.queue(
        user=request.user,
        filters=selectors.QueueFilters(
            request_type=request_type,
            status=status,
            overdue=filters.overdue,
            assignee=filters.assignee,
            province=filters.province,
        ),
    )[filters.offset : filters.offset + filters.limit]
    day, cal = selectors.today(), selectors.working_calendar()
    return [_row(r, day, cal) for r in qs]
