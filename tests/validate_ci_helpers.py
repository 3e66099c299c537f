"""Catalogues with known findings and real git repos for the validate-in-CI tests (formats, config, suppressions,
baseline, cache, --changed-since)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mattercli.cli import app

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden" / "validate"
#: MATTERCLI_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (then review the diff).
UPDATE = os.environ.get("MATTERCLI_UPDATE_GOLDEN") == "1"

F_BASE = "base/000104001000.yaml"  # 食品经营许可 (base)
P_BASE = "base/000204001000.yaml"  # 行政处罚 (base)
F_IMPL = "impl/330106/1133010600250001784000104001000.yaml"
P_IMPL = "impl/330106/1133010600250001784000204001000.yaml"

runner = CliRunner()


def copy_mini(dest: Path) -> Path:
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns(".mattercli-cache"))
    return dest


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in one file."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def broken_catalog(dest: Path) -> Path:
    """The mini catalogue with one error (promised time longer than legal, F_IMPL:26) and one warning
    (result-type, F_BASE:31), one suppressed finding and one unused suppression (info)."""
    root = copy_mini(dest)
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    edit(root, F_BASE, "结果类型: 出证办结", "结果类型: 审批办结")
    # a file misnamed on purpose, silenced for the whole file with a reason
    (root / P_IMPL).rename(root / "impl/330106/处罚-西湖区.yaml")
    edit(
        root,
        "impl/330106/处罚-西湖区.yaml",
        "# 对未",
        "# mattercli: disable=file-name 历史文件名,待省平台统一改名\n# 对未",
    )
    # a suppression that silences nothing
    edit(root, P_BASE, '基本编码: "000204001000"', '基本编码: "000204001000"  # mattercli: disable=uscc 旧数据')
    return root


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


def normalise(text: str, root: Path) -> str:
    """Output without what differs between machines and runs: the catalogue's location, timings."""
    resolved = root.resolve()
    text = text.replace(resolved.as_uri(), "file:///ROOT").replace(str(resolved), "/ROOT")
    text = re.sub(r'"seconds": [0-9.]+', '"seconds": 0', text)
    text = re.sub(r'time="[0-9.]+"', 'time="0"', text)
    text = re.sub(r"用时 \d+\.\d\d 秒", "用时 X.XX 秒", text)
    return re.sub(r"in \d+\.\d\ds", "in X.XXs", text)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden file {path} (run with MATTERCLI_UPDATE_GOLDEN=1)"
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from its golden file"


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2025-01-01T09:00:00+08:00",
        "GIT_COMMITTER_DATE": "2025-01-01T09:00:00+08:00",
    }
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return result.stdout.strip()


def git_repo(root: Path) -> None:
    """Make `root` a git repository with everything committed."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "目录")


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def json_report(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = invoke("validate", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def rules_by_file(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["file"]) for f in doc["findings"])
