"""``python -m bench [NAME ...] [--quick] [--verbose] [--list]`` (``make bench``).

Exit status: 0 when every selected benchmark is within its limits, 1 when one is not
(or failed to run), 2 on a usage error.  Every table is printed before exiting.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import BENCHMARKS
from .harness import (
    DEFAULT_REQUESTS,
    QUICK_REQUESTS,
    URLCONF,
    Context,
    Result,
    django_environment,
    write_result,
)

DEFAULT_RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of HTX Số, measured against a baseline view in the same run.",
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run, all by default: {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a fast smoke run ({QUICK_REQUESTS} timed requests instead of {DEFAULT_REQUESTS})",
    )
    parser.add_argument(
        "-n", "--requests", type=int, metavar="N", help="timed requests per measured page"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show set-up output and the SQL of pages"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=Path(os.environ.get("BENCH_RESULTS_DIR") or DEFAULT_RESULTS_DIR),
        help="where <name>.json is written (default: bench/results, or $BENCH_RESULTS_DIR)",
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    if args.requests is not None and args.requests < 1:
        parser.error("--requests must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    modules = {name: importlib.import_module(f"bench.{name}") for name in BENCHMARKS}
    if args.list:
        for name, module in modules.items():
            print(f"{name:12} {(module.__doc__ or '').strip().splitlines()[0]}")
        return 0
    selected = args.names or BENCHMARKS
    requests = args.requests or (QUICK_REQUESTS if args.quick else DEFAULT_REQUESTS)
    results: list[Result] = []
    with django_environment(verbose=args.verbose) as database:
        import django
        from django.conf import settings
        from django.test import override_settings

        ctx = Context(quick=args.quick, verbose=args.verbose, requests=requests, database=database)
        meta = {
            "database": database,
            "django": django.get_version(),
            "python": platform.python_version(),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU",
            "debug": settings.DEBUG,
            "quick": args.quick,
        }
        ctx.print(
            f"bench: Django {meta['django']}, Python {meta['python']}, {meta['machine']}, "
            f"DEBUG={settings.DEBUG}\nbench: database {database}"
        )
        with override_settings(ROOT_URLCONF=URLCONF):
            for name in selected:
                ctx.print(f"\n== {name}")
                started = time.perf_counter()
                try:
                    result = modules[name].run(ctx)
                except Exception:
                    traceback.print_exc()
                    result = Result(name, False, {"error": traceback.format_exc()})
                result.data = {
                    "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "seconds": round(time.perf_counter() - started, 1),
                    **meta,
                    **result.data,
                }
                path = write_result(result, args.results_dir)
                verdict = "ERROR" if "error" in result.data else "pass" if result.passed else "FAIL"
                ctx.print(f"== {name}: {verdict} ({path})")
                results.append(result)
    failed = [r.name for r in results if not r.passed]
    print(f"\nbench: {len(results) - len(failed)} passed, {len(failed)} failed {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
