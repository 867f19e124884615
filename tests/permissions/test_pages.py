"""Every page route × every user key, compared with the FIXED table pages.tsv.

Nothing here reads the views' own declarations: the expected answer of each cell is
written in tests/permissions/pages.tsv from ARCHITECTURE.md's "Who sees what".
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .checks import check_get, check_post
from .table import read_pages
from .world import (
    USER_KEYS,
    api_operations,
    fingerprint,
    fingerprint_diff,
    project_urls,
    rolled_back,
    sign_in,
)

pytestmark = pytest.mark.django_db

PAGES = read_pages()


@pytest.mark.parametrize("route", sorted(PAGES))
def test_page_with_every_user(perm_world, route):
    w = perm_world
    methods, cells = PAGES[route]
    if route not in w.page_urls:
        pytest.fail(f"{route}: no such route, or no URL sample (see test_table.py)")
    url = w.page_urls[route]
    client = Client(raise_request_exception=False)
    failures = []
    for key in USER_KEYS:
        # "GET/POST" when the two differ (a member reads the register, never writes it)
        token, _slash, post_token = cells[key].partition("/")
        post_token = post_token or token
        sign_in(client, w, key)
        if "GET" in methods.split():
            with rolled_back():
                failures.append(check_get(route, key, token, client.get(url)))
        if "POST" in methods.split():
            with rolled_back():
                before = fingerprint()
                response = client.post(url)
                changed = fingerprint_diff(before, fingerprint())
            failures.append(check_post(route, key, post_token, response, changed))
    failures = [f for f in failures if f]
    assert not failures, f"{route} ({url}), {len(failures)} cell(s):\n" + "\n".join(failures)


def test_admin_is_for_vca_only(perm_world):
    w = perm_world
    client = Client(raise_request_exception=False)
    w.users["vca"].is_staff = True
    w.users["vca"].save()
    for key in USER_KEYS:
        sign_in(client, w, key)
        response = client.get("/quan-tri/")
        if key == "vca":
            assert response.status_code == 200, key
        else:
            assert response.status_code == 302 and "login" in response["Location"], key


# (here rather than in test_table.py: it needs the world this module builds anyway)
def test_every_route_and_operation_has_a_working_sample(perm_world):
    problems = list(perm_world.sample_errors)
    for route, name, pattern in project_urls():
        if name and name not in perm_world.page_urls and not any(name in p for p in problems):
            problems.append(f"{name} ({route}): needs a SAMPLES entry in a perm_samples*.py")
    for path, method, _op in api_operations():
        if path not in perm_world.api_urls and not any(path in p for p in problems):
            params = re.findall(r"{(\w+)}", path)
            problems.append(f"{method} {path}: needs API_SAMPLES[{path!r}] giving {params}")
    assert not problems, "\n".join(problems)
