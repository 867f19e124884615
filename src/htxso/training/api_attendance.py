"""API of the attendance part of training (mounted under /api/v1/training).

* ``POST /checkin`` — a signed-in participant checks in with a scanned code;
* ``GET /sessions/{session_id}/attendance`` — a session's roster (trainers and staff);
* ``POST /sessions/{session_id}/attendance/batch`` — the trainer's roster ticks, e.g. the
  queue a phone kept offline (idempotent by ``client_id``).

Errors are ``{"code", "message", "details"}`` with stable codes (``checkin_code_expired``,
``checkin_code_tampered``, ``checkin_code_replayed``, ``checkin_not_enrolled``,
``checkin_closed``, ``checkin_too_early``, ``checkin_too_late``, …).  Bodies are read after
the access check, so a refused caller gets 403/404 whatever it sent.
"""

import datetime as dt
from functools import partial
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id

from . import selectors_attendance as selectors
from . import services_attendance as services
from .models import AttendanceMethod, CourseSession

router = Router(tags=["training"])

MAX_BODY = 200_000
#: The body of an operation, read and validated by the shared ``core.api.read_json``.
_body = partial(read_json, max_bytes=MAX_BODY, code="invalid")
_json_body = json_body_doc
TEACHERS = roles.REVIEWERS | {roles.Role.TRAINER}
READERS = roles.STAFF | {roles.Role.TRAINER}


class CheckinIn(Schema):
    token: str = Field(max_length=200, description="The code read from the session's QR URL")
    session_id: Id | None = Field(None, description="When given, must be the code's session")


class AttendanceOut(Schema):
    code: str = Field(description="`checked_in`, or `already_checked_in` (nothing added)")
    attendance_id: int
    session_id: int
    enrolment_id: int
    method: str
    checked_in_at: dt.datetime


class ParticipantOut(Schema):
    enrolment_id: int
    name: str
    remote: bool
    present: bool
    method: str | None = None
    checked_in_at: dt.datetime | None = None


class SessionAttendanceOut(Schema):
    session_id: int
    course_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    checkin_open: bool
    enrolled: int
    present: int
    participants: list[ParticipantOut]


class BatchItemIn(Schema):
    enrolment_id: Id
    client_id: str = Field(min_length=8, max_length=60, pattern=r"^[A-Za-z0-9_.:-]+$")
    taken_at: dt.datetime | None = Field(
        None, description="When the phone took it (kept if within the session, not future)"
    )


class BatchIn(Schema):
    method: Literal["offline", "roster"] = "offline"
    items: list[BatchItemIn] = Field(max_length=services.MAX_BATCH)


class BatchItemOut(Schema):
    client_id: str | None
    status: str = Field(description="`created`, `duplicate` (nothing added) or `refused`")
    code: str
    message: str = ""
    attendance_id: int | None = None
    enrolment_id: int | None = None
    checked_in_at: dt.datetime | None = None


class BatchOut(Schema):
    created: int
    duplicates: int
    refused: int
    results: list[BatchItemOut]


@route(
    router.post,
    "/checkin",
    authenticated=True,
    response={200: AttendanceOut, 400: ErrorOut, 409: ErrorOut},
    summary="Check in to a session with its rotating QR code",
    description="The code changes every 30 s; the current and the previous one are "
    "accepted. Checking in twice answers `already_checked_in` and adds nothing.",
    openapi_extra=_json_body(CheckinIn),
)
def checkin(request: HttpRequest):
    data = _body(request, CheckinIn)
    outcome = services.checkin_by_code(data.token, actor=request.user, session_id=data.session_id)
    att = outcome.attendance
    return {
        "code": "checked_in" if outcome.created else "already_checked_in",
        "attendance_id": att.pk,
        "session_id": att.session_id,
        "enrolment_id": att.enrolment_id,
        "method": att.method,
        "checked_in_at": att.checked_in_at,
    }


def _session(request: HttpRequest, session_id: int, action: str) -> CourseSession:
    return get_allowed_or_404(
        CourseSession.objects.select_related("course").distinct(),
        request.user,
        action,
        pk=session_id,
    )


@route(
    router.get,
    "/sessions/{session_id}/attendance",
    roles=READERS,
    response={200: SessionAttendanceOut, 404: ErrorOut},
    summary="Attendance of a session (its trainers and the course's staff)",
)
def session_attendance(request: HttpRequest, session_id: Id):
    s = _session(request, session_id, "view")
    rows = selectors.session_roster(s)
    return {
        "session_id": s.pk,
        "course_id": s.course_id,
        "title": s.title,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "checkin_open": services.is_open(s),
        "enrolled": len(rows),
        "present": sum(1 for r in rows if r.attendance),
        "participants": [
            {
                "enrolment_id": r.enrolment.pk,
                "name": r.enrolment.person.full_name,
                "remote": r.enrolment.remote,
                "present": r.attendance is not None,
                "method": r.attendance.method if r.attendance else None,
                "checked_in_at": r.attendance.checked_in_at if r.attendance else None,
            }
            for r in rows
        ],
    }


@route(
    router.post,
    "/sessions/{session_id}/attendance/batch",
    roles=TEACHERS,
    response={200: BatchOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut},
    summary="Send roster check-ins (a phone's offline queue)",
    description="Each item is recorded or refused on its own; an item whose `client_id` "
    "was already recorded answers `duplicate` and adds nothing (send the queue again "
    "safely). `taken_at` must fall within the session and not in the future.",
    openapi_extra=_json_body(BatchIn),
)
def session_batch(request: HttpRequest, session_id: Id):
    s = _session(request, session_id, "teach")
    data = _body(request, BatchIn)
    method = AttendanceMethod.OFFLINE if data.method == "offline" else AttendanceMethod.ROSTER
    results = services.roster_batch(
        s,
        [item.model_dump() for item in data.items],
        actor=request.user,
        method=method,
    )
    return {
        "created": sum(1 for r in results if r["status"] == "created"),
        "duplicates": sum(1 for r in results if r["status"] == "duplicate"),
        "refused": sum(1 for r in results if r["status"] == "refused"),
        "results": results,
    }
