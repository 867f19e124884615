"""Hostile integers: every integer that arrives in a path, a query string or a form is
bounded before it reaches the database.  SQLite stores 64-bit integers; 2**63 used to
raise OverflowError deep inside a query and answer 500.

The walks below are generated from the OpenAPI document and the URL resolver, so a
route added tomorrow is covered the day it is added."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE = [str(2**63), str(2**64), "-1", str(10**30), "9" * 40]
#: Filter names the list pages and operations use, tried on every GET even when the
#: operation does not declare them.
FILTER_NAMES = [
    "offset",
    "limit",
    "category",
    "page",
    "province",
    "year",
    "min_price",
    "max_price",
    "price_min",
    "price_max",
    "ocop",
    "organisation",
    "store",
    "call",
    "depth",
    "youth_min",
    # the pages' own (Vietnamese) filter names
    "danh_muc",
    "gia_tu",
    "gia_den",
    "tu",
    "tinh",
    "san_pham",
    "danh_gia",
    "period",
    "lat",
    "lon",
]
MAX_ID = 2**63 - 1


# --- API ---------------------------------------------------------------------------------


def _api_schema():
    from htxso.api import api

    return api.get_openapi_schema(path_prefix="/api/v1")


def _is_integer(schema: dict) -> bool:
    if schema.get("type") == "integer":
        return True
    return any(_is_integer(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _integer_schemas(schema: dict):
    if schema.get("type") == "integer":
        yield schema
    for sub in schema.get("anyOf", []) + schema.get("oneOf", []):
        yield from _integer_schemas(sub)


def _get_operations():
    for path, item in _api_schema()["paths"].items():
        op = item.get("get")
        if op is not None:
            yield path, op


def _api_cases():
    cases = []
    for path, op in _get_operations():
        params = op.get("parameters", [])
        int_names = [p["name"] for p in params if _is_integer(p.get("schema", {}))]
        path_params = [p for p in params if p["in"] == "path"]
        for p in path_params:
            if p["name"] in int_names:
                cases.append((path, "path", p["name"]))
        for name in sorted(
            {p["name"] for p in params if p["in"] == "query" and p["name"] in int_names}
            | set(FILTER_NAMES)
        ):
            cases.append((path, "query", name))
    return cases


def _fill_path(path: str, op: dict, override: dict) -> str:
    def value(match):
        name = match.group(1)
        if name in override:
            return override[name]
        param = next(p for p in op.get("parameters", []) if p["name"] == name)
        return "1" if _is_integer(param.get("schema", {})) else "04"

    return re.sub(r"\{(\w+)\}", value, path)


def test_every_integer_api_parameter_is_bounded():
    """The schema promises the bound (and a client can read it): every integer path or
    query parameter has a maximum no larger than the database's 64-bit integer."""
    unbounded = []
    for path, item in _api_schema()["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                for s in _integer_schemas(p.get("schema", {})):
                    if s.get("maximum", s.get("exclusiveMaximum", 2**64)) > MAX_ID or (
                        "minimum" not in s and "exclusiveMinimum" not in s
                    ):
                        unbounded.append(f"{method.upper()} {path} {p['name']}")
    assert not unbounded, unbounded


#: Every route is tried, split in shards so that no single test runs for minutes (the
#: whole API took 113 s for the VCA on a quiet machine and past the 600 s timeout on a
#: loaded one); shard k takes the cases whose position modulo SHARDS is k.
API_SHARDS = 6
PAGE_SHARDS = 3


@pytest.mark.parametrize("shard", range(API_SHARDS))
@pytest.mark.parametrize("who", ["anon", "vca"])
def test_hostile_integers_on_every_api_get(client, world, who, shard):
    if who != "anon":
        client.force_login(world.users[who])
    ops = dict(_get_operations())
    failures = []
    for path, where, name in _api_cases()[shard::API_SHARDS]:
        op = ops[path]
        for bad in HOSTILE:
            if where == "path":
                url, query = _fill_path(path, op, {name: bad}), {}
            else:
                url, query = _fill_path(path, op, {}), {name: bad}
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"{url}?{query} -> {response.status_code}")
                continue
            if (
                response.status_code >= 400
                and response["Content-Type"].startswith("application/json")
                and "code" not in response.json()
            ):
                failures.append(f"{url}?{query} -> no code")
    assert not failures, failures


