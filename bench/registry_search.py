"""Registry search at national scale: selector p95 ≤ 2× the equivalent raw SQL, same run.

For the VCA (national view) and a provincial officer (Nghệ An), a few realistic
searches and filters ("ca phe", "hop tac xa nong nghiep", a tax code, a province + kind
filter) go through ``selectors.organisation_list(user=…, q=…, province=…, kind=…)``
evaluated for its first page of 25, alternating (ABBA) with a raw ``cursor.execute`` of
the same WHERE (scope, words, province, kind), ORDER BY and LIMIT with the list's columns
and joins.  The limit is on the p95 ratio; query counts of the selector are recorded.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from .harness import Context, Result, format_table, percentile
from .registry_generate import MARK, ensure_generated

NAME = "registry_search"
MAX_RATIO = 2.0
PAGE = 25
USERS = [("VCA (national)", "vca.admin"), ("provincial officer 40", "lm.nghean")]


def _queries() -> list[tuple[str, str, str, str]]:
    from htxso.registry.models import Organisation

    tax = (
        Organisation.objects.filter(description=MARK, kind="cooperative", province_id="40")
        .exclude(tax_code=None)
        .order_by("id")
        .values_list("tax_code", flat=True)
        .first()
    )
    return [
        ("q='ca phe'", "ca phe", "", ""),
        ("q='hop tac xa nong nghiep'", "hop tac xa nong nghiep", "", ""),
        ("q=<tax code>", tax or "0000000000", "", ""),
        ("province=40, kind=cooperative", "", "40", "cooperative"),
        ("q='nong nghiep', province=40", "nong nghiep", "40", ""),
    ]


def _raw_sql(user, q: str, province: str, kind: str, ordering: list[str]):
    from htxso.core.scoping import get_scope
    from htxso.core.text import fold

    where, params = [], []
    scope = get_scope(user)
    if not scope.national_view:
        provinces = sorted(scope.view_provinces)
        orgs = sorted(scope.view_organisations | scope.member_organisations)
        parts = []
        if provinces:
            parts.append(f"o.province_id IN ({', '.join(['%s'] * len(provinces))})")
            params += provinces
        if orgs:
            parts.append(f"o.id IN ({', '.join(['%s'] * len(orgs))})")
            params += orgs
        where.append("(" + " OR ".join(parts or ["1 = 0"]) + ")")
    for word in fold(q).split():
        where.append("o.search_text LIKE %s")
        params.append(f"%{word}%")
    if province:
        where.append("o.province_id = %s")
        params.append(province)
    if kind:
        where.append("o.kind = %s")
        params.append(kind)
    order = ", ".join(
        f"o.{name.lstrip('-')}{'_id' if name.lstrip('-') == 'province' else ''}"
        + (" DESC" if name.startswith("-") else "")
        for name in ordering
    )
    sql = (
        "SELECT o.id, o.kind, o.name, o.tax_code, o.status, o.province_id, o.ward_id,"
        " o.address, o.sector, p.name, w.name FROM registry_organisation o"
        " JOIN geo_province p ON p.code = o.province_id"
        " LEFT JOIN geo_ward w ON w.code = o.ward_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order} LIMIT {PAGE}"
    )
    return sql, params


def measure(ctx: Context, label: str, user, q: str, province: str, kind: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.registry import selectors

    def page():
        return list(
            selectors.organisation_list(user=user, q=q, province=province, kind=kind)[:PAGE]
        )

    qs = selectors.organisation_list(user=user, q=q, province=province, kind=kind)
    ordering = list(qs.query.order_by or qs.model._meta.ordering)
    sql, params = _raw_sql(user, q, province, kind, ordering)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    with CaptureQueriesContext(connection) as captured:
        rows = page()
    raw_rows = raw()
    n = max(10, ctx.requests // 10)
    for _ in range(ctx.warmup):
        page()
        raw()
    times: dict[str, list[float]] = {"selector": [], "raw": []}
    gc.collect()
    for i in range(n):
        pair = [("selector", page), ("raw", raw)]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    p95 = percentile(times["selector"], 95) * 1000
    raw_p95 = percentile(times["raw"], 95) * 1000
    ratio = round(p95 / raw_p95, 3) if raw_p95 else 0.0
    # Equal names may tie in the order: compare as sets (recorded, for information).
    same = {o.pk for o in rows} == {r[0] for r in raw_rows}
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"p95 ratio {ratio:.2f} > {MAX_RATIO}")
    return {
        "user": label,
        "search": q,
        "province": province,
        "kind": kind,
        "rows": len(rows),
        "same_rows": same,
        "queries": len(captured.captured_queries),
        "samples": n,
        "p95_ms": round(p95, 3),
        "raw_p95_ms": round(raw_p95, 3),
        "ratio": ratio,
        "passed": not failures,
        "failures": failures,
        "raw_sql": sql,
        "sql": [c["sql"] for c in captured.captured_queries],
    }


def run(ctx: Context) -> Result:
    from django.contrib.auth import get_user_model

    facts = ensure_generated(ctx)
    rows = []
    for label, username in USERS:
        user = get_user_model().objects.get(username=username)
        for qlabel, q, province, kind in _queries():
            row = measure(ctx, label, user, q, province, kind)
            row["label"] = qlabel
            rows.append(row)
    ctx.print(
        f"organisation_list (first {PAGE}) vs raw SQL at scale {facts['scale']!r} "
        f"({facts['counts']['cooperatives']} cooperatives, {facts['counts']['groups']} groups); "
        f"limit: p95 ≤ {MAX_RATIO}× raw"
    )
    ctx.print(
        format_table(
            ["user", "query", "rows", "queries", "p95 ms", "raw p95 ms", "ratio", "result"],
            [
                [
                    r["user"],
                    r["label"],
                    r["rows"],
                    r["queries"],
                    r["p95_ms"],
                    r["raw_p95_ms"],
                    f"{r['ratio']:.3f}",
                    "pass" if r["passed"] else "FAIL: " + "; ".join(r["failures"]),
                ]
                for r in rows
            ],
        )
    )
    if ctx.verbose:
        for r in rows:
            ctx.print(f"\n{r['user']} {r['label']}:\n  raw: {r['raw_sql']}\n  orm: {r['sql']}")
    return Result(
        NAME,
        all(r["passed"] for r in rows),
        {
            "scale": facts["scale"],
            "counts": facts["counts"],
            "limit_ratio": MAX_RATIO,
            "rows": rows,
        },
    )
