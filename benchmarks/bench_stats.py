#!/usr/bin/env python3
"""Benchmark `mattercli stats` on a generated catalogue (not a pytest test).

    python benchmarks/bench_stats.py [--matters 20000] [--change 500] [--keep DIR] [--repeat 2]

Generates a git catalogue with scripts/gen_catalog.py (--git --change K: a second commit changing K entries), or
reuses the one in --keep DIR, then times `mattercli stats` as a subprocess (best of --repeat runs, warm cache):

  the work tree with --no-cache (default --jobs, and --jobs 1), with the record cache cold and warm;
  --baseline HEAD~1 (the baseline read from git blobs) without and with the cache; --rev HEAD --baseline HEAD~1;
  --by department with a baseline (every figure for every department); --charts-dir (7 charts, PNG + SVG).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import CACHE_DIR, GENERATOR, ensure_catalogue, mattercli_command


def timed(args: list[str], repeat: int, clear: Path | None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if clear is not None:
            shutil.rmtree(clear, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matters", type=int, default=20_000)
    parser.add_argument("--change", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="generate into (and reuse) this directory")
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    if not GENERATOR.is_file():
        print(f"{GENERATOR} is missing", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    catalog = options.keep or scratch / "catalog"
    try:
        generated = ensure_catalogue(catalog, options.matters, change=options.change)["generated_s"] or 0.0
        out = scratch / "out"
        base = [*mattercli_command(), "stats", str(catalog), "--format", "json", "--output", str(out / "stats.json")]
        cache = catalog / CACHE_DIR
        cases = {  # name: (arguments, clear the cache before each run)
            "worktree, no cache": ([*base, "--no-cache"], False),
            "worktree, no cache, jobs=1": ([*base, "--no-cache", "--jobs", "1"], False),
            "worktree, cache cold (fills it)": (base, True),
            "worktree, cache warm": (base, False),
            "baseline HEAD~1, no cache": ([*base, "--baseline", "HEAD~1", "--no-cache"], False),
            "baseline HEAD~1, cache warm": ([*base, "--baseline", "HEAD~1"], False),
            "rev HEAD + baseline HEAD~1, cache warm": ([*base, "--rev", "HEAD", "--baseline", "HEAD~1"], False),
            "by department + baseline, cache warm": ([*base, "--baseline", "HEAD~1", "--by", "department"], False),
            "charts, cache warm": ([*base, "--charts-dir", str(out / "charts")], False),
        }
        files = sum(1 for _ in catalog.rglob("*.yaml"))
        print(f"# mattercli stats on {files} files ({options.matters} matters requested, --change {options.change})")
        print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"generated in {generated:.1f}s")  # fmt: skip
        print(f"| case | seconds (best of {options.repeat}) |")
        print("|---|---:|")
        for name, (args, clear) in cases.items():
            print(f"| {name} | {timed(args, options.repeat, cache if clear else None):.1f} |", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
