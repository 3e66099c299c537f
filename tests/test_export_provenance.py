"""Issue 22 item 8: what an export says about its source, and what it leaves in place. A clean work tree is its
HEAD commit (not 工作区); exporting one list (-l) into an export folder merges it in, never deleting the other
lists, and is refused when the folder's export is of other data; stats
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


def _files(target: Path) -> dict[str, bytes]:
    return {p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}


def _manifest(target: Path) -> dict:
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


def _assert_manifest_true(target: Path) -> None:
    import hashlib

    files = _files(target)
    doc = _manifest(target)
    assert doc["files"] == {k: hashlib.sha256(v).hexdigest() for k, v in files.items() if k != "manifest.json"}


def test_one_list_merges_into_a_previous_full_export(repo: CatalogRepo, tmp_path: Path) -> None:
    """Before: -l into a full export replaced 277 files by 2, then it was refused; now the list is merged in."""
    target = tmp_path / "lists"
    code, out = export("-o", str(target))
    assert code == 0, out
    before = _files(target)
    stems = [x["file"] for x in _manifest(target)["lists"]]
    definition = f"lists/{LIST}.yaml"
    repo.edit(definition, "说明: 行政许可事项逐项实施清单", "说明: 新的说明。行政许可事项逐项实施清单")
    result = runner.invoke(app, ["export", "-l", LIST, "-o", str(target)])  # no -f: the folder's formats
    assert result.exit_code == 0, result.output
    after = _files(target)
    assert set(after) == set(before) and [x["file"] for x in _manifest(target)["lists"]] == stems
    changed = {k for k in after if after[k] != before[k]}
    assert not {k for k in changed if k.startswith("csv/")}  # the rows are the same data
    assert "新的说明" in after[f"json/{LIST}.json"].decode()
    # the kept lists are made again from this source: the whole folder says the same (now the work tree)
    assert {json.loads(after[k])["source"]["label"] for k in after if k.startswith("json/")} == {"工作区"}
    _assert_manifest_true(target)
    assert _manifest(target)["formats"] == ["csv", "json"]  # the previous export's formats, not all five


def test_lists_accumulate_and_the_site_index_lists_them_all(repo: CatalogRepo, tmp_path: Path) -> None:
    target = tmp_path / "site"
    first, second = "收费事项清单", "中介服务事项清单"
    assert runner.invoke(app, ["export", "-q", "-f", "html", "-l", first, "-o", str(target)]).exit_code == 0
    result = runner.invoke(app, ["export", "-f", "html", "-l", second, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "已并入" in result.stdout
    assert [x["file"] for x in _manifest(target)["lists"]] == [second, first]  # asked for, then the kept ones
    index = (target / "html" / "index.html").read_text(encoding="utf-8")
    assert first in index and second in index
    assert (target / "html" / "lists" / f"{first}.html").is_file()
    assert list((target / "html" / "matters").glob("*.html"))
    _assert_manifest_true(target)


def test_merging_other_data_or_formats_is_refused_and_changes_nothing(repo: CatalogRepo, tmp_path: Path) -> None:
    target = tmp_path / "lists"
    assert export("-o", str(target))[0] == 0
    before = _files(target)
    code, out = export("-l", LIST, "-f", "md", "-o", str(target))  # csv+json there, md asked for
    assert code == 2 and "格式须相同" in out
    repo.edit("base/000104001000.yaml", "事项名称: 建设工程规划许可证核发", "事项名称: 建设工程规划许可")
    code, out = export("-l", LIST, "-o", str(target))  # the data changed since: the kept lists would mix versions
    assert code == 2 and "另一份数据" in out and "另一个目录" in out
    assert _files(target) == before
    code, out = export("-o", str(target))  # every list again: fine
    assert code == 0, out


def test_a_manifest_without_a_data_digest_merges_only_at_the_same_commit(repo: CatalogRepo, tmp_path: Path) -> None:
    target = tmp_path / "lists"
    assert export("-o", str(target))[0] == 0
    doc = _manifest(target)
    assert doc["data_digest"]
    del doc["data_digest"]  # as an export by an earlier mattercli wrote it
    (target / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert export("-l", LIST, "-o", str(target))[0] == 0  # clean tree = the same HEAD commit
    doc = _manifest(target)
    del doc["data_digest"]
    (target / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    repo.edit(f"lists/{LIST}.yaml", "说明: 行政许可事项逐项实施清单", "说明: 新的说明。行政许可事项逐项实施清单")
    code, out = export("-l", LIST, "-o", str(target))  # a work tree: no commit to compare
    assert code == 2 and "另一份数据" in out


def test_the_same_selection_again_is_a_plain_replacement(repo: CatalogRepo, tmp_path: Path) -> None:
    code, out = export("-l", LIST, "-o", str(tmp_path / "one"))
    assert code == 0
    repo.edit("base/000104001000.yaml", "事项名称: 建设工程规划许可证核发", "事项名称: 建设工程规划许可")
    code, out = export("-l", LIST, "-o", str(tmp_path / "one"))  # nothing else there to keep: any data
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
