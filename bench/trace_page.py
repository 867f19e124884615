"""The public trace page under concurrent load: throughput ≥ 0.5× a bare Django view.

A threaded WSGI server on loopback (in this process, so it serves the bench URLconf and
database) answers ``CLIENTS`` concurrent HTTP clients.  For a fixed time each, the
public trace page of random lots (``/01/{gtin}/10/{lot}``) and the baseline view are
loaded alternately (ABAB rounds); the ratio is the page's requests per second over the
baseline's.  The page's query count is measured for a lot with one plot and one event
and for a lot deep in a chain with many plots and events: it must be the same.

Anonymous visitors share a cached rendering of each lot's page (renewed whenever the
ledger grows); the first visit of each lot renders it.  Both are reported: the limit
applies to the steady state, the first-visit throughput is printed for information.

Scale: ``BENCH_TRACE_SCALE=quick|default|full`` (``--quick`` → quick); ``full`` is the
issue's 100,000 lots and 1,000,000 events, generated with ``bulk_create``.
"""

from __future__ import annotations

import http.client
import os
import random
import threading
import time
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .harness import Context, Result, capture_queries, format_table

NAME = "trace_page"
MIN_RATIO = 0.5
MAX_QUERIES = 12
CLIENTS = 8
#: Distinct lots the visitors open (each is rendered once, then served from the cache).
LOTS_VISITED = 300
SCALES = {
    "quick": {"lots": 2_000, "events_per_lot": 10},
    "default": {"lots": 20_000, "events_per_lot": 10},
    "full": {"lots": 100_000, "events_per_lot": 10},
}
GTIN_BODY = "893860077001"
MARK = "urn:htxso-bench:"


def _scale(ctx: Context) -> str:
    name = os.environ.get("BENCH_TRACE_SCALE", "").strip().lower()
    if ctx.quick and not name:
        return "quick"
    if name and name not in SCALES:
        raise SystemExit(f"BENCH_TRACE_SCALE must be one of {', '.join(SCALES)}")
    return name or "default"


def _gtin() -> str:
    from htxso.core.codes import gtin_check_digit

    return f"0{GTIN_BODY}{gtin_check_digit(GTIN_BODY)}"


