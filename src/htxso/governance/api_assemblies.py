"""API of general assemblies, mounted at ``/api/v1/governance``.

* ``GET /assemblies/`` — the assemblies the caller may see (a member: their
  cooperative's; staff: their province's), newest first;
* ``GET /assemblies/{assembly_id}`` — one assembly: agenda, documents, live quorum and,
  for a member, their own check-in;
* ``POST /assemblies/checkin`` — a member checks in with the hall's code or their
  personal link (``{"token": …}``);
* ``GET /assemblies/{assembly_id}/attendance`` — who checked in (staff and the manager).

``status`` is ``draft``, ``announced``, ``open``, ``closed``, ``adjourned`` or
``cancelled`` (terminal; ``cancelled_at`` and ``cancel_reason`` say when and why).
Preparing, changing and cancelling an assembly are done on the pages only: this API has
no manager's write (its one write is a member's check-in).

Errors are ``{"code", "message", "details"}``: ``code_malformed``, ``code_invalid``,
``code_expired``, ``not_open``, ``assembly_closed``, ``already_checked_in``,
``not_your_link``, ``not_found`` …
"""

import datetime as dt
from decimal import Decimal
from functools import partial

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.policy import allowed, get_allowed_or_404
from htxso.core.schemas import Id

from . import checkin_assemblies as codes
from . import selectors_assemblies as sel
from . import services_assemblies as services
from .models.assemblies import Assembly, Attendance

router = Router(tags=["governance"])
_body = partial(read_json, max_bytes=4_000, code="invalid")


class QuorumOut(Schema):
    present: int
    total: int
    required_pct: Decimal
    required: int
    met: bool
    article: str


class AssemblyOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    title: str
    kind: str
    year: int
    mode: str
    is_delegate: bool
    call_no: int
    status: str = Field(
        description="draft, announced, open, closed, adjourned or cancelled (terminal)"
    )
    scheduled_at: dt.datetime
    place: str
    url: str
    #: set when the assembly was cancelled (before it opened)
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""


class AgendaOut(Schema):
    position: int
    title: str
    description: str
    from_petition: bool


class DocumentOut(Schema):
    id: int
    title: str
    url: str


class MyAttendanceOut(Schema):
    channel: str
    may_vote: bool
    checked_in_at: dt.datetime


class AssemblyDetailOut(AssemblyOut):
    online_link: str
    agenda: list[AgendaOut]
    documents: list[DocumentOut]
    quorum: QuorumOut
    #: the caller's own check-in (a member), else null
    my_attendance: MyAttendanceOut | None = None
    #: the caller's personal check-in link (a member, online or hybrid), else ""
    my_checkin_token: str = ""


class CheckinIn(Schema):
    token: str = Field(max_length=200, description="The hall's code or the personal link's")


class CheckinOut(Schema):
    code: str = Field(description="`checked_in`")
    assembly_id: int
    channel: str
    may_vote: bool
    checked_in_at: dt.datetime


class AttendanceRowOut(Schema):
    membership_id: int
    name: str
    kind: str
    channel: str
    may_vote: bool
    checked_in_at: dt.datetime


class ListFilter(Schema):
    limit: int = Field(50, ge=1, le=200)


def _out(a: Assembly) -> dict:
    return {
        "id": a.pk,
        "organisation_id": a.organisation_id,
        "organisation": a.organisation.name,
        "title": a.title,
        "kind": a.kind,
        "year": a.year,
        "mode": a.mode,
        "is_delegate": a.is_delegate,
        "call_no": a.call_no,
        "status": a.status,
        "scheduled_at": a.scheduled_at,
        "place": a.place,
        "cancelled_at": a.cancelled_at,
        "cancel_reason": a.cancel_reason,
        "url": reverse("governance:assembly_detail", kwargs={"pk": a.pk}),
    }


@route(
    router.get,
    "/assemblies/",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response=list[AssemblyOut],
    summary="General assemblies the caller may see",
)
def assembly_list(request: HttpRequest, filters: Query[ListFilter]):
    return [_out(a) for a in sel.assemblies_for(request.user)[: filters.limit]]


@route(
    router.post,
    "/assemblies/checkin",
    roles=roles.ORGANISATION_PEOPLE,
    response={200: CheckinOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Check in to an assembly (hall code or personal link)",
    description="Twice answers 409 `already_checked_in` and adds nothing.",
    openapi_extra=json_body_doc(CheckinIn),
)
def checkin(request: HttpRequest):
    data = _body(request, CheckinIn)
    att = services.check_in(actor=request.user, token=data.token)
    return {
        "code": "checked_in",
        "assembly_id": att.assembly_id,
        "channel": att.channel,
        "may_vote": att.may_vote,
        "checked_in_at": att.checked_in_at,
    }


@route(
    router.get,
    "/assemblies/{assembly_id}",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response={200: AssemblyDetailOut, 404: ErrorOut},
    summary="One general assembly: agenda, documents, live quorum, my check-in",
)
def assembly_detail(request: HttpRequest, assembly_id: Id):
    a = get_allowed_or_404(
        Assembly.objects.select_related("organisation"), request.user, "view", pk=assembly_id
    )
    me = sel.membership_of(request.user, a.organisation_id)
    att = sel.attendance_of(a, me)
    q = sel.quorum(a)
    token = ""
    if me is not None and a.mode in ("online", "hybrid"):
        token = codes.personal_token(a.pk, me.pk)
    return {
        **_out(a),
        "online_link": a.online_link,
        "agenda": [
            {
                "position": i.position,
                "title": i.title,
                "description": i.description,
                "from_petition": i.petition_id is not None,
            }
            for i in a.agenda.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "url": reverse("governance:assembly_document", kwargs={"pk": d.pk}),
            }
            for d in a.documents.all()
        ],
        "quorum": q.__dict__,
        "my_attendance": (
            {"channel": att.channel, "may_vote": att.may_vote, "checked_in_at": att.checked_in_at}
            if att
            else None
        ),
        "my_checkin_token": token,
    }


@route(
    router.get,
    "/assemblies/{assembly_id}/attendance",
    roles=roles.READERS,
    response={200: list[AttendanceRowOut], 404: ErrorOut},
    summary="Who checked in (staff of the province and the manager)",
)
def attendance(request: HttpRequest, assembly_id: Id):
    a = get_allowed_or_404(Assembly, request.user, "view", pk=assembly_id)
    rows = allowed(Attendance, request.user, "view").filter(assembly=a)
    rows = rows.select_related("membership__person").order_by("checked_in_at", "id")
    return [
        {
            "membership_id": r.membership_id,
            "name": r.membership.person.full_name,
            "kind": r.membership.kind,
            "channel": r.channel,
            "may_vote": r.may_vote,
            "checked_in_at": r.checked_in_at,
        }
        for r in rows[:5000]
    ]
