"""`python -m bench indicators_compile --quick` runs on a fresh database and writes its
JSON: a province report compiled from every office's accepted submission, its queries
not growing with the offices, and documents of a real size on both sides."""

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
    "if 'indicators_compile' not in bench.BENCHMARKS:\n"
    "    bench.BENCHMARKS.append('indicators_compile')\n"
    "from bench.__main__ import main\n"
    "sys.exit(main(['indicators_compile', '--quick']))\n"
)


@pytest.mark.slow
def test_bench_indicators_compile_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_REGISTRY_SCALE")}
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
    data = json.loads(
        (tmp_path / "results" / "indicators_compile.json").read_text(encoding="utf-8")
    )
    assert "error" not in data, data.get("error")
    assert data["scale"] == "quick" and data["offices"] == 24
    assert data["sections"] == 5 and data["figures"] == 20 and data["logframe_rows"] >= 12
    assert data["queries"] <= data["queries_half"]
    assert data["docx_bytes"] > 20_000 and data["baseline_docx_bytes"] > 20_000
    assert data["compile_median_s"] > 0 and data["ratio"] > 0
