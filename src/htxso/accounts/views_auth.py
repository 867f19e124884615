"""Phone-first sign-up, sign-in by a code sent to the phone, password reset by phone.

Each journey keeps its state in the session (the address, the id of the code row and
whether the code was confirmed); the code itself lives only as a hash in
``OneTimeCode`` (``codes_auth``).  A staff account signed in by code still owes its
TOTP code: ``RequireTwoFactorMiddleware`` sends it to the two-factor page, as after a
password.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from htxso.core.access import access
from htxso.core.actors import PUBLIC
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.roles import Role

from . import codes_auth, services
from .codes_auth import Purpose, Target
from .forms import NextForm
from .forms_auth import (
    CodeForm,
    LoginCodeStartForm,
    PasswordForm,
    ResendForm,
    ResetPhoneStartForm,
    SignupStartForm,
)
from .limits import client_ip
from .models import User
from .phones import masked_phone

#: A confirmed code opens the next step for this long.
CONFIRMED_FOR = 15 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: A first step submitted again this soon with the same address keeps the code sent.
RESUBMIT_SECONDS = 60


# --- the journey's state in the session ---------------------------------------------------


def _flow_key(purpose: str) -> str:
    return f"htxso_code_{purpose}"


def _flow(request: HttpRequest, purpose: str) -> dict[str, Any] | None:
    data = request.session.get(_flow_key(purpose))
    return data if isinstance(data, dict) and data.get("target") else None


def _save_flow(request: HttpRequest, purpose: str, data: dict[str, Any]) -> None:
    request.session[_flow_key(purpose)] = data


def _end_flow(request: HttpRequest, purpose: str) -> None:
    request.session.pop(_flow_key(purpose), None)


def _target(flow: dict[str, Any]) -> Target:
    return Target(flow["target"], flow["channel"])


def _confirmed(flow: dict[str, Any] | None) -> bool:
    return bool(
        flow and flow.get("confirmed_at") and time.time() - flow["confirmed_at"] < CONFIRMED_FOR
    )


def _shown_target(target: Target) -> str:
    return masked_phone(target.value) if target.is_phone else target.value


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


def _start(request: HttpRequest, purpose: str, target: Target, form: Any, **extra: Any) -> bool:
    """Send the first code of a journey; ``False`` (error on the form) when throttled.

    A second submit of the same address within :data:`RESUBMIT_SECONDS` (a double tap,
    the back button) keeps the code already sent: a new one would kill the code in the
    SMS the person is about to read."""
    earlier = _flow(request, purpose)
    if (
        earlier
        and earlier["target"] == target.value
        and not earlier.get("confirmed_at")
        and codes_auth.is_fresh(earlier.get("code_id"), seconds=RESUBMIT_SECONDS)
    ):
        _save_flow(request, purpose, {**earlier, **extra})
        return True
    try:
        row = codes_auth.issue_code(purpose=purpose, target=target, ip=client_ip(request))
    except ServiceError as exc:
        show_service_error(request, exc, form)
        return False
    _save_flow(
        request,
        purpose,
        {"target": target.value, "channel": target.channel, "code_id": row.pk, **extra},
    )
    return True


def _no_journey(request: HttpRequest, purpose: str) -> HttpResponse:
    """A later step opened without the earlier ones (an old link, an expired session):
    say so and link the first step, rather than a bare redirect."""
    return render(
        request,
        "accounts/code_step_missing.html",
        {"start_url": reverse(_START[Purpose(purpose)]), "purpose": purpose},
    )


_START = {
    Purpose.SIGNUP: "accounts:signup",
    Purpose.LOGIN: "accounts:login_code",
    Purpose.RESET: "accounts:password_reset_phone",
}


def _code_step(
    request: HttpRequest, purpose: str, flow: dict[str, Any], *, title: str, step: str
) -> tuple[Any, HttpResponse | None]:
    """The "enter the code" step shared by the three journeys: checks a code, or sends a
    new one.  Returns (the confirmed code row or None, the response to give or None)."""
    target = _target(flow)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and ResendForm(request.POST).is_valid():
        form = CodeForm()
        try:
            row = codes_auth.issue_code(purpose=purpose, target=target, ip=client_ip(request))
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            flow["code_id"] = row.pk
            _save_flow(request, purpose, flow)
            messages.info(request, _("A new code is on its way. The earlier one no longer works."))
    elif request.method == "POST" and form.is_valid():
        try:
            row = codes_auth.check_code(
                code_id=flow.get("code_id"),
                purpose=purpose,
                target=target,
                code=form.cleaned_data["code"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
            shown = cast(QueryDict, form.data).copy()
            shown["code"] = ""  # the wrong code is not shown back
            form.data = shown
        else:
            return row, None
    context = {
        "form": form,
        "title": title,
        "step": step,
        "sent_to": _shown_target(target),
        "by_sms": target.is_phone,
        "purpose": purpose,
        "restart_url": reverse(_START[Purpose(purpose)]),
    }
    return None, render(request, "accounts/code_step.html", context)


# --- sign-up -------------------------------------------------------------------------------


@access(public=True)
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Step 1 of 3: name, phone (or e-mail) and consent; a code is sent."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _start(
            request,
            Purpose.SIGNUP,
            data["contact"],
            form,
            full_name=data["full_name"],
            consent=True,
        ):
            return redirect("accounts:signup_code")
    return render(request, "accounts/signup.html", {"form": form})


@access(public=True)
@never_cache
def signup_code(request: HttpRequest) -> HttpResponse:
    """Step 2 of 3: the code sent to the phone (or e-mail)."""
    flow = _flow(request, Purpose.SIGNUP)
    if flow is None:
        if request.user.is_authenticated:
            return redirect("home")
        return _no_journey(request, Purpose.SIGNUP)
    if _confirmed(flow):
        return redirect("accounts:signup_password")
    _row, response = _code_step(
        request, Purpose.SIGNUP, flow, title=_("Confirm your number"), step=_("Step 2 of 3")
    )
    if response is not None:
        return response
    flow["confirmed_at"] = time.time()
    _save_flow(request, Purpose.SIGNUP, flow)
    return redirect("accounts:signup_password")


@access(public=True)
@never_cache
def signup_password(request: HttpRequest) -> HttpResponse:
    """Step 3 of 3: a password; the account is made (buyer), the consent recorded, and
    the person is signed in on the home page."""
    flow = _flow(request, Purpose.SIGNUP)
    if not _confirmed(flow):
        if request.user.is_authenticated:
            return redirect("home")
        return redirect("accounts:signup_code") if flow else _no_journey(request, Purpose.SIGNUP)
    assert flow is not None
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _create_buyer(flow, form.cleaned_data["password"])
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            _end_flow(request, Purpose.SIGNUP)
            auth_login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome, %(name)s! Your account is ready: you can buy on the market.")
                % {"name": user.display_name},
            )
            return redirect("home")
    return render(
        request,
        "accounts/signup_password.html",
        {"form": form, "sent_to": _shown_target(_target(flow))},
    )


def _create_buyer(flow: dict[str, Any], password: str) -> User:
    from htxso.core.consent import record_consent

    target = _target(flow)
    with transaction.atomic():
        if target.is_phone:
            user = services.account_for_phone(
                actor=PUBLIC, phone=target.value, full_name=flow["full_name"], password=password
            )
        else:
            user = services.account_for_email(
                actor=PUBLIC, email=target.value, full_name=flow["full_name"], password=password
            )
        services.role_assign(actor=PUBLIC, user=user, role=Role.BUYER)
        record_consent(user=user, purpose="signup")
    return user


# --- sign-in by code -----------------------------------------------------------------------


@access(public=True)
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """Sign in with a code: the phone (or e-mail) first."""
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginCodeStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        target_next = _safe_next(
            request, NextForm.target(request.POST) or NextForm.target(request.GET)
        )
        if _start(request, Purpose.LOGIN, form.cleaned_data["contact"], form, next=target_next):
            return redirect("accounts:login_code_confirm")
    return render(
        request,
        "accounts/login_code.html",
        {"form": form, "next": _safe_next(request, NextForm.target(request.GET))},
    )


@access(public=True)
@never_cache
def login_code_confirm(request: HttpRequest) -> HttpResponse:
    flow = _flow(request, Purpose.LOGIN)
    if flow is None:
        if request.user.is_authenticated:
            return redirect("home")
        return _no_journey(request, Purpose.LOGIN)
    row, response = _code_step(
        request, Purpose.LOGIN, flow, title=_("Sign in with a code"), step=_("Step 2 of 2")
    )
    if response is not None:
        return response
    _end_flow(request, Purpose.LOGIN)
    user = row.user
    if user is None or not user.is_active:  # pragma: no cover - such rows have no known code
        return redirect("accounts:login_code")
    auth_login(request, user, backend=MODEL_BACKEND)
    # staff with two-factor: the middleware asks for the TOTP code on the next page
    return redirect(flow.get("next") or "home")


# --- password reset by phone ---------------------------------------------------------------


@access(public=True)
@never_cache
def password_reset_phone(request: HttpRequest) -> HttpResponse:
    form = ResetPhoneStartForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _start(request, Purpose.RESET, form.cleaned_data["contact"], form)
    ):
        return redirect("accounts:password_reset_phone_code")
    return render(request, "accounts/password_reset_phone.html", {"form": form})


@access(public=True)
@never_cache
def password_reset_phone_code(request: HttpRequest) -> HttpResponse:
    flow = _flow(request, Purpose.RESET)
    if flow is None:
        return _no_journey(request, Purpose.RESET)
    if _confirmed(flow):
        return redirect("accounts:password_reset_phone_new")
    row, response = _code_step(
        request, Purpose.RESET, flow, title=_("Reset your password"), step=_("Step 2 of 3")
    )
    if response is not None:
        return response
    flow["confirmed_at"] = time.time()
    flow["user_id"] = row.user_id
    _save_flow(request, Purpose.RESET, flow)
    return redirect("accounts:password_reset_phone_new")


@access(public=True)
@never_cache
def password_reset_phone_new(request: HttpRequest) -> HttpResponse:
    flow = _flow(request, Purpose.RESET)
    user = (
        User.objects.filter(pk=flow.get("user_id") or 0, is_active=True).first() if flow else None
    )
    if not _confirmed(flow) or user is None:
        return _no_journey(request, Purpose.RESET)
    assert flow is not None
    form = PasswordForm(request.POST if request.method == "POST" else None)
    form.fields["password"].label = _("New password")
    if request.method == "POST" and form.is_valid():
        try:
            codes_auth.password_set_by_code(
                actor=user, user=user, password=form.cleaned_data["password"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            _end_flow(request, Purpose.RESET)
            messages.success(request, _("Your new password is set. Sign in with it now."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset_phone_new.html",
        {"form": form, "sent_to": _shown_target(_target(flow))},
    )
