"""Language remembered per user, and the two-factor gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .selectors import TWO_FACTOR_ENROL, TWO_FACTOR_VERIFY, two_factor_pending


class UserLanguageMiddleware:
    """Keeps the interface language a signed-in user chose, across devices.

    Runs before ``LocaleMiddleware``: when a signed-in user's saved language differs
    from the cookie, the cookie is corrected so the choice is remembered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            wanted = user.preferred_language
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if (
                wanted
                and cookie != wanted
                and not response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            ):
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    wanted,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    # a str setting; the stubs want the Literal values it holds
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
                    secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                    httponly=False,
                )
        return response


class RequireTwoFactorMiddleware:
    """Sends users with a TOTP device to the code page until they verify, and — when
    ``HTXSO_REQUIRE_2FA_FOR_STAFF`` is on — national and provincial staff without a
    device to the enrolment page."""

    #: Paths no gate applies to.  ``/api/`` checks the same rule itself and answers
    #: JSON (``htxso.core.api.SessionAuth``).
    OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "preferred_language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
            # the open prefixes first: /api/ applies the rule itself (one device query)
            target = (
                None
                if request.path.startswith(self.OPEN_PREFIXES)
                else self._redirect_target(request, user)
            )
            if target and not self._is_open(request.path, target):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_open(self, path: str, target: str) -> bool:
        """Only the page the session is sent to stays open (with sign-out and the
        language switch): a session that owes a code cannot reach the enrolment page,
        where a new secret would stand in for the owner's device."""
        open_paths = {
            target,
            reverse("accounts:logout"),
            reverse("accounts:set_language"),
        }
        return path in open_paths or path.startswith(self.OPEN_PREFIXES)

    def _redirect_target(self, request: HttpRequest, user: Any) -> str | None:
        pending = two_factor_pending(user)
        if pending == TWO_FACTOR_VERIFY:
            return reverse("accounts:two_factor_verify")
        if pending == TWO_FACTOR_ENROL:
            return reverse("accounts:two_factor_setup")
        return None
