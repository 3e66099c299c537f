#!/usr/bin/env python3
"""The benchmark suite in one command: every main job of mattercli at province scale, one table (not a pytest test).

    python benchmarks/run.py [--sizes 20000,200000] [--dir /tmp/mattercli-bench] [--only validate-cold,diff,...]
                             [--jobs N] [--wait-idle SECONDS] [--markdown] [--json FILE]

For each size N it generates (or reuses) a git catalogue with `scripts/gen_catalog.py DIR --matters N --git
--change K` (K = N/200: a second commit changing 0.5 % of the implementation entries), reads every file once (so
the runs measure mattercli, not the disk), then runs each job below as a subprocess of a fresh measuring process
(benchlib.run_measured): wall time, CPU seconds of the job and its worker processes, the peak RSS of its largest
process, and the sampled peak of its whole process tree's PSS (shared pages of forked workers counted once).

  validate-cold     mattercli validate DIR, caches removed: every file read, parsed and checked
  validate-warm     the same again: per-file results from .mattercli-cache/, cross-file checks re-run
  validate-changed  validate --changed-since HEAD~1 (warm cache): what a pull request's CI job runs
  validate-1cpu     validate --jobs 1 --no-cache: one process, for the per-core rate (only with --only)
  diff              mattercli diff HEAD~1 HEAD --format json: the K changed matters, from git blobs
  proofs            mattercli proofs DIR --format json --no-cache: duplicate/circular/shareable/baseless proofs
  stats             mattercli stats DIR --baseline HEAD~1 --format json --no-cache: the reform statistics
  export            mattercli export DIR (every shipped list of catalog/lists, csv+json+md) into a temp folder
  proofs-cold       mattercli proofs DIR --format json with the catalogue store, the store removed first
  proofs-warm       the same again: every file's record from the store's proofs view
  stats-cold        mattercli stats DIR --baseline HEAD~1 --format json with the store, removed first
  stats-warm        the same again: every record from the store's stats view
  parquet           mattercli parquet DIR (warm store): matters.parquet and materials.parquet

--before SRC runs every job twice, first with the code in SRC (a `src/` folder, e.g. `git archive <commit> src |
tar -x -C /tmp/before`, on PYTHONPATH) and then with this checkout's, in the same run and on the same catalogue;
each version keeps its caches apart (the checkout's store goes to a MATTERCLI_CACHE_DIR of its own; the code before
keeps its caches in the catalogue's .mattercli-cache/). A job the code before does not have is run only after.

"matters/s" divides N by the wall time. Every job must exit 0 (the generated catalogue is valid; proofs exits 1
because it finds the planted candidates); otherwise its error output is printed and the run exits 1. Targets (issue 9) are checked at 200,000 matters and
extrapolated linearly to 2,000,000 from the largest size run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    describe_machine,
    ensure_catalogue,
    load_average,
    mattercli_command,
    remove_caches,
    run_measured,
    usable_cpus,
    wait_idle,
    warm_page_cache,
)

REPO = Path(__file__).resolve().parent.parent
LISTS = REPO / "catalog" / "lists"
DEFAULT_JOBS = ["validate-cold", "validate-warm", "validate-changed", "diff", "proofs", "stats", "export"]
STORE_JOBS = ["proofs-cold", "proofs-warm", "stats-cold", "stats-warm", "parquet"]
ALL_JOBS = [*DEFAULT_JOBS, "validate-1cpu", *STORE_JOBS]
#: Jobs that need the catalogue store (run only with the checkout's code).
AFTER_ONLY = {"parquet"}
#: (job, matters) -> the target in seconds from issue 9; memory is checked on every job.
TARGETS = {("validate-cold", 200_000): 180.0, ("validate-warm", 200_000): 10.0}
MEMORY_TARGET_MB = 2048
#: Exit codes that mean the job worked: proofs exits 1 when it finds candidates (the generator plants some).
EXPECTED_EXIT = {"proofs": (0, 1), "proofs-cold": (0, 1), "proofs-warm": (0, 1)}
TARGET_2M_COLD_S = 1800.0


def job_command(job: str, root: Path, jobs: int | None, out: Path, cli: list[str] | None = None) -> list[str]:
    cli = cli or mattercli_command()
    workers = ["--jobs", str(jobs)] if jobs else []
    if job in ("validate-cold", "validate-warm"):
        return [*cli, "validate", str(root), "--format", "json", "--no-progress", *workers]
    if job == "validate-changed":
        return [*cli, "validate", str(root), "--changed-since", "HEAD~1", "--format", "json", "--no-progress", *workers]
    if job == "validate-1cpu":
        return [*cli, "validate", str(root), "--format", "json", "--no-progress", "--jobs", "1", "--no-cache"]
    if job == "diff":
        return [*cli, "diff", "HEAD~1", "HEAD", "--catalog", str(root), "--format", "json", "--output", str(out)]
    if job == "proofs":
        return [*cli, "proofs", str(root), "--format", "json", "--no-cache", "--no-progress", "--output", str(out),
                *workers]  # fmt: skip
    if job == "stats":
        return [*cli, "stats", str(root), "--baseline", "HEAD~1", "--format", "json", "--no-cache", "--output",
                str(out), *workers]  # fmt: skip
    if job in ("proofs-cold", "proofs-warm"):
        return [*cli, "proofs", str(root), "--format", "json", "--no-progress", "--output", str(out), *workers]
    if job in ("stats-cold", "stats-warm"):
        return [*cli, "stats", str(root), "--baseline", "HEAD~1", "--format", "json", "--output", str(out), *workers]
    if job == "parquet":
        return [*cli, "parquet", str(root), "--output", str(out), *workers]
    if job == "export":
        return [*cli, "export", str(root), "--definitions", str(LISTS), "--output", str(out), "--format", "csv",
                "--format", "json", "--format", "md", *workers]  # fmt: skip
    raise ValueError(job)


def run_job(
    job: str,
    root: Path,
    matters: int,
    jobs: int | None,
    wait: float,
    code: str = "after",
    before: Path | None = None,
    store: Path | None = None,
    after: Path | None = None,
) -> dict[str, Any]:
    """One job with the checkout's code (`code` "after"; its store in `store` when given) or, `code` "before",
    with the code in the `before` src folder."""
    if code == "before":
        assert before is not None
        cli = [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]
        env = {"PYTHONPATH": str(before)}
    else:
        cli = mattercli_command()
        env = {"MATTERCLI_CACHE_DIR": str(store)} if store is not None else {}
        if after is not None:
            cli = [sys.executable, "-c", "import sys; from mattercli.cli import main; sys.exit(main())"]
            env["PYTHONPATH"] = str(after)
    if job in ("validate-cold", "proofs-cold", "stats-cold"):
        if code == "after" and store is not None:
            shutil.rmtree(store, ignore_errors=True)
        else:
            remove_caches(root)
    load = wait_idle(wait) if wait else load_average()
    with tempfile.TemporaryDirectory(prefix="mattercli-bench-") as scratch:
        out = Path(scratch) / ("export" if job in ("export", "parquet") else "out.json")
        command = job_command(job, root, jobs, out, cli)
        result = run_measured(command, cwd=str(root), env=env)
    row = {
        "job": job,
        "code": code,
        "matters": matters,
        "command": " ".join(["mattercli", *command[len(cli) :]]).replace(str(root), "DIR"),
        "wall_s": round(result["wall"], 2),
        "matters_per_s": round(matters / result["wall"]) if result["wall"] else None,
        "cpu_s": round(result["cpu"], 2),
        "peak_rss_mb": round(result["maxrss_kb"] / 1024),
        "tree_pss_mb": round(result["tree_kb"] / 1024),
        "exit": result["returncode"],
        "ok": result["returncode"] in EXPECTED_EXIT.get(job, (0,)),
        "load": round(load, 2) if load is not None else None,
    }
    if not row["ok"]:
        row["stderr"] = result["stderr"][-2000:]
    if job.startswith("validate") and result["stdout"].strip().startswith("{"):
        report = json.loads(result["stdout"])
        summary = report.get("summary", {})
        row["findings"] = len(report.get("findings", []))
        row["engine_s"] = summary.get("seconds")
        cache = report.get("cache") or {}
        row["cache_hits"] = cache.get("hits")
    return row


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets against the rows measured."""
    lines = []
    for (job, matters), limit in TARGETS.items():
        for row in rows:
            if row["job"] == job and row["matters"] == matters:
                ok = row["wall_s"] < limit and row["ok"]
                lines.append(
                    f"{job} at {matters:,}: {row['wall_s']:.1f} s (target < {limit:.0f} s: "
                    f"{'met, ' + format(limit / row['wall_s'], '.1f') + 'x under' if ok else 'MISSED'})"
                )
    for row in rows:
        if row["matters"] == 200_000:
            mb = max(row["peak_rss_mb"], row["tree_pss_mb"])
            if mb >= MEMORY_TARGET_MB:
                lines.append(f"{row['job']} at 200,000: {mb} MB (memory target < {MEMORY_TARGET_MB} MB: MISSED)")
    sized = [r for r in rows if r["job"] == "validate-cold"]
    if sized:
        largest = max(sized, key=lambda r: r["matters"])
        factor = 2_000_000 / largest["matters"]
        estimate = largest["wall_s"] * factor
        lines.append(
            f"validate-cold at 2,000,000, extrapolated linearly from {largest['matters']:,}: {estimate / 60:.1f} min "
            f"(target < {TARGET_2M_COLD_S / 60:.0f} min: {'met' if estimate < TARGET_2M_COLD_S else 'MISSED'})"
        )
    mem_rows = [r for r in rows if r["matters"] == 200_000]
    if mem_rows:
        worst = max(mem_rows, key=lambda r: max(r["peak_rss_mb"], r["tree_pss_mb"]))
        mb = max(worst["peak_rss_mb"], worst["tree_pss_mb"])
        lines.append(f"largest memory at 200,000: {worst['job']} {mb} MB (target < {MEMORY_TARGET_MB} MB)")
    return lines


