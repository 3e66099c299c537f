#!/usr/bin/env python3
"""Benchmark `mattercli export` of every shipped list on a generated catalogue (not a pytest test).

    python benchmarks/bench_export.py [--matters 20000] [--jobs 0] [--keep DIR] [--json]

scripts/gen_catalog.py makes the catalogue (reused from --keep DIR when generated with the same arguments); the
definitions are the shipped ones in catalog/lists. Reported, each with wall and CPU time of this process (CPU is
steadier on a busy machine; worker processes' CPU is not in it):

  load     reading and checking every matter file and making each list's cells (export.catalogue.load_catalogue,
           --jobs workers)
  build    building every list's rows (export.lists.ListBuilder), one list at a time
  <fmt>    each format on its own, in this process (csv, xlsx, json, md, html; the lists are built again)
  total    the whole command as `mattercli export --jobs N` in a subprocess (wall clock, start-up included)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ensure_catalogue, mattercli_command

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.results: dict[str, dict[str, float]] = {}
        self._t = (time.perf_counter(), time.process_time())

    def lap(self, label: str) -> None:
        wall, cpu = time.perf_counter() - self._t[0], time.process_time() - self._t[1]
        self.results[label] = {"wall": round(wall, 2), "cpu": round(cpu, 2)}
        print(f"{label:8s} wall {wall:7.2f} s   cpu {cpu:7.2f} s", flush=True)
        self._t = (time.perf_counter(), time.process_time())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matters", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0 = CPU count)")
    parser.add_argument("--keep", type=Path, help="directory to keep (and reuse) the generated catalogue in")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args()

    from mattercli.catalogue.snapshot import open_snapshot
    from mattercli.export.catalogue import default_jobs, load_catalogue, source_of
    from mattercli.export.definitions import definitions_from_directory
    from mattercli.export.formats import EXPORTERS, ExportFormat, ExportInfo
    from mattercli.export.lists import ListBuilder, list_specs
    from mattercli.export.output import TreeWriter
    from mattercli.export.parallel import page_formats, write_export
    from mattercli.export.records import LoadPlan, start_worker
    from mattercli.export.workers import Workers
    from mattercli.model.schema import SCHEMA_VERSION

    jobs = args.jobs or default_jobs()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    base.mkdir(parents=True, exist_ok=True)
    root = base / f"m{args.matters}"
    ensure_catalogue(root, args.matters)
    print(f"{args.matters} matters in {root}; {jobs} jobs; python {platform.python_version()}; {os.cpu_count()} CPUs")

    clock = Clock()
    snapshot = open_snapshot(root)
    definitions = definitions_from_directory(ROOT / "catalog" / "lists")
    bodies = [EXPORTERS[f].matter_body for f in page_formats(list(ExportFormat))]
    plan = LoadPlan([d.definition for d in definitions], snapshot.registries(), bodies)
    with Workers(jobs, start_worker, (plan,)) as workers, load_catalogue(snapshot, plan, workers, base) as cat:
        clock.lap("load")
        specs = list_specs(definitions, cat)
        lists = 0
        rows = 0
        for export in ListBuilder(cat).build(specs):
            lists += 1
            rows += len(export.rows)
        clock.lap("build")
        info = ExportInfo(source_of(snapshot), "bench", SCHEMA_VERSION)
        for fmt in ExportFormat:
            target = Path(tempfile.mkdtemp(dir=base))
            write_export(cat, specs, [fmt], info, TreeWriter(target), Workers(1))
            clock.lap(fmt.value)
            shutil.rmtree(target)

    out = base / "out"
    started = time.perf_counter()
    command = [*mattercli_command(), "export", str(root), "--definitions", str(ROOT / "catalog/lists")]
    subprocess.run([*command, "--output", str(out), "--jobs", str(jobs)], check=True, stdout=subprocess.DEVNULL)
    total = time.perf_counter() - started
    clock.results["total"] = {"wall": round(total, 2)}
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"total    wall {total:7.2f} s   ({lists} lists, {rows} rows, {files} files)")
    if args.json:
        print(json.dumps({"matters": args.matters, "jobs": jobs, "lists": lists, "rows": rows, **clock.results}))
    if args.keep is None:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
