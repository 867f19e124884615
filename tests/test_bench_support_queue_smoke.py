"""`python -m bench support_queue --quick` runs on a fresh database and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_support_queue_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "support_queue", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench`; only the deterministic parts are asserted.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    data = json.loads((tmp_path / "results" / "support_queue.json").read_text(encoding="utf-8"))
    assert "error" not in data, data.get("error")
    assert data["scale"] == "quick"
    assert data["requests_in_table"] >= 10_000
    assert {p["page"] for p in data["pages"]} >= {"open, by deadline", "overdue only"}
    for page in data["pages"]:
        if page["path"] == "/":  # the home page, a reference
            continue
        assert page["queries"] <= data["limits"]["max_queries"], page
        # the counts, calendar and officers are cached: a warm request reads less
        assert page["queries_warm"] <= page["queries_first"], page
