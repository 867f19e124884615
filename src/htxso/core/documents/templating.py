"""Filling ``{{ placeholder }}`` slots in text that VCA staff edit.

This is deliberately *not* the Django template engine: the text of a letter template is
written by people in a web form, so it must never run tags, filters or attribute
lookups.  The only syntax is ``{{ name }}`` (spaces inside the braces optional) where
``name`` is one of the allowed keys; anything else that looks like a placeholder is an
error with a message the editor can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..errors import ServiceError

#: A well-formed placeholder: ``{{ key }}`` with an identifier-like key.
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: Anything between double braces (to report malformed placeholders precisely).
_ANY_BRACES = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


class TemplateTextError(ServiceError):
    """The text cannot be filled: ``code`` is stable, ``message`` is translated."""


def _allowed_list(allowed: Iterable[str]) -> str:
    names = sorted(allowed)
    return ", ".join("{{ " + n + " }}" for n in names) if names else "—"


def _check_syntax(text: str) -> None:
    """Raise for malformed placeholders and for stray ``{{`` / ``}}``."""
    for match in _ANY_BRACES.finditer(text):
        if not _PLACEHOLDER.fullmatch(match.group(0)):
            inner = match.group(1).strip()
            raise TemplateTextError(
                "bad_placeholder",
                _(
                    "“%(text)s” is not a valid placeholder: write a name from the list "
                    "between double braces, for example {{ deadline }}."
                )
                % {"text": "{{" + inner[:40] + "}}"},
            )
    rest = _ANY_BRACES.sub("", text)
    if "{{" in rest or "}}" in rest:
        where = rest.find("{{") if "{{" in rest else rest.find("}}")
        excerpt = rest[max(0, where - 15) : where + 20].replace("\n", " ")
        raise TemplateTextError(
            "unbalanced_braces",
            _(
                "Unbalanced braces near “%(excerpt)s”: every “{{” must be closed by “}}” "
                "on the same placeholder."
            )
            % {"excerpt": excerpt.strip()},
        )


def placeholders_in(text: str) -> set[str]:
    """The names used as ``{{ name }}`` in ``text`` (malformed ones are not included)."""
    return set(_PLACEHOLDER.findall(text or ""))


def check_template_text(text: str, allowed: Iterable[str]) -> None:
    """Raise :class:`TemplateTextError` unless every placeholder of ``text`` is allowed."""
    text = text or ""
    _check_syntax(text)
    allowed = set(allowed)
    for name in _PLACEHOLDER.findall(text):
        if name not in allowed:
            raise TemplateTextError(
                "unknown_placeholder",
                _("Unknown placeholder {{ %(name)s }}. Allowed placeholders: %(allowed)s.")
                % {"name": name, "allowed": _allowed_list(allowed)},
            )


def render_template_text(text: str, context: dict[str, str]) -> str:
    """``text`` with every ``{{ key }}`` replaced by ``context[key]``.

    Values are inserted as they are (never interpreted again), so a value containing
    ``{{ x }}`` stays literal.  Unknown keys and unbalanced braces raise
    :class:`TemplateTextError`.
    """
    text = text or ""
    check_template_text(text, context.keys())
    return _PLACEHOLDER.sub(lambda m: str(context[m.group(1)] or ""), text)