def table(rows: list[dict[str, Any]], markdown: bool) -> str:
    head = ["matters", "job", "code", "wall s", "matters/s", "CPU s", "peak RSS MB", "tree PSS MB", "exit", "load"]
    body = [
        [
            f"{r['matters']:,}",
            r["job"],
            r.get("code", "after"),
            f"{r['wall_s']:.1f}",
            f"{r['matters_per_s']:,}" if r["matters_per_s"] else "-",
            f"{r['cpu_s']:.1f}",
            str(r["peak_rss_mb"]),
            str(r["tree_pss_mb"]),
            str(r["exit"]),
            "-" if r["load"] is None else f"{r['load']:.1f}",
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---|---|" + "---:|" * (len(head) - 3)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(c[i]) for c in body)) if body else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" if i in (0, 1, 2) else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in widths)), *(fmt.format(*c) for c in body)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mattercli benchmark suite: one table for every main job.")
    parser.add_argument("--sizes", default="20000,200000", help="matter counts, comma-separated")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "mattercli-bench",
                        help="where the generated catalogues are kept and reused")  # fmt: skip
    parser.add_argument("--only", default=None, help=f"jobs, comma-separated, from: {', '.join(ALL_JOBS)}")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: each command's, the CPUs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each job wait up to SECONDS for the load average to fall below 0.5 per CPU")  # fmt: skip
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", type=Path, help="also write every row (with the exact command) as JSON here")
    parser.add_argument("--clean", action="store_true", help="delete the generated catalogues afterwards")
    parser.add_argument("--before", type=Path, default=None, metavar="SRC",
                        help="also run every job with the code in this src/ folder, before this checkout's")  # fmt: skip
    parser.add_argument("--after", type=Path, default=None, metavar="SRC",
                        help="the code after: this src/ folder instead of this checkout's (a fixed copy)")  # fmt: skip
    args = parser.parse_args(argv)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    chosen = [j.strip() for j in args.only.split(",")] if args.only else DEFAULT_JOBS
    unknown = sorted(set(chosen) - set(ALL_JOBS))
    if unknown:
        parser.error(f"unknown jobs: {', '.join(unknown)} (choose from {', '.join(ALL_JOBS)})")
    print("\n".join(describe_machine()), file=sys.stderr)
    rows: list[dict[str, Any]] = []
    catalogues: list[dict[str, Any]] = []
    for matters in sizes:
        root = args.dir / f"g{matters}"
        change = max(5, matters // 200)
        print(f"catalogue: {matters:,} matters, --change {change} -> {root}", file=sys.stderr)
        info = ensure_catalogue(root, matters, seed=args.seed, change=change)
        warmed = warm_page_cache(root)
        catalogues.append({"matters": matters, "change": change, "files": info["files"],
                           "generated_s": info["generated_s"], "read_once_s": round(warmed, 1)})  # fmt: skip
        store = args.dir / f"store-{matters}" if args.before else None
        sides = ["before", "after"] if args.before else ["after"]
        for job in chosen:
            for side in sides:
                if side == "before" and job in AFTER_ONLY:
                    continue
                started = time.perf_counter()
                row = run_job(job, root, matters, args.jobs, args.wait_idle, side, args.before, store, args.after)
                rows.append(row)
                print(f"  {job} ({side}): {row['wall_s']:.1f} s, exit {row['exit']} "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)  # fmt: skip
                if not row["ok"]:
                    print(row.get("stderr", ""), file=sys.stderr)
        if args.clean:
            shutil.rmtree(root, ignore_errors=True)
    print(table(rows, args.markdown))
    print()
    for c in catalogues:
        made = "reused" if c["generated_s"] is None else f"generated in {c['generated_s']:.0f} s"
        print(f"catalogue {c['matters']:,}: {c['files']:,} YAML files, {c['change']} changed in HEAD, {made}")
    for line in verdicts(rows):
        print(line)
    if args.json:
        payload = {"machine": describe_machine(), "cpus": usable_cpus(), "catalogues": catalogues, "rows": rows}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
