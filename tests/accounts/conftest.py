"""Sign-in counters (failures per address, reset mails) live in the cache: every test
here starts and ends with an empty one, so no count leaks into another test."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
