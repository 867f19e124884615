"""One world per test module for the permission tests.

``perm_world`` builds tests/conftest.py's world (two provinces, three organisations, one
user per role), lets every ``perm_samples*.py`` add the rows its lists need (``WORLD``),
resolves every URL sample once, and rolls all of it back when the module ends.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import USER_KEYS, build_world, ensure_reference_data

from . import samples

#: URL prefixes owned by third-party apps (the admin has its own test).
SKIP_PREFIXES = ("quan-tri/", "api/v1/", "static/", "media/", "^media/", "^static/")
API_PREFIX = "/api/v1"


def system_actor():
    """The actor sample code acts as (the named operator once services require one)."""
    try:
        from htxso.core.actors import OPERATOR
    except ImportError:  # pragma: no cover - before core.actors existed
        return None
    return OPERATOR


def walk(patterns=None, prefix="", namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None), p


def project_urls() -> list[tuple[str, str | None, URLPattern]]:
    return [(route, name, p) for route, name, p in walk() if not route.startswith(SKIP_PREFIXES)]


def api_operations() -> list[tuple[str, str, dict]]:
    """(path, METHOD, operation) of every API operation, from the OpenAPI document."""
    from htxso.api import api

    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return [
        (path, method.upper(), op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


def build_perm_world():
    w = build_world()
    w.page_urls, w.api_urls, w.sample_errors = {}, {}, []
    for hook in samples.WORLD_HOOKS:
        hook(w)
    for route, name, pattern in project_urls():
        if not name:
            continue
        try:
            if name in samples.SAMPLES:
                kwargs, _ = samples.SAMPLES[name](w)
                w.page_urls[name] = reverse(name, kwargs=kwargs)
            elif not pattern.pattern.regex.groups:
                w.page_urls[name] = reverse(name)
        except Exception as exc:  # reported by the coverage test, with the route's name
            w.sample_errors.append(f"{name}: sample failed: {exc!r}")
    for path, method, _op in api_operations():
        params = re.findall(r"{(\w+)}", path)
        if not params:
            w.api_urls[path] = path
            continue
        if path not in samples.API_SAMPLES:
            continue
        try:
            values = samples.API_SAMPLES[path](w)
            url = path
            for param in params:
                url = url.replace("{" + param + "}", str(values[param]))
            w.api_urls[path] = url
        except Exception as exc:
            w.sample_errors.append(f"{path}: API sample failed: {exc!r}")
    return w


@pytest.fixture(scope="module")
def perm_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        w = build_perm_world()
        yield w
        transaction.set_rollback(True)  # leave the test database as it was


# ------------------------------------------------------------------ fingerprint ---


def _project_tables() -> list[str]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        own = model.__module__.startswith("htxso.") and meta.managed and not meta.proxy
        if own and meta.db_table not in tables:
            tables.append(meta.db_table)
    return sorted(tables)


def audit_table() -> str:
    """The audit trail's table (core's audit model, whatever it is called)."""
    for model in apps.get_app_config("core").get_models():
        if model.__name__ in {"AuditEvent", "AuditEntry"}:
            return model._meta.db_table
    raise LookupError("no audit model in htxso.core")


def fingerprint() -> dict[str, int]:
    """Row counts of every table of the project's apps (the audit trail included)."""
    tables = _project_tables()
    assert audit_table() in tables
    q = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def fingerprint_diff(before: dict, after: dict) -> str:
    return ", ".join(
        f"{t} {before.get(t)}→{after.get(t)}"
        for t in sorted(set(before) | set(after))
        if before.get(t) != after.get(t)
    )


class rolled_back:
    """Run one request in a savepoint that is always rolled back, so that the next user
    meets the same world (an allowed POST may delete the sample)."""

    def __enter__(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        return self._atomic.__exit__(*exc)


def sign_in(client, world, key):
    client.logout()
    if key != "anon":
        client.force_login(world.users[key])


__all__ = ["USER_KEYS"]
