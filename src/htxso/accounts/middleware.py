"""Language remembered per user, and the two-factor gate."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from htxso.core.scoping import get_scope

from .models import STAFF_ROLES


class UserLanguageMiddleware:
    """Keeps the interface language a signed-in user chose, across devices.

    Runs before ``LocaleMiddleware``: when a signed-in user's saved language differs
    from the cookie, the cookie is corrected so the choice is remembered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                    httponly=False,
                )
        return response


class RequireTwoFactorMiddleware:
    """Sends users with a TOTP device to the code page until they verify, and — when
    ``HTXSO_REQUIRE_2FA_FOR_STAFF`` is on — national and provincial staff without a
    device to the enrolment page."""

    OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "preferred_language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
            target = self._redirect_target(request, user)
            if target and not self._is_open(request.path):
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        open_paths = {
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
            reverse("accounts:set_language"),
        }
        return path in open_paths or path.startswith(self.OPEN_PREFIXES)

    def _redirect_target(self, request, user) -> str | None:
        from django_otp import user_has_device

        if user.is_verified():
            return None
        if user_has_device(user, confirmed=True):
            return reverse("accounts:two_factor_verify")
        if settings.HTXSO_REQUIRE_2FA_FOR_STAFF and get_scope(user).has_role(*STAFF_ROLES):
            return reverse("accounts:two_factor_setup")
        return None
