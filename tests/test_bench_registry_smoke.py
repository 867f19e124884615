"""`python -m bench registry_* --quick` runs on a fresh database and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["registry_generate", "registry_import", "registry_search", "registry_dashboard"]


@pytest.mark.slow
def test_bench_registry_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_REGISTRY_SCALE")}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", *NAMES, "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench` on a quiet machine: only the deterministic
    # parts are asserted here.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    results = {
        name: json.loads((tmp_path / "results" / f"{name}.json").read_text(encoding="utf-8"))
        for name in NAMES
    }
    for name, data in results.items():
        assert "error" not in data, (name, data.get("error"))
    generated = results["registry_generate"]
    assert generated["scale"] == "quick"
    assert generated["counts"] == {
        "cooperatives": 1_700,
        "groups": 3_500,
        "unions": 30,
        "people": 50_000,
        "memberships": 50_000,
        "annual_reports": generated["counts"]["annual_reports"],
    }
    assert generated["counts"]["annual_reports"] > 4_000
    imported = results["registry_import"]
    if "skipped" not in imported:
        for row in imported["files"]:
            assert row["import_counts"]["created"] == row["rows"] == 200, row
            assert row["raw_inserted"] == 200
            assert row["ratio"] > 0
    search = results["registry_search"]
    assert len(search["rows"]) == 10
    for row in search["rows"]:
        assert row["queries"] >= 1 and row["p95_ms"] > 0 and row["raw_p95_ms"] > 0, row
        assert row["same_rows"] or row["rows"] == 25, row
    by_label = {(r["user"], r["label"]): r for r in search["rows"]}
    assert by_label[("VCA (national)", "q=<tax code>")]["rows"] == 1
    dashboard = results["registry_dashboard"]
    if "skipped" not in dashboard:
        cases = {c["case"]: c for c in dashboard["cases"]}
        assert cases["cold"]["queries"] >= 1
        assert cases["cached"]["queries"] <= dashboard["limits"]["max_cached_queries"]
