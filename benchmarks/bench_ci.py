#!/usr/bin/env python3
"""Benchmark `mattercli validate` as CI and editors run it: cold, cached, and --changed-since (not a pytest test).

    python benchmarks/bench_ci.py [--matters 20000] [--change 10] [--jobs N] [--keep DIR] [--grow 100,1000]
                                  [--cold-changed] [--json FILE]

Generates a git catalogue with `scripts/gen_catalog.py OUT --matters N --git --change K` (a second commit that
modifies K implementation entries), or reuses the one in --keep DIR made with the same arguments, then runs
`mattercli validate` as a subprocess, each time with `--format json` (which reports the engine's own time and the
cache statistics):

  full cold            .mattercli-cache/ removed first: every file parsed and checked
  full warm            the same again: per-file results from the cache, cross-file checks re-run
  changed HEAD~1       --changed-since HEAD~1 (the generator's K-file commit), warm cache
  changed worktree K   K implementation files edited in the work tree (a comment added: new content, so each one
                       is parsed and checked), --changed-since HEAD; repeated for each --grow size
  changed cold         (--cold-changed) --changed-since HEAD~1 with no cache: the quick summary pass over all files

Edited files are restored with `git checkout` afterwards. Wall time includes starting Python and importing
mattercli; "engine" is validate's own time from the JSON report; "cpu" is the user+system time of the mattercli
process and its worker processes (the ratio least disturbed by other load on the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ensure_catalogue, mattercli_command, remove_caches, run_measured


def generate(root: Path, matters: int, change: int, seed: int) -> None:
    made = ensure_catalogue(root, matters, seed, change=change)["generated_s"]
    print(f"reusing {root}" if made is None else f"generated {root} in {made:.1f}s", file=sys.stderr)


def run(root: Path, *args: str, jobs: int | None) -> dict[str, Any]:
    out = root.parent / f".{root.name}-bench-report.json"
    command = [*mattercli_command(), "validate", str(root), "--format", "json", "--output", str(out), "--no-progress"]
    if jobs:
        command += ["--jobs", str(jobs)]
    result = run_measured([*command, *args])  # cpu: mattercli and the worker processes it waited for
    if result["returncode"] not in (0, 1):
        raise SystemExit(f"mattercli failed ({result['returncode']}): {result['stderr']}")
    doc = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    changed = doc.get("changed_since") or {}
    return {
        "wall": result["wall"],
        "cpu": result["cpu"],
        "engine": doc["summary"]["seconds"],
        "files": doc["summary"]["files"],
        "findings": len(doc["findings"]),
        "cache": doc.get("cache", {}),
        "affected": len(changed.get("affected", [])),
        "summarised": changed.get("summarised"),
    }


def edit_worktree(root: Path, count: int) -> list[Path]:
    """Append a comment to `count` implementation files: new content (each size its own), the same matters."""
    files = sorted((root / "impl").rglob("*.yaml"))[:count]
    for path in files:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# bench: 工作区修改 {count}\n")
    return files


def restore(root: Path) -> None:
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "--", "."], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matters", type=int, default=20000)
    parser.add_argument("--change", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: validate's, the CPU count)")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--grow", default="100,1000", help="further work-tree change sizes, comma-separated")
    parser.add_argument("--cold-changed", action="store_true", help="also time --changed-since without a cache")
    parser.add_argument("--json", type=Path, help="write the measurements here as JSON")
    args = parser.parse_args()

    import tempfile

    holder = None
    if args.keep is not None:
        root = args.keep.resolve()
    else:
        holder = tempfile.TemporaryDirectory(prefix="bench-ci-")
        root = Path(holder.name) / "catalog"
    generate(root, args.matters, args.change, args.seed)
    jobs = args.jobs or None
    rows: list[tuple[str, dict[str, Any]]] = []
    try:
        remove_caches(root)
        rows.append(("full cold", run(root, jobs=jobs)))
        rows.append(("full warm", run(root, jobs=jobs)))
        rows.append((f"changed HEAD~1 ({args.change} files)", run(root, "--changed-since", "HEAD~1", jobs=jobs)))
        for size in [args.change, *(int(x) for x in args.grow.split(",") if x)]:
            edit_worktree(root, size)
            try:
                rows.append((f"changed worktree {size} files", run(root, "--changed-since", "HEAD", jobs=jobs)))
            finally:
                restore(root)
        if args.cold_changed:
            remove_caches(root)
            rows.append(("changed cold (no cache)", run(root, "--changed-since", "HEAD~1", "--no-cache", jobs=jobs)))
    finally:
        if holder is not None:
            holder.cleanup()

    cold = rows[0][1]
    print(
        f"\nmattercli validate on {args.matters} matters ({platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})"
    )
    print(
        f"{'run':<30} {'wall s':>7} {'engine s':>8} {'cpu s':>7} {'files':>6} {'hits':>6} {'misses':>6} "
        f"{'wall ×':>7} {'engine ×':>8} {'cpu ×':>6}"
    )
    for name, r in rows:
        ratios = [cold[k] / r[k] if r[k] else float("inf") for k in ("wall", "engine", "cpu")]
        print(
            f"{name:<30} {r['wall']:>7.2f} {r['engine']:>8.2f} {r['cpu']:>7.2f} {r['files']:>6} "
            f"{r['cache'].get('hits', 0):>6} {r['cache'].get('misses', 0):>6} "
            f"{ratios[0]:>6.1f}x {ratios[1]:>7.1f}x {ratios[2]:>5.1f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(dict(rows), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
