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
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "scripts" / "gen_catalog.py"
MARKER = ".bench-catalog.json"  # dot files are not catalogue files
CACHE_DIR = ".mattercli-cache"  # validate's per-file result cache at the catalogue root


def mattercli_command() -> list[str]:
    beside = Path(sys.executable).parent / "mattercli"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("mattercli")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]


# -- measuring one run (in a child process of its own, so ru_maxrss is per run) --------------------------------


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
                ppid, vm = 0, 0
                for line in fh:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        vm = int(line.split()[1])
        except (OSError, ValueError):
            continue
        pid = int(entry)
        rss[pid] = vm
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def measure(command: list[str]) -> dict[str, object]:
    """Run `command`, return wall time, exit code, stdout, its peak RSS (largest process) and sampled tree RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    maxrss = usage.ru_maxrss  # KiB on Linux
    if sys.platform == "darwin":
        maxrss //= 1024
    return {
        "wall": wall,
        "returncode": proc.returncode,
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
        "maxrss_kb": maxrss,
        "tree_kb": peak_tree,
        "cpu": usage.ru_utime + usage.ru_stime,  # the run and its (waited-for) worker processes
    }


def run_measured(command: list[str]) -> dict[str, object]:
    """measure() in a fresh Python process, so RUSAGE_CHILDREN covers this one run only."""
    out = subprocess.run(
        [sys.executable, __file__, "--_measure", json.dumps(command)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# -- catalogue ---------------------------------------------------------------------------------------------------


def ensure_catalogue(root: Path, matters: int, seed: int) -> tuple[float | None, int]:
    """Generate the catalogue into root unless it is already there; (generation seconds or None, file count)."""
    wanted = {"matters": matters, "seed": seed}
    marker = root / MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return None, sum(1 for _ in root.rglob("*.yaml"))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--matters", str(matters), "--seed", str(seed), "--force"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return seconds, sum(1 for _ in root.rglob("*.yaml"))


def wait_idle(limit: float, cpus: int) -> float | None:
    """Wait up to `limit` seconds for a quiet machine; the 1-minute load average when the run starts."""
    if not hasattr(os, "getloadavg"):
        return None
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= 0.5 * cpus and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def drop_page_cache() -> bool:
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


# -- main --------------------------------------------------------------------------------------------------------


def describe_machine() -> list[str]:
    lines = [f"python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}"]
    lines.append(f"nproc {os.cpu_count()}, usable CPUs {len(os.sched_getaffinity(0))}")
    if hasattr(os, "getloadavg"):
        lines.append("load average before runs: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return lines


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
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._measure:
        print(json.dumps(measure(json.loads(args._measure))))
        return 0

    jobs = args.jobs or len(os.sched_getaffinity(0))
    temp = None
    if args.keep is not None:
        root = args.keep.resolve()
    else:
        temp = tempfile.mkdtemp(prefix="mattercli-bench-")
        root = Path(temp) / "catalog"
    try:
        print("\n".join(describe_machine()))
        gen_seconds, files = ensure_catalogue(root, args.matters, args.seed)
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
                    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
                dropped = drop_page_cache() if cold else None
                result = run_measured(base + extra)
                if result["returncode"] not in (0, 1):
                    print(f"\n{label}: mattercli exited {result['returncode']}:\n{result['stderr']}", file=sys.stderr)
                    rows.append({"run": label, "command": shlex.join(base + extra), "failed": result["returncode"]})
                    best = None
                    break
                report = json.loads(str(result["stdout"]))
                summary = report["summary"]
                row = {
                    "run": label + (" (page cache dropped)" if dropped else ""),
                    "command": shlex.join(base + extra),
                    "matters": summary["matters"],
                    "files": summary["files"],
                    "wall": result["wall"],
                    "internal": summary.get("seconds"),
                    "rate": summary["matters"] / float(result["wall"]),  # type: ignore[arg-type]
                    "cpu": result["cpu"],
                    "maxrss_mb": int(result["maxrss_kb"]) / 1024,  # type: ignore[call-overload]
                    "tree_mb": int(result["tree_kb"]) / 1024,  # type: ignore[call-overload]
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
        header += f"{'tree RSS MB':>12} {'findings':>9} {'load':>5}"
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
        print("\npeak RSS = largest single process (ru_maxrss of RUSAGE_CHILDREN); tree RSS = sampled sum of all")
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
