"""Issue 22 item 8: what an export says about its source, and what it leaves in place. A clean work tree is its
HEAD commit (not 工作区); re-exporting one list (-l) never deletes the other lists of an export folder; stats
--charts never writes into the catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import CatalogRepo
from mattercli.cli import app
from mattercli.stats.charts import find_cjk_font

runner = CliRunner()
EMBEDDED = Path(__file__).parent.parent / "catalog"
LIST = "行政许可事项实施清单"  # one file (行政许可事项清单 is split per region)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CatalogRepo:
    repo = CatalogRepo(tmp_path, EMBEDDED)
    monkeypatch.chdir(repo.top)
    return repo


def export(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["export", "-q", "-f", "csv", "-f", "json", *args])
    return result.exit_code, result.output


def test_a_clean_work_tree_is_labelled_with_its_commit(repo: CatalogRepo, tmp_path: Path) -> None:
    code, out = export("-l", LIST, "-o", str(tmp_path / "clean"))
    assert code == 0, out
    source = json.loads((tmp_path / "clean" / "manifest.json").read_text(encoding="utf-8"))["source"]
    head = repo.git("rev-parse", "HEAD")
    assert source["commit"] == head  # before: 工作区(未提交的文件)
    text = (tmp_path / "clean" / "csv" / f"{LIST}.csv").read_text(encoding="utf-8-sig")
    assert "工作区" not in text
    code, out = export("-l", LIST, "--rev", "HEAD", "-o", str(tmp_path / "rev"))
    assert (tmp_path / "rev" / "csv" / f"{LIST}.csv").read_bytes() == (
        tmp_path / "clean" / "csv" / f"{LIST}.csv"
    ).read_bytes()
    repo.edit("base/000104001000.yaml", "事项名称: 建设工程规划许可证核发", "事项名称: 建设工程规划许可")
    code, out = export("-l", LIST, "-o", str(tmp_path / "dirty"))
    source = json.loads((tmp_path / "dirty" / "manifest.json").read_text(encoding="utf-8"))["source"]
    assert source["commit"] is None and source["label"] == "工作区"


def test_re_exporting_one_list_never_deletes_the_others(repo: CatalogRepo, tmp_path: Path) -> None:
    target = tmp_path / "lists"
    code, out = export("-o", str(target))
    assert code == 0, out
    before = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    code, out = export("-l", LIST, "-o", str(target))
    assert code == 2 and "另一个目录" in out  # before: the folder was replaced by the one list
    assert sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file()) == before
    code, out = export("-l", LIST, "-o", str(tmp_path / "one"))
    assert code == 0
    code, out = export("-l", LIST, "-o", str(tmp_path / "one"))  # the same selection again: fine
    assert code == 0, out


@pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font for charts")
def test_charts_are_never_written_into_the_catalogue(repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.catalog)
    result = runner.invoke(app, ["stats", "--no-cache", "--charts", "-q"])
    assert result.exit_code == 0, result.output
    assert not (repo.catalog / "reports").exists()
    assert list((repo.top / "reports" / "charts").glob("*.svg"))
    result = runner.invoke(app, ["stats", "--no-cache", "--charts-dir", "charts"])
    assert result.exit_code == 2 and "事项目录" in result.stderr
    assert not (repo.catalog / "charts").exists()
