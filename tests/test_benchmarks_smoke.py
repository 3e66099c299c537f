"""CI's smoke run of the benchmark suite: every job of benchmarks/run.py works end to end on a tiny catalogue.

No timing is asserted here (benchmarks are run by hand, see benchmarks/README.md); this keeps the suite runnable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_suite_runs_every_job_on_a_small_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "120", "--dir", str(tmp_path / "cat"),
         "--json", str(out), "--only", "validate-cold,validate-warm,validate-changed,validate-1cpu,diff,proofs,stats,export"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    payload = json.loads(out.read_text(encoding="utf-8"))
    jobs = [row["job"] for row in payload["rows"]]
    assert jobs == [
        "validate-cold", "validate-warm", "validate-changed", "validate-1cpu", "diff", "proofs", "stats", "export"
    ]  # fmt: skip
    rows = {row["job"]: row for row in payload["rows"]}
    assert all(row["ok"] and row["wall_s"] > 0 and row["peak_rss_mb"] > 0 for row in rows.values())
    assert rows["validate-cold"]["findings"] == 0  # the generated catalogue is valid
    assert rows["validate-cold"]["cache_hits"] == 0
    assert rows["validate-warm"]["cache_hits"] > 0
    assert payload["catalogues"][0]["files"] > 120
    header = done.stdout.splitlines()[0].split()
    assert header[:4] == ["matters", "job", "code", "wall"]
    assert "validate-cold at 2,000,000, extrapolated" in done.stdout


def test_before_and_after_in_one_run(tmp_path: Path) -> None:
    """--before SRC: each job with the other code first, then this checkout's (here the same code twice), and the
    store jobs (cold and warm through the catalogue store, parquet)."""
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "120", "--dir", str(tmp_path / "cat"),
         "--json", str(out), "--before", str(ROOT / "src"),
         "--only", "validate-cold,validate-warm,proofs-cold,proofs-warm,stats-cold,stats-warm,parquet"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["job"], r["code"]) for r in rows] == [
        ("validate-cold", "before"), ("validate-cold", "after"), ("validate-warm", "before"),
        ("validate-warm", "after"), ("proofs-cold", "before"), ("proofs-cold", "after"), ("proofs-warm", "before"),
        ("proofs-warm", "after"), ("stats-cold", "before"), ("stats-cold", "after"), ("stats-warm", "before"),
        ("stats-warm", "after"), ("parquet", "after"),
    ]  # fmt: skip
    assert all(r["ok"] for r in rows)
    warm = {r["code"]: r for r in rows if r["job"] == "validate-warm"}
    assert warm["before"]["cache_hits"] > 0 and warm["after"]["cache_hits"] > 0
    assert list((tmp_path / "cat" / "store-120").glob("*/store.sqlite3"))  # the checkout's store: a folder of its own
