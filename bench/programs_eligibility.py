"""Eligibility of a national call at national scale: throughput, ratio to reading the rows.

Every computed criterion of a national call (youth share, profit over the last year and
over two years, value-chain links, OCOP, classification grade, time in operation, kind,
sector) is evaluated for every generated cooperative through
``registry.rules.batch.evaluate_many`` (batched facts + rule functions), alternating
(ABBA) with a raw ``cursor.execute`` + ``fetchall`` of exactly the SQL the facts loader
runs (the same registry rows, no Python work).  Limits: the evaluation issues a fixed
number of queries (≤ 6) and takes ≤ 6× the time to read its rows; throughput
(cooperatives per second) is recorded.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from types import SimpleNamespace
from typing import Any

from .harness import Context, Result, format_table
from .registry_generate import MARK, ensure_generated

NAME = "programs_eligibility"
MAX_RATIO = 6.0
MAX_QUERIES = 6

CRITERIA = [
    ("youth_share", {"threshold": 40}),
    ("finance", {"field": "profit", "years": 1, "mode": "positive"}),
    ("finance", {"field": "revenue", "years": 2, "mode": "growing"}),
    ("value_chain", {"min_links": 1}),
    ("ocop", {"min_stars": 3}),
    ("grade", {"at_least": "fair"}),
    ("operating_months", {"min_months": 24}),
    ("org_kind", {"kinds": ["cooperative"]}),
    ("sector", {"sectors": ["agriculture", "forestry", "fishery"]}),
]


def run(ctx: Context) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.registry.models import Organisation
    from htxso.registry.rules.batch import evaluate_many
    from htxso.registry.rules.facts import fact_querysets, needs_for

    generated = ensure_generated(ctx)
    criteria = [SimpleNamespace(kind=k, params=p) for k, p in CRITERIA]
    coops = Organisation.objects.filter(description=MARK, kind="cooperative")
    on = dt.date(2026, 4, 4)
    statements = [
        qs.query.get_compiler(connection=connection).as_sql()
        for qs in fact_querysets(coops, needs_for(k for k, _p in CRITERIA)).values()
    ]

    def evaluate():
        return evaluate_many(criteria, coops, on)

    def raw():
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    with CaptureQueriesContext(connection) as captured:
        result, _facts = evaluate()
    raw_rows = raw()
    rounds = 2 if ctx.quick else 6
    times: dict[str, list[float]] = {"evaluate": [], "raw": []}
    gc.collect()
    for i in range(rounds):
        pair = [("evaluate", evaluate), ("raw", raw)]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    median = statistics.median(times["evaluate"])
    raw_median = statistics.median(times["raw"])
    ratio = round(median / raw_median, 3) if raw_median else 0.0
    throughput = round(result.evaluated / median) if median else 0
    eligible = sum(1 for ok in result.eligible.values() if ok)
    no_data = sum(1 for ok in result.eligible.values() if ok is None)
    queries = len(captured.captured_queries)
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"ratio {ratio:.2f} > {MAX_RATIO}")
    if queries > MAX_QUERIES:
        failures.append(f"{queries} queries > {MAX_QUERIES}")
    if result.evaluated != generated["counts"]["cooperatives"]:
        failures.append(f"evaluated {result.evaluated} != {generated['counts']['cooperatives']}")
    verdicts: dict[str, dict[str, int]] = {}
    for (index, verdict), n in sorted(result.verdicts.items()):
        kind, _params = CRITERIA[index]
        verdicts.setdefault(f"{index}:{kind}", {})[verdict] = n
    ctx.print(
        f"{len(CRITERIA)} criteria × {result.evaluated} cooperatives at scale "
        f"{generated['scale']!r}; limits: ≤ {MAX_QUERIES} queries, ≤ {MAX_RATIO}× the raw read"
    )
    ctx.print(
        format_table(
            ["cooperatives", "rows read", "queries", "eval ms", "raw read ms", "ratio", "coops/s",
             "eligible", "not enough data", "result"],
            [[
                result.evaluated, raw_rows, queries, round(median * 1000, 1),
                round(raw_median * 1000, 1), f"{ratio:.2f}", throughput, eligible, no_data,
                "pass" if not failures else "FAIL: " + "; ".join(failures),
            ]],
        )
    )  # fmt: skip
    if ctx.verbose:
        for key, counts in verdicts.items():
            ctx.print(f"  {key}: {counts}")
    data: dict[str, Any] = {
        "scale": generated["scale"],
        "cooperatives": result.evaluated,
        "criteria": len(CRITERIA),
        "rows_read": raw_rows,
        "queries": queries,
        "median_ms": round(median * 1000, 3),
        "raw_median_ms": round(raw_median * 1000, 3),
        "ratio": ratio,
        "limit_ratio": MAX_RATIO,
        "throughput_per_s": throughput,
        "eligible": eligible,
        "not_enough_data": no_data,
        "verdicts": verdicts,
        "failures": failures,
    }
    return Result(NAME, not failures, data)
