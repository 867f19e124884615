"""Attendance pages: the trainer's session page (rotating QR code, roster, offline
queue), a participant's check-in page behind the QR code, the online participants'
personal link, and the attendance of a course for its trainers and staff.

Thin: parse (``forms_attendance``) → access (``@access`` and the models' policies) →
service or selector → render.  Another province's session is a 404, whoever asks.
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.actors import PUBLIC
from htxso.core.errors import Kind, ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404

from . import checkin
from . import selectors_attendance as selectors
from . import services_attendance as services
from .forms_attendance import CheckinForm, ConfirmForm, RosterTickForm
from .models import Attendance, Course, CourseSession, Enrolment

#: Who runs a session (the policy's ``teach``: the VCA, the province's officer, and the
#: course's own trainers through the hook).
TEACHERS = roles.REVIEWERS | {roles.Role.TRAINER}
#: Who reads attendance (``view``): staff and trainers.
READERS = roles.STAFF | {roles.Role.TRAINER}


def _site(request: HttpRequest, path: str) -> str:
    """An absolute URL a phone's camera can open (the platform's public address)."""
    if getattr(settings, "SITE_URL_SET", False):
        return f"{settings.SITE_URL}{path}"
    return request.build_absolute_uri(path)


def _qr_svg(data: str) -> str:
    """The code as SVG markup (with its namespace: the page's script parses the next one
    as XML), sized by the stylesheet."""
    out = io.BytesIO()
    segno.make_qr(data, error="m").save(
        out,
        kind="svg",
        scale=1,
        border=4,
        omitsize=True,
        xmldecl=False,
        svgns=True,
        nl=False,
        svgclass="attendance-qr__svg",
        lineclass=None,
        light="#fff",
    )
    return out.getvalue().decode()


def _code(request: HttpRequest, session: CourseSession) -> dict:
    token = checkin.make_token(session.pk, session.checkin_secret)
    url = _site(request, reverse("training:attendance_checkin", kwargs={"token": token}))
    return {"url": url, "svg": _qr_svg(url), "seconds_left": checkin.seconds_left()}


def _session(request: HttpRequest, pk: int, action: str = "teach") -> CourseSession:
    return get_allowed_or_404(
        CourseSession.objects.select_related("course", "ward").distinct(),
        request.user,
        action,
        pk=pk,
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# ------------------------------------------------------------------ the trainer


@access(roles=TEACHERS)
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - dt.timedelta(hours=12)
    return render(
        request,
        "training/attendance/sessions.html",
        {"sessions": selectors.sessions_to_teach(request.user, since=since)},
    )


@access(roles=TEACHERS)
@require_GET
@never_cache
def session(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    rows = selectors.session_roster(s)
    start, end = services.window(s)
    is_open = services.is_open(s)
    return render(
        request,
        "training/attendance/session.html",
        {
            "session": s,
            "course": s.course,
            "rows": rows,
            "present": sum(1 for r in rows if r.attendance),
            "is_open": is_open,
            "window_start": start,
            "window_end": end,
            "code": _code(request, s) if is_open else None,
            "step_seconds": checkin.STEP_SECONDS,
            "form": ConfirmForm(),
        },
    )


@access(roles=TEACHERS)
@require_GET
@never_cache
def code(request: HttpRequest, pk: int) -> HttpResponse:
    """The current QR code (JSON: svg, url, seconds_left), fetched every 30 s."""
    s = _session(request, pk)
    if not services.is_open(s):
        return JsonResponse(
            {"code": "checkin_closed", "message": _("Check-in is closed.")}, status=409
        )
    return JsonResponse(_code(request, s))


@access(roles=TEACHERS)
@require_POST
def open_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    try:
        services.checkin_open(s, actor=request.user)
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("training:attendance_session", pk=s.pk)


@access(roles=TEACHERS)
@require_POST
def close_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    try:
        services.checkin_close(s, actor=request.user)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Check-in is closed: the code no longer works."))
    return redirect("training:attendance_session", pk=s.pk)


@access(roles=TEACHERS)
@require_POST
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick one participant.  The page's script sends it with ``Accept: application/json``
    (and queues it when offline); without the script it is a plain form."""
    s = _session(request, pk)
    form = RosterTickForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse(
                {"code": "invalid", "message": _("Choose a participant.")}, status=400
            )
        messages.error(request, _("Choose a participant."))
        return redirect("training:attendance_session", pk=s.pk)
    try:
        outcome = services.roster_checkin(
            s,
            actor=request.user,
            enrolment_id=form.cleaned_data["enrolment"],
            client_id=form.cleaned_data["client_id"] or None,
        )
    except ServiceError as exc:
        if _wants_json(request) and exc.kind not in (Kind.FORBIDDEN, Kind.NOT_FOUND):
            return JsonResponse({"code": exc.code, "message": exc.text}, status=400)
        show_service_error(request, exc)
        return redirect("training:attendance_session", pk=s.pk)
    att = outcome.attendance
    if _wants_json(request):
        return JsonResponse(
            {
                "code": "checked_in" if outcome.created else "already_checked_in",
                "attendance_id": att.pk,
                "enrolment_id": att.enrolment_id,
            }
        )
    messages.success(request, _("Checked in: %(name)s.") % {"name": att.enrolment.person})
    return redirect("training:attendance_session", pk=s.pk)


