"""jsonschema-rs, the validator behind validate, passes the official JSON Schema Test Suite (draft 2020-12).

scripts/check_validator_suite.py takes the suite from python-jsonschema's sdist (pinned; pip downloads it from
the package index that installs the project) and runs every required test; every keyword our schemas use must pass."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_keyword_our_schemas_use_passes_the_official_suite(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_validator_suite.py"), "--cache", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    match = re.search(r"the keywords we use: (\d+)/(\d+) passed", done.stdout)
    assert match and match.group(1) == match.group(2) and int(match.group(2)) > 400
    for keyword in ("if", "then", "enum", "pattern", "$ref", "additionalProperties", "required"):
        assert re.search(rf"keywords our schemas use: .*(?<![\w$]){re.escape(keyword)}(,|$)", done.stdout, re.M)
