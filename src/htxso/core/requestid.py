"""One id per request, on the response, in every log line and in the tasks it enqueues.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes a sane incoming ``X-Request-ID``
(nginx's ``$request_id``, a load balancer's, a client's retry) or makes a new one, puts
it on the response and in :data:`request_id_var`.  ``core.logging.RequestIdFilter``
copies it onto every log record; ``core.tasks`` stores it with each task enqueued during
the request, and the worker sets it again while the task runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"

#: The id of the request (or task) being served in this context; None outside one.
request_id_var: ContextVar[str | None] = ContextVar("htxso_request_id", default=None)

# letters, digits and . _ : - only (no spaces, no line breaks: the id goes into plain-text
# logs and a response header), 8 to 64 characters (a uuid4 hex is 32, with dashes 36)
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it may be used as a request id, else None."""
    if value and _SANE.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestIdMiddleware:
    """Give the request an id (the incoming ``X-Request-ID`` if sane, else a new uuid4
    hex), keep it in the context while the request is served, and send it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = sane_request_id(request.META.get(META_KEY)) or new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = rid
        return response
