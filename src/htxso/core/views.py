"""Error pages and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .access import access
from .audit import ACTION_LABELS
from .models import AuditEvent
from .roles import STAFF

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    class HtmxRequest(HttpRequest):
        htmx: HtmxDetails  # set by django_htmx's HtmxMiddleware


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 403,
            "title": _("The form has expired"),
            "message": _(
                "For your security the form could not be accepted. Go back, reload the "
                "page and send it again. Nothing was saved."
            ),
        },
        status=403,
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 400,
            "title": _("Bad request"),
            "message": _("The request could not be understood."),
        },
        status=400,
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 403,
            "title": _("Not allowed"),
            "message": _("Your role does not give access to this page."),
        },
        status=403,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 404,
            "title": _("Page not found"),
            "message": _("The page does not exist or you do not have access to it."),
        },
        status=404,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 500,
            "title": _("Something went wrong"),
            "message": _(
                "Our team has been told. Nothing you sent was half-saved; try again later."
            ),
        },
        status=500,
    )


@access(roles=STAFF)
def audit_list(request: HtmxRequest) -> HttpResponse:
    qs = AuditEvent.objects.allowed(request.user, "view").select_related("province")
    action = request.GET.get("action", "")[:80]
    if action in ACTION_LABELS:
        qs = qs.filter(action=action)
    else:
        action = ""
    paginator = Paginator(qs, 50)
    page = paginator.get_page(request.GET.get("page"))
    template = "core/_audit_rows.html" if request.htmx else "core/audit_list.html"
    actions = sorted(((k, str(v)) for k, v in ACTION_LABELS.items()), key=lambda kv: kv[1])
    return render(request, template, {"page": page, "action": action, "actions": actions})
