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
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "scripts" / "gen_catalog.py"
MARKER = ".bench-proofs.json"
TARGET_OCCURRENCES = 300_000


def mattercli_command() -> list[str]:
    beside = Path(sys.executable).parent / "mattercli"
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]


def _tree_rss_kb(root_pid: int) -> int:
    """Summed VmRSS of root_pid and its descendants, from /proc (0 where /proc is not available)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                ppid = vm = 0
                for line in fh:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        vm = int(line.split()[1])
        except (OSError, ValueError):
            continue
        rss[int(entry)] = vm
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def measure(command: list[str]) -> dict[str, object]:
    """Run `command`; wall and CPU time, exit code, stderr, peak RSS (largest process) and sampled tree RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "returncode": proc.returncode,
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
        "maxrss_kb": usage.ru_maxrss,
        "tree_kb": peak_tree,
    }


def run_measured(command: list[str]) -> dict[str, object]:
    """measure() in a fresh Python process, so RUSAGE_CHILDREN covers this one run only."""
    out = subprocess.run(
        [sys.executable, __file__, "--_measure", json.dumps(command)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def count_occurrences(root: Path) -> int:
    """Material occurrences in the matter files (each 材料名称 key in block style is one)."""
    total = 0
    for folder in ("base", "impl"):
        for path in (root / folder).rglob("*.yaml"):
            total += path.read_text(encoding="utf-8").count("材料名称:")
    return total


def ensure_catalogue(root: Path, matters: int, seed: int) -> tuple[float | None, int, int]:
    """Generate into root unless already there; (generation seconds or None, YAML files, material occurrences)."""
    wanted = {"matters": matters, "seed": seed}
    marker = root / MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")).get("args") == wanted:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return None, data["files"], data["occurrences"]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--matters", str(matters), "--seed", str(seed), "--force"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    files = sum(1 for _ in root.rglob("*.yaml"))
    occurrences = count_occurrences(root)
    marker.write_text(json.dumps({"args": wanted, "files": files, "occurrences": occurrences}), encoding="utf-8")
    return seconds, files, occurrences


def warm_page_cache(root: Path) -> float:
    """Read every file once: other work on the machine may have dropped the page cache (a cold disk adds ~10 s)."""
    started = time.perf_counter()
    for path in root.rglob("*.yaml"):
        path.read_bytes()
    return time.perf_counter() - started


def wait_idle(limit: float, cpus: int) -> float | None:
    """Wait up to `limit` seconds for a quiet machine; the 1-minute load average when the run starts."""
    if not hasattr(os, "getloadavg"):
        return None
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= 0.5 * cpus and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def describe_machine() -> list[str]:
    lines = [f"python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}"]
    lines.append(f"nproc {os.cpu_count()}, usable CPUs {len(os.sched_getaffinity(0))}")
    if hasattr(os, "getloadavg"):
        lines.append("load average before runs: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return lines


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
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._measure:
        print(json.dumps(measure(json.loads(args._measure))))
        return 0

    jobs = args.jobs or len(os.sched_getaffinity(0))
    temp = tempfile.mkdtemp(prefix="mattercli-bench-proofs-")
    root = args.keep.resolve() if args.keep is not None else Path(temp) / "catalog"
    out_file = Path(temp) / "proofs.json"
    try:
        print("\n".join(describe_machine()))
        gen_seconds, files, occurrences = ensure_catalogue(root, args.matters, args.seed)
        made = "reusing" if gen_seconds is None else f"generated in {gen_seconds:.1f}s:"
        print(f"{made} {root}: {files} YAML files, {occurrences} material occurrences")
        if occurrences < TARGET_OCCURRENCES:
            print(f"note: fewer than {TARGET_OCCURRENCES} occurrences; raise --matters", file=sys.stderr)
        shutil.rmtree(root / ".mattercli-cache", ignore_errors=True)
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
            result = run_measured(base + extra)
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
            f"{'run':<20} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'tree RSS MB':>12} {'JSON MB':>8} {'load':>5}"
        )
        print(header)
        print("-" * len(header))
        for row in rows:
            size = f"{row['json_mb']:.1f}" if row["json_mb"] is not None else "-"
            print(f"{row['run']:<20} {row['wall']:>8.2f} {row['cpu']:>8.2f} {row['maxrss_kb'] / 1024:>12.0f} "
                  f"{row['tree_kb'] / 1024:>12.0f} {size:>8} {row['load'] or float('nan'):>5.2f}")  # fmt: skip
        print("\npeak RSS = largest single process; tree RSS = sampled sum of the command and its workers;")
        print("CPU = user + system of the command and its workers; load = 1-minute load average at the start")
        if args.json:
            doc = {"machine": describe_machine(), "files": files, "occurrences": occurrences, "rows": rows}
            args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
