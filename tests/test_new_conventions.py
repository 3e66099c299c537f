"""Issue 22, `new`: --dept takes a registered department's name (or 简称) for implementation entries too, and a
new matter named like an existing one is warned about."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app

runner = CliRunner()
EMBEDDED = Path(__file__).parent.parent / "catalog"


@pytest.fixture()
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(EMBEDDED, root)
    monkeypatch.chdir(root)
    return root


def test_dept_by_name_for_an_implementation_entry(catalog: Path) -> None:
    by_name = runner.invoke(app, ["new", "--base", "000104001000", "--dept", "杭州市西湖区市场监督管理局", "--dry-run"])
    by_uscc = runner.invoke(app, ["new", "--base", "000104001000", "--dept", "11330106003041529B", "--dry-run"])
    assert by_name.exit_code == 0, by_name.output  # before: 不是有效的统一社会信用代码
    assert by_name.stdout == by_uscc.stdout
    unknown = runner.invoke(app, ["new", "--base", "000104001000", "--dept", "不存在的局", "--dry-run"])
    assert unknown.exit_code == 2 and "部门名录" in unknown.stderr


def test_a_duplicate_name_is_warned_about(catalog: Path) -> None:
    args = ["new", "--type", "01", "--dept", "国家市场监督管理总局", "--dry-run"]
    result = runner.invoke(app, [*args, "--name", "食品经营许可"])
    assert result.exit_code == 0 and "已有同名事项 base/000111001000.yaml" in result.stderr
    result = runner.invoke(app, [*args, "--name", "一个全新的事项"])
    assert result.exit_code == 0 and "同名" not in result.stderr
