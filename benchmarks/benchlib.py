"""What every benchmark script shares: finding mattercli, generating (or reusing) a catalogue, measuring one run of
a command in a process of its own (wall, CPU of the whole process tree, peak RSS), waiting for a quiet machine.

Not a pytest module; imported by the scripts beside it (`python benchmarks/<script>.py` puts this folder on
sys.path). `python benchmarks/benchlib.py --_measure '<json argv>'` is the measuring process run_measured() starts.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "scripts" / "gen_catalog.py"
MARKER = ".bench-catalog.json"  # dot files are not catalogue files
CACHE_DIR = ".mattercli-cache"  # the per-file result caches at the catalogue root


def mattercli_command() -> list[str]:
    """The mattercli beside this Python (the venv's), on PATH, or `python -c` on the importable package."""
    beside = Path(sys.executable).parent / "mattercli"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("mattercli")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]


# -- catalogues --------------------------------------------------------------------------------------------------


def count_occurrences(root: Path) -> int:
    """Material occurrences in the matter files (each 材料名称 key in block style is one)."""
    total = 0
    for folder in ("base", "impl"):
        for path in (root / folder).rglob("*.yaml"):
            total += path.read_text(encoding="utf-8").count("材料名称:")
    return total


def ensure_catalogue(
    root: Path, matters: int, seed: int = 1, change: int | None = None, occurrences: bool = False
) -> dict[str, Any]:
    """Generate into root (with --git --change K when change is given) unless a run with the same arguments left it
    there. Returns {"args", "files", "occurrences" (when asked for), "generated_s" (None when reused)}."""
    wanted: dict[str, Any] = {"matters": matters, "seed": seed, "change": change}
    marker = root / MARKER
    if marker.is_file():
        known = json.loads(marker.read_text(encoding="utf-8"))
        complete = change is None or (root / ".git").is_dir()
        if known.get("args") == wanted and complete and (not occurrences or "occurrences" in known):
            return known | {"generated_s": None}
    command = [sys.executable, str(GENERATOR), str(root), "--matters", str(matters), "--seed", str(seed), "--force"]
    if change is not None:
        command += ["--git", "--change", str(change)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    info: dict[str, Any] = {"args": wanted, "files": sum(1 for _ in root.rglob("*.yaml"))}
    if occurrences:
        info["occurrences"] = count_occurrences(root)
    marker.write_text(json.dumps(info), encoding="utf-8")
    if (root / ".git").is_dir():  # the marker is not part of the catalogue's history
        exclude = root / ".git" / "info" / "exclude"
        exclude.parent.mkdir(exist_ok=True)
        old = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        if MARKER not in old.split():
            exclude.write_text(old + f"\n{MARKER}\n", encoding="utf-8")
    return info | {"generated_s": seconds}


def warm_page_cache(root: Path) -> float:
    """Read every file once, so a run measures the program, not the disk."""
    started = time.perf_counter()
    for path in root.rglob("*.yaml"):
        path.read_bytes()
    return time.perf_counter() - started


def drop_page_cache() -> bool:
    """Drop the kernel's page cache (root only); False when not allowed."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


def remove_caches(root: Path) -> None:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


# -- measuring one run (in a child process of its own, so ru_maxrss is per run) --------------------------------


def _pss_kb(pid: int) -> int | None:
    """Proportional set size: private pages plus each shared page divided by its sharers (None: not readable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def tree_rss_kb(root_pid: int) -> int:
    """Memory of root_pid and its descendants, from /proc: the sum of their PSS (so pages that forked workers share
    with their parent count once), or of their VmRSS where smaps_rollup cannot be read. 0 without /proc."""
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
        if pid in rss:
            pss = _pss_kb(pid)
            total += rss[pid] if pss is None else pss
        stack.extend(children.get(pid, ()))
    return total


def measure(command: list[str], cwd: str | None = None) -> dict[str, Any]:
    """Run `command`: wall time, exit code, output, peak RSS of its largest process, sampled RSS of its tree, CPU."""
    return _measure(command, cwd, keep_stdout=True)


def _measure(
    command: list[str], cwd: str | None, keep_stdout: bool, env: dict[str, str] | None = None
) -> dict[str, Any]:
    started = time.perf_counter()
    out = subprocess.PIPE if keep_stdout else subprocess.DEVNULL
    proc = subprocess.Popen(
        command, stdout=out, stderr=subprocess.PIPE, cwd=cwd, env={**os.environ, **env} if env else None
    )
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, tree_rss_kb(proc.pid))
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
        "stdout": stdout.decode("utf-8", "replace") if stdout is not None else "",
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
        "maxrss_kb": maxrss,
        "tree_kb": peak_tree,
        "cpu": usage.ru_utime + usage.ru_stime,  # the run and its (waited-for) worker processes
    }


def run_measured(command: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """measure() in a fresh Python process, so RUSAGE_CHILDREN covers this one run only; `env` is added to the
    environment of the command."""
    return _run_measurer({"command": command, "cwd": cwd, "env": env or {}})


def run_measured_quiet(command: list[str], cwd: str | None = None) -> dict[str, Any]:
    """run_measured() with the command's standard output sent to /dev/null ("stdout" is ""): for a command whose
    output is large and not needed, so that neither the timing nor the result carries it."""
    return _run_measurer({"command": command, "cwd": cwd, "stdout": False})


def _run_measurer(spec: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--_measure", json.dumps(spec)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# -- the machine -------------------------------------------------------------------------------------------------


def wait_idle(limit: float, cpus: int | None = None) -> float | None:
    """Wait up to `limit` seconds for the 1-minute load average to fall below 0.5 per CPU; the load at the start."""
    if not hasattr(os, "getloadavg"):
        return None
    cpus = cpus or usable_cpus()
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= 0.5 * cpus and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def load_average() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_total_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def describe_machine() -> list[str]:
    memory = memory_total_gib()
    lines = [f"python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}"]
    lines.append(
        f"{cpu_model()}; nproc {os.cpu_count()}, usable CPUs {usable_cpus()}"
        + (f"; memory {memory:.1f} GiB" if memory else "")
    )
    if hasattr(os, "getloadavg"):
        lines.append("load average before runs: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return lines


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--_measure":
    spec = json.loads(sys.argv[2])
    print(
        json.dumps(
            _measure(spec["command"], spec.get("cwd"), keep_stdout=spec.get("stdout", True), env=spec.get("env"))
        )
    )
