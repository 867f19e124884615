"""Lists do not leak across provinces and organisations.

Every list in lists.tsv (pages and list APIs) is requested by every user key; whatever
the user may open (200) must not show a MARKER (see perm_samples_lists.py) of a row
outside the user's SCOPES.  And the list must show what the row's ``must_show`` column
names (``org``: VCA sees a marker of it; ``user:owner``: that user sees one), so that a
list that shows nothing cannot pass for safe.
"""

from __future__ import annotations

import html
import json

import pytest
from django.test import Client

from .perm_samples_lists import MARKERS, SCOPES
from .table import read_lists
from .world import USER_KEYS, rolled_back, sign_in

pytestmark = pytest.mark.django_db

LISTS = read_lists()


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode(errors="replace"))


def _url(w, name):
    if name.startswith("GET "):
        return w.api_urls.get(name[4:])
    return w.page_urls.get(name)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_shows_only_the_users_rows(perm_world, name):
    w = perm_world
    url = _url(w, name)
    assert url, f"{name}: no URL sample"
    if name.startswith("GET "):
        url += ("&" if "?" in url else "?") + "limit=500"
    client = Client(raise_request_exception=False)
    failures = []
    for key in USER_KEYS:
        sign_in(client, w, key)
        with rolled_back():
            response = client.get(url, follow=not name.startswith("GET "))
        if response.status_code != 200:
            continue
        text = _text(response)
        for who, owner in LISTS[name]:
            if who == key and not any(m in text for m, o in MARKERS.items() if owner in o):
                failures.append(f"{name} × {key}: shows nothing of {owner} (world data missing?)")
        if key == "vca":
            continue
        scope = SCOPES[key]
        for marker, owners in MARKERS.items():
            if marker in text and not owners & scope:
                failures.append(
                    f"{name} × {key}: LEAK — shows {marker!r} (a row of {'/'.join(sorted(owners))})"
                )
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)
