"""Stamp serials: 100,000 generated and checked vs raw ``secrets``/``hmac`` on the same bytes.

:func:`htxso.trace.serials.new_serials` (random body from :mod:`secrets`, HMAC check
characters, alphabet mapping, uniqueness within the batch) is timed against the floor: one
``secrets.token_bytes`` call for the same number of random bytes plus one ``hmac.digest``
per serial over the same message, alternating ABBA.  :func:`well_formed` on the whole batch
is timed too (the check a scan does before any database lookup).  Passes when every serial
is unique, well formed with its key and refused with another key.  ``--quick``: 10,000.
"""

from __future__ import annotations

import gc
import hmac
import secrets
import statistics
import time

from .harness import Context, Result, format_table

NAME = "trace_stamps"
FULL, QUICK = 100_000, 10_000
KEY = b"bench-stamp-key-0123456789abcdef"


def _raw(n: int) -> None:
    from htxso.trace.serials import BODY, TAG

    data = secrets.token_bytes(BODY * n)
    digest = hmac.digest
    for i in range(0, BODY * n, BODY):
        digest(KEY, TAG + data[i : i + BODY], "sha256")


def run(ctx: Context) -> Result:
    from htxso.trace.serials import new_serials, well_formed

    n = QUICK if ctx.quick else FULL
    rounds = 2 if ctx.quick else 6
    ours, raw, ours_cpu, raw_cpu = [], [], [], []
    batch: list[str] = []
    for i in range(rounds):
        order = ["raw", "ours"] if i % 2 == 0 else ["ours", "raw"]
        for label in order:
            gc.collect()
            cpu, t0 = time.thread_time(), time.perf_counter()
            if label == "ours":
                batch = new_serials(n, key=KEY)
            else:
                _raw(n)
            wall, cpu = time.perf_counter() - t0, time.thread_time() - cpu
            (ours if label == "ours" else raw).append(wall)
            (ours_cpu if label == "ours" else raw_cpu).append(cpu)
    gc.collect()
    t0 = time.perf_counter()
    valid = sum(well_formed(s, key=KEY) for s in batch)
    check_s = time.perf_counter() - t0
    other = sum(well_formed(s, key=KEY[::-1]) for s in batch[:10_000])
    ours_med, raw_med = statistics.median(ours), statistics.median(raw)
    ratio = ours_med / raw_med
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(raw_cpu)
    checks = {
        "unique": len(set(batch)) == n,
        "all_well_formed": valid == n,
        "other_key_refused": other <= 2,
    }
    passed = all(checks.values())
    ctx.print(f"{n:,} serials per round, {rounds} rounds (ABBA)")
    ctx.print(
        format_table(
            ["what", "median s", "serials / s"],
            [
                ["new_serials", f"{ours_med:.3f}", f"{n / ours_med:,.0f}"],
                ["raw secrets + hmac, same bytes", f"{raw_med:.3f}", f"{n / raw_med:,.0f}"],
                ["well_formed (whole batch)", f"{check_s:.3f}", f"{n / check_s:,.0f}"],
            ],
        )
    )
    ctx.print(
        f"ratio new_serials / raw {ratio:.2f} (cpu {cpu_ratio:.2f}); {checks} — "
        f"{'pass' if passed else 'FAIL'}"
    )
    return Result(
        NAME,
        passed,
        {
            "serials": n,
            "rounds": rounds,
            "generate_median_s": ours_med,
            "raw_median_s": raw_med,
            "ratio_generate_over_raw": ratio,
            "cpu_ratio": cpu_ratio,
            "well_formed_s": check_s,
            **checks,
        },
    )
