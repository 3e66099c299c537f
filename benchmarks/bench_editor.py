#!/usr/bin/env python3
"""Benchmark the editor's loop — `fmt`, `new`, `import` — on a generated catalogue (not a pytest test).

    python benchmarks/bench_editor.py [--matters 5000] [--rows 2000] [--jobs N] [--keep DIR]

Generates a git catalogue with scripts/gen_catalog.py (`--git --change 50`), then times, each as a subprocess:

  fmt --check, jobs=1 / jobs=N   every file already canonical (the CI case)
  fmt (write)                    after scrambling the element order of 10 % of the files
  fmt --check again              must report nothing: fmt is idempotent
  new                            a base entry: code allocation reads every file and the git history
  import XLSX (new, again)       ROWS implementation entries exported to the national exchange fields,
                                 imported into a catalogue with the same registries and no matters;
                                 the second import must leave every file unchanged
Wall and CPU seconds are both reported: on a busy machine compare CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, ensure_catalogue, mattercli_command, run_measured

CPU: dict[str, float] = {}


def run(args: list[str], label: str, expect: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Wall seconds and output of one mattercli run; its CPU seconds (user + system, all its processes) go to
    CPU — the figure to compare on a busy machine."""
    done = run_measured([*mattercli_command(), *args])
    CPU[label] = round(done["cpu"], 2)
    if done["returncode"] not in expect:
        sys.exit(f"{label}: exit {done['returncode']}\n{done['stdout'][-2000:]}\n{done['stderr'][-2000:]}")
    return done["wall"], done["stdout"]


def scramble(root: Path, share: float, seed: int) -> int:
    """Reverse the top-level element order of a share of the matter files (same data, not canonical)."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from mattercli.catalogue.yamlio import dump_roundtrip, load_roundtrip

    rng = random.Random(seed)
    files = sorted((root / "impl").rglob("*.yaml")) + sorted((root / "base").glob("*.yaml"))
    chosen = rng.sample(files, max(1, int(len(files) * share)))
    for path in chosen:
        data = load_roundtrip(path.read_text(encoding="utf-8"))
        items = list(data.items())
        data.clear()
        for key, value in reversed(items):
            data[key] = value
        path.write_text(dump_roundtrip(data), encoding="utf-8")
    return len(chosen)


def export_sheet(root: Path, rows: int, out: Path) -> int:
    """Implementation entries of the catalogue as a national-exchange-field XLSX."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from openpyxl import Workbook

    from mattercli.catalogue.yamlio import load_file

    headers = ["TASK_CODE", "TASK_NAME", "CATALOG_CODE", "TASK_TYPE", "DEPT_NAME", "DEPT_CODE", "PROMISE_DAY"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("事项")
    sheet.append(headers)
    count = 0
    for path in sorted((root / "impl").rglob("*.yaml")):
        data = load_file(path, path.name).data
        if not isinstance(data, dict):
            continue
        body = data.get("实施主体", {})
        promised = (data.get("承诺办结时限") or {}).get("时限")
        sheet.append(
            [
                data["实施编码"],
                data["事项名称"],
                data["基本编码"],
                data["事项类型"],
                body.get("名称"),
                body.get("统一社会信用代码"),
                promised,
            ]
        )
        count += 1
        if count >= rows:
            break
    workbook.save(out)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matters", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-editor-"))
    root = work / "catalog"
    if root.exists():  # a fresh catalogue every time: the runs below rewrite it
        shutil.rmtree(root)
    files = ensure_catalogue(root, args.matters, args.seed, change=50)["files"]
    results: dict[str, object] = {"matters": args.matters, "files": files}
    first, _ = run(["fmt", str(root), "--check", "--jobs", "1"], "fmt --check jobs=1", (0, 1))
    results["fmt --check jobs=1 (s)"] = round(first, 2)
    parallel, _ = run(["fmt", str(root), "--check", "--jobs", str(args.jobs)], f"fmt --check jobs={args.jobs}", (0, 1))
    results[f"fmt --check jobs={args.jobs} (s)"] = round(parallel, 2)
    run(["fmt", str(root)], "fmt")  # the generator's own layout may differ from the canonical one
    results["scrambled files"] = scramble(root, 0.10, args.seed)
    write, _ = run(["fmt", str(root), "--jobs", str(args.jobs)], "fmt (write)")
    results["fmt write after scrambling (s)"] = round(write, 2)
    _, check_out = run(["fmt", str(root), "--check", "--format", "json"], "fmt --check (idempotence)")
    results["files changed by a second fmt"] = json.loads(check_out)["summary"]["changed"]
    new, new_out = run(
        [
            "new",
            "--catalog",
            str(root),
            "--type",
            "01",
            "--dept",
            "国家市场监督管理总局",
            "--name",
            "基准测试事项",
            "--dry-run",
            "--format",
            "json",
        ],
        "new",
        (0, 2),
    )
    results["new --dry-run (s)"] = round(new, 2)
    results["new allocated"] = json.loads(new_out).get("code") if new_out.strip() else None
    sheet = work / "sheet.xlsx"
    results["sheet rows"] = export_sheet(root, args.rows, sheet)
    empty = work / "empty"  # the same registries, no matters: every row becomes a new file
    if empty.exists():
        shutil.rmtree(empty)
    shutil.copytree(root / "registry", empty / "registry")
    for label in ("import (new files)", "import again"):
        seconds, out = run(
            ["import", str(sheet), "--mapping", "national", "--catalog", str(empty), "--format", "json"], label, (0, 1)
        )
        results[f"{label} (s)"] = round(seconds, 2)
        results[f"{label} summary"] = json.loads(out)["summary"]
    results["CPU seconds per run"] = CPU
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
