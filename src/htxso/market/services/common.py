"""Helpers shared by the market services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from htxso.registry.services.organisations import Errors, text

__all__ = ["Errors", "MarketError", "int_value", "text"]


class MarketError(ValidationError):
    """A refused market action with a stable ``code`` (also the API error code)."""

    def __init__(self, code: str, message, params: dict | None = None, details=None):
        super().__init__(message, code=code, params=params)
        self.details = details

    @property
    def text(self) -> str:
        return str(self.message % self.params if self.params else self.message)


def int_value(
    errors: Errors, field: str, value, *, minimum: int = 0, maximum: int = 10**12, required=True
):
    """An integer from a form or JSON value; VND may be written "120.000"."""
    from htxso.core.formatting import ParseError, parse_vnd

    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."), "required")
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a whole number."), "invalid_number")
        return None
    if isinstance(value, int):
        number = value
    else:
        try:
            number = parse_vnd(str(value), allow_negative=True)
        except (ParseError, ValueError):
            errors.add(field, _("Enter a whole number."), "invalid_number")
            return None
    if number < minimum:
        errors.add(
            field,
            _("Enter a number of at least %(minimum)s."),
            "too_small",
            {"minimum": minimum},
        )
        return None
    if number > maximum:
        errors.add(
            field, _("Enter a number of at most %(maximum)s."), "too_large", {"maximum": maximum}
        )
        return None
    return number


def snap(instance) -> dict | None:
    """``core.audit.snapshot`` with file fields as their stored names."""
    from django.db.models.fields.files import FieldFile

    from htxso.core import audit

    data = audit.snapshot(instance)
    if data is None:
        return None
    return {k: (v.name or "") if isinstance(v, FieldFile) else v for k, v in data.items()}


def rich_text(value: str) -> str:
    """Sanitised HTML from what a seller typed: plain text becomes paragraphs (an empty
    line between them) with line breaks; text that already holds HTML is sanitised."""
    import html
    import re

    from ..sanitize import clean_html

    value = value or ""
    if not value.strip():
        return ""
    html_tag = r"</?(p|br|strong|em|b|i|u|ul|ol|li|h\d|a|div|span|script|style|img|iframe|svg)\b"
    if not re.search(html_tag, value, re.IGNORECASE):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        value = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
            for p in paragraphs
        )
    return clean_html(value)


def editable_text(stored_html: str) -> str:
    """The stored description back as plain text for the edit form when it holds only
    paragraphs and line breaks (as :func:`rich_text` makes them); else the HTML."""
    import html
    import re

    if not stored_html:
        return ""
    if re.search(r"<(?!/?p>|br>)", stored_html):
        return stored_html
    text = stored_html.replace("</p><p>", "\n\n").replace("<br>", "\n")
    return html.unescape(re.sub(r"</?p>", "", text))
