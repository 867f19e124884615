"""Input hygiene at the boundary: a body from someone who is not signed in is small
(or refused before it is read), and every text value that arrives in a query string or
form body is NFC-normalised and stripped of NUL characters before any view sees it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, QueryDict

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict


def _clean(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    return unicodedata.normalize("NFC", value)


def _normalised(qd: _ImmutableQueryDict) -> _ImmutableQueryDict:
    if not qd:
        return qd
    out = QueryDict(mutable=True, encoding=qd.encoding)
    for key, values in qd.lists():
        out.setlist(_clean(key), [_clean(v) for v in values])
    out._mutable = False
    return cast("_ImmutableQueryDict", out)


class AnonymousBodyLimitMiddleware:
    """Refuse a large body from someone who is not signed in, before it is read.

    Django parses a multipart body (and spills its files to disk) as soon as anything
    touches ``request.POST``; an anonymous client could make every worker do that with
    the per-form limits meant for managers' uploads.  A request with neither a
    signed-in session nor a valid API token may send ``HTXSO_ANONYMOUS_MAX_BODY``
    bytes, declared in ``Content-Length``; a larger one answers 413 and a chunked one
    (no length to check) 411.  Signed-in users keep the per-form limits.

    It runs after the session middleware (the session, not the body, says who is
    signed in) and before ``NormalizeInputMiddleware`` and CSRF, which read the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            refused = self._refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        from django.conf import settings

        limit = settings.HTXSO_ANONYMOUS_MAX_BODY
        meta = request.META
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        raw_length = meta.get("CONTENT_LENGTH") or ""
        try:
            length = int(raw_length) if raw_length else 0
        except ValueError:
            length = -1
        if not chunked and 0 <= length <= limit:
            return None
        if _signed_in(request):
            return None
        if chunked or length < 0:
            return _length_required(request)
        return _too_large(request, anonymous_limit=limit)


def _signed_in(request: HttpRequest) -> bool:
    """A session with a user, or a usable API token (without touching the body)."""
    from django.contrib.auth import SESSION_KEY, get_user

    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) and get_user(request).is_authenticated:
        return True
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        from .api import TokenAuth

        user = getattr(request, "user", None)
        try:
            return TokenAuth().authenticate(request, token.strip()) is not None
        finally:
            # AuthenticationMiddleware and the API set request.user themselves
            if user is None:
                request.__dict__.pop("user", None)
            else:
                request.user = user
    return False


class NormalizeInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _normalised(request.GET)
        # Reading a multipart body here fixes the upload handlers before a view runs;
        # HTX Số uses Django's default handlers (large files spill to temporary files).
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

            try:
                request.POST = _normalised(request.POST)
            except (RequestDataTooBig, TooManyFieldsSent):
                return _too_large(request)
        return self.get_response(request)


def _too_large(request: HttpRequest, anonymous_limit: int | None = None) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    message = _("What you sent is too large. Nothing was saved; send less at a time.")
    if anonymous_limit is not None:
        from .formatting import format_number

        message = _(
            "What you sent is too large: without signing in you may send at most "
            "%(size)s KB. Nothing was saved; sign in, or send less at a time."
        ) % {"size": format_number(anonymous_limit // 1024)}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_large", "message": message, "details": None}, status=413)
    return render(
        request,
        "errors/error.html",
        {"status": 413, "title": _("Too large"), "message": message},
        status=413,
    )


def _length_required(request: HttpRequest) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    message = _(
        "The request did not say how large it is (Content-Length). Nothing was saved; "
        "sign in, or send it again from the form."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "length_required", "message": message, "details": None}, status=411
        )
    return render(
        request,
        "errors/error.html",
        {"status": 411, "title": _("Length required"), "message": message},
        status=411,
    )


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer a friendly 503 quickly.

    A view (or a middleware: the session, the signed-in user) that meets a refused or
    broken database connection raises; Django would answer 500 with the error page,
    whose rendering needs the database again.  Here, a 500 (or an exception that
    escaped every handler) while a database connection is unusable becomes a 503:
    JSON ``{"code": "service_unavailable"}`` under ``/api/``, else the standalone page
    ``503.html`` (rendered without the request, so nothing in it touches the database),
    with ``Retry-After``.  A 500 with a working database stays a 500.  Django closes
    the broken connection at the next request, so the site recovers by itself once the
    database is back.

    It sits inside the security and CSP middleware (their headers go on the 503) and
    outside the session middleware (whose save may be what fails).
    """

    RETRY_AFTER = "30"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception:
            if not database_unreachable():
                raise
            return service_unavailable(request)
        if response.status_code == 500 and database_unreachable():
            return service_unavailable(request)
        return response


def database_unreachable() -> bool:
    """A database connection of this request failed and cannot be used (never
    connected, or its socket is dead).  Only after an error: costs nothing otherwise."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not conn.errors_occurred:
            continue
        if conn.connection is None:
            return True
        if conn.in_atomic_block:  # a failed transaction, not a dead server (tests)
            continue
        try:
            if not conn.is_usable():
                return True
        except Exception:
            return True
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer (JSON for the API, the Vietnamese page otherwise)."""
    import logging

    from django.conf import settings
    from django.http import JsonResponse
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.translation import gettext as _

    from .requestid import current_request_id

    logging.getLogger("htxso.availability").warning(
        "Database unreachable: answered 503 to %s %s", request.method, request.path
    )
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        message = _("HTX Số cannot reach its data right now. Try again in a minute.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"code": "service_unavailable", "message": message, "details": None},
                status=503,
            )
        else:
            response = HttpResponse(
                render_to_string("503.html", {"request_id": current_request_id()}),
                status=503,
            )
    response["Retry-After"] = DatabaseUnavailableMiddleware.RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response
