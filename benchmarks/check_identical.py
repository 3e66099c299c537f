#!/usr/bin/env python3
"""Outputs byte-identical before and after a change: run the same commands with two versions of mattercli's code
on the same catalogue and compare what they write (not a pytest test; issue 19's "nothing regresses" check).

    python benchmarks/check_identical.py --before SRC [--after SRC] CATALOGUE [CATALOGUE ...] [--rev-pair A..B]

SRC is a `src/` folder holding the `mattercli` package (e.g. `git archive <commit> src | tar -x -C /tmp/before`);
--after defaults to this checkout's. Each command runs with PYTHONPATH=SRC in a fresh process, twice per version
for the commands that keep state in the catalogue store (cold, then warm: the warm output must equal the cold one
too), each version with its own store (MATTERCLI_CACHE_DIR in a temporary folder). Compared byte for byte, after
removing only what is meant to differ between runs: timings (`seconds`) and validate's `cache` counters.

Commands: validate (json, sarif, text), validate --changed-since A (when the catalogue is a git repository with
a parent commit), proofs (json), stats (json, --reproducible; with --baseline HEAD~1 in a git repository), diff
HEAD~1 HEAD (json), export (csv+json+md of catalog/lists, every file compared). Exit 1 when anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LISTS = REPO / "catalog" / "lists"


def run(src: Path, args: list[str], cwd: Path, store: Path) -> tuple[int, bytes]:
    env = {**os.environ, "PYTHONPATH": str(src), "MATTERCLI_CACHE_DIR": str(store), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    code = "import sys; from mattercli.cli import main; sys.exit(main())"
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, check=False)
    return done.returncode, done.stdout


def normalise(name: str, out: bytes) -> bytes:
    if name.startswith("validate") and name.endswith("json"):
        doc = json.loads(out)
        doc.pop("cache", None)
        doc.get("summary", {}).pop("seconds", None)
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode()
    text = out.decode("utf-8", "replace")
    text = re.sub(r'"seconds": [0-9.e-]+', '"seconds": 0', text)
    text = re.sub(r"用时 \d+\.\d+ 秒|in \d+\.\d+s", "T", text)
    return text.encode()


def is_git(root: Path) -> bool:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD~1"], capture_output=True, check=False)
    return done.returncode == 0


def commands(root: Path) -> list[tuple[str, list[str], bool]]:
    """(name, arguments, stateful) — stateful commands run twice (cold and warm store)."""
    out = [
        ("validate-json", ["validate", str(root), "--format", "json", "--no-progress"], True),
        ("validate-sarif", ["validate", str(root), "--format", "sarif", "--no-progress"], True),
        ("validate-text", ["validate", str(root), "--no-progress"], True),
        ("proofs-json", ["proofs", str(root), "--format", "json", "--no-progress"], True),
        ("stats-json", ["stats", str(root), "--format", "json", "--reproducible"], True),
    ]
    if is_git(root):
        out += [
            ("validate-changed-json", ["validate", str(root), "--changed-since", "HEAD~1", "--format", "json"], True),
            (
                "stats-baseline-json",
                ["stats", str(root), "--baseline", "HEAD~1", "--format", "json", "--reproducible"],
                True,
            ),
            ("diff-json", ["diff", "HEAD~1", "HEAD", "--catalog", str(root), "--format", "json"], False),
        ]
    return out


def export_digest(src: Path, root: Path, store: Path) -> tuple[int, bytes]:
    with tempfile.TemporaryDirectory(prefix="identical-export-") as scratch:
        out = Path(scratch) / "out"
        code, _ = run(
            src,
            [
                "export",
                str(root),
                "--definitions",
                str(LISTS),
                "--output",
                str(out),
                "--format",
                "csv",
                "--format",
                "json",
                "--format",
                "md",
            ],
            root,
            store,
        )
        lines = []
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            data = normalise("export", path.read_bytes())
            lines.append(f"{path.relative_to(out)} {hashlib.sha256(data).hexdigest()}")
        return code, "\n".join(lines).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogues", type=Path, nargs="+")
    parser.add_argument("--before", type=Path, required=True, help="src/ folder of the code before")
    parser.add_argument("--after", type=Path, default=REPO / "src", help="src/ folder of the code after")
    parser.add_argument("--no-export", action="store_true", help="skip export (the slowest command)")
    args = parser.parse_args()
    failed = 0
    for root in args.catalogues:
        root = root.resolve()
        # the code before may keep its caches in the catalogue: start both versions cold
        shutil.rmtree(root / ".mattercli-cache", ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix="identical-") as scratch:
            stores = {side: Path(scratch) / side for side in ("before", "after")}
            jobs = commands(root)
            for name, argv, stateful in jobs:
                results = {}
                for side, src in (("before", args.before), ("after", args.after)):
                    runs = [run(src, argv, root, stores[side]) for _ in range(2 if stateful else 1)]
                    results[side] = [(code, normalise(name, out)) for code, out in runs]
                outputs = [r for side in ("before", "after") for r in results[side]]
                same = all(r == outputs[0] for r in outputs)
                failed += not same
                size = len(outputs[0][1])
                print(
                    f"{'OK  ' if same else 'DIFF'} {root.name} {name}: exit {outputs[0][0]}, {size:,} bytes, {len(outputs)} runs"
                )
                if not same:
                    for side in ("before", "after"):
                        for i, (code, out) in enumerate(results[side]):
                            print(f"     {side}[{i}]: exit {code}, sha256 {hashlib.sha256(out).hexdigest()[:16]}")
            if not args.no_export:
                before = export_digest(args.before, root, stores["before"])
                after = export_digest(args.after, root, stores["after"])
                same = before == after
                failed += not same
                files = len(before[1].splitlines())
                print(f"{'OK  ' if same else 'DIFF'} {root.name} export: exit {before[0]}, {files} files")
    print("identical" if not failed else f"{failed} differences")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
