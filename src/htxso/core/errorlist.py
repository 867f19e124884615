"""Collecting field errors in a service, then raising them all at once.

Shared by every app's services (registry, market…): a service cleans each field with a
helper such as :func:`text`, which records what is wrong instead of raising, and calls
``errors.raise_if_any()`` before it writes anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError
from .text import TextError, clean_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["Errors", "text"]


class Errors:
    """Collects field errors; ``raise_if_any`` raises one ServiceError for all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(
        self, field: str, message: StrOrPromise, code: str, params: dict[str, Any] | None = None
    ) -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, code: str | None = None) -> None:
        """Raise one :class:`~htxso.core.errors.ServiceError` with every field's
        messages.  Its code is ``code`` when given (its message then joins them all),
        else ``invalid`` with the messages joined — what the API has always answered
        for field errors.  A subclass may choose the first problem's code instead."""
        if self.errors:
            joined = "; ".join(m for errs in self.errors.values() for e in errs for m in e.messages)
            raise ServiceError(code or "invalid", joined, fields=dict(self.errors))


def text(
    errors: Errors,
    field: str,
    value: str | None,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """``value`` as clean NFC text (see :func:`core.text.clean_text`), or ``""`` with the
    problem recorded in ``errors`` under ``field``."""
    try:
        result = clean_text(
            value if value is not None else "", max_length=max_length, multiline=multiline
        )
    except TextError as exc:
        errors.add(field, exc.message, exc.code, exc.params)
        return ""
    if required and not result:
        errors.add(field, _("This field is required."), "required")
    return result
