"""`python -m bench market_search --quick` runs on a fresh database and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_market_search_quick(tmp_path, bench_db):
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_MARKET_SCALE")}
    env.update(
        SQLITE_PATH=str(tmp_path / "bench.sqlite3"),
        HTXSO_VAR_DIR=str(tmp_path / "var"),
        BENCH_RESULTS_DIR=str(tmp_path / "results"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "market_search", "--quick", "-n", "20"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Timing verdicts belong to `make bench` on a quiet machine: only the deterministic
    # parts are asserted here.
    assert proc.returncode in (0, 1), f"{proc.stdout}\n{proc.stderr}"
    data = json.loads((tmp_path / "results" / "market_search.json").read_text(encoding="utf-8"))
    assert "error" not in data, data.get("error")
    facts = data["facts"]
    assert facts["scale"] == "quick" and facts["bench_products"] == 20_000
    # The vocabulary postings (the source of df) cover every product (a dozen or more
    # words each); the match and the baseline both use SQLite's FTS5.
    assert facts["postings"] > 10 * facts["products"]
    assert facts["engine"] == "FTS5"
    rows = {r["label"]: r for r in data["rows"]}
    assert len(rows) == 8
    for row in rows.values():
        # The selector and the raw SQL find the same products in the same order.
        assert row["same_rows"], row["label"]
        assert row["p95_ms"] > 0 and row["raw_p95_ms"] > 0 and row["ratio"] > 0
        assert 2 <= row["queries"] <= 5, row["label"]
        # The engine alone (no vocabulary) finds the same products for these searches.
        assert row["plain_count"] == row["count"], row["label"]
    # Accent-free and typo searches find the products.
    assert rows["q='ca phe dak lak'"]["count"] > 0
    assert rows["q='ca phe buon ma thuat' (typo)"]["count"] > 0
    assert rows["q='mat ong bac ha'"]["rows"] == 24
