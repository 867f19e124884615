"""Template helpers of traceability: quantities (kg, ha) grouped by thousands."""

from __future__ import annotations

from decimal import InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from htxso.core.formatting import format_quantity
from htxso.trace.summaries import units_nobreak

register = template.Library()


@register.filter
def qty(value, decimals=1) -> str:
    """``{{ lot.quantity_kg|qty }}`` → "1.250,5" (Vietnamese) or "1,250.5" (English);
    ``|qty:2`` for two places.  Django's own grouping is off for Vietnamese (it would
    also turn every bare year into "2.025"), so quantities are grouped here."""
    try:
        return format_quantity(value, int(decimals), language=get_language() or "vi")
    except (TypeError, ValueError, InvalidOperation):
        return ""


@register.filter(is_safe=True)
def nobreak_units(value) -> str:
    """``{{ item.name|nobreak_units }}``: "500 g" never wraps before "g" (the space
    between a number and its unit becomes a no-break space)."""
    return units_nobreak(value)


@register.filter
def unit(value, name: str = "kg") -> str:
    """``{{ lot.quantity_kg|qty:1|unit:"kg" }}`` → "1.250,5&nbsp;kg" (a no-break space);
    nothing when there is no quantity."""
    text = str(value if value is not None else "")
    if not text:
        return ""
    return format_html("{}&nbsp;{}", text, name)
