"""Event summaries and quantities in the reader's language.

An event's stored ``summary`` was written in the language of whoever recorded it; the
pages rebuild the summary of harvests and processing steps from the recorded
quantities instead, so an English reader never sees "tỷ lệ thu hồi 99,5%".  Numbers
and their units are joined by a NO-BREAK SPACE, so "500 g" never wraps before "g".
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from htxso.core.formatting import format_quantity

from .vocab import TRANSFORMATIONS

NBSP = "\u00a0"
#: A number, a plain space and a unit: the space becomes a no-break space.
_UNIT_AFTER_NUMBER = re.compile(
    r"(?<=\d) (?=(?:kg|g|mg|ha|m²|m2|km|m|l|ml|L|mL|%|₫|đ|VND|tấn|gói|túi|hộp)(?![\w]))"
)


def units_nobreak(text) -> str:
    """``"Cà phê rang xay 500 g"`` → ``"Cà phê rang xay 500\u00a0g"``."""
    return _UNIT_AFTER_NUMBER.sub(NBSP, str(text or ""))


def _language() -> str:
    return get_language() or "vi"


def kg_number(value) -> str:
    """``Decimal("1250.500")`` → ``"1.250,5"`` / ``"1,250.5"``: to the gram, trailing
    zeros dropped."""
    value = Decimal(value)
    places = min(3, max(0, -value.normalize().as_tuple().exponent))
    return format_quantity(value, places, language=_language())


def percent_number(value, decimals: int = 1) -> str:
    """``99.5`` → ``"99,5"`` (Vietnamese) / ``"99.5"`` (English)."""
    return format_quantity(Decimal(str(value)), decimals, language=_language())


def event_summary(event, links) -> str:
    """The summary of a harvest or processing step in the active language, from its
    lot links ``(role, quantity_kg, plot_code)``; ``""`` for other events."""
    if event.correction_of_id:
        return ""
    if event.kind == "harvest":
        for role, kg, plot_code in links:
            if role == "object" and kg is not None and plot_code:
                return units_nobreak(
                    _("%(kg)s kg of cherry from plot %(plot)s")
                    % {"kg": kg_number(kg), "plot": plot_code}
                )
        return ""
    if event.kind in TRANSFORMATIONS:
        total_in = sum((kg for role, kg, _p in links if role == "input" and kg), Decimal(0))
        total_out = sum((kg for role, kg, _p in links if role == "output" and kg), Decimal(0))
        if not total_in or not total_out:
            return ""
        return units_nobreak(
            _("%(in)s kg → %(out)s kg (yield %(pct)s%%)")
            % {
                "in": kg_number(total_in),
                "out": kg_number(total_out),
                "pct": percent_number(total_out * 100 / total_in),
            }
        )
    return ""
