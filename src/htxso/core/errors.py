"""The one error type of the service layer, and where it turns into a response.

Services (and the small parsers under them) raise :class:`ServiceError`: a stable
``code`` (API clients and tests rely on it), a translatable ``message`` with
``params``, optional ``fields`` (field name → messages) and ``details`` (JSON-ready).
Its :class:`Kind` says what went wrong in words, never as an HTTP status; the API turns
a kind into a status in one place (``core.api``), pages turn the error into a form error
or a flash message in one place (``core.forms.show_service_error``).

It is a Django ``ValidationError`` (forms and ``full_clean`` understand it) and a
``ValueError`` (parsers that raised ``ValueError`` keep their callers working).
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import ValidationError


class Kind(enum.Enum):
    INVALID = "invalid"  # the input is wrong: show the message, keep the form
    NOT_FOUND = "not_found"  # nothing there (or not the actor's to reach)
    FORBIDDEN = "forbidden"  # the actor may see it but not do this
    CONFLICT = "conflict"  # the object's state does not allow it now
    TOO_LARGE = "too_large"  # a file or a request beyond the limits
    THROTTLED = "throttled"  # too many attempts; try later


class ServiceError(ValidationError, ValueError):
    """A refusal with a stable ``code`` and a message translated when shown."""

    kind: Kind = Kind.INVALID
    code: str
    params: dict[str, Any]

    def __init__(
        self,
        code: str,
        message: Any,
        params: dict[str, Any] | None = None,
        *,
        fields: dict[str, list[Any]] | None = None,
        details: Any = None,
        kind: Kind | None = None,
    ) -> None:
        if fields:
            super().__init__({k: list(v) for k, v in fields.items()})
        else:
            super().__init__(message, code=code, params=params)
        # set after Django's constructor (it does not keep these for a field dict)
        self.code = code
        self.message = message
        self.params = params or {}
        self.fields = {k: list(v) for k, v in (fields or {}).items()}
        self.details = details
        if kind is not None:
            self.kind = kind

    @property
    def text(self) -> str:
        """The message in the active language, placeholders filled."""
        text = str(self.message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.text

    def field_messages(self) -> dict[str, list[str]]:
        """Field name → messages as text (items may be strings or ValidationErrors)."""
        return {
            name: [
                text
                for item in items
                for text in (item.messages if isinstance(item, ValidationError) else [str(item)])
            ]
            for name, items in self.fields.items()
        }


def refused(message: Any, code: str = "forbidden") -> ServiceError:
    """The actor may not do this (the page answers 403, the API 403 ``forbidden``)."""
    return ServiceError(code, message, kind=Kind.FORBIDDEN)


def not_found(message: Any, code: str = "not_found") -> ServiceError:
    return ServiceError(code, message, kind=Kind.NOT_FOUND)


def conflict(message: Any, code: str, params: dict[str, Any] | None = None) -> ServiceError:
    return ServiceError(code, message, params, kind=Kind.CONFLICT)
