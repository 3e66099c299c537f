#!/usr/bin/env python3
"""Benchmark `mattercli proofs` on a generated catalogue with (at least) 300,000 material occurrences.

    python benchmarks/bench_proofs.py [--matters 39000] [--jobs N] [--keep DIR] [--seed S] [--wait-idle SECONDS]

Generates a catalogue with scripts/gen_catalog.py (or reuses the one in --keep DIR made with the same arguments),
then runs `mattercli proofs DIR --format json --output FILE` as a subprocess:

  no cache, jobs=N   the cold figure: every file parsed, N worker processes (default N = usable CPUs)
  no cache, jobs=1   the same in one process (skipped with --quick)
  cache, first run   parses every file and fills the cache (.mattercli-cache/ in the catalogue)
  cache, second run  every file found in the cache: nothing parsed
  text, cached       the default human output, cached

Each run is measured from a fresh measuring process: wall time; CPU time (user + system, the command and its
workers); peak RSS of the largest single process (ru_maxrss); the summed RSS of the process tree sampled from /proc
every 20 ms; and the 1-minute load average when it started (other work on the machine slows every run). Every file
is read once before each run, so the figures are for a warm page cache.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    describe_machine,
    ensure_catalogue,
    mattercli_command,
    remove_caches,
    run_measured_quiet,
    usable_cpus,
    wait_idle,
    warm_page_cache,
)

TARGET_OCCURRENCES = 300_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark mattercli proofs on a generated catalogue.")
    parser.add_argument("--matters", type=int, default=39000, help="matter files (~7.8 materials each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: usable CPUs)")
    parser.add_argument("--keep", type=Path, default=None, help="generate into / reuse this directory and keep it")
    parser.add_argument("--quick", action="store_true", help="skip the single-process run")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each run wait (up to SECONDS) for the load average to fall below 0.5 per CPU")  # fmt: skip
    args = parser.parse_args(argv)

    jobs = args.jobs or usable_cpus()
    temp = tempfile.mkdtemp(prefix="mattercli-bench-proofs-")
    root = args.keep.resolve() if args.keep is not None else Path(temp) / "catalog"
    out_file = Path(temp) / "proofs.json"
    try:
        print("\n".join(describe_machine()))
        catalogue = ensure_catalogue(root, args.matters, args.seed, occurrences=True)
        gen_seconds, files, occurrences = catalogue["generated_s"], catalogue["files"], catalogue["occurrences"]
        made = "reusing" if gen_seconds is None else f"generated in {gen_seconds:.1f}s:"
        print(f"{made} {root}: {files} YAML files, {occurrences} material occurrences")
        if occurrences < TARGET_OCCURRENCES:
            print(f"note: fewer than {TARGET_OCCURRENCES} occurrences; raise --matters", file=sys.stderr)
        remove_caches(root)
        warm = warm_page_cache(root)
        print(f"read every file once ({warm:.1f}s) so that runs measure mattercli, not the disk")
        base = [*mattercli_command(), "proofs", str(root), "--no-progress"]
        as_json = ["--format", "json", "--output", str(out_file)]
        plan = [(f"no cache, jobs={jobs}", [*as_json, "--no-cache", "--jobs", str(jobs)])]
        if not args.quick:
            plan.append(("no cache, jobs=1", [*as_json, "--no-cache", "--jobs", "1"]))
        plan += [
            ("cache, first run", [*as_json, "--jobs", str(jobs)]),
            ("cache, second run", [*as_json, "--jobs", str(jobs)]),
            ("text, cached", ["--jobs", str(jobs)]),
        ]
        rows = []
        summary: dict[str, object] = {}
        for label, extra in plan:
            load = wait_idle(args.wait_idle, jobs)
            warm_page_cache(root)
            result = run_measured_quiet(base + extra)
            del result["stdout"]  # sent to /dev/null
            if result["returncode"] not in (0, 1):
                print(f"{label}: mattercli exited {result['returncode']}:\n{result['stderr']}", file=sys.stderr)
                return 1
            if "--output" in extra:
                summary = json.loads(out_file.read_text(encoding="utf-8"))["summary"]
            rows.append({"run": label, "command": " ".join(base + extra), "load": load, **result,
                         "json_mb": out_file.stat().st_size / 1e6 if "--output" in extra else None})  # fmt: skip
        print(f"\nmatters {summary.get('matters')}, materials {summary.get('materials')}, proofs "
              f"{summary.get('proofs')}; findings: duplicates {summary.get('duplicates')}, cycles "
              f"{summary.get('cycles')}, shareable {summary.get('shareable')}, baseless {summary.get('baseless')}")  # fmt: skip
        header = (
            f"{'run':<20} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'tree PSS MB':>12} {'JSON MB':>8} {'load':>5}"
        )
        print(header)
        print("-" * len(header))
        for row in rows:
            size = f"{row['json_mb']:.1f}" if row["json_mb"] is not None else "-"
            print(f"{row['run']:<20} {row['wall']:>8.2f} {row['cpu']:>8.2f} {row['maxrss_kb'] / 1024:>12.0f} "
                  f"{row['tree_kb'] / 1024:>12.0f} {size:>8} {row['load'] or float('nan'):>5.2f}")  # fmt: skip
        print("\npeak RSS = largest single process; tree PSS = sampled sum of the PSS of the command and its workers;")
        print("CPU = user + system of the command and its workers; load = 1-minute load average at the start")
        if args.json:
            doc = {"machine": describe_machine(), "files": files, "occurrences": occurrences, "rows": rows}
            args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
