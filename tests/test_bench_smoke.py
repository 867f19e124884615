"""`python -m bench home --quick` runs on a fresh database and reports every role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: One demo account per role, and the anonymous visitor.
ACCOUNTS = {
    "anonymous",
    "vca.admin",
    "lm.caobang",
    "so.caobang",
    "ql.caobang",
    "tv.caobang",
    "giangvien",
    "nguoimua",
}


@pytest.mark.slow
def test_bench_home_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "home", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # Timing verdicts belong to `make bench` on a quiet machine; here the suite runs
    # in parallel, so only the deterministic parts are asserted: the run completes,
    # every role is measured, every page answers 200 within the query limit.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    results = json.loads((tmp_path / "results" / "home.json").read_text(encoding="utf-8"))
    rows = {row["account"]: row for row in results["roles"]}
    assert not ACCOUNTS - rows.keys(), f"missing roles: {ACCOUNTS - rows.keys()}"
    for account in ACCOUNTS:
        row = rows[account]
        assert row["statuses"] == {"200": results["requests"]}, row
        assert row["median_ms"] > 0 and row["baseline_median_ms"] > 0, row
        assert row["queries"] <= 10, row
