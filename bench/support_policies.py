"""Support policies × cooperatives (the eligibility map): throughput, ratio to reading rows.

50 published policies (national and provincial, 1–4 criteria each in the programme calls'
rule language) are matched to every cooperative through
``support.policies.selectors.evaluate_map`` (facts loaded in bulk, each distinct criterion
evaluated once per cooperative, verdict counts per province and policy), alternating
(ABBA) with a raw ``cursor.execute`` + ``fetchall`` of exactly the SQL the facts loader
runs (the same registry rows, no Python work).  Limits: a fixed number of queries
(≤ 6, whatever the number of cooperatives) and ≤ 25× the time to read the rows; the
throughput (cooperatives and policy checks per second) is recorded.

Scale: the registry data set of ``registry_generate`` (``--quick``: 1,700 cooperatives;
``make bench``: 34,000), or ``BENCH_POLICIES_COOPS=N`` for a small set of N generated
cooperatives of its own (the CI smoke test uses 300), made with the ORM and reused.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import time
from typing import Any

from .harness import Context, Result, format_table

NAME = "support_policies"
MAX_RATIO = 25.0
MAX_QUERIES = 6
POLICIES = 50
SMALL_MARK = "bench-support-policies"
ON = dt.date(2026, 4, 4)

#: the criteria pool the generated policies draw from (kind, params)
POOL: list[tuple[str, dict]] = [
    ("operating_months", {"min_months": 12}),
    ("operating_months", {"min_months": 24}),
    ("finance", {"field": "profit", "years": 1, "mode": "positive"}),
    ("finance", {"field": "revenue", "years": 2, "mode": "growing"}),
    ("youth_share", {"threshold": 40.0}),
    ("youth_share", {"threshold": 30.0}),
    ("value_chain", {"min_links": 1}),
    ("ocop", {"min_stars": 3}),
    ("grade", {"at_least": "fair"}),
    ("org_kind", {"kinds": ["cooperative", "union"]}),
    ("sector", {"sectors": ["agriculture", "forestry", "fishery"]}),
    ("sector", {"sectors": ["industry", "trade"]}),
]


def _small_set(n: int) -> Any:
    """``n`` cooperatives of our own (with annual reports), created once."""
    from htxso.geo.models import Province
    from htxso.registry.models import AnnualReport, Organisation

    qs = Organisation.objects.filter(description=SMALL_MARK, kind="cooperative")
    have = qs.count()
    rng = random.Random(20260404 + have)
    if have < n:
        provinces = list(Province.objects.values_list("pk", flat=True))
        sectors = ["agriculture", "forestry", "fishery", "industry", "trade", "tourism", ""]
        orgs = [
            Organisation(
                kind="cooperative",
                name=f"HTX Đo Chính Sách {i:05d}",
                tax_code=f"9{i:09d}",
                province_id=rng.choice(provinces),
                description=SMALL_MARK,
                status="active",
                sector=rng.choice(sectors),
                established_on=dt.date(rng.randint(2005, 2025), rng.randint(1, 12), 1),
            )
            for i in range(have, n)
        ]
        Organisation.objects.bulk_create(orgs, batch_size=500)
    reports = []
    for o in qs.filter(annual_reports__isnull=True):
        for year in (2024, 2025):
            if rng.random() < 0.9:
                total = rng.randint(3, 40)
                reports.append(
                    AnnualReport(
                        organisation=o,
                        year=year,
                        status="accepted",
                        revenue=rng.randint(100, 5_000) * 1_000_000,
                        profit=rng.randint(-200, 800) * 1_000_000,
                        workers_total=total,
                        workers_youth=rng.randint(0, total),
                    )
                )
    AnnualReport.objects.bulk_create(reports, batch_size=1000)
    return qs.order_by("pk").filter(pk__in=qs.order_by("pk").values("pk")[:n])


def _policies() -> list[Any]:
    """50 published policies (marked ``bench-NN``), made once, criteria checked."""
    from htxso.geo.models import Province
    from htxso.support.policies.models import SupportPolicy
    from htxso.support.policies.services import clean_criteria

    existing = list(SupportPolicy.objects.filter(demo_key__startswith="bench-").order_by("pk"))
    if len(existing) >= POLICIES:
        return existing[:POLICIES]
    rng = random.Random(50)
    provinces = list(Province.objects.values_list("pk", flat=True))
    made = []
    for i in range(len(existing), POLICIES):
        picked = rng.sample(POOL, rng.randint(1, 4))
        criteria = clean_criteria(
            [{"kind": k, "label": f"{k} {j}", "params": p} for j, (k, p) in enumerate(picked)]
        )
        provincial = i % 3 == 2
        policy = SupportPolicy(
            name=f"Chính sách đo hiệu năng {i:02d}",
            level="provincial" if provincial else "national",
            province_id=rng.choice(provinces) if provincial else None,
            legal_number=f"{i}/2026/BENCH",
            benefit="Hỗ trợ (dữ liệu đo hiệu năng).",
            status="published",
            criteria=criteria,
            demo_key=f"bench-{i:02d}",
        )
        policy.refresh_derived()
        made.append(policy)
    SupportPolicy.objects.bulk_create(made)
    return list(SupportPolicy.objects.filter(demo_key__startswith="bench-").order_by("pk"))


def run(ctx: Context) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.registry.models import Organisation
    from htxso.registry.rules.facts import fact_querysets, needs_for
    from htxso.support.policies.selectors import _kinds, evaluate_map

    small = int(os.environ.get("BENCH_POLICIES_COOPS") or 0)
    if small:
        coops = _small_set(min(small, 100_000))
        scale = f"coops={small}"
    else:
        from .registry_generate import MARK, ensure_generated

        generated = ensure_generated(ctx)
        coops = Organisation.objects.filter(description=MARK, kind="cooperative")
        scale = generated["scale"]
    policies = _policies()
    statements = [
        qs.query.get_compiler(connection=connection).as_sql()
        for qs in fact_querysets(coops, needs_for(_kinds(policies))).values()
    ]

    def evaluate():
        return evaluate_map(policies, coops, ON)

    def raw():
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    with CaptureQueriesContext(connection) as captured:
        result = evaluate()
    raw_rows = raw()
    rounds = 2 if ctx.quick or small else 6
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
    checks = sum(sum(c.values()) for by in result.counts.values() for c in by.values())
    totals: dict[str, int] = {"eligible": 0, "not_eligible": 0, "cannot_check": 0}
    for policy in policies:
        for verdict, n in result.totals(policy.pk).items():
            totals[verdict] += n
    queries = len(captured.captured_queries)
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"ratio {ratio:.2f} > {MAX_RATIO}")
    if queries > MAX_QUERIES:
        failures.append(f"{queries} queries > {MAX_QUERIES}")
    if len(policies) != POLICIES:
        failures.append(f"{len(policies)} policies != {POLICIES}")
    coops_per_s = round(result.organisations / median) if median else 0
    checks_per_s = round(checks / median) if median else 0
    ctx.print(
        f"{len(policies)} policies × {result.organisations} cooperatives at scale {scale!r}; "
        f"limits: ≤ {MAX_QUERIES} queries, ≤ {MAX_RATIO}× the raw read"
    )
    ctx.print(
        format_table(
            ["cooperatives", "policy checks", "rows read", "queries", "eval ms", "raw read ms",
             "ratio", "coops/s", "checks/s", "eligible", "not eligible", "cannot check",
             "result"],
            [[
                result.organisations, checks, raw_rows, queries, round(median * 1000, 1),
                round(raw_median * 1000, 1), f"{ratio:.2f}", coops_per_s, checks_per_s,
                totals["eligible"], totals["not_eligible"], totals["cannot_check"],
                "pass" if not failures else "FAIL: " + "; ".join(failures),
            ]],
        )
    )  # fmt: skip
    data: dict[str, Any] = {
        "scale": scale,
        "cooperatives": result.organisations,
        "policies": len(policies),
        "policy_checks": checks,
        "rows_read": raw_rows,
        "queries": queries,
        "median_ms": round(median * 1000, 3),
        "raw_median_ms": round(raw_median * 1000, 3),
        "ratio": ratio,
        "limit_ratio": MAX_RATIO,
        "cooperatives_per_s": coops_per_s,
        "checks_per_s": checks_per_s,
        "verdicts": totals,
        "failures": failures,
    }
    return Result(NAME, not failures, data)
