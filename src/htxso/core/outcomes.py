"""Outcomes that other apps can tell about people: "runs an open store on the market"…

Domain apps are siblings (ARCHITECTURE.md "Layout"): training decides completion by an
outcome the market knows (the participant runs a verified store with a listed product),
yet training never imports the market.  The app that knows an outcome publishes here,
from its ``AppConfig.ready()``, a function answering which of the given user ids meet it;
the app that needs it asks by name.  An app that is not installed publishes nothing, and
:func:`meeting` then answers ``None`` ("nobody can tell"), never "nobody meets it".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["STORE_OPEN", "is_published", "meeting", "register_outcome"]

#: The user runs a verified market store with at least one product on sale.
STORE_OPEN = "store_open"

Outcome = Callable[[set[int]], set[int]]

_outcomes: dict[str, Outcome] = {}


def register_outcome(name: str, check: Outcome) -> None:
    """Publish ``check(user_ids) -> the ids that meet it`` as outcome ``name`` (called
    once, from the publishing app's ``ready()``; registering again replaces it)."""
    _outcomes[name] = check


def is_published(name: str) -> bool:
    return name in _outcomes


def meeting(name: str, user_ids: Iterable[int | None]) -> set[int] | None:
    """The ids among ``user_ids`` that meet outcome ``name`` (one query by the
    publisher, whatever the number of ids), or ``None`` when no app publishes it."""
    check = _outcomes.get(name)
    if check is None:
        return None
    ids = {int(i) for i in user_ids if i is not None}
    if not ids:
        return set()
    return set(check(ids)) & ids
