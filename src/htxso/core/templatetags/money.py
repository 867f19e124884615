"""``{% load money %}``: amounts of đồng written the way the reader's language writes
numbers (``120.000 ₫`` in Vietnamese, ``120,000 ₫`` in English)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from htxso.core.formatting import format_vnd

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """A whole number of đồng in the active language; "" for anything else."""
    try:
        return format_vnd(int(value), language=get_language() or "vi")
    except (TypeError, ValueError):
        return ""
