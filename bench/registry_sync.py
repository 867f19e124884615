"""Registry sync feed: 100,000 changes served in pages; fixed queries, time per page vs raw SQL.

Inside a transaction rolled back at the end, 100,000 organisations (10,000 with
``--quick``) are added with their ``updated_at`` set in runs of 50 rows sharing one
timestamp (an import stamps its batch with one time, so ties are the normal case).  A
national token of scope ``public`` then drains the whole feed through
``GET /api/v1/registry/changes`` (the real request path: authentication, scope, keyset
query, tombstones, serialisation, JSON, ETag), page by page with ``limit=1000``,
following ``next``.  Each page is timed and its queries counted; the same page is read
with a bare ``cursor.execute`` of the same keyset WHERE / ORDER BY / LIMIT and joins
(fetchall of the raw tuples) right after it, so both see the same database state.

Limits: the query count is the same for every page (and ≤ ``MAX_QUERIES``); every change
is served exactly once, in order; the median page time ≤ ``MAX_RATIO`` × the median raw
page read.  Reported: pages, ms per page (median, p95), ratio, changes per second.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from .harness import Context, Result, format_table, percentile

NAME = "registry_sync"
ROWS, QUICK_ROWS = 100_000, 10_000
PAGE = 1000
TIE = 50
MAX_QUERIES = 5
#: A page builds 1,000 model rows, their records, validates and renders JSON; the raw
#: read only fetches tuples.  The limit keeps the feed from growing per-row work.
MAX_RATIO = 25.0

RAW_SQL = """
SELECT o.id, o.kind, o.name, o.tax_code, o.province_id, p.name, o.ward_id, w.name,
       o.status, o.established_on, o.sector, o.main_products, o.charter_capital,
       o.high_tech, o.website, o.updated_at
FROM registry_organisation o
JOIN geo_province p ON p.code = o.province_id
LEFT JOIN geo_ward w ON w.code = o.ward_id
WHERE o.updated_at <= %s AND o.updated_at >= %s AND (o.updated_at > %s OR o.id > %s)
ORDER BY o.updated_at, o.id
LIMIT %s
"""


class _Rollback(Exception):
    pass


def _setup(rows: int) -> tuple[str, list[int]]:
    """Add ``rows`` organisations stamped in runs of ``TIE``; a VCA token."""
    from django.utils import timezone

    from htxso.accounts import services
    from htxso.accounts.models import User
    from htxso.core.actors import OPERATOR
    from htxso.core.roles import Role
    from htxso.geo.models import Province
    from htxso.registry.importing.writes import update_rows
    from htxso.registry.models import Organisation

    provinces = list(Province.objects.order_by("code").values_list("code", flat=True))
    objs = [
        Organisation(
            kind="group",
            name=f"Tổ hợp tác đồng bộ {n:06}",
            province_id=provinces[n % len(provinces)],
            search_text=f"to hop tac dong bo {n:06}",
            main_products="Cà phê",
        )
        for n in range(rows)
    ]
    Organisation.objects.bulk_create(objs, batch_size=2000)
    base = timezone.now() - dt.timedelta(days=2)
    update_rows(
        Organisation,
        ["updated_at"],
        [(o.pk, {"updated_at": base + dt.timedelta(seconds=i // TIE)}) for i, o in enumerate(objs)],
    )
    vca = User.objects.filter(role_assignments__role=Role.VCA_ADMIN).order_by("pk").first()
    if vca is None:
        vca = User.objects.create(username="bench.sync.vca")
        services.role_assign(actor=OPERATOR, user=vca, role=Role.VCA_ADMIN)
    _token, raw = services.api_token_create(actor=OPERATOR, user=vca, name="bench", scope="public")
    return raw, [o.pk for o in objs]


def _raw_page(cursor: Any, horizon: dt.datetime, at: dt.datetime, pk: int) -> list[tuple]:
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    cursor.execute(RAW_SQL, [adapt(horizon), adapt(at), adapt(at), pk, PAGE + 1])
    return cursor.fetchall()


def run(ctx: Context) -> Result:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils.dateparse import parse_datetime

    from htxso.registry import sync_feed
    from htxso.registry.models import Organisation

    rows = QUICK_ROWS if ctx.quick else ROWS
    data: dict[str, Any] = {}
    try:
        with (
            # no settle window: the demo data just seeded is seconds old, and every row
            # must be served for the exactly-once check (the window costs nothing per page)
            override_settings(
                HTXSO_SYNC_RATE_PER_MINUTE=0,
                HTXSO_SYNC_SETTLE_SECONDS=0,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            ),
            transaction.atomic(),
        ):
            started = time.perf_counter()
            raw_token, new_ids = _setup(rows)
            data["setup_seconds"] = round(time.perf_counter() - started, 1)
            total = Organisation.objects.count()
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
            client.get("/api/v1/registry/changes?limit=1")  # the token's first use
            url = f"/api/v1/registry/changes?limit={PAGE}"
            times, raw_times, counts, seen = [], [], [], []
            position = (sync_feed.Position(sync_feed._EPOCH, 0), None)
            with connection.cursor() as cursor:
                while True:
                    t0 = time.perf_counter()
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(url)
                    times.append(time.perf_counter() - t0)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url}: {response.status_code} {response.content!r}")
                    page = response.json()
                    counts.append(len(captured.captured_queries))
                    horizon = parse_datetime(page["as_of"])
                    start = position[0]
                    t0 = time.perf_counter()
                    raw = _raw_page(cursor, horizon, start.at, start.pk)
                    raw_times.append(time.perf_counter() - t0)
                    ids = [c["id"] for c in page["changes"]]
                    if [r[0] for r in raw[: len(ids)]] != ids:
                        raise RuntimeError("the feed and the raw page disagree")
                    seen.extend(ids)
                    if page["changes"]:
                        last = page["changes"][-1]
                        position = (
                            sync_feed.Position(parse_datetime(last["at"]), last["id"]),
                            None,
                        )
                    if not page["has_more"]:
                        break
                    url = page["next"]
            exact = len(seen) == len(set(seen)) == total and set(new_ids) <= set(seen)
            median, raw_median = statistics.median(times), statistics.median(raw_times)
            ratio = median / raw_median if raw_median else float("inf")
            fixed = len(set(counts)) == 1
            data.update(
                rows=rows,
                total_changes=total,
                pages=len(times),
                page_size=PAGE,
                every_change_once_in_order=exact,
                queries_per_page=sorted(set(counts)),
                page_ms_median=round(median * 1000, 2),
                page_ms_p95=round(percentile(times, 95) * 1000, 2),
                raw_page_ms_median=round(raw_median * 1000, 2),
                ratio=round(ratio, 2),
                max_ratio=MAX_RATIO,
                changes_per_second=round(len(seen) / sum(times)),
                drain_seconds=round(sum(times), 2),
            )
            ctx.print(
                format_table(
                    ["changes", "pages", "queries/page", "ms/page med", "p95", "raw ms", "ratio"],
                    [
                        [
                            total,
                            len(times),
                            "/".join(str(c) for c in sorted(set(counts))),
                            data["page_ms_median"],
                            data["page_ms_p95"],
                            data["raw_page_ms_median"],
                            data["ratio"],
                        ]
                    ],
                )
            )
            passed = exact and fixed and max(counts) <= MAX_QUERIES and ratio <= MAX_RATIO
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, passed, data)