# --- pages -------------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns, prefix=""):
    for p in patterns:
        route = getattr(p.pattern, "_route", None)
        if route is None:  # a regex pattern (the admin's): not ours
            continue
        if isinstance(p, URLResolver):
            if route.startswith("api/") or route.startswith("quan-tri/"):
                continue
            yield from _walk(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            yield prefix + route


def _page_routes():
    return sorted(set(_walk(get_resolver().url_patterns)))


def _fill_route(route: str, override: dict) -> str:
    def value(match):
        conv, name = match.group(1) or "str", match.group(2)
        if name in override:
            return override[name]
        return "1" if conv in ("int", "id") else "04"

    return "/" + _PARAM.sub(value, route)


def test_every_integer_path_parameter_uses_the_bounded_converter():
    from htxso.core.converters import IdConverter

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                route = getattr(p.pattern, "_route", "")
                if route.startswith("quan-tri/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                for name, conv in getattr(p.pattern, "converters", {}).items():
                    yield prefix + str(p.pattern), name, conv

    bare = [
        f"{route} <{name}>"
        for route, name, conv in walk(get_resolver().url_patterns)
        if type(conv).__name__ == "IntConverter"
    ]
    assert not bare, f"use <id:…> (htxso.core.converters), not <int:…>: {bare}"
    assert IdConverter().to_url(MAX_ID) == str(MAX_ID)


@pytest.mark.parametrize("shard", range(PAGE_SHARDS))
@pytest.mark.parametrize("who", ["anon", "vca", "officer_a", "manager_a1"])
def test_hostile_integers_on_every_page(client, world, who, shard):
    if who != "anon":
        client.force_login(world.users[who])
    failures = []
    for route in _page_routes()[shard::PAGE_SHARDS]:
        names = [m.group(2) for m in _PARAM.finditer(route) if m.group(1) in ("int", "id")]
        for bad in HOSTILE:
            urls = [_fill_route(route, {n: bad}) for n in names]
            if not _PARAM.search(route) or names:
                base = _fill_route(route, {})
                urls.append(base + "?" + "&".join(f"{f}={bad}" for f in FILTER_NAMES))
            for url in urls:
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"{url} -> {response.status_code}")
    assert not failures, failures


# --- forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 40])
def test_bounded_integer_form_fields(bad):
    from django import forms

    from htxso.core.forms import bounded_integers

    @bounded_integers
    class F(forms.Form):
        n = forms.IntegerField(required=False)
        m = forms.TypedChoiceField(choices=[(1, "1")], coerce=int, required=False)

    form = F({"n": bad, "m": bad})
    assert not form.is_valid()
    assert "n" in form.errors


def test_model_multiple_choice_past_64_bits_is_a_form_error(world):
    from django import forms

    from htxso.core.forms import BoundedModelMultipleChoiceField
    from htxso.registry.models import Organisation

    class F(forms.Form):
        orgs = BoundedModelMultipleChoiceField(Organisation.objects.all())

    form = F({"orgs": [str(world.orgs["a1"].pk), str(2**64)]})
    assert not form.is_valid()
    assert "orgs" in form.errors


def _project_form_classes():
    import importlib
    import pkgutil

    from django import forms

    import htxso

    for info in pkgutil.walk_packages(htxso.__path__, "htxso."):
        name = info.name
        if ".migrations" in name or ".management" in name or name.endswith("__main__"):
            continue
        if name.rsplit(".", 1)[-1].startswith(("forms", "views")):
            importlib.import_module(name)

    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("htxso.")]


def test_every_project_form_bounds_its_integers():
    """An integer form field has a maximum, or its form is ``@bounded_integers``
    (which also covers fields added in ``__init__``); a multiple choice of rows is a
    ``BoundedModelMultipleChoiceField``."""
    from django import forms

    from htxso.core.forms import BoundedModelMultipleChoiceField

    classes = _project_form_classes()
    assert len(classes) > 10
    bad = []
    for cls in classes:
        decorated = any(hasattr(c.__dict__.get("__init__"), "__wrapped__") for c in cls.__mro__)
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(
                field, BoundedModelMultipleChoiceField
            ):
                bad.append(f"{cls.__module__}.{cls.__name__}.{name}")
            if (
                isinstance(field, forms.IntegerField)
                and not isinstance(field, (forms.FloatField, forms.DecimalField))
                and field.max_value is None
                and not decorated
            ):
                bad.append(f"{cls.__module__}.{cls.__name__}.{name}")
        if "__init__" in cls.__dict__ and not decorated:
            # fields added in __init__ cannot be seen here: the source must not add
            # integer fields without the decorator
            import inspect

            source = inspect.getsource(cls.__dict__["__init__"])
            if "IntegerField(" in source and "max_value" not in source:
                bad.append(f"{cls.__module__}.{cls.__name__}.__init__")
    assert not bad, f"decorate with htxso.core.forms.bounded_integers: {bad}"


HOSTILE_POST = [str(2**64), "9" * 40]
_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


@pytest.mark.parametrize("who", ["vca", "manager_a1"])
def test_hostile_integers_in_every_page_form(client, world, who):
    """Every form a page shows, posted back with 2**64 in every field, answers a form
    error (or a redirect), never 500."""
    client.force_login(world.users[who])
    failures = []
    for route in _page_routes():
        names = [m.group(2) for m in _PARAM.finditer(route) if m.group(1) in ("int", "id")]
        if _PARAM.search(route) and not names:
            continue
        url = _fill_route(route, {})
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        html = page.content.decode()
        if 'method="post"' not in html.lower():
            continue
        fields = sorted(set(_FIELD.findall(html)) - {"csrfmiddlewaretoken"})
        for bad in HOSTILE_POST:
            response = client.post(url, dict.fromkeys(fields, bad))
            if response.status_code >= 500:
                failures.append(f"POST {url} {fields} -> {response.status_code}")
    assert not failures, failures


def test_an_overflow_that_escapes_the_types_is_a_400_with_a_code(client, monkeypatch):
    from htxso.market import selectors

    def overflow():
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(selectors, "public_stores", overflow)
    response = client.get("/api/v1/market/stores")
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range"
