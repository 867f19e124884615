"""The tables cover exactly the project's routes and API operations, and every route
that needs arguments has a sample."""

from __future__ import annotations

from . import samples
from .table import read_api, read_lists, read_pages
from .world import api_operations, project_urls


def test_every_route_has_a_row_and_every_row_a_route():
    table = read_pages()
    problems = []
    names = set()
    for route, name, _pattern in project_urls():
        if not name:
            problems.append(f"{route}: URL pattern without a name (the table is by name)")
            continue
        names.add(name)
        if name not in table:
            problems.append(f"{name} ({route}): no row in tests/permissions/pages.tsv")
    for name in sorted(set(table) - names):
        problems.append(f"{name}: row of pages.tsv names a route that no longer exists")
    assert not problems, "\n".join(problems)


def test_every_api_operation_has_a_row_and_every_row_an_operation():
    table = read_api()
    problems = []
    operations = {f"{method} {path}" for path, method, _op in api_operations()}
    for operation in sorted(operations - set(table)):
        problems.append(f"{operation}: no row in tests/permissions/api.tsv")
    for operation in sorted(set(table) - operations):
        problems.append(f"{operation}: row of api.tsv names an operation that no longer exists")
    assert not problems, "\n".join(problems)


def test_every_list_row_is_a_route_or_an_operation():
    pages, api = read_pages(), read_api()
    unknown = [name for name in read_lists() if name not in pages and name not in api]
    assert not unknown, f"lists.tsv rows without a route/operation: {unknown}"


def test_samples_are_unique():
    assert not samples.DUPLICATES, "\n".join(samples.DUPLICATES)
