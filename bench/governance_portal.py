"""Governance: the member portal and the manager's home — ≤ 3× a bare view, fixed queries.

For the demo member ``tv.caobang`` (the member portal ``/quan-tri-htx/thanh-vien/``) and
the demo manager ``ql.caobang`` (the governance home ``/quan-tri-htx/``), each page and
the baseline view are requested alternately by the same client (as ``bench/home.py``);
the ratio is the page's median over the baseline's median.  Queries are counted on the
first request and on one after the timed run.

Then, inside a transaction rolled back at the end, the cooperative grows — ``GROW``
more members, disclosures and questions (``QUICK_GROW`` with ``--quick``) — and the
queries are counted again: the count must not change (a fixed query count, whatever the
size of the cooperative).

Both pages are kept in the cache per member (per cooperative) until something they show
changes (``selectors_portal.PORTAL``): the timed run measures what a member reloading
the page gets; the "cold" median (the cache forgotten before each request) is printed
for information — what the first visit after a change costs; "cold/base paired" is the
same cold page timed alternately with the baseline (each forgotten request followed by a
baseline one), a ratio the machine's changing load moves less.

Limits: median ≤ ``MAX_RATIO`` × the baseline, queries ≤ ``MAX_QUERIES`` (counted on the
first, uncached request), the same count after the growth.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .harness import Context, Result, capture_queries, format_table, time_interleaved

NAME = "governance_portal"
MAX_RATIO = 3.0
MAX_QUERIES = 30
GROW, QUICK_GROW = 500, 60

#: (page, path, demo account)
PAGES: list[tuple[str, str, str]] = [
    ("member portal", "/quan-tri-htx/thanh-vien/", "tv.caobang"),
    ("manager's governance home", "/quan-tri-htx/", "ql.caobang"),
]


class _Rollback(Exception):
    pass


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure(ctx: Context, label: str, path: str, username: str) -> dict[str, Any]:
    from .urls import BASELINE_PATH

    client = _client(username)
    first = capture_queries(client, path)
    page, baseline = time_interleaved(
        client, [path, BASELINE_PATH], n=ctx.requests, warmup=ctx.warmup
    )
    warm = capture_queries(client, path)
    cold = _cold_median_ms(client, path, n=max(5, ctx.requests // 3))
    cold_pair = _cold_interleaved(client, path, n=max(5, ctx.requests // 3))
    worst = max(first, warm, key=lambda q: q.count)
    ratio = round(page.median_ms / baseline.median_ms, 3)
    failures = []
    if worst.count > MAX_QUERIES:
        failures.append(f"{worst.count} queries > {MAX_QUERIES}")
    if ratio > MAX_RATIO:
        failures.append(f"ratio {ratio:.3f} > {MAX_RATIO:.1f}")
    bad = {**page.bad_statuses(), **baseline.bad_statuses()}
    if first.status != 200 or warm.status != 200:
        bad[first.status if first.status != 200 else warm.status] = 1
    if bad:
        failures.append(f"answered {bad}")
    return {
        "page": label,
        "path": path,
        "account": username,
        "queries": worst.count,
        "queries_first": first.count,
        "queries_warm": warm.count,
        "median_ms": round(page.median_ms, 3),
        "p95_ms": round(page.p95_ms, 3),
        "baseline_median_ms": round(baseline.median_ms, 3),
        "ratio": ratio,
        "cold_median_ms": round(cold, 3),
        "cold_ratio": round(cold / baseline.median_ms, 3),
        "cold_interleaved_median_ms": round(cold_pair[0], 3),
        "cold_interleaved_baseline_ms": round(cold_pair[1], 3),
        "cold_interleaved_ratio": round(cold_pair[0] / cold_pair[1], 3),
        "passed": not failures,
        "failures": failures,
        "sql": worst.sql,
    }


def _cold_median_ms(client, path: str, *, n: int) -> float:
    """The page's median with its cache forgotten before every request (for
    information: what the first visit after a change costs)."""
    import statistics
    import time

    from htxso.governance.selectors_portal import PORTAL

    times = []
    for _ in range(n):
        PORTAL.forget()
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _cold_interleaved(client, path: str, *, n: int) -> tuple[float, float]:
    """(the cold page's median, the baseline's median) with each cold request followed
    by a baseline request (for information: the same "cold" as :func:`_cold_median_ms`,
    but its ratio is not moved by the load of the machine changing between the timed
    run and the cold one)."""
    import statistics
    import time

    from htxso.governance.selectors_portal import PORTAL

    from .urls import BASELINE_PATH

    page, base = [], []
    for _ in range(n):
        PORTAL.forget()
        started = time.perf_counter()
        client.get(path)
        page.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        client.get(BASELINE_PATH)
        base.append((time.perf_counter() - started) * 1000)
    return statistics.median(page), statistics.median(base)


def _grow(n: int) -> dict[str, int]:
    """``n`` more members, disclosures and questions in the member's cooperative."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from htxso.governance.models import Disclosure, Question
    from htxso.registry.models import Membership, Person

    member = get_user_model().objects.get(username=PAGES[0][2])
    membership = Membership.objects.filter(person__user=member, left_on__isnull=True).first()
    if membership is None:
        return {}
    org = membership.organisation
    manager = get_user_model().objects.get(username=PAGES[1][2])
    today = timezone.localdate()
    people = Person.objects.bulk_create(
        Person(organisation=org, full_name=f"Thành viên thêm {i}", phone="") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            organisation=org,
            person=p,
            kind="official",
            joined_on=dt.date(2022, 1, 1),
            capital=1_000_000,
        )
        for p in people
    )
    Disclosure.objects.bulk_create(
        Disclosure(
            organisation=org,
            kind="other",
            title=f"Thông tin thêm {i}",
            event_on=today - dt.timedelta(days=10 + i % 200),
            due_on=today - dt.timedelta(days=3 + i % 200),
            posted_on=None if i % 4 == 0 else today - dt.timedelta(days=i % 200),
            created_by=manager,
        )
        for i in range(n)
    )
    Question.objects.bulk_create(
        Question(organisation=org, membership=membership, text=f"Câu hỏi {i}") for i in range(n)
    )
    # bulk writes send no signals: forget the cached pages as a save would
    from htxso.governance.selectors_portal import PORTAL

    PORTAL.forget()
    return {"members": n, "disclosures": n, "questions": n}


