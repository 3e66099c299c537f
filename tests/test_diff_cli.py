"""`mattercli diff` as editors and CI use it: one reform commit with every action, rendered as golden text
(Chinese and English) and a golden Markdown PR comment; JSON structure; exit codes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import (
    CITY_BUREAU,
    LICENCE,
    LICENCE_FILE,
    PENALTY_FILE,
    STREET_OFFICE,
    XIHU_BUREAU,
    CatalogRepo,
    impl_code,
    impl_yaml,
)
from mattercli.cli import app

GOLDEN = Path(__file__).parent / "golden" / "diff"
runner = CliRunner()


def body(n: str, name: str) -> tuple[str, str]:
    return (name, XIHU_BUREAU[1][:-1] + n)


SOURCES = [
    (body("A", "杭州市西湖区第一办事处"), "食品经营许可(新办)"),
    (body("B", "杭州市西湖区第二办事处"), "食品经营许可(变更)"),
    (body("C", "杭州市西湖区第三办事处"), "食品经营许可(延续)"),
]
SPLIT_SOURCE = (body("K", "杭州市西湖区综合窗口"), "食品小作坊登记")


@pytest.fixture(scope="module")
def reform(tmp_path_factory: pytest.TempPathFactory) -> CatalogRepo:
    """HEAD~1: the mini catalogue + three matters to merge + one to split; HEAD: one commit doing every action."""
    repo = CatalogRepo(tmp_path_factory.mktemp("reform"))
    repo.write(LICENCE_FILE, impl_yaml())
    for b, name in [*SOURCES, SPLIT_SOURCE]:
        repo.write(f"impl/330106/{impl_code(b, '区县级')}.yaml", impl_yaml(name=name, body=b))
    repo.commit("改革前")

    repo.delete(PENALTY_FILE)  # 取消
    street = impl_code(STREET_OFFICE, "乡镇(街道)级")  # 下放 + 调整 (material dropped, time cut)
    repo.delete(LICENCE_FILE)
    repo.write(
        f"impl/330106/{street}.yaml",
        impl_yaml(
            body=STREET_OFFICE,
            level="乡镇(街道)级",
            power_source="上级下放",
            previous=[LICENCE],
            materials=[("食品经营许可申请书", "申请表")],
            promised=(3, "工作日"),
        ),
    )
    codes = [impl_code(b, "区县级") for b, _ in SOURCES]  # 合并 3 -> 1
    for code in codes:
        repo.delete(f"impl/330106/{code}.yaml")
    merged_body = body("D", "杭州市西湖区食品经营许可专窗")
    repo.write(
        f"impl/330106/{impl_code(merged_body, '区县级')}.yaml",
        impl_yaml(name="食品经营许可(新办、变更、延续)", body=merged_body, merged_from=codes),
    )
    source = impl_code(SPLIT_SOURCE[0], "区县级")  # 拆分 1 -> 2
    repo.delete(f"impl/330106/{source}.yaml")
    for n, name in (("E", "食品小作坊登记(新办)"), ("F", "食品小作坊登记(变更)")):
        b = body(n, f"杭州市西湖区{name}窗口")
        repo.write(f"impl/330106/{impl_code(b, '区县级')}.yaml", impl_yaml(name=name, body=b, split_from=source))
    city = impl_code(CITY_BUREAU, "地市级")  # 新增
    repo.write(
        f"impl/330100/{city}.yaml",
        impl_yaml(body=CITY_BUREAU, level="地市级", region="330100", fee=("工本费", "10 元")),
    )
    repo.edit(  # 更名 (a base entry)
        "base/000204001000.yaml",
        "事项名称: 对未取得食品经营许可从事食品经营活动的行政处罚",
        "事项名称: 对未取得许可从事食品经营活动的行政处罚",
    )
    repo.edit("base/000104001000.yaml", "  时限: 20", "  时限: 15")  # 调整: 法定办结时限 cut
    repo.commit("2025 年事项目录调整", author="editor")
    return repo


def normalised(text: str, repo: CatalogRepo) -> str:
    return re.sub(r"\([0-9a-f]{10}\)", "(<commit>)", text).replace(str(repo.catalog), "<catalog>")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MATTERCLI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def run(repo: CatalogRepo, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diff", "HEAD~1", "HEAD", "--catalog", str(repo.catalog), *args])
    return result.exit_code, normalised(result.output, repo)


def test_text_golden(reform: CatalogRepo) -> None:
    code, out = run(reform)
    assert code == 0
    check_golden("reform.txt", out)
    assert out.splitlines()[1] == (
        "新增 1 项、取消 1 项、下放 1 项、合并 3 项为 1 项、拆分 1 项为 2 项、更名 1 项、调整 2 项、"
        "减少材料 1 份、压缩时限 7 个工作日"
    )


def test_english_golden(reform: CatalogRepo) -> None:
    code, out = run(reform, "--lang", "en")
    assert code == 0
    check_golden("reform-en.txt", out)


def test_markdown_golden(reform: CatalogRepo) -> None:
    code, out = run(reform, "--format", "markdown")
    assert code == 0
    check_golden("reform.md", out)
    assert "**新增 1 项、取消 1 项、下放 1 项" in out


def test_json_document(reform: CatalogRepo) -> None:
    code, out = run(reform, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "tool",
        "version",
        "format",
        "root",
        "old",
        "new",
        "differs",
        "summary",
        "changes",
        "moves",
        "other_files",
        "bundles",
        "problems",
    }
    assert doc["format"] == 1 and doc["differs"] is True and doc["old"]["label"].startswith("HEAD~1(")
    assert doc["summary"]["actions"] == {
        "added": 1,
        "cancelled": 1,
        "delegated": 1,
        "recentralised": 0,
        "merged": 1,
        "split": 1,
        "renamed": 1,
        "adjusted": 2,
    }
    assert doc["summary"]["materials_removed"] == 1 and doc["summary"]["days_shortened"] == 7.0
    delegated = next(c for c in doc["changes"] if "delegated" in c["actions"])
    assert delegated["actions"] == ["delegated", "adjusted"] and delegated["match"] == "lineage"
    assert delegated["old"][0]["code"] == LICENCE and delegated["old"][0]["level"] == "区县级"
    removed = [e for e in delegated["elements"] if e["element"] == "申请材料"]
    assert removed == [
        {
            "element": "申请材料",
            "change": "removed",
            "item": "身份证(复印件)",
            "old": {"材料名称": "身份证(复印件)", "材料类别": "证照"},
            "new": None,
            "delta": None,
            "fields": [],
        }
    ]
    merged = next(c for c in doc["changes"] if c["actions"] == ["merged"])
    assert len(merged["old"]) == 3 and len(merged["new"]) == 1


def test_exit_code_and_output_file(reform: CatalogRepo, tmp_path: Path) -> None:
    assert run(reform, "--exit-code")[0] == 1
    result = runner.invoke(app, ["diff", "HEAD", "HEAD", "--catalog", str(reform.catalog), "--exit-code"])
    assert result.exit_code == 0 and "无差异" in result.output
    out = tmp_path / "report.md"
    code, text = run(reform, "--format", "markdown", "--output", str(out))
    assert code == 0 and text == "" and out.read_text(encoding="utf-8").startswith("### 事项目录变更")


def test_one_argument_compares_with_the_work_tree(reform: CatalogRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(reform.catalog / "impl")  # the catalogue is found from the current directory
    result = runner.invoke(app, ["diff", "HEAD~1", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["new"] == {"label": "工作区", "commit": None} and doc["summary"]["matters"] == 7
    assert json.loads(runner.invoke(app, ["diff", "--format", "json"]).output)["differs"] is False


def test_usage_errors_exit_2(reform: CatalogRepo, tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", "no-such-rev", "--catalog", str(reform.catalog)])
    assert result.exit_code == 2 and "no-such-rev" in result.output
    (tmp_path / "plain").mkdir()
    assert runner.invoke(app, ["diff", "--catalog", str(tmp_path / "plain")]).exit_code == 2
