"""Helpers shared by the market services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from htxso.core.errorlist import Errors as _Errors
from htxso.core.errorlist import text
from htxso.core.errors import ServiceError

__all__ = ["Errors", "int_value", "text"]


class Errors(_Errors):
    """``core.errorlist.Errors`` raising the one error type of the services."""

    def raise_if_any(self, code: str | None = None) -> None:
        """Raise a :class:`ServiceError` with every field's messages: its code is the
        first problem's (or ``code``, whose message then joins them all)."""
        if not self.errors:
            return
        first = next(iter(self.errors.values()))[0]
        if code is None:
            raise ServiceError(
                first.code or "invalid", first.message, first.params, fields=self.errors
            )
        joined = "; ".join(m for errs in self.errors.values() for e in errs for m in e.messages)
        raise ServiceError(code, joined, fields=self.errors)


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
