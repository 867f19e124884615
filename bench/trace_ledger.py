"""Ledger verification: 1,000,000 chained entries verified in memory vs raw hashlib.

The entries are generated in memory (``LedgerEntry`` rows as the verifier receives them
from the database: event hash recomputed = stored, previous link, link).  The verifier
(:func:`htxso.trace.ledger.verify`) is timed against the floor — one ``hashlib.sha256`` per
row over the very bytes the chain hashes, prepared beforehand — alternating ABBA.  It must
say "ok" on the intact ledger and name the right ``seq`` on a tampered copy (an edited event
in the middle, a deleted row near the end).  Figures: time, rows/s and the ratio
verify / raw (how much the streaming checks cost over bare hashing).  ``--quick``: 50,000.
"""

from __future__ import annotations

import gc
import hashlib
import statistics
import time
from dataclasses import replace

from .harness import Context, Result, format_table

NAME = "trace_ledger"
FULL, QUICK = 1_000_000, 50_000


def generate(n: int):
    """``n`` chained ledger rows and the byte strings their links hash."""
    from htxso.trace.ledger import GENESIS, TAG, LedgerEntry

    rows, messages = [], []
    prev = GENESIS
    sha256 = hashlib.sha256
    for seq in range(1, n + 1):
        event_hash = f"ni:///sha-256;{sha256(seq.to_bytes(8, 'big')).hexdigest()}?ver=CBV2.0"
        message = TAG + bytes.fromhex(prev) + seq.to_bytes(8, "big") + event_hash.encode()
        link = sha256(message).hexdigest()
        rows.append(LedgerEntry(seq, event_hash, event_hash, prev, link))
        messages.append(message)
        prev = link
    return rows, messages


def _raw(messages) -> None:
    sha256 = hashlib.sha256
    for m in messages:
        sha256(m).hexdigest()


def run(ctx: Context) -> Result:
    from htxso.trace.ledger import verify

    n = QUICK if ctx.quick else FULL
    started = time.perf_counter()
    rows, messages = generate(n)
    generated_s = time.perf_counter() - started

    rounds = 2 if ctx.quick else 4
    ours, raw, ours_cpu, raw_cpu = [], [], [], []
    result = None
    for i in range(rounds):
        order = ["raw", "ours"] if i % 2 == 0 else ["ours", "raw"]
        for label in order:
            gc.collect()
            cpu, t0 = time.thread_time(), time.perf_counter()
            if label == "ours":
                result = verify(rows)
            else:
                _raw(messages)
            wall, cpu = time.perf_counter() - t0, time.thread_time() - cpu
            (ours if label == "ours" else raw).append(wall)
            (ours_cpu if label == "ours" else raw_cpu).append(cpu)
    ours_med, raw_med = statistics.median(ours), statistics.median(raw)
    ratio = ours_med / raw_med
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(raw_cpu)

    edited_at, deleted_at = n // 2, n - 10
    tampered = list(rows)
    tampered[edited_at - 1] = replace(tampered[edited_at - 1], event_hash="ni:///sha-256;0?x")
    edited = verify(tampered)
    del tampered[deleted_at - 1]
    tampered[edited_at - 1] = rows[edited_at - 1]
    deleted = verify(tampered)
    checks = {
        "intact_ok": bool(result and result.ok and result.checked == n),
        "edited_named": (edited.first_bad_seq, edited.code) == (edited_at, "edited"),
        "deleted_named": (deleted.first_bad_seq, deleted.code)
        == (deleted_at, "deleted_or_reordered"),
    }
    passed = all(checks.values())
    ctx.print(
        f"{n:,} ledger rows generated in memory in {generated_s:.1f} s; {rounds} rounds (ABBA)"
    )
    ctx.print(
        format_table(
            ["what", "median s", "rows / s"],
            [
                ["verify (streaming)", f"{ours_med:.3f}", f"{n / ours_med:,.0f}"],
                ["raw sha256, same bytes", f"{raw_med:.3f}", f"{n / raw_med:,.0f}"],
            ],
        )
    )
    ctx.print(
        f"ratio verify / raw {ratio:.2f} (cpu {cpu_ratio:.2f}); tamper checks {checks} — "
        f"{'pass' if passed else 'FAIL'}"
    )
    return Result(
        NAME,
        passed,
        {
            "rows": n,
            "rounds": rounds,
            "generate_s": generated_s,
            "verify_median_s": ours_med,
            "raw_median_s": raw_med,
            "ratio_verify_over_raw": ratio,
            "cpu_ratio": cpu_ratio,
            "rows_per_s": n / ours_med,
            **checks,
        },
    )
