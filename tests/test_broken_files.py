"""Issue 22 item 5: a file broken by a full-width colon (事项名称：…) is a problem in diff — never 更名/调整 with an
empty code — and validate explains it in Chinese on the line that holds the colon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import CatalogRepo
from mattercli.catalogue.yamlio import load_text
from mattercli.cli import app
from mattercli.diff.compare import diff_revisions

runner = CliRunner()
BASE_FILE = "base/000104001000.yaml"


def test_diff_reports_an_unreadable_file_as_a_problem_not_a_change(tmp_path: Path) -> None:
    repo = CatalogRepo(tmp_path)
    repo.edit(BASE_FILE, "事项名称: 食品经营许可", "事项名称：食品经营许可")
    diff = diff_revisions(repo.catalog)
    assert diff.changes == ()  # before: 更名 1 项、调整 1 项, 编码 000104001000 → (empty)
    (problem,) = diff.problems
    assert (problem.side, problem.file, problem.line, problem.problem) == ("new", BASE_FILE, 3, "yaml-syntax")
    assert "全角冒号" in (problem.message or "")
    assert diff.differs  # --exit-code still fails: something changed that could not be compared


def test_diff_never_calls_a_file_broken_in_the_old_version_added(tmp_path: Path) -> None:
    repo = CatalogRepo(tmp_path)
    repo.edit(BASE_FILE, "事项名称: 食品经营许可", "事项名称：食品经营许可")
    repo.commit("broken")
    repo.edit(BASE_FILE, "事项名称：食品经营许可", "事项名称: 食品经营许可")
    diff = diff_revisions(repo.catalog, "HEAD~1", "HEAD")
    assert diff.changes == () and [p.side for p in diff.problems] == ["new"]
    diff = diff_revisions(repo.catalog)
    assert diff.changes == () and [p.side for p in diff.problems] == ["old"]


def test_diff_text_and_json_say_the_file_was_not_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = CatalogRepo(tmp_path)
    repo.edit(BASE_FILE, "事项名称: 食品经营许可", "事项名称：食品经营许可")
    monkeypatch.chdir(repo.catalog)
    result = runner.invoke(app, ["diff"])
    assert "更名" not in result.stdout and "未作比较" in result.stdout and "全角冒号" in result.stdout
    result = runner.invoke(app, ["diff", "-f", "json"])
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["line"] == 3 and "全角冒号" in problem["message"]


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('基本编码: "000104001000"\n事项名称：食品经营许可\n事项类型: 行政许可\n', 2, "事项名称"),
        ("申请材料:\n  - 材料名称：身份证\n    材料类别: 证照\n", 2, "材料名称"),
    ],
)
def test_validate_names_the_full_width_colon_on_its_line(text: str, line: int, key: str) -> None:
    (problem,) = load_text(text, "x.yaml").problems
    assert problem.rule == "yaml-syntax" and problem.line == line
    assert f"「{key}：」用了全角冒号" in problem.args["detail_zh"]


def test_validate_message_is_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = CatalogRepo(tmp_path)
    repo.edit(BASE_FILE, "事项名称: 食品经营许可", "事项名称：食品经营许可")
    monkeypatch.chdir(repo.catalog)
    result = runner.invoke(app, ["validate", "--no-cache", "-q", BASE_FILE])
    assert f"{BASE_FILE}:3:5: 错误 [yaml-syntax] YAML 语法错误: 「事项名称：」用了全角冒号" in result.stdout
    assert "could not find" not in result.stdout
    result = runner.invoke(app, ["validate", "--no-cache", "-q", "--lang", "en", BASE_FILE])
    assert "full-width colon" in result.stdout
