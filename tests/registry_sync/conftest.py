"""Helpers of the sync feed tests: tokens with a scope, no settle delay, no rate limit."""

from __future__ import annotations

import pytest

FEED = "/api/v1/registry/changes"


@pytest.fixture(autouse=True)
def _feed_settings(settings, tmp_path):
    settings.HTXSO_SYNC_SETTLE_SECONDS = 0
    settings.HTXSO_SYNC_RATE_PER_MINUTE = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def bearer(user, scope: str = "public") -> dict[str, str]:
    """A fresh token of ``user`` with ``scope`` ("" for none), as request headers."""
    from htxso.accounts import services
    from htxso.core.actors import OPERATOR

    _token, raw = services.api_token_create(actor=OPERATOR, user=user, name="sync", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def read_all(client, headers, *, limit: int = 500, start: dict | None = None):
    """Follow ``next`` until ``has_more`` is false: (changes, last cursor, pages)."""
    params = {"limit": limit, **(start or {})}
    response = client.get(FEED, params, **headers)
    assert response.status_code == 200, response.content
    pages = [response.json()]
    while pages[-1]["has_more"]:
        response = client.get(pages[-1]["next"], **headers)
        assert response.status_code == 200, response.content
        pages.append(response.json())
    changes = [c for page in pages for c in page["changes"]]
    return changes, pages[-1]["cursor"], pages
