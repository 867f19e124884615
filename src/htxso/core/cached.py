"""Values computed once per version of some data and kept in the cache.

A page that shows the same figures to everyone of the same scope (a province's open
requests, the calls on its staff's home page) builds them once per *version* of the data
behind them: the app connects :meth:`Versioned.forget` to the saves and deletions of its
models, which moves every key to a new version at once, and the time limit bounds what a
write made by another process (with a per-process cache) can leave behind::

    OPEN_COUNTS = Versioned("support:open-counts", ttl=30)
    counts = OPEN_COUNTS.get_or_set((day, provinces), lambda: compute())
    post_save.connect(OPEN_COUNTS.forget, sender=ServiceRequest)

Keys are built from the parts given, so two scopes never share a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


class Versioned:
    def __init__(self, name: str, *, ttl: int) -> None:
        self.name, self.ttl = name, ttl
        self.version_key = f"htxso:{name}:version"

    def version(self) -> int:
        from django.core.cache import cache

        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, 1, None)
            version = cache.get(self.version_key, 1)
        return int(version)

    def key(self, parts: Iterable[Any]) -> str:
        return f"htxso:{self.name}:{self.version()}:" + ":".join(str(p) for p in parts)

    def get(self, parts: Iterable[Any]) -> Any:
        """The value kept for ``parts``, or ``None``."""
        from django.core.cache import cache

        return cache.get(self.key(parts))

    def set(self, parts: Iterable[Any], value: Any) -> None:
        from django.core.cache import cache

        cache.set(self.key(parts), value, self.ttl)

    def get_or_set(self, parts: Iterable[Any], compute: Callable[[], T]) -> T:
        from django.core.cache import cache

        key = self.key(parts)
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, self.ttl)
        return value

    def forget(self, **_kwargs: Any) -> None:
        """Move every key to a new version (a signal receiver: takes any keywords)."""
        from django.core.cache import cache

        try:
            cache.incr(self.version_key)
        except ValueError:
            cache.set(self.version_key, 2, None)
