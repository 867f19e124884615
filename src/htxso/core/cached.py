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

A value may also belong to a *scope* (one organisation's pages): ``get_or_set(parts,
compute, scope=org_id)`` keys it under the global version and the scope's own version,
and :meth:`Versioned.forget_scope` moves only that scope's keys, so a write in one
organisation leaves every other organisation's values cached.  :meth:`Versioned.forget`
still moves every key, scoped or not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
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

    def scope_version_key(self, scope: Hashable) -> str:
        return f"htxso:{self.name}:version:{scope}"

    def versions(self, scope: Hashable) -> str:
        """The global and ``scope``'s versions, read in one round trip of the cache.

        A scope's first version is the clock's nanoseconds (not 1): should its version
        key be culled from the cache, the next one cannot meet a value kept under an
        older version of the same scope."""
        from django.core.cache import cache

        scope_key = self.scope_version_key(scope)
        got = cache.get_many([self.version_key, scope_key])
        version = got.get(self.version_key)
        if version is None:
            version = self.version()
        scoped = got.get(scope_key)
        if scoped is None:
            cache.add(scope_key, time.time_ns(), None)
            scoped = cache.get(scope_key, 0)
        return f"{int(version)}.{int(scoped)}"

    def key(self, parts: Iterable[Any], *, scope: Hashable | None = None) -> str:
        version = self.version() if scope is None else f"{self.versions(scope)}:{scope}"
        return f"htxso:{self.name}:{version}:" + ":".join(str(p) for p in parts)

    def get(self, parts: Iterable[Any], *, scope: Hashable | None = None) -> Any:
        """The value kept for ``parts``, or ``None``."""
        from django.core.cache import cache

        return cache.get(self.key(parts, scope=scope))

    def set(self, parts: Iterable[Any], value: Any, *, scope: Hashable | None = None) -> None:
        from django.core.cache import cache

        cache.set(self.key(parts, scope=scope), value, self.ttl)

    def get_or_set(
        self, parts: Iterable[Any], compute: Callable[[], T], *, scope: Hashable | None = None
    ) -> T:
        from django.core.cache import cache

        key = self.key(parts, scope=scope)
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

    def forget_scope(self, scope: Hashable) -> None:
        """Move the keys of ``scope`` alone to a new version (values kept with
        ``scope=``; the others stay)."""
        from django.core.cache import cache

        key = self.scope_version_key(scope)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, time.time_ns(), None)
