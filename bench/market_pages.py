"""Market pages: fixed query counts, server time vs the baseline view, product page weight.

On the demo data (and whatever products another benchmark generated in the same
database), an anonymous buyer's client requests the catalogue home, two searches (one
without accents, one with a typo), a product page and a store page, alternating (ABBA)
with the baseline view.  Queries are counted on the first and on a warm request; the
limit applies to the larger count, and it does not depend on how many products match
(the pages show 24 per page with prefetched images).  The product page's weight on a
first visit is the HTML plus every stylesheet and script it links (fonts and images
aside), raw and gzip-compressed, in kilobytes.

The baseline renders an empty template (≈ 0.6 ms), so the time limits are generous
regression guards (a catalogue page renders 24 product cards and the filter form): the
catalogue and searches ≤ 100× the baseline median, product and store pages ≤ 40×.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

from .harness import Context, Result, capture_queries, format_table, time_interleaved

NAME = "market_pages"
MAX_QUERIES = 12
MAX_RATIO = {
    "market home": 100.0,
    "search, no accents": 100.0,
    "search, typo + filter": 100.0,
    "product": 40.0,
    "store": 40.0,
}
MAX_PRODUCT_KB_GZIP = 60.0


def _pages() -> list[tuple[str, str]]:
    from htxso.market.models import Product, Store, StoreStatus
    from htxso.market.search import public_products

    product = (
        public_products()
        .filter(store__slug__startswith="demo-", images__isnull=False)
        .order_by("id")
        .first()
        or public_products().filter(store__slug__startswith="demo-").order_by("id").first()
    )
    store = Store.objects.filter(status=StoreStatus.VERIFIED, slug__startswith="demo-").first()
    if product is None or store is None:
        raise RuntimeError("no demo market data: run seed_demo")
    _ = Product
    return [
        ("market home", "/cho/"),
        ("search, no accents", "/cho/?q=ca+phe+dak+lak"),
        ("search, typo + filter", "/cho/?q=mat+ong+bac+haa&tinh=04"),
        ("product", f"/cho/san-pham/{product.pk}/"),
        ("store", f"/cho/gian-hang/{store.slug}/"),
    ]


def _weight(client, html: bytes) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(
        r'<script src="([^"]+)"', text
    )
    files = []
    for url in assets:
        rel = url.split(settings.STATIC_URL, 1)[-1].split("?")[0]
        path = finders.find(rel) or finders.find(re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", rel))
        data = Path(path).read_bytes() if path else b""
        files.append((rel, len(data), len(gzip.compress(data))))
    raw = len(html) + sum(f[1] for f in files)
    gz = len(gzip.compress(html)) + sum(f[2] for f in files)
    return {
        "html_kb": round(len(html) / 1024, 1),
        "html_gzip_kb": round(len(gzip.compress(html)) / 1024, 1),
        "assets": [
            {"file": f, "kb": round(b / 1024, 1), "gzip_kb": round(g / 1024, 1)}
            for f, b, g in files
        ],
        "total_kb": round(raw / 1024, 1),
        "total_gzip_kb": round(gz / 1024, 1),
    }


def run(ctx: Context) -> Result:
    from django.test import Client

    from .urls import BASELINE_PATH

    client = Client()
    rows = []
    for label, path in _pages():
        first = capture_queries(client, path)
        page, baseline = time_interleaved(
            client, [path, BASELINE_PATH], n=ctx.requests, warmup=ctx.warmup
        )
        warm = capture_queries(client, path)
        worst = max(first, warm, key=lambda q: q.count)
        ratio = round(page.median_ms / baseline.median_ms, 3)
        failures = []
        if worst.count > MAX_QUERIES:
            failures.append(f"{worst.count} queries > {MAX_QUERIES}")
        if ratio > MAX_RATIO[label]:
            failures.append(f"ratio {ratio:.3f} > {MAX_RATIO[label]:.1f}")
        if page.bad_statuses() or first.status != 200:
            failures.append(f"answered {page.bad_statuses() or first.status}")
        rows.append(
            {
                "page": label,
                "path": path,
                "queries": worst.count,
                "median_ms": round(page.median_ms, 3),
                "p95_ms": round(page.p95_ms, 3),
                "baseline_median_ms": round(baseline.median_ms, 3),
                "ratio": ratio,
                "cpu_ratio": round(page.cpu_median_ms / baseline.cpu_median_ms, 3),
                "passed": not failures,
                "failures": failures,
                "sql": worst.sql,
            }
        )
    product_path = next(r["path"] for r in rows if r["page"] == "product")
    weight = _weight(client, client.get(product_path).content)
    weight_ok = weight["total_gzip_kb"] <= MAX_PRODUCT_KB_GZIP
    ctx.print(
        f"market pages vs baseline, {ctx.requests} timed requests each, limits: "
        f"≤ {MAX_QUERIES} queries, median ≤ 100× (lists) / 40× (product, store) baseline"
    )
    ctx.print(
        format_table(
            ["page", "queries", "median ms", "p95 ms", "base ms", "ratio", "cpu ratio", "result"],
            [
                [
                    r["page"],
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
    ctx.print(
        f"product page first load (images and fonts aside): HTML {weight['html_kb']} kB + "
        + ", ".join(f"{a['file']} {a['kb']} kB" for a in weight["assets"])
        + f" = {weight['total_kb']} kB, gzip {weight['total_gzip_kb']} kB "
        f"(limit {MAX_PRODUCT_KB_GZIP} kB gzip): {'pass' if weight_ok else 'FAIL'}"
    )
    if ctx.verbose:
        for r in rows:
            ctx.print(f"\n{r['page']} {r['path']}: {r['queries']} queries")
            for i, sql in enumerate(r["sql"], 1):
                ctx.print(f"  {i:2}. {sql}")
    return Result(
        name=NAME,
        passed=all(r["passed"] for r in rows) and weight_ok,
        data={
            "limits": {
                "max_queries": MAX_QUERIES,
                "max_ratio": MAX_RATIO,
                "max_product_kb_gzip": MAX_PRODUCT_KB_GZIP,
            },
            "requests": ctx.requests,
            "pages": [{k: v for k, v in r.items() if k != "sql"} for r in rows],
            "product_page_weight": weight,
        },
    )
