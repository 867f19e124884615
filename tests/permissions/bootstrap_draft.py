"""Not a test: writes a DRAFT of pages.tsv/api.tsv from what the app answers today.

    .venv/bin/pytest -q -p no:xdist tests/permissions/bootstrap_draft.py -s

writes var/perm-draft-pages.tsv and var/perm-draft-api.tsv (and the old test's
expectations, from the ``@access`` declarations, in var/perm-draft-old-*.tsv).  A draft
is only a start: every row of the real table is reviewed against ARCHITECTURE.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from .world import (
    USER_KEYS,
    api_operations,
    project_urls,
    rolled_back,
    sign_in,
)

OUT = Path(__file__).resolve().parents[2] / "var"


def _status(response):
    code = response.status_code
    if code == 302:
        loc = response["Location"]
        return "302" if "/dang-nhap/" in loc else f"302>{loc}"
    return str(code)


@pytest.mark.django_db
def test_write_draft(perm_world):
    w = perm_world
    client = Client(raise_request_exception=False)
    lines = ["route\tmethods\t" + "\t".join(USER_KEYS)]
    for _route, name, _p in project_urls():
        if name not in w.page_urls:
            continue
        url = w.page_urls[name]
        get, post = [], []
        for key in USER_KEYS:
            sign_in(client, w, key)
            with rolled_back():
                get.append(_status(client.get(url)))
            with rolled_back():
                post.append(_status(client.post(url)))
        vca = USER_KEYS.index("vca")
        methods = "GET" if post[vca] == "405" else "POST" if get[vca] == "405" else "GET POST"
        cells = post if methods == "POST" else get
        lines.append(f"{name}\t{methods}\t" + "\t".join(cells))
        if methods == "GET POST":
            lines.append(f"#POST {name}\t\t" + "\t".join(post))
    (OUT / "perm-draft-pages.tsv").write_text("\n".join(lines) + "\n")
    lines = ["operation\t" + "\t".join(USER_KEYS)]
    for path, method, _op in api_operations():
        if path not in w.api_urls:
            continue
        cells = []
        for key in USER_KEYS:
            sign_in(client, w, key)
            with rolled_back():
                r = getattr(client, method.lower())(
                    w.api_urls[path], content_type="application/json"
                )
            cells.append(str(r.status_code))
        lines.append(f"{method} {path}\t" + "\t".join(cells))
    (OUT / "perm-draft-api.tsv").write_text("\n".join(lines) + "\n")


@pytest.mark.django_db
def test_sample_errors(perm_world):
    print("\n".join(perm_world.sample_errors))


# ---- what the OLD test (derived from the @access declarations) expected, for the report ---

_OLD_PAGE_SEERS = {
    "registry:organisation_detail": {"vca", "officer_a", "viewer_a", "manager_a1", "member_a1"},
    "accounts:api_token_revoke": {"officer_a"},
}
_A1 = {"vca", "officer_a", "viewer_a", "manager_a1", "member_a1"}
_A1_STAFF = {"vca", "officer_a", "viewer_a", "manager_a1"}
_OLD_API_SEERS = {
    "org_id": _A1,
    "tax_code": _A1,
    "report_id": _A1_STAFF,
    "application_id": _A1_STAFF,
    "call_province_code": {"vca", "officer_a", "viewer_a"},
    "market_order_code": {"buyer"},
    "market_store_id": {"vca", "manager_a1"},
    "market_order_id": {"vca", "manager_a1"},
    "lot_id": _A1_STAFF | {"member_a1"},
}


def _old_page_expected(name, pattern, key, w):
    from htxso.core.access import PUBLIC

    policy = pattern.callback.htxso_access
    post_only, allowed_status = set(), {}
    post_only |= {
        "accounts:logout",
        "accounts:set_language",
        "accounts:two_factor_disable",
        "accounts:api_token_revoke",
        "accounts:api_token_create",
    }
    allowed_status.update(
        {
            "accounts:login": {"authenticated": {302}},
            "accounts:two_factor_verify": {"authenticated": {302}},
        }
    )
    import sys

    from . import samples

    for modname, module in list(sys.modules.items()):
        if modname.startswith("tests.") and modname.rsplit(".", 1)[-1].startswith("perm_samples"):
            post_only |= set(getattr(module, "POST_ONLY", set()))
            allowed_status.update(getattr(module, "ALLOWED_STATUS", {}))
    seers = _OLD_PAGE_SEERS.get(name)
    if seers is None and name in samples.SAMPLES and name not in _OLD_PAGE_SEERS:
        from .perm_samples_lists import TAG  # noqa: F401

        try:
            with rolled_back():
                _kwargs, seers = samples.SAMPLES[name](w)
        except Exception:
            seers = {"vca", "officer_a", "manager_a1"}  # union_end: ORG_A1_EDITORS
    user = w.users.get(key)
    method = "POST" if name in post_only and seers is not None else "GET"
    if policy.kind != PUBLIC and user is None:
        return method, {302}
    if not policy.allows(user):
        return method, {403}
    if seers is not None and key not in seers:
        return method, {404}
    if name in post_only:
        return method, ({302} if seers is not None else {405})
    override = allowed_status.get(name, {})
    if user is not None and "authenticated" in override:
        return method, set(override["authenticated"])
    return method, {200}


def _old_api_expected(path, method, op, key, w):
    import re

    from htxso.core.access import AUTHENTICATED, PUBLIC
    from htxso.core.scoping import get_scope

    access = op["x-htxso-access"]
    seers = None
    for param in re.findall(r"{(\w+)}", path):
        seers = _OLD_API_SEERS.get(param, seers)
    user = w.users.get(key)
    if access == PUBLIC:
        return {200}
    if user is None:
        return {401}
    if access != AUTHENTICATED and not get_scope(user).has_role(*access):
        return {403}
    if seers is not None and key not in seers:
        return {404}
    return {200} if method == "GET" else set(range(200, 500))


@pytest.mark.django_db
def test_write_old_expectations(perm_world):
    w = perm_world
    lines = ["route\tmethod\t" + "\t".join(USER_KEYS)]
    for _route, name, pattern in project_urls():
        if name not in w.page_urls:
            continue
        cells, method = [], "GET"
        for key in USER_KEYS:
            method, expected = _old_page_expected(name, pattern, key, w)
            cells.append("/".join(str(s) for s in sorted(expected)))
        lines.append(f"{name}\t{method}\t" + "\t".join(cells))
    (OUT / "perm-old-pages.tsv").write_text("\n".join(lines) + "\n")
    lines = ["operation\t" + "\t".join(USER_KEYS)]
    for path, method, op in api_operations():
        cells = []
        for key in USER_KEYS:
            expected = _old_api_expected(path, method, op, key, w)
            cells.append("2xx-4xx" if len(expected) > 5 else "/".join(map(str, sorted(expected))))
        lines.append(f"{method} {path}\t" + "\t".join(cells))
    (OUT / "perm-old-api.tsv").write_text("\n".join(lines) + "\n")


@pytest.mark.django_db
def test_print_error_messages_of_allowed_posts(perm_world):
    """Allowed POST cells whose answer carries an error message (a refusal in disguise?)."""
    from django.contrib.messages import get_messages

    from .table import read_pages

    w = perm_world
    client = Client(raise_request_exception=False)
    for name, (methods, cells) in read_pages().items():
        if "POST" not in methods.split() or name not in w.page_urls:
            continue
        for key in USER_KEYS:
            if cells[key] not in {"ok", "200"} and not (cells[key] == "302" and key != "anon"):
                continue
            sign_in(client, w, key)
            with rolled_back():
                response = client.post(w.page_urls[name])
                texts = [f"[{m.level_tag}] {m}" for m in get_messages(response.wsgi_request)]
            if response.status_code == 302 and texts:
                print(f"MSG {name} × {key}: {response.status_code} {texts}")
