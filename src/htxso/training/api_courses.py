"""API of the courses part of training (mounted under ``/api/v1/training``).

* ``GET /courses`` — the courses the caller may see (staff: their province's or all;
  a trainer: the courses they teach), paginated;
* ``GET /courses/{course_id}`` — one of them, with modules and sessions (404 when
  missing or not the caller's);
* ``GET /enrolments/mine`` — the caller's own enrolments;
* ``POST /courses/{course_id}/enrol`` — enrol oneself in an open course.

Errors are JSON ``{"code", "message", "details"}``: ``course_not_open`` and
``course_full`` and ``already_enrolled`` (409), ``not_found`` (404), ``validation_error``.
"""

import datetime as dt
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.errors import not_found
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset, Text

from . import selectors_courses, services_courses
from .models import Audience, Course, CourseKind, CourseStatus

router = Router(tags=["training"])
MAX_BODY = 4096
#: The body of an operation, read and validated by the shared ``core.api.read_json``.
_body = partial(read_json, max_bytes=MAX_BODY)
_json_body = partial(json_body_doc, required=False)


class ModuleOut(Schema):
    title: str
    hours: float


class SessionOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    ward_code: str | None
    ward: str | None
    place: str
    online: bool


class CourseOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    audience: str
    funded_by: str
    province_code: str | None
    status: str
    capacity: int | None
    enrolled: int
    starts_on: dt.date | None
    ends_on: dt.date | None


class CourseDetailOut(CourseOut):
    description: str
    total_hours: float
    modules: list[ModuleOut]
    sessions: list[SessionOut]
    min_attendance_percent: int
    pass_score: int | None
    requires_store: bool


class EnrolmentOut(Schema):
    id: int
    course_id: int
    course: str
    course_status: str
    status: str
    source: str
    remote: bool
    enrolled_at: dt.datetime
    starts_on: dt.date | None


class CourseQuery(Schema):
    status: str = Field("", pattern=r"^(draft|open|running|finished|cancelled)?$")
    kind: str = Field("", max_length=20)
    audience: str = Field("", max_length=20)
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class CoursePageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class EnrolIn(Schema):
    full_name: Text = Field("", max_length=150)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    sex: str = Field("", pattern=r"^(female|male)?$")
    remote: bool = Field(
        description="Follow online (true) or in the hall (false); online needs a course with "
        "an online or hybrid session"
    )


def _course_out(c: Course, enrolled: int | None = None) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "title": c.title,
        "kind": c.kind,
        "audience": c.audience,
        "funded_by": c.funded_by,
        "province_code": c.province_id,
        "status": c.status,
        "capacity": c.capacity,
        "enrolled": enrolled if enrolled is not None else getattr(c, "enrolled", 0),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
    }


@route(
    router.get,
    "/courses",
    roles=roles.STAFF | {roles.Role.TRAINER},
    response=list[CourseOut],
    summary="Courses the caller may see (staff: province or all; trainers: their own)",
)
def course_list(request: HttpRequest, filters: Query[CourseQuery]):
    qs = selectors_courses.course_list(
        user=request.user,
        filters=selectors_courses.CourseFilters(
            status=filters.status if filters.status in CourseStatus.values else "",
            kind=filters.kind if filters.kind in CourseKind.values else "",
            audience=filters.audience if filters.audience in Audience.values else "",
        ),
    )
    return [_course_out(c) for c in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/courses/{course_id}",
    roles=roles.STAFF | {roles.Role.TRAINER},
    response=CourseDetailOut,
    summary="One course with its modules and sessions (404 when missing or not yours)",
)
def course_detail(request: HttpRequest, course_id: Id):
    course = get_allowed_or_404(Course, request.user, "view", pk=course_id)
    d = selectors_courses.course_detail(course)
    return {
        **_course_out(course, d["enrolled"]),
        "description": course.description,
        "total_hours": float(d["total_hours"]),
        "modules": [{"title": m.title, "hours": float(m.hours)} for m in d["modules"]],
        "sessions": [
            {
                "id": s.pk,
                "title": s.title,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "mode": s.mode,
                "ward_code": s.ward_id,
                "ward": s.ward.name if s.ward else None,
                "place": s.place,
                "online": bool(s.online_link),
            }
            for s in d["sessions"]
        ],
        "min_attendance_percent": course.min_attendance_percent,
        "pass_score": course.pass_score,
        "requires_store": course.requires_store,
    }


def _enrolment_out(e) -> dict[str, Any]:
    return {
        "id": e.pk,
        "course_id": e.course_id,
        "course": e.course.title,
        "course_status": e.course.status,
        "status": e.status,
        "source": e.source,
        "remote": e.remote,
        "enrolled_at": e.enrolled_at,
        "starts_on": e.course.starts_on,
    }


@route(
    router.get,
    "/enrolments/mine",
    authenticated=True,
    response=list[EnrolmentOut],
    summary="The caller's own enrolments, newest first",
)
def my_enrolments(request: HttpRequest, filters: Query[CoursePageQuery]):
    qs = selectors_courses.my_enrolments(user=request.user)
    return [_enrolment_out(e) for e in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.post,
    "/courses/{course_id}/enrol",
    authenticated=True,
    response={201: EnrolmentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Enrol yourself in an open course",
    description="Refusals: 409 course_not_open, course_full, already_enrolled; "
    "404 when the course is not in the catalogue.",
    openapi_extra=_json_body(EnrolIn),
)
def enrol_self(request: HttpRequest, course_id: Id):
    data = _body(request, EnrolIn)
    course = selectors_courses.public_course(pk=course_id)
    if course is None:
        raise not_found(_("Not found."))
    enrolment = services_courses.enrol_self(
        actor=request.user,
        course=course,
        full_name=data.full_name,
        birth_year=data.birth_year,
        sex=data.sex,
        remote=data.remote,
    )
    return 201, _enrolment_out(enrolment)
