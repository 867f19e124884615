"""The answers given while sign-in is paused: an account locked after repeated wrong
passwords (django-axes), or a client address / network over its failure limit
(:mod:`htxso.accounts.limits`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .limits import REFUSED_ATTR


def _wants_json(request: HttpRequest) -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def lockout_response(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    refused_for = getattr(request, REFUSED_ATTR, None)
    if refused_for:
        minutes = max(1, -(-int(refused_for) // 60))
        code = "too_many_failures"
        message = _(
            "Too many failed sign-ins from your network. Try again in %(minutes)s minutes."
        ) % {"minutes": minutes}
        template = "accounts/too_many_failures.html"
    else:
        minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
        code = "account_locked"
        message = _("Too many wrong passwords. Try again in %(minutes)s minutes.") % {
            "minutes": minutes
        }
        template = "accounts/locked_out.html"
    resp: HttpResponse
    if _wants_json(request):
        resp = JsonResponse(
            {"code": code, "message": message, "details": {"retry_after_minutes": minutes}},
            status=429,
        )
    else:
        resp = render(request, template, {"cooloff_minutes": minutes, "code": code}, status=429)
    resp["Retry-After"] = str(minutes * 60)
    return resp
