"""Helpers shared by the market views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """{field: [message, ...]} of a service's ValidationError ("__all__" for general)."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in (e.messages if hasattr(e, "messages") else [e])]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def int_or_none(value) -> int | None:
    """A filter's integer, or None when it is not one or does not fit the database."""
    from htxso.core.forms import fits_int64

    try:
        number = int(str(value).replace(".", "").strip())
    except (TypeError, ValueError):
        return None
    return number if fits_int64(number) else None


SORTS = [
    ("relevance", _("Most relevant")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("newest", _("Newest")),
]
