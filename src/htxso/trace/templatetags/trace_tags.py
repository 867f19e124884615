"""Template helpers of traceability: quantities (kg, ha) grouped by thousands."""

from __future__ import annotations

from decimal import InvalidOperation

from django import template
from django.utils.translation import get_language

from htxso.core.formatting import format_quantity

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
