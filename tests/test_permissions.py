"""The generated permission test.

It walks EVERY URL pattern of the project and EVERY operation of the API, and requests
each with every role (and anonymously).  A view must declare who may open it
(``core.access.access`` for pages, ``core.api.route`` for the API); a URL that needs
arguments must have a sample below.  A module added later is covered the day it appears:
its URLs fail this test until they declare access and get a sample.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from htxso.core.access import AUTHENTICATED, PUBLIC

from .conftest import ORG_A1_SEERS, USER_KEYS, World

pytestmark = pytest.mark.django_db

# URL prefixes owned by third-party apps, tested separately below.
SKIP_PREFIXES = ("quan-tri/", "api/v1/", "static/", "media/", "^media/", "^static/")


def _token_of(world: World, key: str):
    from htxso.accounts import services

    token, _raw = services.api_token_create(actor=None, user=world.users[key], name="t")
    return token


#: name → function(world) returning (kwargs, set of user keys that may see the object,
#: or None when the page is not about one scoped object).
SAMPLES = {
    "registry:organisation_detail": lambda w: ({"pk": w.orgs["a1"].pk}, ORG_A1_SEERS),
    "accounts:password_reset_confirm": lambda w: ({"uidb64": "MQ", "token": "abc-def"}, None),
    # A token belongs to its owner only; everybody else gets 404 (POST-only: GET → 405).
    "accounts:api_token_revoke": lambda w: ({"pk": _token_of(w, "officer_a").pk}, {"officer_a"}),
}

#: Statuses an allowed user may get on GET besides 200.
POST_ONLY = {
    "accounts:logout",
    "accounts:set_language",
    "accounts:two_factor_disable",
    "accounts:api_token_revoke",
    "accounts:api_token_create",
}
ALLOWED_STATUS = {
    # signed-in users are sent on from the sign-in page
    "accounts:login": {"authenticated": {302}},
    # nobody in the world has a TOTP device, so the code page sends them home
    "accounts:two_factor_verify": {"authenticated": {302}},
}

#: List pages and the names that must not leak to users outside the object's scope.
LIST_LEAKS = {
    "registry:organisation_list": [
        ("HTX Cà phê Ea Tu", {"vca", "officer_b", "viewer_b", "manager_b1"})
    ],
    "home": [("HTX Cà phê Ea Tu", {"officer_b", "viewer_b", "manager_b1"})],
}


_API_EXTRA: dict = {}
# Each module may add its samples in a ``perm_samples*.py`` file next to its tests,
# defining any of SAMPLES, POST_ONLY, ALLOWED_STATUS, LIST_LEAKS and API_SAMPLES.
for _path in sorted(Path(__file__).resolve().parent.rglob("perm_samples*.py")):
    _module = importlib.import_module(
        ".".join(_path.relative_to(Path(__file__).resolve().parents[1]).with_suffix("").parts)
    )
    SAMPLES.update(getattr(_module, "SAMPLES", {}))
    POST_ONLY.update(getattr(_module, "POST_ONLY", set()))
    ALLOWED_STATUS.update(getattr(_module, "ALLOWED_STATUS", {}))
    LIST_LEAKS.update(getattr(_module, "LIST_LEAKS", {}))
    _API_EXTRA.update(getattr(_module, "API_SAMPLES", {}))


def walk(patterns=None, prefix="", namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None), p


def project_urls():
    return [(route, name, p) for route, name, p in walk() if not route.startswith(SKIP_PREFIXES)]


def test_every_view_declares_access_and_has_a_sample():
    problems = []
    for route, name, pattern in project_urls():
        if not name:
            problems.append(f"{route}: URL pattern without a name")
            continue
        if getattr(pattern.callback, "htxso_access", None) is None:
            problems.append(f"{name}: view does not declare access (use core.access.access)")
        if pattern.pattern.regex.groups and name not in SAMPLES:
            problems.append(f"{name}: needs a sample in tests/test_permissions.py SAMPLES")
    assert not problems, "\n".join(problems)


def _url(world, name):
    if name in SAMPLES:
        kwargs, seers = SAMPLES[name](world)
        return reverse(name, kwargs=kwargs), seers
    return reverse(name), None


def _method(name, seers) -> str:
    """POST-only views about one object are tried with POST, the rest with GET."""
    return "post" if name in POST_ONLY and seers is not None else "get"


def _expected(policy, name, key, seers, world):
    """The statuses allowed for user ``key`` on GET."""
    user = world.users.get(key)
    if policy.kind != PUBLIC and user is None:
        return {302}  # to the sign-in page
    if not policy.allows(user):
        return {403}
    if seers is not None and key not in seers:
        return {404}
    if name in POST_ONLY:
        # object actions are POSTed (see _method); the others answer GET with 405
        return {302} if seers is not None else {405}
    override = ALLOWED_STATUS.get(name, {})
    if user is not None and "authenticated" in override:
        return override["authenticated"]
    return {200}


@pytest.mark.parametrize("route,name", [(r, n) for r, n, _p in project_urls()])
def test_view_with_every_role(client, world, route, name):
    pattern = {n: p for _r, n, p in project_urls()}[name]
    policy = pattern.callback.htxso_access
    url, seers = _url(world, name)
    failures = []
    for key in USER_KEYS:
        client.logout()
        if key != "anon":
            client.force_login(world.users[key])
        response = client.post(url) if _method(name, seers) == "post" else client.get(url)
        expected = _expected(policy, name, key, seers, world)
        if response.status_code not in expected:
            failures.append(f"{key}: got {response.status_code}, expected {sorted(expected)}")
        elif response.status_code == 302 and key == "anon" and policy.kind != PUBLIC:
            assert "/dang-nhap/" in response["Location"]
        if response.status_code == 200 and name in LIST_LEAKS:
            body = response.content.decode()
            for text, seers_of_text in LIST_LEAKS[name]:
                if key not in seers_of_text and text in body:
                    failures.append(f"{key}: sees {text!r} on {name}")
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)


def test_admin_is_for_vca_only(client, world):
    world.users["vca"].is_staff = True
    world.users["vca"].save()
    for key in USER_KEYS:
        client.logout()
        if key != "anon":
            client.force_login(world.users[key])
        response = client.get("/quan-tri/")
        if key == "vca":
            assert response.status_code == 200, key
        else:
            assert response.status_code == 302 and "login" in response["Location"], key


# ---------------------------------------------------------------------------- API ---

API_SAMPLES = {
    "org_id": lambda w: (w.orgs["a1"].pk, ORG_A1_SEERS),
    "code": lambda w: ("04", None),
    **_API_EXTRA,
}


def api_operations():
    from htxso.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def test_every_api_operation_declares_access():
    problems = []
    for path, method, op in api_operations():
        if "x-htxso-access" not in op:
            problems.append(f"{method.upper()} {path}: no x-htxso-access (use core.api.route)")
        for param in re.findall(r"{(\w+)}", path):
            if param not in API_SAMPLES:
                problems.append(f"{method.upper()} {path}: needs API_SAMPLES[{param!r}]")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path,method", [(p, m) for p, m, _op in api_operations()])
def test_api_operation_with_every_role(client, world, path, method):
    op = next(o for p, m, o in api_operations() if p == path and m == method)
    access = op["x-htxso-access"]
    seers = None
    url = path
    for param in re.findall(r"{(\w+)}", path):
        value, param_seers = API_SAMPLES[param](world)
        seers = param_seers if param_seers is not None else seers
        url = url.replace("{" + param + "}", str(value))
    failures = []
    for key in USER_KEYS:
        client.logout()
        user = world.users.get(key)
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, content_type="application/json")
        from htxso.core.scoping import get_scope

        if access == PUBLIC:
            expected = {200}
        elif user is None:
            expected = {401}
        elif access != AUTHENTICATED and not get_scope(user).has_role(*access):
            expected = {403}
        elif seers is not None and key not in seers:
            expected = {404}
        else:
            expected = {200} if method == "get" else set(range(200, 500))
        if response.status_code not in expected:
            failures.append(f"{key}: got {response.status_code}, expected {sorted(expected)[:5]}")
        if response.status_code >= 400:
            assert "code" in response.json(), f"{key}: error without a code"
    assert not failures, f"{method.upper()} {url}:\n" + "\n".join(failures)


def test_api_list_does_not_leak_other_provinces(client, world):
    client.force_login(world.users["officer_a"])
    names = [o["name"] for o in client.get("/api/v1/registry/organisations?limit=500").json()]
    assert "HTX Nông nghiệp Hợp Giang" in names
    assert "HTX Cà phê Ea Tu" not in names
