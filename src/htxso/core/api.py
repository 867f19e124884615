"""The pieces every API router shares: authentication, access declarations, errors.

Every operation is declared with :func:`route`, which records who may call it in the
OpenAPI document (``x-htxso-access``) — the permission test reads it from there — and
enforces it.  Errors are JSON ``{"code", "message", "details"}`` with a stable ``code``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import ValidationError as PydanticError

from .access import declaration
from .errors import Kind, ServiceError

log = logging.getLogger("htxso.api")


#: The one place a service error's kind becomes an HTTP status.
STATUS_OF_KIND: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.NOT_FOUND: 404,
    Kind.FORBIDDEN: 403,
    Kind.CONFLICT: 409,
    Kind.TOO_LARGE: 413,
    Kind.THROTTLED: 429,
}


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None


#: ``raw token -> user or None``; ``accounts`` registers it (``core`` imports nothing above).
_token_lookup: Callable[[str], Any] | None = None
#: ``user -> ServiceError or None``: what a signed-in session still owes (two-factor).
_session_check: Callable[[Any], ServiceError | None] | None = None


def register_api_auth(
    *,
    token_lookup: Callable[[str], Any],
    session_check: Callable[[Any], ServiceError | None],
) -> None:
    """Called once by ``accounts`` (``AppConfig.ready``)."""
    global _token_lookup, _session_check
    _token_lookup, _session_check = token_lookup, session_check


class TokenAuth(HttpBearer):
    """``Authorization: Bearer htx_…`` tokens made by ``python -m htxso api_token create``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200 or _token_lookup is None:
            return None
        user = _token_lookup(token.strip())
        if user is None:
            return None
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The session cookie, with the same two-factor rule as the pages.

    (Keeps ninja's class name: the OpenAPI security scheme is named after the class.)

    A session that owes the code of a confirmed device (or, when two-factor is mandatory
    for staff, has none yet) gets 403 ``two_factor_required``; bearer tokens are not
    affected — only verified sessions or the command line can make them.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        problem = _session_check(user) if _session_check is not None else None
        if problem is not None:
            raise problem
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
    policy = declaration(public=public, authenticated=authenticated, roles=roles)
    extra = dict(kwargs.pop("openapi_extra", None) or {})
    extra["x-htxso-access"] = sorted(policy.roles) if policy.roles else policy.kind
    responses = kwargs.pop("response", None)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kw: Any) -> Any:
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


def read_json(
    request: HttpRequest,
    schema: type[Schema],
    *,
    max_bytes: int,
    code: str = "validation_error",
    message: Any = None,
    details: bool = True,
    error_types: bool = False,
) -> Any:
    """The JSON body of ``request`` validated by ``schema`` (an empty body reads as ``{}``).

    A body over ``max_bytes`` is refused with ``too_large``; a body that is not JSON, not
    UTF-8 or that ``schema`` refuses with ``ServiceError(code, message)`` whose ``details``
    list the schema's complaints (``loc``, ``msg``, and ``type`` with ``error_types``)
    unless ``details`` is false.  For operations that read their body by hand (so that
    a bad body answers with the operation's own code rather than ninja's 422).
    """
    raw = request.body or b""
    if len(raw) > max_bytes:
        raise ServiceError("too_large", _("The request body is too large."))
    try:
        return schema.model_validate(json.loads(raw or b"{}"))
    except (ValueError, UnicodeDecodeError, PydanticError) as exc:
        found = None
        if details and isinstance(exc, PydanticError):
            found = [
                {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg")}
                | ({"type": e.get("type")} if error_types else {})
                for e in exc.errors(include_url=False)
            ]
        text = message if message is not None else _("The request is not valid.")
        raise ServiceError(code, text, details=found) from None


def json_body_doc(schema: type[Schema], *, required: bool = True) -> dict[str, Any]:
    """The ``openapi_extra`` documenting a JSON body read by :func:`read_json`."""
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details}, status=status
    )


def install_error_handlers(api: NinjaAPI) -> None:
    """JSON errors with stable codes for every failure the API can meet."""

    @api.exception_handler(ServiceError)
    def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        details = exc.details
        if details is None and exc.fields:
            details = exc.field_messages()
        return _error(api, request, STATUS_OF_KIND[exc.kind], exc.code, exc.text, details)

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors
        ]
        return _error(
            api, request, 422, "validation_error", _("The request is not valid."), details
        )

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        code = getattr(exc, "code", None)
        if not code and hasattr(exc, "error_list") and exc.error_list:
            code = exc.error_list[0].code
        details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(api, request, 400, code or "invalid", "; ".join(exc.messages), details)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 401, "unauthenticated", _("Sign in or send a valid API token."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 403, "forbidden", _("Your role may not do this."))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 405: "method_not_allowed", 413: "too_large", 429: "throttled"}
        return _error(api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A number past the database's 64-bit integers that escaped the parameter
        # types of ``core.schemas`` (Id, Offset…): the client's input, not our failure.
        log.warning("Integer overflow on %s: %s", request.path, exc)
        return _error(api, request, 400, "out_of_range", _("A number in the request is too large."))

    @api.exception_handler(Exception)
    def _unexpected(
        request: HttpRequest, exc: Exception
    ) -> HttpResponse:  # pragma: no cover - defensive
        log.exception("Unhandled API error on %s", request.path)
        return _error(api, request, 500, "server_error", _("Something went wrong on our side."))
