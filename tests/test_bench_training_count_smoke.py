"""`python -m bench training_count --quick` runs on a fresh database and writes its JSON:
the ORM's unique-people counts equal the raw COUNT(DISTINCT …) for every figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Runs the benchmark whether or not ``bench/__init__.py`` lists it yet.
SCRIPT = (
    "import sys, bench\n"
    "if 'training_count' not in bench.BENCHMARKS: bench.BENCHMARKS.append('training_count')\n"
    "from bench.__main__ import main\n"
    "sys.exit(main(['training_count', '--quick']))\n"
)


@pytest.mark.slow
def test_bench_training_count_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench` on a quiet machine: only the deterministic
    # parts are asserted here.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    data = json.loads((tmp_path / "results" / "training_count.json").read_text(encoding="utf-8"))
    assert "error" not in data, data.get("error")
    assert data["people"] == 2_000 and data["enrolments"] == 10_000
    assert data["same_numbers"] is True
    assert set(data["figures"]) == {
        "everyone trained",
        "completed",
        "kind = digital skills",
        "province 04",
    }
    assert data["ratio"] > 0
