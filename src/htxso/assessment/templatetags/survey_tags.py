"""Template helpers of the survey pages: the English text of a row when the page is in
English (``{{ dimension|bilingual:"name" }}``), a score without trailing zeros."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def bilingual(obj: Any, field: str) -> str:
    if obj is None:
        return ""
    if (get_language() or "vi").startswith("en"):
        return getattr(obj, f"{field}_en", "") or getattr(obj, field, "")
    return getattr(obj, field, "")


@register.filter
def score(value: Any) -> str:
    """A 0–100 score with at most one decimal, Vietnamese style (``62,5``)."""
    if value is None or value == "":
        return "–"
    d = Decimal(str(value)).quantize(Decimal("0.1"))
    text = format(d.normalize(), "f") if d == d.to_integral_value() else str(d)
    if not (get_language() or "vi").startswith("en"):
        text = text.replace(".", ",")
    return text
