"""Import throughput of an officer's spreadsheet: ≥ 0.3× a raw bulk insert of the same rows.

``registry_generate`` writes N organisations of Nghệ An as an officer's file (xlsx and
csv: Vietnamese headers, "1.234.567" amounts, dd/mm/yyyy dates, pre-2025 addresses).
Each file is imported with ``htxso.registry.importing.run_import_file(path, actor=<the
Nghệ An officer>, province=40, kind="organisations", mode="valid")`` and, alternately,
read and parsed by a bare loop (csv/openpyxl, ``parse_vnd``, ``parse_date``, ``fold``)
whose ``Organisation`` objects are ``bulk_create``d — both inside a transaction rolled
back afterwards, so every round starts from the same database.  The figure is the
throughput ratio raw time / import time (limit ≥ 0.3); every row must be created.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from .harness import Context, Result, format_table
from .registry_generate import ensure_generated, scale_name
from .registry_support import IMPORT_ROWS, write_import_files

NAME = "registry_import"
MIN_RATIO = 0.3
OFFICER = "lm.nghean"


class _Rollback(Exception):
    pass


def _rolled_back(fn) -> tuple[float, Any]:
    from django.db import transaction

    out: dict[str, Any] = {}
    started = time.perf_counter()
    try:
        with transaction.atomic():
            out["value"] = fn()
            out["seconds"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return out["seconds"], out["value"]


def _rows(path: Path) -> list[list]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))[1:]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
    finally:
        book.close()


def raw_insert(path: Path, files: dict) -> int:
    """Read, parse and bulk-insert the file's rows without any checks."""
    from htxso.core.formatting import parse_date, parse_vnd
    from htxso.core.text import fold
    from htxso.registry.models import Organisation

    objs = []
    for row, extra in zip(_rows(path), files["wards"], strict=True):
        name, tax = str(row[1]), str(row[2])
        objs.append(
            Organisation(
                kind="cooperative",
                name=name,
                tax_code=tax,
                province_id=files["province"],
                ward_id=extra["ward"],
                address=str(row[4]),
                legacy_address=str(row[4]),
                established_on=parse_date(row[5]),
                charter_capital=parse_vnd(row[6]),
                sector="agriculture",
                main_products=str(row[9]),
                phone=str(row[10]),
                status="active",
                search_text=fold(f"{name} {tax}"),
            )
        )
    Organisation.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def run(ctx: Context) -> Result:
    try:
        from htxso.registry.importing import run_import_file
    except ImportError:
        run_import_file = None
    if run_import_file is None:
        msg = "skipped: htxso.registry.importing.run_import_file does not exist yet"
        ctx.print(f"registry_import: {msg}")
        return Result(NAME, True, {"skipped": msg})
    from django.contrib.auth import get_user_model

    from htxso.geo.models import Province

    facts = ensure_generated(ctx)
    n = IMPORT_ROWS[scale_name(ctx)]
    officer = get_user_model().objects.get(username=OFFICER)
    province = Province.objects.get(pk="40")
    rounds = 1 if ctx.quick else 3
    results = []
    with tempfile.TemporaryDirectory(prefix="htxso-import-") as tmp:
        started = time.perf_counter()
        files = write_import_files(Path(tmp), n)
        written = time.perf_counter() - started
        for fmt in ("csv", "xlsx"):
            path = files[fmt]

            def importer(path=path):
                return run_import_file(
                    path, actor=officer, province=province, kind="organisations", mode="valid"
                )

            imports, raws, summary, inserted = [], [], None, 0
            for i in range(rounds):
                pair = [("import", importer), ("raw", lambda path=path: raw_insert(path, files))]
                for name, fn in pair if i % 2 == 0 else reversed(pair):
                    seconds, value = _rolled_back(fn)
                    if name == "import":
                        imports.append(seconds)
                        summary = value
                    else:
                        raws.append(seconds)
                        inserted = value
            t_import, t_raw = statistics.median(imports), statistics.median(raws)
            counts = summary.counts() if hasattr(summary, "counts") else {}
            ratio = round(t_raw / t_import, 3) if t_import else 0.0
            failures = []
            if ratio < MIN_RATIO:
                failures.append(f"ratio {ratio:.3f} < {MIN_RATIO}")
            if counts.get("created") != n:
                failures.append(f"created {counts.get('created')} of {n} rows")
            results.append(
                {
                    "format": fmt,
                    "rows": n,
                    "raw_inserted": inserted,
                    "import_counts": counts,
                    "import_seconds": round(t_import, 3),
                    "raw_seconds": round(t_raw, 3),
                    "import_rows_per_s": round(n / t_import, 1) if t_import else 0,
                    "raw_rows_per_s": round(n / t_raw, 1) if t_raw else 0,
                    "ratio": ratio,
                    "rounds": rounds,
                    "passed": not failures,
                    "failures": failures,
                }
            )
    ctx.print(
        f"import of {n} organisations (file written in {written:.1f} s) vs raw bulk insert, "
        f"scale {facts['scale']!r}; limit: throughput ratio ≥ {MIN_RATIO}"
    )
    ctx.print(
        format_table(
            ["file", "rows", "created", "import s", "raw s", "import rows/s", "ratio", "result"],
            [
                [
                    r["format"],
                    r["rows"],
                    r["import_counts"].get("created", "?"),
                    r["import_seconds"],
                    r["raw_seconds"],
                    r["import_rows_per_s"],
                    f"{r['ratio']:.3f}",
                    "pass" if r["passed"] else "FAIL: " + "; ".join(r["failures"]),
                ]
                for r in results
            ],
        )
    )
    return Result(
        NAME,
        all(r["passed"] for r in results),
        {"scale": facts["scale"], "limit_ratio": MIN_RATIO, "files": results},
    )
