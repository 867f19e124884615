"""Links that other apps add to an organisation's page.

The registry is a lower layer: its organisation page cannot import the support centre or
any other domain app, yet a manager there should find "policies you may be eligible for"
and "ask the support centre".  Each app registers, from its ``AppConfig.ready()``, a
function answering its links for a user and an organisation (label, URL); the page asks
here.  An app that is not installed adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["organisation_links", "register_organisation_links"]

Links = Callable[[Any, Any], "list[tuple[str, str]]"]

_providers: dict[str, Links] = {}


def register_organisation_links(name: str, provider: Links) -> None:
    """Publish ``provider(user, organisation) -> [(label, url), …]`` under ``name``
    (registering the same name again replaces it)."""
    _providers[name] = provider


def organisation_links(user: Any, organisation: Any) -> list[tuple[str, str]]:
    """Every registered app's links for ``user`` on ``organisation``'s page, in the
    order the apps were registered.  A provider must not query the database more than
    once; most answer from the user's roles alone."""
    links: list[tuple[str, str]] = []
    for provider in _providers.values():
        links.extend(provider(user, organisation))
    return links
