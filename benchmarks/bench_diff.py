#!/usr/bin/env python3
"""Benchmark `mattercli diff` on a generated 20,000-matter git repository (not a pytest test).

    python benchmarks/bench_diff.py [--matters 20000] [--changes 50,500] [--repeat 3] [--keep DIR] [--json]

For each K in --changes, scripts/gen_catalog.py makes a repository (`OUT --matters N --git --change K`: a first
commit with the catalogue, a second that modifies K implementation entries), reused from --keep DIR when it was
generated with the same arguments. Then, on HEAD~1..HEAD:

  git diff-tree  listing the changed files (gitio.diff_trees) — what git itself costs
  diff (warm)    mattercli.diff.compare.diff_revisions in this process, best and median of --repeat runs after a warm-up,
                 and the best CPU time of this process (steadier than wall time on a busy machine; the git
                 cat-file process's own CPU is not in it)
  diff (cold)    the first diff_revisions call in a fresh process (imports, schema compilation included)
  cli            `mattercli diff HEAD~1 HEAD --format json` as a subprocess, wall clock (CLI start-up included)

The per-file column divides the best warm time by the changed files; if the diff is O(changes) it stays flat while
K grows tenfold, and the warm time grows with K, not with the catalogue (the same 20,000 matters every time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import GENERATOR, ensure_catalogue, mattercli_command


def repository(base: Path, matters: int, changes: int, seed: int) -> tuple[Path, float | None]:
    """The generated repository for (matters, changes, seed), made unless already there; and the seconds it took."""
    root = base / f"m{matters}-k{changes}-s{seed}"
    return root, ensure_catalogue(root, matters, seed, change=changes)["generated_s"]


_COLD = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from mattercli.diff.compare import diff_revisions
d = diff_revisions(Path(sys.argv[1]), "HEAD~1", "HEAD")
print(json.dumps({"seconds": time.perf_counter() - t, "matters": d.summary.matters}))
"""


def measure(root: Path, repeat: int) -> dict[str, float | int | str]:
    from mattercli.catalogue.gitio import GitRepo
    from mattercli.diff.compare import diff_revisions, summary_text

    with GitRepo(root) as repo:
        started = time.perf_counter()
        listed = repo.diff_trees("HEAD~1", "HEAD")
        git_seconds = time.perf_counter() - started
    cold = json.loads(
        subprocess.run([sys.executable, "-c", _COLD, str(root)], check=True, capture_output=True, text=True).stdout
    )
    diff_revisions(root, "HEAD~1", "HEAD")  # warm-up: imports, schema compilation, OpenCC tables
    runs, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = diff_revisions(root, "HEAD~1", "HEAD")
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    started = time.perf_counter()
    subprocess.run(
        [*mattercli_command(), "diff", "HEAD~1", "HEAD", "--format", "json"],
        cwd=root,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cli_seconds = time.perf_counter() - started
    warm = statistics.median(runs)
    return {
        "changed_files": result.files_changed,
        "git_entries": len(listed),
        "matters_changed": result.summary.matters,
        "summary": summary_text(result.summary),
        "git_diff_tree_s": round(git_seconds, 3),
        "diff_warm_s": round(warm, 3),
        "diff_warm_best_s": round(min(runs), 3),
        "diff_warm_cpu_s": round(min(cpu), 3),
        "diff_warm_runs_s": [round(r, 3) for r in runs],
        "diff_cold_s": round(cold["seconds"], 3),
        "cli_s": round(cli_seconds, 3),
        "ms_per_changed_file": round(1000 * min(runs) / max(1, result.files_changed), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matters", type=int, default=20000)
    parser.add_argument("--changes", default="50,500", help="comma-separated K values (default 50,500)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into / reuse repositories under this directory")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not GENERATOR.is_file():
        parser.error(f"{GENERATOR} is missing")
    base = args.keep or Path(os.environ.get("TMPDIR", "/tmp")) / "mattercli-bench-diff"
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    for k in (int(x) for x in args.changes.split(",")):
        root, made = repository(base, args.matters, k, args.seed)
        row = {"k": k, "generated_s": None if made is None else round(made, 1), **measure(root, args.repeat)}
        rows.append(row)
        if not args.json:
            print(f"K={k}: {row['summary']}", file=sys.stderr)
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    info = {"matters": args.matters, "python": platform.python_version(), "cpus": os.cpu_count(), "rows": rows}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"catalogue: {args.matters} matters; python {info['python']}; {info['cpus']} CPUs; load average {load:.1f}")
    header = f"{'K':>6} {'files':>6} {'diff-tree':>10} {'best':>8} {'median':>8} {'cpu':>8} {'cold':>8} {'cli':>8} {'ms/file':>8}"
    print(header)
    for r in rows:
        print(
            f"{r['k']:>6} {r['changed_files']:>6} {r['git_diff_tree_s']:>9.3f}s {r['diff_warm_best_s']:>7.3f}s "
            f"{r['diff_warm_s']:>7.3f}s {r['diff_warm_cpu_s']:>7.3f}s "
            f"{r['diff_cold_s']:>7.3f}s {r['cli_s']:>7.3f}s {r['ms_per_changed_file']:>8.2f}"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"files ×{last['changed_files'] / max(1, first['changed_files']):.1f} → warm diff (best) "
            f"×{last['diff_warm_best_s'] / max(1e-9, first['diff_warm_best_s']):.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