def generate(ctx: Context, lots: int, per_lot: int) -> dict[str, Any]:
    """Lots in chains of 10 (each made from the previous), ``per_lot`` events each, 5
    plots behind every lot."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from htxso.geo.models import Ward
    from htxso.registry.models import Organisation
    from htxso.trace.models import Event, EventLot, Lot, LotEdge, LotPlot, Plot, TradeItem

    gtin = _gtin()
    if Lot.objects.filter(gtin=gtin).count() >= lots:
        ctx.print("trace_page: generated data found in the database, reused")
        return {"reused": True}
    started = time.perf_counter()
    org = Organisation.objects.filter(province_id="66", kind="cooperative").order_by("id").first()
    ward = Ward.objects.filter(province_id="66").order_by("code").first()
    item, _ = TradeItem.objects.get_or_create(
        gtin=gtin, defaults={"organisation": org, "name": "Cà phê bench", "lot_kind": "green"}
    )
    plots = []
    for i in range(5):
        plot, _ = Plot.objects.get_or_create(
            organisation=org,
            code=f"BENCH-{i}",
            defaults={
                "ward": ward,
                "area_ha": Decimal("1.5"),
                "geometry": {"type": "Point", "coordinates": [108.03 + i / 100, 12.67]},
                "centroid_lon": Decimal("108.03"),
                "centroid_lat": Decimal("12.67"),
            },
        )
        plots.append(plot)
    base = timezone.now() - dt.timedelta(days=400)
    batch = 5_000
    made = 0
    while made < lots:
        n = min(batch, lots - made)
        with transaction.atomic():
            new_lots = Lot.objects.bulk_create(
                [
                    Lot(
                        organisation=org,
                        trade_item=item,
                        gtin=gtin,
                        code=f"B{made + i:07d}",
                        kind="green",
                        quantity_kg=Decimal("100"),
                        produced_at=base + dt.timedelta(minutes=made + i),
                    )
                    for i in range(n)
                ]
            )
            events = Event.objects.bulk_create(
                [
                    Event(
                        organisation=org,
                        event_id=f"{MARK}{lot.code}-{k}",
                        event_type="ObjectEvent",
                        action="OBSERVE",
                        kind="storage" if k else "harvest",
                        biz_step="storing",
                        event_time=lot.produced_at + dt.timedelta(hours=k),
                        body={"type": "ObjectEvent", "eventID": f"{MARK}{lot.code}-{k}"},
                        event_hash="ni:///sha-256;" + "0" * 64 + "?ver=CBV2.0",
                    )
                    for lot in new_lots
                    for k in range(per_lot)
                ],
                batch_size=2_000,
            )
            EventLot.objects.bulk_create(
                [
                    EventLot(event=e, lot=new_lots[j // per_lot], role="object")
                    for j, e in enumerate(events)
                ],
                batch_size=5_000,
            )
            LotEdge.objects.bulk_create(
                [
                    LotEdge(parent=new_lots[i - 1], child=new_lots[i], event=events[i * per_lot])
                    for i in range(1, n)
                    if (made + i) % 10
                ],
                batch_size=5_000,
            )
            LotPlot.objects.bulk_create(
                [LotPlot(lot=lot, plot=p) for lot in new_lots for p in plots], batch_size=5_000
            )
        made += n
        if made % 20_000 == 0 or made == lots:
            ctx.print(f"  trace_page: {made:,} lots, {made * per_lot:,} events")
    return {"reused": False, "seconds": round(time.perf_counter() - started, 1)}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _serve():
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def _load(port: int, paths: list[str], seconds: float) -> tuple[int, dict[int, int]]:
    """``CLIENTS`` threads GET random ``paths`` for ``seconds``; (requests, statuses)."""
    stop = time.perf_counter() + seconds
    counts: list[int] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(seed: int):
        rng = random.Random(seed)
        done = 0
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", rng.choice(paths), headers={"Accept-Language": "vi"})
            response = conn.getresponse()
            response.read()
            conn.close()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
            done += 1
        with lock:
            counts.append(done)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts), statuses


def _visit_all(port: int, paths: list[str]) -> int:
    """Each path once, spread over ``CLIENTS`` threads; returns the number of requests."""
    chunks = [paths[i::CLIENTS] for i in range(CLIENTS)]

    def worker(chunk):
        for path in chunk:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Accept-Language": "vi"})
            conn.getresponse().read()
            conn.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(paths)


def run(ctx: Context) -> Result:
    from django.db import connection
    from django.test import Client

    from htxso.trace.models import Event, Lot

    from .urls import BASELINE_PATH

    scale = _scale(ctx)
    sizes = SCALES[scale]
    facts = generate(ctx, sizes["lots"], sizes["events_per_lot"])
    gtin = _gtin()
    from django.core.cache import cache

    codes = list(
        Lot.objects.filter(gtin=gtin).order_by("?").values_list("code", flat=True)[:LOTS_VISITED]
    )
    paths = [f"/01/{gtin}/10/{code}" for code in codes]
    client = Client()
    cache.clear()
    shallow = capture_queries(client, f"/01/{gtin}/10/B0000000")
    cache.clear()
    deep = capture_queries(client, f"/01/{gtin}/10/B0000009")
    warm = capture_queries(client, f"/01/{gtin}/10/B0000009")
    cache.clear()
    seconds = 2.0 if ctx.quick else 8.0
    rounds = 2 if ctx.quick else 3
    server = _serve()
    port = server.server_address[1]
    # cold: every lot's first visit renders the page (no cache), timed on its own
    started = time.perf_counter()
    cold_n = _visit_all(port, paths)
    cold_rps = cold_n / (time.perf_counter() - started)
    _load(port, [BASELINE_PATH], 1.0)  # warm-up of the baseline
    page_n = base_n = 0
    page_s = base_s = 0.0
    page_statuses: dict[int, int] = {}
    try:
        for _ in range(rounds):
            n, st = _load(port, paths, seconds)
            page_n += n
            page_s += seconds
            for k, v in st.items():
                page_statuses[k] = page_statuses.get(k, 0) + v
            n, _st = _load(port, [BASELINE_PATH], seconds)
            base_n += n
            base_s += seconds
    finally:
        server.shutdown()
        server.server_close()
    page_rps, base_rps = page_n / page_s, base_n / base_s
    ratio = round(page_rps / base_rps, 3)
    failures = []
    if ratio < MIN_RATIO:
        failures.append(f"ratio {ratio} < {MIN_RATIO}")
    if shallow.count != deep.count:
        failures.append(f"query count varies: {shallow.count} vs {deep.count}")
    if max(shallow.count, deep.count) > MAX_QUERIES:
        failures.append(f"{max(shallow.count, deep.count)} queries > {MAX_QUERIES}")
    if set(page_statuses) != {200}:
        failures.append(f"page answered {page_statuses}")
    counts = {"lots": Lot.objects.count(), "events": Event.objects.count()}
    ctx.print(
        f"trace page under {CLIENTS} concurrent clients on loopback ({connection.vendor}, "
        f"scale {scale}: {counts['lots']:,} lots, {counts['events']:,} events)"
    )
    ctx.print(
        format_table(
            ["what", "requests", "req/s", "queries"],
            [
                ["trace page, steady state", page_n, round(page_rps, 1), warm.count],
                ["baseline view", base_n, round(base_rps, 1), "-"],
                ["ratio", "", ratio, "pass" if not failures else "FAIL: " + "; ".join(failures)],
                [
                    "trace page, first visit of each lot",
                    cold_n,
                    round(cold_rps, 1),
                    f"{shallow.count} / {deep.count}",
                ],
                ["ratio of first visits (information)", "", round(cold_rps / base_rps, 3), ""],
            ],
        )
    )
    return Result(
        name=NAME,
        passed=not failures,
        data={
            "scale": scale,
            "sizes": sizes,
            "counts": counts,
            "generation": facts,
            "clients": CLIENTS,
            "seconds_per_round": seconds,
            "rounds": rounds,
            "page_requests": page_n,
            "page_rps": round(page_rps, 1),
            "baseline_requests": base_n,
            "baseline_rps": round(base_rps, 1),
            "ratio": ratio,
            "queries": {"shallow": shallow.count, "deep": deep.count, "cached": warm.count},
            "cold_requests": cold_n,
            "cold_rps": round(cold_rps, 1),
            "cold_ratio": round(cold_rps / base_rps, 3),
            "statuses": {str(k): v for k, v in page_statuses.items()},
            "limits": {"min_ratio": MIN_RATIO, "max_queries": MAX_QUERIES},
            "failures": failures,
            "sql": shallow.sql,
        },
    )