def grown_counts(n: int) -> tuple[dict[str, int], dict[str, int]]:
    from django.db import transaction

    counts: dict[str, int] = {}
    grown: dict[str, int] = {}
    try:
        with transaction.atomic():
            grown = _grow(n)
            for label, path, username in PAGES:
                counts[label] = capture_queries(_client(username), path).count
            raise _Rollback
    except _Rollback:
        pass
    return counts, grown


def run(ctx: Context) -> Result:
    rows = [measure(ctx, label, path, username) for label, path, username in PAGES]
    n = QUICK_GROW if ctx.quick else GROW
    after, grown = grown_counts(n)
    for r in rows:
        r["queries_after_growth"] = after.get(r["page"])
        if r["queries_after_growth"] != r["queries_first"]:
            r["failures"].append(
                f"queries {r['queries_first']} → {r['queries_after_growth']} after growth"
            )
            r["passed"] = False
    ctx.print(
        f"governance pages vs baseline, {ctx.requests} timed requests each; limits: "
        f"≤ {MAX_QUERIES} queries, the same after {n} more members, disclosures and "
        f"questions, median ≤ {MAX_RATIO:.1f}× baseline"
    )
    ctx.print(
        format_table(
            [
                "page",
                "account",
                "queries",
                "after growth",
                "median ms",
                "base ms",
                "ratio",
                "cold ms",
                "cold ratio",
                "cold/base paired",
                "result",
            ],
            [
                [
                    r["page"],
                    r["account"],
                    r["queries"],
                    r["queries_after_growth"],
                    r["median_ms"],
                    r["baseline_median_ms"],
                    f"{r['ratio']:.3f}",
                    r["cold_median_ms"],
                    f"{r['cold_ratio']:.3f}",
                    f"{r['cold_interleaved_ratio']:.3f}",
                    "pass" if r["passed"] else "FAIL: " + "; ".join(r["failures"]),
                ]
                for r in rows
            ],
        )
    )
    if ctx.verbose:
        for r in rows:
            ctx.print(f"\n{r['page']}: {r['queries']} queries")
            for i, sql in enumerate(r["sql"], 1):
                ctx.print(f"  {i:2}. {sql}")
    return Result(
        name=NAME,
        passed=all(r["passed"] for r in rows),
        data={
            "limits": {"max_queries": MAX_QUERIES, "max_ratio": MAX_RATIO},
            "requests": ctx.requests,
            "grown": grown,
            "pages": rows,
        },
    )
