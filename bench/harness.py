"""What every benchmark shares: the run context, results, the throwaway database,
interleaved timing against the baseline view, query capture and table printing.

Nothing here imports Django at module level: the environment has to be set before
``django.setup()``, which :func:`django_environment` does.
"""

from __future__ import annotations

import gc
import io
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The bench's URLconf (the project's URLs plus the baseline view).
URLCONF = "bench.urls"
#: Default number of timed requests per measured page, and with ``--quick``.
DEFAULT_REQUESTS = 200
QUICK_REQUESTS = 30


@dataclass
class Context:
    """What a benchmark is given: the options of this run and where to write."""

    quick: bool
    verbose: bool
    requests: int
    database: str
    out: Any = field(default_factory=lambda: sys.stdout)

    @property
    def warmup(self) -> int:
        return 3 if self.quick else 10

    def print(self, *args: Any) -> None:
        print(*args, file=self.out, flush=True)


@dataclass
class Result:
    """What a benchmark returns: pass/fail against its limits and JSON-able data."""

    name: str
    passed: bool
    data: dict[str, Any]


# --- the throwaway database ----------------------------------------------------------


@contextmanager
def django_environment(*, verbose: bool) -> Iterator[str]:
    """Configure and set up Django on a database holding the demo data.

    Without ``DATABASE_URL`` or ``SQLITE_PATH`` from the caller, a temporary SQLite
    file is created and removed afterwards.  A database the caller names is used as it
    is: migrated, given the administrative units and the demo data (all idempotent and
    additive), never flushed or dropped.  Yields a one-line description of it.
    """
    if os.environ.get("HTXSO_ENV", "").strip().lower() == "production":
        raise SystemExit("bench: refusing to seed demo accounts with HTXSO_ENV=production")
    tmp = None
    if not os.environ.get("DATABASE_URL") and not os.environ.get("SQLITE_PATH"):
        tmp = tempfile.TemporaryDirectory(prefix="htxso-bench-")
        os.environ["SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
        if "HTXSO_VAR_DIR" not in os.environ:
            os.environ["HTXSO_VAR_DIR"] = tmp.name
            (Path(tmp.name) / "static").mkdir()  # WhiteNoise warns about a missing one
    os.environ["DJANGO_SETTINGS_MODULE"] = "htxso.settings"
    os.environ["HTXSO_TESTING"] = "0"
    # Measure what production serves: no DEBUG query log, no debug templates.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # force_login cannot pass the TOTP gate; the bench measures pages, not enrolment.
    os.environ["HTXSO_REQUIRE_2FA_FOR_STAFF"] = "0"
    try:
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        started = time.perf_counter()
        log = sys.stdout if verbose else io.StringIO()
        call_command("migrate", interactive=False, verbosity=1 if verbose else 0, stdout=log)
        call_command("load_units", stdout=log)
        call_command("seed_demo", stdout=log)
        settings_db = connection.settings_dict
        where = "temporary file" if tmp else "from the caller"
        name = settings_db["NAME"] if connection.vendor == "sqlite" else settings_db["HOST"]
        description = (
            f"{connection.vendor} ({where}: {name}), "
            f"set up in {time.perf_counter() - started:.1f} s"
        )
        yield description
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if tmp is not None:
            tmp.cleanup()


# --- measuring -----------------------------------------------------------------------


@dataclass
class Samples:
    """Server times (wall clock, seconds), the CPU time this thread spent on them, and
    the status codes of one page's timed requests.  The CPU time hardly moves when
    other processes load the machine; the limits are on the wall clock."""

    path: str
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.times, 95) * 1000

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_times) * 1000

    def bad_statuses(self, expected: int = 200) -> dict[int, int]:
        return {code: n for code, n in self.statuses.items() if code != expected}


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def time_interleaved(client, paths: Sequence[str], *, n: int, warmup: int) -> list[Samples]:
    """Time ``n`` GETs of each path with ``client``, alternating the paths in ABBA
    order so drift and ordering effects fall on all of them alike."""
    for _ in range(warmup):
        for path in paths:
            client.get(path)
    samples = [Samples(path) for path in paths]
    pairs = list(zip(paths, samples, strict=True))
    gc.collect()
    for i in range(n):
        for path, sample in pairs if i % 2 == 0 else reversed(pairs):
            cpu_started = time.thread_time()
            started = time.perf_counter()
            response = client.get(path)
            sample.times.append(time.perf_counter() - started)
            sample.cpu_times.append(time.thread_time() - cpu_started)
            sample.statuses[response.status_code] += 1
    return samples


@dataclass
class Queries:
    status: int
    sql: list[str]

    @property
    def count(self) -> int:
        return len(self.sql)


def capture_queries(client, path: str) -> Queries:
    """One GET of ``path``, with the SQL it ran on the default database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return Queries(response.status_code, [q["sql"] for q in captured.captured_queries])


# --- reporting -----------------------------------------------------------------------


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table; numbers are right-aligned."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [bool(rows) and all(_is_number(row[i]) for row in rows) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_result(result: Result, results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{result.name}.json"
    payload = {"benchmark": result.name, "passed": result.passed, **result.data}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
