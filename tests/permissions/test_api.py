"""Every API operation × every user key, compared with the FIXED table api.tsv (exact
status, writes included; a refused write changes nothing)."""

from __future__ import annotations

import pytest
from django.test import Client

from .checks import check_api
from .table import read_api
from .world import (
    USER_KEYS,
    fingerprint,
    fingerprint_diff,
    rolled_back,
    sign_in,
)

pytestmark = pytest.mark.django_db

API = read_api()


@pytest.mark.parametrize("operation", sorted(API))
def test_api_operation_with_every_user(perm_world, operation):
    w = perm_world
    method, path = operation.split(" ", 1)
    if path not in w.api_urls:
        pytest.fail(f"{operation}: no such operation, or no API sample (see test_table.py)")
    url = w.api_urls[path]
    write = method not in {"GET", "HEAD", "OPTIONS"}
    client = Client(raise_request_exception=False)
    failures = []
    for key in USER_KEYS:
        sign_in(client, w, key)
        with rolled_back():
            before = fingerprint() if write else None
            response = getattr(client, method.lower())(url, content_type="application/json")
            changed = fingerprint_diff(before, fingerprint()) if write else ""
        failures.append(check_api(operation, key, API[operation][key], response, changed, write))
    failures = [f for f in failures if f]
    assert not failures, f"{operation} ({url}), {len(failures)} cell(s):\n" + "\n".join(failures)
