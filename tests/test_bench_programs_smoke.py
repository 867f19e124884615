"""`python -m bench programs_eligibility --quick` runs on a fresh database and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_programs_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_REGISTRY_SCALE")}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "programs_eligibility", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench`; only the deterministic parts are asserted.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    data = json.loads(
        (tmp_path / "results" / "programs_eligibility.json").read_text(encoding="utf-8")
    )
    assert "error" not in data, data.get("error")
    assert data["scale"] == "quick"
    assert data["cooperatives"] == 1_700
    assert data["queries"] <= 6
    assert data["rows_read"] >= data["cooperatives"]
    assert sum(data["verdicts"]["0:youth_share"].values()) == 1_700
