"""Issue 25 items 2-9: what a hostile or broken catalogue must not achieve (read outside the catalogue, pass with
a registry missing, exhaust memory, crash, leave debris)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    for name in ("proofs-kept.yaml", "proofs-cancelled.yaml", "pledge-catalog.yaml"):
        (root / "registry" / name).unlink(missing_ok=True)
    assert not [f for f in findings(root, ".") if f["rule"] == "registry-missing"]


# ---- item 9: smaller ------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def repo(tmp_path: Path) -> Path:
    root = catalogue(tmp_path)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    return root


@pytest.mark.parametrize("key", ["? [a, b]\n: 1", "{a: 1}: 2"])
def test_no_parser_node_repr_in_messages(tmp_path: Path, key: str) -> None:
    root = catalogue(tmp_path)
    (root / "base" / "k.yaml").write_text(f"事项名称: x\n{key}\n", encoding="utf-8")
    for args in (("validate", "base/k.yaml", "--no-cache"), ("fmt", "base/k.yaml")):
        out = run(root, *args).stdout
        assert "yaml-key-type" in out and "Node" not in out and "tag:yaml.org" not in out, out


def test_show_rev_on_a_corrupt_object_says_so(tmp_path: Path) -> None:
    root = repo(tmp_path)
    blob = _git(root, "rev-parse", "HEAD:base/000104001000.yaml").strip()
    loose = root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a zlib stream")
    done = run(root, "show", "000104001000", "--rev", "HEAD")
    assert done.returncode == 2
    assert "损坏" in done.stderr and "git fsck" in done.stderr
    assert "没有编码" not in done.stderr and "no matter" not in done.stderr
    assert "inflate" not in done.stderr  # git's own chatter is not passed through


def test_log_in_a_shallow_clone_says_the_history_is_truncated(tmp_path: Path) -> None:
    origin = repo(tmp_path)
    matter = origin / "base" / "000104001000.yaml"
    for days in ("15", "10"):
        text = (
            matter.read_text(encoding="utf-8")
            .replace("  时限: 20\n", f"  时限: {days}\n")
            .replace("  时限: 15\n", f"  时限: {days}\n")
        )
        matter.write_text(text, encoding="utf-8")
        _git(origin, "commit", "-qam", f"limit {days}")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "2", origin.as_uri(), str(clone))
    out = run(clone, "log", "000104001000").stdout
    assert "新增" not in out, out
    assert "截断" in out and "浅克隆" in out
    doc = json.loads(run(clone, "log", "000104001000", "-f", "json").stdout)
    assert doc["truncated_at"] == _git(clone, "rev-parse", "HEAD~1").strip()
    assert len(doc["entries"]) == 1
    full = json.loads(run(origin, "log", "000104001000", "-f", "json").stdout)
    assert full["truncated_at"] is None and len(full["entries"]) == 3