@access(roles=TEACHERS)
@require_POST
def undo(request: HttpRequest, pk: int, attendance: int) -> HttpResponse:
    s = _session(request, pk)
    att = Attendance.objects.filter(pk=attendance, session=s).select_related("enrolment__person")
    found = att.first()
    if found is None:
        raise Http404
    name = str(found.enrolment.person)
    try:
        services.attendance_undo(found, actor=request.user)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Check-in undone: %(name)s.") % {"name": name})
    return redirect("training:attendance_session", pk=s.pk)


@access(roles=TEACHERS)
@require_POST
def online_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make (again) the personal link of a participant; shown once."""
    enrolment = get_allowed_or_404(
        Enrolment.objects.select_related("course", "person").distinct(),
        request.user,
        "teach",
        pk=pk,
    )
    try:
        token = services.online_link_issue(enrolment, actor=request.user)
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("training:attendance_course", pk=enrolment.course_id)
    link = _site(request, reverse("training:attendance_online", kwargs={"token": token}))
    response = render(
        request,
        "training/attendance/online_link.html",
        {"enrolment": enrolment, "course": enrolment.course, "link": link},
    )
    response["Cache-Control"] = "no-store"
    return response


@access(roles=READERS)
@require_GET
def course(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_allowed_or_404(
        Course.objects.select_related("province").distinct(), request.user, "view", pk=pk
    )
    may_teach = Course.policy.allows(request.user, "teach", c)
    return render(
        request,
        "training/attendance/course.html",
        {
            "course": c,
            "sessions": selectors.session_counts(c),
            "people": selectors.course_attendance(c),
            "may_teach": may_teach,
            "form": ConfirmForm(),
        },
    )


# ------------------------------------------------------------------ the participant


def _error_page(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """The refusal, said precisely (a page about a code, answered 200 like any page)."""
    if exc.kind is Kind.NOT_FOUND and exc.code == "not_found":
        raise Http404
    if exc.kind is Kind.FORBIDDEN and exc.code == "forbidden":
        raise PermissionDenied
    return render(
        request,
        "training/attendance/checkin.html",
        {"error": exc.text, "error_code": exc.code},
    )


@access(authenticated=True)
@require_http_methods(["GET", "POST"])
@never_cache
def checkin_page(request: HttpRequest, token: str) -> HttpResponse:
    """What a participant's phone opens from the QR code: one tap checks in."""
    if request.method == "POST":
        CheckinForm(request.POST).is_valid()  # nothing to read but the tap itself
        try:
            outcome = services.checkin_by_code(token, actor=request.user)
        except ServiceError as exc:
            return _error_page(request, exc)
        return render(
            request,
            "training/attendance/checkin_done.html",
            {
                "attendance": outcome.attendance,
                "session": outcome.attendance.session,
                "course": outcome.attendance.session.course,
                "created": outcome.created,
            },
        )
    try:
        s = services.code_session(token)
    except ServiceError as exc:
        return _error_page(request, exc)
    return render(
        request,
        "training/attendance/checkin.html",
        {"session": s, "course": s.course, "form": CheckinForm()},
    )


@access(public=True)
@require_http_methods(["GET", "POST"])
@never_cache
def online(request: HttpRequest, token: str) -> HttpResponse:
    """An online participant's personal link: one tap checks in to the session running
    now."""
    try:
        enrolment = services.online_enrolment(token)
    except ServiceError:
        raise Http404 from None
    context: dict = {"enrolment": enrolment, "course": enrolment.course, "form": CheckinForm()}
    if request.method == "POST":
        CheckinForm(request.POST).is_valid()
        actor = request.user if request.user.is_authenticated else PUBLIC
        try:
            outcome = services.online_checkin(token, actor=actor)
        except ServiceError as exc:
            context["error"] = exc.text
            return render(request, "training/attendance/online.html", context)
        context.update(attendance=outcome.attendance, created=outcome.created)
        return render(request, "training/attendance/online.html", context)
    context["session"] = services.online_session(enrolment, now=timezone.now())
    return render(request, "training/attendance/online.html", context)
