"""Issue 24 item 9a: `mattercli export --lang en` reports its errors in English (they stayed Chinese); without
--lang they stay Chinese-first. Each case is a real failure of the export command, exit 2."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app

runner = CliRunner()
CATALOG = Path(__file__).parent.parent / "catalog"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("lang")
    shutil.copytree(CATALOG, base / "catalog")
    (base / "foreign").mkdir()
    (base / "foreign" / "notes.txt").write_text("x", encoding="utf-8")
    (base / "defs").mkdir()
    (base / "defs" / "a.yaml").write_text("名称: a\n列:\n  - 要素: 序号\n  - 要素: 编码\n    表头: 序号\n", "utf-8")
    (base / "defs" / "b.yaml").write_text("名称: b\n列: 3\n", encoding="utf-8")
    (base / "defs" / "c.yaml").write_text("名称: c\n列:\n  - 要素: 事项名称.甲\n", encoding="utf-8")
    return base


CASES = [
    (["-o", "{base}/foreign"], "is not empty and not a mattercli export", "非空且不是 mattercli 的导出"),
    (["-o", "{base}/out", "-l", "nosuch"], "no such list: nosuch (available: ", "没有这些清单"),
    (["-o", "{base}/out", "--rev", "v1"], "not a git repository", "不是 git 仓库"),
    (["-o", "{base}/out", "--definitions", "{base}/none"], "no such folder of list definitions", "清单定义目录不存在"),
    (["-o", "{base}/out", "--definitions", "{base}/defs"], "invalid list definitions:", "清单定义有误"),
]


@pytest.mark.parametrize("args, english, chinese", CASES)
def test_export_errors_follow_lang(setup: Path, args: list[str], english: str, chinese: str) -> None:
    argv = ["export", str(setup / "catalog"), *(a.format(base=setup) for a in args)]
    result = runner.invoke(app, [*argv, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert english in result.stderr and "mattercli: " in result.stderr, result.stderr
    prose = re.sub(r"[^\s(,:]*[\u4e00-\u9fff][^\s),:]*", "", result.stderr)  # list names and keys are data
    assert not HAN.search(prose.replace("错误", "")) and "错误" not in result.stderr, result.stderr
    result = runner.invoke(app, argv)
    assert result.exit_code == 2 and chinese in result.stderr and "错误" in result.stderr, result.stderr


def test_definition_problems_in_english_name_the_place(setup: Path) -> None:
    argv = ["export", str(setup / "catalog"), "-o", str(setup / "out"), "--definitions", str(setup / "defs")]
    result = runner.invoke(app, [*argv, "--lang", "en"])
    assert result.exit_code == 2
    assert "a.yaml:1:1: duplicate headers: 序号" in result.stderr
    assert "b.yaml:2:4: '列' must be a list" in result.stderr
    assert "c.yaml:3:" in result.stderr and "is no element" in result.stderr
    assert not (setup / "out").exists()


def test_the_summary_and_a_later_chinese_run_are_unaffected(setup: Path) -> None:
    out = setup / "ok"
    result = runner.invoke(app, ["export", str(setup / "catalog"), "-o", str(out), "-f", "csv", "--lang", "en"])
    assert result.exit_code == 0 and result.output.startswith("exported "), result.output
    result = runner.invoke(app, ["export", str(setup / "catalog"), "-o", str(setup / "foreign")])
    assert result.exit_code == 2 and "文件错误" in result.stderr  # the language is per run
