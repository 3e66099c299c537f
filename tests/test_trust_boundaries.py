"""Issue 25 items 2-9: what a hostile or broken catalogue must not achieve (read outside the catalogue, pass with
a registry missing, exhaust memory, crash, leave debris)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"
MATTERCLI = str(Path(sys.executable).parent / "mattercli")


def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    return root


def run(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [MATTERCLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "internal error" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done


def findings(cwd: Path, *args: str) -> list[dict]:
    done = run(cwd, "validate", *args, "-f", "json", "--no-cache")
    return json.loads(done.stdout)["findings"]


# ---- item 3: a missing registry -------------------------------------------------------------------------------


def test_missing_registry_is_an_error_finding(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "registry" / "laws.yaml").unlink()
    matter = root / "base" / "000104001000.yaml"
    matter.write_text(
        matter.read_text(encoding="utf-8").replace("中华人民共和国食品安全法\n", "不存在的法\n", 1), "utf-8"
    )
    found = findings(root, ".")
    missing = [f for f in found if f["rule"] == "registry-missing"]
    assert len(missing) == 1 and missing[0]["severity"] == "error" and missing[0]["file"] == "registry/laws.yaml"
    assert "registry/laws.yaml" in missing[0]["message"]
    assert run(root, "validate", ".").returncode == 1


def test_optional_proof_list_may_be_absent(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "registry" / "proof-list.yaml").unlink()
    assert not [f for f in findings(root, ".") if f["rule"] == "registry-missing"]
