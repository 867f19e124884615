"""The answer given while an account is locked after repeated wrong passwords."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "account_locked",
                "message": _("Too many wrong passwords. Try again in %(minutes)s minutes.")
                % {"minutes": minutes},
                "details": {"retry_after_minutes": minutes},
            },
            status=429,
        )
    resp = render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    resp["Retry-After"] = str(minutes * 60)
    return resp
