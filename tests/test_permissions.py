"""The permission test lives in tests/permissions/: it compares every route and API
operation × every user key with the FIXED tables pages.tsv and api.tsv (written from
ARCHITECTURE.md's "Who sees what", never derived from the code under test), checks that
refused POSTs answer 403/404 and change nothing, and that lists do not leak across
provinces and organisations.

What stays here: every view and operation still declares who may open it (the
declaration is enforced by the view; whether it is RIGHT is the table's business).
"""

from __future__ import annotations

from tests.permissions.world import api_operations, project_urls


def test_every_view_declares_access():
    problems = []
    for route, name, pattern in project_urls():
        if getattr(pattern.callback, "htxso_access", None) is None:
            problems.append(f"{name or route}: view does not declare access")
    assert not problems, "\n".join(problems)


def test_every_api_operation_declares_access():
    problems = [
        f"{method} {path}: no x-htxso-access (use core.api.route)"
        for path, method, op in api_operations()
        if "x-htxso-access" not in op
    ]
    assert not problems, "\n".join(problems)
