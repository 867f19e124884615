"""Public pages about a GS1 trade item (GTIN), published by the apps that have one.

Domain apps are independent siblings (ARCHITECTURE.md "Layout"): the market and the
traceability records never import each other, yet a product page links to the trace page
of the same GTIN and back.  Each app publishes here, from its ``AppConfig.ready()``, a
function answering the URL of *its* public page for a GTIN (or ``None``), and asks here
for the other's page by name.  An app that is not installed simply has no page.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["MARKET", "TRACE", "gtin_page_url", "register_gtin_page"]

#: The market's public product page of a GTIN.
MARKET = "market"
#: The public traceability page of the newest lot of a GTIN.
TRACE = "trace"

GtinPage = Callable[[str], "str | None"]

_pages: dict[str, GtinPage] = {}


def register_gtin_page(kind: str, page: GtinPage) -> None:
    """Publish ``page(gtin) -> url | None`` as the ``kind`` page of a GTIN (called once,
    from the publishing app's ``ready()``; registering again replaces it)."""
    _pages[kind] = page


def gtin_page_url(kind: str, gtin: str) -> str | None:
    """The URL of the ``kind`` page for ``gtin``, or ``None`` when no app publishes such
    pages or it has none for this GTIN."""
    page = _pages.get(kind)
    if page is None or not gtin:
        return None
    return page(gtin)
