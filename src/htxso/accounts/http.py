"""Request types for type checkers."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """The request a view behind ``access(authenticated=True)`` receives: its ``user``
    is a signed-in :class:`User`, never ``AnonymousUser``.  Only an annotation: no
    request is ever an instance of this class."""

    user: User
