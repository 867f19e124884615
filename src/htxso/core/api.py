"""The pieces every API router shares: authentication, access declarations, errors.

Every operation is declared with :func:`route`, which records who may call it in the
OpenAPI document (``x-htxso-access``) — the permission test reads it from there — and
enforces it.  Errors are JSON ``{"code", "message", "details"}`` with a stable ``code``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from .access import AUTHENTICATED, PUBLIC, ROLES, Access

log = logging.getLogger("htxso.api")


class ApiError(Exception):
    """An error with a stable machine code, raised by API handlers and services."""

    def __init__(self, code: str, message: str, *, status: int = 400, details: Any = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer htx_…`` tokens made by ``python -m htxso api_token create``."""

    def authenticate(self, request: HttpRequest, token: str):
        from htxso.accounts.models import ApiToken

        if not token or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token.strip()))
            .first()
        )
        if row is None or not row.is_usable or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The session cookie, with the same two-factor rule as the pages.

    (Keeps ninja's class name: the OpenAPI security scheme is named after the class.)

    A session that owes the code of a confirmed device (or, when two-factor is mandatory
    for staff, has none yet) gets 403 ``two_factor_required``; bearer tokens are not
    affected — only verified sessions or the command line can make them.
    """

    def authenticate(self, request: HttpRequest, key: str | None):
        from htxso.accounts.selectors import TWO_FACTOR_VERIFY, two_factor_pending

        user = super().authenticate(request, key)
        if user is None:
            return None
        pending = two_factor_pending(user)
        if pending:
            raise ApiError(
                "two_factor_required",
                _("Enter the code from your authenticator app on the sign-in page first.")
                if pending == TWO_FACTOR_VERIFY
                else _("Turn on two-factor sign-in for your account first."),
                status=403,
                details={"action": pending},
            )
        return user


AUTH = [TokenAuth(), SessionAuth()]


def route(
    method: Callable,
    path: str,
    *,
    public: bool = False,
    authenticated: bool = False,
    roles: Iterable[str] = (),
    **kwargs: Any,
) -> Callable:
    """Register an operation with its access declaration.

    ``method`` is a router's ``get``/``post``/…; exactly one of ``public``,
    ``authenticated`` and ``roles`` is given.
    """
    roles = frozenset(str(r) for r in roles)
    if sum([public, authenticated, bool(roles)]) != 1:
        raise ValueError("route(): declare exactly one of public, authenticated, roles")
    policy = Access(PUBLIC if public else AUTHENTICATED if authenticated else ROLES, roles)
    extra = dict(kwargs.pop("openapi_extra", None) or {})
    extra["x-htxso-access"] = sorted(roles) if roles else policy.kind
    responses = kwargs.pop("response", None)

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request, *args, **kw):
            if not policy.allows(request.user if hasattr(request, "user") else None):
                raise PermissionDenied
            return func(request, *args, **kw)

        wrapper.htxso_access = policy  # type: ignore[attr-defined]
        return method(
            path,
            auth=None if public else AUTH,
            openapi_extra=extra,
            response=responses,
            **kwargs,
        )(wrapper)

    return decorate


def _error(api: NinjaAPI, request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"code": code, "message": message, "details": details}, status=status
    )


def install_error_handlers(api: NinjaAPI) -> None:
    """JSON errors with stable codes for every failure the API can meet."""

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return _error(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc: NinjaValidationError):
        details = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors
        ]
        return _error(
            api, request, 422, "validation_error", _("The request is not valid."), details
        )

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc: DjangoValidationError):
        code = getattr(exc, "code", None)
        if not code and hasattr(exc, "error_list") and exc.error_list:
            code = exc.error_list[0].code
        details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(api, request, 400, code or "invalid", "; ".join(exc.messages), details)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return _error(api, request, 401, "unauthenticated", _("Sign in or send a valid API token."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return _error(api, request, 403, "forbidden", _("Your role may not do this."))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        codes = {400: "bad_request", 405: "method_not_allowed", 413: "too_large", 429: "throttled"}
        return _error(api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        # A number past the database's 64-bit integers that escaped the parameter
        # types of ``core.schemas`` (Id, Offset…): the client's input, not our failure.
        log.warning("Integer overflow on %s: %s", request.path, exc)
        return _error(api, request, 400, "out_of_range", _("A number in the request is too large."))

    @api.exception_handler(Exception)
    def _unexpected(request, exc):  # pragma: no cover - defensive
        log.exception("Unhandled API error on %s", request.path)
        return _error(api, request, 500, "server_error", _("Something went wrong on our side."))
