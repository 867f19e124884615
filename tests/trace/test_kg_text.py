"""Quantities in trace messages and pickers use the trace pages' formatter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from htxso.trace.services.events import kg_text


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("1250.500"), "1.250,5", "1,250.5"),
        (Decimal("1000.000"), "1.000", "1,000"),
        (Decimal("0.125"), "0,125", "0.125"),
        ("600", "600", "600"),
    ],
)
def test_kg_text_groups_thousands_in_each_language(value, vi, en):
    with translation.override("vi"):
        assert kg_text(value) == vi
    with translation.override("en"):
        assert kg_text(value) == en
