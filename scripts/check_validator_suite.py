#!/usr/bin/env python3
"""Run the official JSON Schema Test Suite (draft 2020-12) through the validator mattercli uses (jsonschema-rs).

    python scripts/check_validator_suite.py [--suite DIR] [--json OUT]

mattercli checks every matter file with jsonschema-rs (`mattercli.model.schema.SchemaValidator`), ~100x faster than the
pure-Python validator. This shows that it implements 2020-12 correctly where it matters to us: every keyword our
schemas in schemas/ use must pass every required test of the suite; other keywords are reported too.

The suite is read from --suite DIR (a checkout of json-schema-org/JSON-Schema-Test-Suite: its tests/draft2020-12
and remotes folders), or taken from the sdist of python-jsonschema, which vendors it (`pip download
jsonschema==4.26.0 --no-binary :all:`; cached in ~/.cache/mattercli/). Remote references (http://localhost:1234/…)
are answered from remotes/ without a server. Tests under optional/ (format assertions, bignum …) are left out.
Exit 0 when every test of a keyword we use passes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema_rs

REPO = Path(__file__).resolve().parent.parent
SDIST = "jsonschema==4.26.0"
CACHE = Path.home() / ".cache" / "mattercli" / "json-schema-test-suite"
SKIPPED: set[str] = set()
REMOTE = "http://localhost:1234/"  # the suite's remote documents, served from its remotes/ folder
#: Suite file -> the keywords it tests (file names are keyword names, with these exceptions).
FILE_KEYWORDS = {
    "if-then-else.json": {"if", "then", "else"},
    "defs.json": {"$defs"},
    "ref.json": {"$ref"},
    "anchor.json": {"$anchor"},
    "dynamicRef.json": {"$dynamicRef", "$dynamicAnchor"},
    "boolean_schema.json": {"true/false schema"},
    "infinite-loop-detection.json": {"$ref"},
}


def fetch_suite(cache: Path) -> Path:
    """A suite folder (tests/draft2020-12 and remotes) from python-jsonschema's sdist, downloaded and unpacked once."""
    target = cache / "suite"
    if (target / "tests" / "draft2020-12").is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", SDIST, "-d",
         str(cache)],
        check=True,
    )  # fmt: skip
    (archive,) = cache.glob("jsonschema-*.tar.gz")
    partial = cache / "suite.partial"
    partial.mkdir(exist_ok=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            _, sep, rel = member.name.partition("/json/")
            if member.isfile() and sep and rel.startswith(("tests/draft2020-12/", "remotes/")):
                out = partial / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(member)
                assert handle is not None
                out.write_bytes(handle.read())
    partial.rename(target)
    return target


def retriever(remotes: Path) -> Any:
    def retrieve(uri: str) -> Any:
        if not uri.startswith(REMOTE):
            raise ValueError(f"no network in the suite run: {uri}")
        return json.loads((remotes / uri[len(REMOTE) :]).read_text(encoding="utf-8"))

    return retrieve


DATA_KEYWORDS = {"enum", "const", "default", "examples", "title", "description"}


def keywords_used(schema_dir: Path) -> set[str]:
    """Every JSON Schema keyword appearing in our schemas (keys under `properties`/`$defs` are names, not keywords)."""
    found: set[str] = set()

    def walk(node: Any, names: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not names:
                    found.add(key)
                    if key.startswith("x-") or key in DATA_KEYWORDS:
                        continue  # their values are data, not schemas
                walk(value, names=not names and key in ("properties", "$defs", "patternProperties", "dependentSchemas"))
        elif isinstance(node, list):
            for item in node:
                walk(item, names=False)

    for path in sorted(schema_dir.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), names=False)
    return found


def run_file(path: Path, retrieve: Any) -> dict[str, Any]:
    """Passed/failed counts of one suite file, and the failures."""
    passed, failures = 0, []
    for group in json.loads(path.read_text(encoding="utf-8")):
        try:
            validator = jsonschema_rs.Draft202012Validator(group["schema"], retriever=retrieve)
        except Exception as exc:  # a schema the validator refuses counts as failing all its tests
            reason = str(exc).splitlines()[0]
            failures.extend(
                f"{group['description']} / {t['description']}: schema refused ({reason})" for t in group["tests"]
            )
            continue
        for test in group["tests"]:
            try:
                got = validator.is_valid(test["data"])
            except Exception as exc:
                failures.append(f"{group['description']} / {test['description']}: raised {str(exc).splitlines()[0]}")
                continue
            if got == test["valid"]:
                passed += 1
            else:
                failures.append(f"{group['description']} / {test['description']}: expected valid={test['valid']}")
    return {"passed": passed, "failed": len(failures), "failures": failures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1] if __doc__ else None)
    parser.add_argument("--suite", type=Path, help="a JSON Schema Test Suite checkout (tests/, remotes/)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the downloaded suite is kept")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    suite = args.suite or fetch_suite(args.cache)
    retrieve = retriever(suite / "remotes")
    used = keywords_used(REPO / "schemas")
    rows, bad_used = [], []
    for path in sorted((suite / "tests" / "draft2020-12").glob("*.json")):
        if path.name in SKIPPED:
            continue
        keywords = FILE_KEYWORDS.get(path.name, {path.stem})
        ours = bool(keywords & used) or path.name in ("boolean_schema.json", "infinite-loop-detection.json")
        result = run_file(path, retrieve) | {"file": path.name, "used_by_mattercli": ours}
        rows.append(result)
        if ours and result["failed"]:
            bad_used.append(result)
    version = metadata.version("jsonschema-rs")
    total = sum(r["passed"] + r["failed"] for r in rows)
    print(f"jsonschema-rs {version} on the JSON Schema Test Suite, draft 2020-12 (required tests, {len(rows)} files)")
    print(f"keywords our schemas use: {', '.join(sorted(k for k in used if not k.startswith('x-')))}")
    print(f"{'file':<32} {'ours':>4} {'passed':>7} {'failed':>7}")
    for r in rows:
        print(f"{r['file']:<32} {'yes' if r['used_by_mattercli'] else '':>4} {r['passed']:>7} {r['failed']:>7}")
    passed = sum(r["passed"] for r in rows)
    ours_rows = [r for r in rows if r["used_by_mattercli"]]
    ours_passed = sum(r["passed"] for r in ours_rows)
    ours_total = sum(r["passed"] + r["failed"] for r in ours_rows)
    print(f"\nall: {passed}/{total} passed; the keywords we use: {ours_passed}/{ours_total} passed")
    for r in rows:
        for failure in r["failures"]:
            print(f"  FAIL {r['file']}: {failure}")
    if args.json:
        args.json.write_text(json.dumps({"version": version, "rows": rows}, ensure_ascii=False, indent=2), "utf-8")
    return 1 if bad_used else 0


if __name__ == "__main__":
    sys.exit(main())
