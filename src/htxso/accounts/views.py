"""Sign-in, two-factor, password reset, profile, language and API tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.scoping import get_scope

from . import services
from .forms import (
    ApiTokenForm,
    LanguageForm,
    LimitedPasswordResetForm,
    NextForm,
    OtpCodeForm,
    SignInForm,
    TwoFactorProofForm,
    TwoFactorReplaceForm,
)
from .models import STAFF_ROLES
from .selectors import TWO_FACTOR_VERIFY, may_use_api, role_assignments, two_factor_pending

if TYPE_CHECKING:
    from django import forms

    from .http import AuthenticatedRequest


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = NextForm.target(request.POST) or NextForm.target(request.GET) or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


login = access(public=True)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
logout = access(public=True)(auth_views.LogoutView.as_view())
password_reset = access(public=True)(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=LimitedPasswordResetForm,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = access(public=True)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = access(public=True)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = access(public=True)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
password_change = access(authenticated=True)(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:profile"),
    )
)


@access(public=True)
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and on the user."""
    form = LanguageForm(request.POST)
    if request.user.is_authenticated and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_set_language(actor=request.user, user=request.user, language=language)
    return django_set_language(request)


@access(authenticated=True)
@never_cache
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    scope = get_scope(user)
    tokens = user.api_tokens.order_by("-created_at")[:20]
    context = {
        "assignments": role_assignments(user),
        "has_2fa": user_has_device(user, confirmed=True),
        "two_factor_mandatory": settings.HTXSO_REQUIRE_2FA_FOR_STAFF
        and scope.has_role(*STAFF_ROLES),
        "tokens": tokens,
        "may_use_api": may_use_api(user),
        "token_form": ApiTokenForm(),
        "disable_form": TwoFactorProofForm(),
    }
    return render(request, "accounts/profile.html", context)


@access(authenticated=True)
@never_cache
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Turn two-factor sign-in on, or replace the authenticator app.

    A session that owes the code of a confirmed device is sent to the code page: a new
    secret must never stand in for the owner's device.  Replacing the app from a
    verified session asks for the password again and a code from the app in use.
    """
    user = request.user
    replacing = user_has_device(user, confirmed=True)
    if replacing and two_factor_pending(user) == TWO_FACTOR_VERIFY:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.two_factor_start(user=user)
    form = (TwoFactorReplaceForm if replacing else OtpCodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = (
            _replace_device(request, form, device)
            if replacing
            else _confirm_device(request, form, device)
        )
        if done:
            otp_login(request, device)
            if replacing:
                messages.success(request, _("Your new authenticator app is now in use."))
                return redirect("accounts:profile")
            messages.success(request, _("Two-factor sign-in is now on."))
            return redirect(_safe_next(request, "/"))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    secret = _base32(device.bin_key)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "replacing": replacing,
            "next": _safe_next(request, ""),
        },
    )


def _confirm_device(request: AuthenticatedRequest, form: forms.Form, device: TOTPDevice) -> bool:
    return _new_device_code(request, form, device, services.two_factor_confirm)


def _replace_device(request: AuthenticatedRequest, form: forms.Form, device: TOTPDevice) -> bool:
    if not _two_factor_proof(request, form):
        return False
    return _new_device_code(request, form, device, services.two_factor_replace)


def _new_device_code(
    request: AuthenticatedRequest,
    form: forms.Form,
    device: TOTPDevice,
    service: Callable[..., bool],
) -> bool:
    """Check the new device's code with ``service`` (confirm or replace), unless wrong
    codes have slowed the device down; adds the error to the form."""
    throttled = _throttle_error(device)
    if throttled:
        form.add_error("code", throttled)
        return False
    if service(actor=request.user, device=device, token=form.cleaned_data["code"]):
        return True
    form.add_error("code", _("That code is wrong or has expired. Try the current code."))
    return False


def _two_factor_proof(request: AuthenticatedRequest, form: forms.Form) -> bool:
    """Check a valid :class:`TwoFactorProofForm`: the password again, then a current
    code from the confirmed device.  Adds the errors to the form."""
    user = request.user
    current = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if current is None:
        return False
    throttled = _throttle_error(current)
    if throttled:
        form.add_error("current_code", throttled)
        return False
    # Through authenticate(), so wrong passwords count towards the lockout like sign-ins.
    checked = authenticate(
        request, username=user.get_username(), password=form.cleaned_data["password"]
    )
    if checked is None or checked.pk != user.pk:
        form.add_error("password", _("That password is wrong."))
        return False
    if not current.verify_token(form.cleaned_data["current_code"]):
        form.add_error(
            "current_code", _("That code is wrong or has expired. Try the current code.")
        )
        return False
    return True


def _throttle_error(device: TOTPDevice) -> str | None:
    """django-otp slows down guessing after each wrong code; say how long to wait."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    from django.utils import timezone

    until = (info or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 30
    return _("Too many wrong codes. Wait %(seconds)s seconds, then enter the current code.") % {
        "seconds": seconds
    }


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@access(authenticated=True)
@never_cache
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    # is_verified is set on the user by django_otp's OTPMiddleware
    if user.is_verified() or not user_has_device(user, confirmed=True):  # type: ignore[attr-defined]
        return redirect(_safe_next(request, "/"))
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        throttled = _throttle_error(device)
        if throttled:
            form.add_error("code", throttled)
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_safe_next(request, "/"))
        else:
            form.add_error("code", _("That code is wrong or has expired. Try the current code."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@access(authenticated=True)
@require_POST
def two_factor_disable(request: AuthenticatedRequest) -> HttpResponse:
    """Turn two-factor sign-in off: needs the password again and a current code, so a
    stolen session cannot turn it off and enrol its own device."""
    user = request.user
    if settings.HTXSO_REQUIRE_2FA_FOR_STAFF and get_scope(user).has_role(*STAFF_ROLES):
        messages.error(request, _("Two-factor sign-in is mandatory for your role."))
        return redirect("accounts:profile")
    form = TwoFactorProofForm(request.POST)
    if form.is_valid() and _two_factor_proof(request, form):
        services.two_factor_disable(actor=user, user=user)
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        for errors in form.errors.values():
            for error in errors:
                # ErrorList yields the messages (str); the stubs say ValidationError too
                messages.error(request, error)  # type: ignore[arg-type]
    return redirect("accounts:profile")


@access(authenticated=True)
def api_token_create(request: AuthenticatedRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_use_api(request.user):
        raise PermissionDenied
    # A token outlives the session: only a session that passed two-factor may make one
    # (the middleware in front says so too; this view does not rely on it).
    pending = two_factor_pending(request.user)
    if pending:
        target = (
            "accounts:two_factor_verify"
            if pending == TWO_FACTOR_VERIFY
            else "accounts:two_factor_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': reverse('accounts:profile')})}")
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The token was not created: check the name and the number of days.")
        )
        return redirect("accounts:profile")
    try:
        _token, raw = services.api_token_create(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            scope=form.cleaned_data["scope"],
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("accounts:profile")
    return render(request, "accounts/api_token_created.html", {"raw": raw})


@access(authenticated=True)
@require_POST
def api_token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        from django.http import Http404

        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
