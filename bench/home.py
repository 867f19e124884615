"""Each role's home page: at most 10 queries, median server time ≤ 3× the baseline view.

For every demo account below (one per role, plus a two-role account and anonymous) the
home page ``/`` and the baseline view are requested alternately by the same client;
the ratio is the page's median over the baseline's median for that same client, so
both carry the same session, user and middleware costs.  Queries are counted on the
first request (cold) and on one after the timed run (warm); the limit applies to the
larger count.
"""

from __future__ import annotations

import re
from typing import Any

from .harness import Context, Result, capture_queries, format_table, time_interleaved

NAME = "home"
PAGE = "/"
MAX_QUERIES = 10
MAX_RATIO = 3.0

#: (role, demo account); ``None`` is an anonymous visitor.
ACCOUNTS: list[tuple[str, str | None]] = [
    ("anonymous", None),
    ("VCA administrator", "vca.admin"),
    ("provincial alliance officer", "lm.caobang"),
    ("provincial department viewer", "so.caobang"),
    ("cooperative manager", "ql.caobang"),
    ("cooperative member", "tv.caobang"),
    ("trainer", "giangvien"),
    ("buyer", "nguoimua"),
    ("manager + buyer", "ql.daklak"),
]


def measure(ctx: Context, role: str, username: str | None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from .urls import BASELINE_PATH

    client = Client()
    if username is not None:
        user = get_user_model().objects.get(username=username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    try:
        first = capture_queries(client, PAGE)
        page, baseline = time_interleaved(
            client, [PAGE, BASELINE_PATH], n=ctx.requests, warmup=ctx.warmup
        )
        warm = capture_queries(client, PAGE)
        baseline_queries = capture_queries(client, BASELINE_PATH)
    finally:
        client.logout()

    worst = max(first, warm, key=lambda q: q.count)
    ratio = round(page.median_ms / baseline.median_ms, 3)
    cpu_ratio = round(page.cpu_median_ms / baseline.cpu_median_ms, 3)
    failures = []
    if worst.count > MAX_QUERIES:
        failures.append(f"{worst.count} queries > {MAX_QUERIES}")
    if ratio > MAX_RATIO:
        failures.append(f"ratio {ratio:.3f} > {MAX_RATIO:.1f}")
    for label, statuses in (
        ("page", {**page.bad_statuses(), **_bad(first), **_bad(warm)}),
        ("baseline", {**baseline.bad_statuses(), **_bad(baseline_queries)}),
    ):
        if statuses:
            failures.append(f"{label} answered {statuses}")
    return {
        "role": role,
        "account": username or "anonymous",
        "queries": worst.count,
        "queries_first": first.count,
        "queries_warm": warm.count,
        "baseline_queries": baseline_queries.count,
        "median_ms": round(page.median_ms, 3),
        "p95_ms": round(page.p95_ms, 3),
        "baseline_median_ms": round(baseline.median_ms, 3),
        "baseline_p95_ms": round(baseline.p95_ms, 3),
        "ratio": ratio,
        "cpu_median_ms": round(page.cpu_median_ms, 3),
        "baseline_cpu_median_ms": round(baseline.cpu_median_ms, 3),
        "cpu_ratio": cpu_ratio,
        "statuses": {str(k): v for k, v in sorted(page.statuses.items())},
        "passed": not failures,
        "failures": failures,
        "sql": worst.sql,
        "baseline_sql": baseline_queries.sql,
    }


def _bad(queries) -> dict[int, int]:
    return {} if queries.status == 200 else {queries.status: 1}


def run(ctx: Context) -> Result:
    rows = []
    for role, username in ACCOUNTS:
        rows.append(measure(ctx, role, username))
    ctx.print(
        f"home page {PAGE!r} vs baseline, {ctx.requests} timed requests each, "
        f"limits: ≤ {MAX_QUERIES} queries, median ≤ {MAX_RATIO:.1f}× baseline "
        "(cpu ratio: the same on this thread's CPU time, for information)"
    )
    ctx.print(
        format_table(
            [
                "role",
                "account",
                "queries",
                "median ms",
                "p95 ms",
                "base ms",
                "ratio",
                "cpu ratio",
                "result",
            ],
            [
                [
                    r["role"],
                    r["account"],
                    r["queries"],
                    r["median_ms"],
                    r["p95_ms"],
                    r["baseline_median_ms"],
                    f"{r['ratio']:.3f}",
                    f"{r['cpu_ratio']:.3f}",
                    "pass" if r["passed"] else "FAIL: " + "; ".join(r["failures"]),
                ]
                for r in rows
            ],
        )
    )
    for r in rows:
        if ctx.verbose or r["queries"] > MAX_QUERIES:
            _print_sql(ctx, r)
    if not ctx.verbose and any(not r["passed"] for r in rows):
        ctx.print("(--verbose prints the SQL of every role's page)")
    return Result(
        name=NAME,
        passed=all(r["passed"] for r in rows),
        data={
            "page": PAGE,
            "limits": {"max_queries": MAX_QUERIES, "max_ratio": MAX_RATIO},
            "requests": ctx.requests,
            "roles": rows,
        },
    )


def _print_sql(ctx: Context, row: dict[str, Any]) -> None:
    ctx.print(
        f"\n{row['account']} ({row['role']}): {row['queries']} queries on {PAGE} "
        f"(first request {row['queries_first']}, warm {row['queries_warm']}; "
        f"the baseline view runs {row['baseline_queries']})"
    )
    baseline = {_shape(sql) for sql in row["baseline_sql"]}
    for i, sql in enumerate(row["sql"], 1):
        mark = "  [also in baseline]" if _shape(sql) in baseline else ""
        ctx.print(f"  {i:2}. {sql}{mark}")


def _shape(sql: str) -> str:
    """The SQL with its literals blanked, to match the same query run at another time."""
    return re.sub(r"\b\d+\b", "?", re.sub(r"'[^']*'", "?", sql))
