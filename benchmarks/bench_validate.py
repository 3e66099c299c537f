#!/usr/bin/env python3
"""Benchmark `mattercli validate` on a generated catalogue (not a pytest test).

    python benchmarks/bench_validate.py [--matters 20000] [--jobs N] [--keep DIR] [--seed S] [--repeat R]

Generates a catalogue with scripts/gen_catalog.py (or reuses the one in --keep DIR when it was generated with the
same arguments), then runs `mattercli validate DIR --format json` as a subprocess, several times:

  cold      default options, after deleting the per-file result cache (.mattercli-cache/) and asking the kernel
            to drop its page cache (only works as root; the table says whether it did)
  jobs=1    `--jobs 1 --no-cache`: one process, every file checked
  jobs=N    `--jobs N --no-cache` (default N = the CPU count, which is also validate's own default)
  warm      default options again: unchanged files come from the result cache the cold run wrote

Each run is measured from a fresh measuring process, so `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` is that
run's own peak: the resident set of its largest single process (the main process or one worker). The summed RSS
of the whole process tree is also sampled from /proc every 20 ms, which shows what parallel workers cost together.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    describe_machine,
    drop_page_cache,
    ensure_catalogue,
    mattercli_command,
    remove_caches,
    run_measured,
    usable_cpus,
    wait_idle,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark mattercli validate on a generated catalogue.")
    parser.add_argument("--matters", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for the parallel run (default: CPUs)")
    parser.add_argument("--keep", type=Path, default=None, help="generate into / reuse this directory and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="warm runs of each configuration (best is shown)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each run wait (up to SECONDS) for the 1-minute load average to fall below 0.5 per CPU",
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=None,
        help="run mattercli from this src/ directory (e.g. a `git archive` snapshot) instead of the installed one",
    )
    args = parser.parse_args(argv)

    jobs = args.jobs or usable_cpus()
    temp = None
    if args.keep is not None:
        root = args.keep.resolve()
    else:
        temp = tempfile.mkdtemp(prefix="mattercli-bench-")
        root = Path(temp) / "catalog"
    try:
        print("\n".join(describe_machine()))
        catalogue = ensure_catalogue(root, args.matters, args.seed)
        gen_seconds, files = catalogue["generated_s"], catalogue["files"]
        if gen_seconds is None:
            print(f"reusing {root} ({files} YAML files)")
        else:
            print(f"generated {args.matters} matters ({files} YAML files) in {gen_seconds:.2f}s into {root}")
        runner = mattercli_command()
        if args.src is not None:
            src = str(args.src.resolve())
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
            runner = [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]
            print(f"mattercli from {src}")
        base = [*runner, "validate", str(root), "--format", "json", "--no-progress"]
        # (label, extra options, cold: clear the result cache and the page cache first)
        plan: list[tuple[str, list[str], bool]] = [
            ("cold, default options", [], True),
            ("jobs=1, no cache", ["--jobs", "1", "--no-cache"], False),
            (f"jobs={jobs}, no cache", ["--jobs", str(jobs), "--no-cache"], False),
            ("default, warm cache", [], False),
        ]
        rows = []
        for label, extra, cold in plan:
            best = None
            for _ in range(1 if cold else max(1, args.repeat)):
                load = wait_idle(args.wait_idle, jobs)
                if cold:
                    remove_caches(root)
                dropped = drop_page_cache() if cold else None
                result = run_measured(base + extra)
                if result["returncode"] not in (0, 1):
                    print(f"\n{label}: mattercli exited {result['returncode']}:\n{result['stderr']}", file=sys.stderr)
                    rows.append({"run": label, "command": shlex.join(base + extra), "failed": result["returncode"]})
                    best = None
                    break
                report = json.loads(result["stdout"])
                summary = report["summary"]
                row = {
                    "run": label + (" (page cache dropped)" if dropped else ""),
                    "command": shlex.join(base + extra),
                    "matters": summary["matters"],
                    "files": summary["files"],
                    "wall": result["wall"],
                    "internal": summary.get("seconds"),
                    "rate": summary["matters"] / result["wall"],
                    "cpu": result["cpu"],
                    "maxrss_mb": result["maxrss_kb"] / 1024,
                    "tree_mb": result["tree_kb"] / 1024,
                    "findings": len(report["findings"]),
                    "errors": summary["errors"],
                    "by_rule": summary.get("by_rule", {}),
                    "cache": report.get("cache"),
                    "load": load,
                }
                if best is None or row["wall"] < best["wall"]:
                    best = row
            if best is not None:
                rows.append(best)
        print()
        header = (
            f"{'run':<34} {'matters':>8} {'files':>7} {'wall s':>8} {'matters/s':>10} {'CPU s':>7} {'peak RSS MB':>12} "
        )
        header += f"{'tree PSS MB':>12} {'findings':>9} {'load':>5}"
        print(header)
        print("-" * len(header))
        for row in rows:
            if "failed" in row:
                print(f"{row['run']:<34} FAILED (exit {row['failed']})")
                continue
            print(
                f"{row['run']:<34} {row['matters']:>8} {row['files']:>7} {row['wall']:>8.2f} {row['rate']:>10.0f} "
                f"{row['cpu']:>7.1f} "
                f"{row['maxrss_mb']:>12.0f} {row['tree_mb']:>12.0f} {row['findings']:>9} "
                f"{row['load'] if row['load'] is not None else float('nan'):>5.2f}"
            )
        print("\npeak RSS = largest single process (ru_maxrss of RUSAGE_CHILDREN); tree PSS = sampled PSS sum of all")
        print("processes; CPU s = user+sys of the run and its workers; load = 1-minute load average when the run")
        print("started (other work on the machine: with load > CPUs, wall time overstates the cost, CPU s does not)")
        print("commands:")
        for row in rows:
            print(f"  {row['run']}: {row['command']}")
        for row in rows:
            if row.get("cache"):
                print(f"cache ({row['run']}): {row['cache']}")
        for row in rows:
            if row.get("by_rule"):
                print(f"findings by rule ({row['run']}): {row['by_rule']}")
                break
        if args.json:
            args.json.write_text(
                json.dumps({"machine": describe_machine(), "generation_seconds": gen_seconds, "rows": rows}, indent=2),
                encoding="utf-8",
            )
        return 0 if all("failed" not in r for r in rows) else 1
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
