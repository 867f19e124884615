"""Counting hits in the cache for rate limits (LocMem locally, Redis in production)."""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, timeout: int) -> int:
    """Count one hit on ``key`` and return the count so far; the count starts at the
    first hit and the key expires ``timeout`` seconds later (not extended by later
    hits, so a window never slides)."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout)
        return 1
