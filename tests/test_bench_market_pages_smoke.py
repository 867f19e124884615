"""`python -m bench market_pages --quick` runs on a fresh database and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_market_pages_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "market_pages", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench` on a quiet machine: only the deterministic
    # parts (query counts, page weight, statuses) are asserted here.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    data = json.loads((tmp_path / "results" / "market_pages.json").read_text(encoding="utf-8"))
    pages = data["data"]["pages"] if "data" in data else data["pages"]
    assert len(pages) == 5
    for page in pages:
        assert page["queries"] <= 12, page
        assert not [f for f in page["failures"] if "answered" in f], page
    weight = (data.get("data") or data)["product_page_weight"]
    assert 0 < weight["total_gzip_kb"] <= 60
