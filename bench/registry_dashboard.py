"""The national registry dashboard at national scale: time and queries, cold and cached.

``htxso.registry.stats.dashboard(user=VCA, province=None, year=…, use_cache=…)`` is timed
cold (``use_cache=False``: every figure computed) and cached (``use_cache=True`` after a
first call), alternating, beside a baseline of one raw aggregate over the year's annual
reports (``cursor.execute``) in the same run.  Limits: cold ≤ 30 queries, cached ≤ 3
queries, cached median ≤ 0.2× cold median.  The cold/baseline ratio is recorded.
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Any

from .harness import Context, Result, format_table, percentile
from .registry_generate import LATEST_YEAR, ensure_generated

NAME = "registry_dashboard"
MAX_COLD_QUERIES = 30
MAX_CACHED_QUERIES = 3
MAX_CACHED_SHARE = 0.2
BASELINE_SQL = (
    "SELECT o.province_id, o.kind, COUNT(*), SUM(r.revenue), SUM(r.workers_total),"
    " SUM(CASE WHEN r.operating_effectively THEN 1 ELSE 0 END)"
    " FROM registry_annualreport r JOIN registry_organisation o ON o.id = r.organisation_id"
    " WHERE r.year = %s GROUP BY o.province_id, o.kind"
)


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def run(ctx: Context) -> Result:
    try:
        from htxso.registry import stats
    except ImportError:
        stats = None
    if stats is None or not hasattr(stats, "dashboard"):
        ctx.print("registry_dashboard: skipped, htxso.registry.stats.dashboard does not exist yet")
        return Result(NAME, True, {"skipped": "htxso.registry.stats.dashboard missing"})
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    facts = ensure_generated(ctx)
    user = get_user_model().objects.get(username="vca.admin")

    def cold():
        return stats.dashboard(user=user, province=None, year=LATEST_YEAR, use_cache=False)

    def cached():
        return stats.dashboard(user=user, province=None, year=LATEST_YEAR, use_cache=True)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [LATEST_YEAR])
            return cursor.fetchall()

    cache.clear()
    with CaptureQueriesContext(connection) as cold_q:
        first = cold()
    cached()  # fills the cache
    with CaptureQueriesContext(connection) as cached_q:
        cached()
    n = 3 if ctx.quick else 7
    times: dict[str, list[float]] = {"cold": [], "cached": [], "baseline": []}
    gc.collect()
    for i in range(n):
        order = [("cold", cold), ("baseline", baseline), ("cached", cached)]
        for name, fn in order if i % 2 == 0 else reversed(order):
            times[name] += _timed(fn, 1 if name != "cached" else 10)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    p95 = {k: percentile(v, 95) * 1000 for k, v in times.items()}
    failures = []
    if len(cold_q.captured_queries) > MAX_COLD_QUERIES:
        failures.append(f"cold: {len(cold_q.captured_queries)} queries > {MAX_COLD_QUERIES}")
    if len(cached_q.captured_queries) > MAX_CACHED_QUERIES:
        failures.append(f"cached: {len(cached_q.captured_queries)} queries > {MAX_CACHED_QUERIES}")
    if med["cached"] > MAX_CACHED_SHARE * med["cold"]:
        failures.append(f"cached median > {MAX_CACHED_SHARE}× cold")
    rows: list[dict[str, Any]] = [
        {"case": name, "median_ms": round(med[name], 2), "p95_ms": round(p95[name], 2)}
        for name in ("cold", "cached", "baseline")
    ]
    rows[0]["queries"] = len(cold_q.captured_queries)
    rows[1]["queries"] = len(cached_q.captured_queries)
    rows[2]["queries"] = 1
    ratio = round(med["cold"] / med["baseline"], 2) if med["baseline"] else 0.0
    ctx.print(
        f"national dashboard, year {LATEST_YEAR}, scale {facts['scale']!r} "
        f"({facts['counts']['annual_reports']} generated reports); limits: cold ≤ "
        f"{MAX_COLD_QUERIES} queries, cached ≤ {MAX_CACHED_QUERIES}, cached ≤ "
        f"{MAX_CACHED_SHARE}× cold; cold / raw aggregate = {ratio}"
    )
    ctx.print(
        format_table(
            ["case", "queries", "median ms", "p95 ms"],
            [[r["case"], r["queries"], r["median_ms"], r["p95_ms"]] for r in rows],
        )
    )
    if failures:
        ctx.print("FAIL: " + "; ".join(failures))
    if ctx.verbose:
        for sql in cold_q.captured_queries:
            ctx.print("  " + sql["sql"])
    return Result(
        NAME,
        not failures,
        {
            "scale": facts["scale"],
            "counts": facts["counts"],
            "year": LATEST_YEAR,
            "limits": {
                "max_cold_queries": MAX_COLD_QUERIES,
                "max_cached_queries": MAX_CACHED_QUERIES,
                "max_cached_share": MAX_CACHED_SHARE,
            },
            "cases": rows,
            "cold_over_baseline": ratio,
            "provinces_in_board": len(getattr(first, "provinces", []) or []),
            "failures": failures,
            "cold_sql": [q["sql"] for q in cold_q.captured_queries],
        },
    )
