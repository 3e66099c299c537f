"""Issue 22 item 8: what an export says about its source, and what it leaves in place. A clean work tree is its
HEAD commit (not 工作区); exporting one list (-l) into an export folder merges it in, never deleting the other
lists, and is refused when the folder's export is of other data; stats
--charts never writes into the catalogue."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from diff_repo import CatalogRepo
from mattercli.cli import app
from mattercli.export.formats.xlsx import display_width
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


# --- issue 24 item 5: provenance readers understand ------------------------------------------------------------

HEX40 = re.compile(r"\b[0-9a-f]{40}\b")


def _all_formats(out: Path) -> dict[str, str]:
    """The text a reader meets in each format: Markdown, the HTML pages, the XLSX cover's values."""
    texts = {
        "md": (out / "md" / f"{LIST}.md").read_text(encoding="utf-8"),
        "html-list": (out / "html" / "lists" / f"{LIST}.html").read_text(encoding="utf-8"),
        "html-index": (out / "html" / "index.html").read_text(encoding="utf-8"),
        "html-matter": next((out / "html" / "matters").glob("*.html")).read_text(encoding="utf-8"),
    }
    wb = openpyxl.load_workbook(out / "xlsx" / f"{LIST}.xlsx")
    texts["xlsx"] = "\n".join(str(v) for row in wb["封面"].iter_rows(values_only=True) for v in row if v is not None)
    texts["xlsx-footer"] = wb.worksheets[1].oddFooter.left.text or ""
    return texts


def export_all(out: Path, *args: str) -> None:
    result = runner.invoke(app, ["export", "-q", "-l", LIST, "-o", str(out), *args])
    assert result.exit_code == 0, result.output


def test_a_tagged_commit_shows_its_date_and_version_everywhere(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.git("tag", "v2025")
    head = repo.git("rev-parse", "HEAD")
    export_all(tmp_path / "out")
    for name, text in _all_formats(tmp_path / "out").items():
        assert "更新日期:2025年1月1日 · 版本:v2025(提交 " + head[:7] + ")" in text or name == "xlsx", name
        assert "工作区" not in text and "草稿" not in text, name  # before: 工作区(未提交的文件) or the bare hash
        if name != "xlsx":
            assert not HEX40.search(text), name
    wb = openpyxl.load_workbook(tmp_path / "out" / "xlsx" / f"{LIST}.xlsx")
    facts = {r[0]: r[1] for r in wb["封面"].iter_rows(min_row=3, values_only=True) if r and r[0]}
    assert facts["数据版本"] == f"v2025(提交 {head[:7]})" and facts["来源提交"] == head
    assert facts["提交日期"] == datetime(2025, 1, 1)  # a date cell: before, ISO text "2025-01-01T09:00:00+08:00"
    source = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["source"]
    assert source["version"] == "v2025" and source["draft"] is False


def test_an_untagged_commit_shows_the_short_commit_as_its_version(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.edit("base/000104001000.yaml", "事项名称: 建设工程规划许可证核发", "事项名称: 建设工程规划许可")
    head = repo.commit("rename")
    export_all(tmp_path / "out", "-f", "md")
    md = (tmp_path / "out" / "md" / f"{LIST}.md").read_text(encoding="utf-8")
    assert f"> 更新日期:2025年1月2日 · 版本:提交 {head[:7]};" in md


def test_a_work_tree_with_changes_is_a_draft_in_every_format(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.edit("base/000104001000.yaml", "事项名称: 建设工程规划许可证核发", "事项名称: 建设工程规划许可")
    export_all(tmp_path / "out")
    texts = _all_formats(tmp_path / "out")
    for name, text in texts.items():
        assert "草稿" in text, name
        assert "未提交的文件" not in text and "1980" not in text, name
    assert texts["md"].startswith(f"# {LIST}(草稿)\n")
    wb = openpyxl.load_workbook(tmp_path / "out" / "xlsx" / f"{LIST}.xlsx")
    assert wb["封面"]["A1"].value == f"{LIST}(草稿)"
    facts = {r[0]: r[1] for r in wb["封面"].iter_rows(min_row=3, values_only=True) if r and r[0]}
    assert facts["提交日期"] == "无(草稿,未提交)"  # before: "" — and never 1980-01-01
    assert "草稿" in (wb.worksheets[1].oddHeader.center.text or "")
    source = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["source"]
    assert source["draft"] is True and source["version"] is None


def test_xlsx_is_set_up_to_print(repo: CatalogRepo, tmp_path: Path) -> None:
    """Issue 24 item 3 (XLSX): landscape A4, fit to the page's width, the header row repeated, title in the page
    header, page numbers in the footer; the cover fits one portrait page."""
    repo.git("tag", "v2025")
    export_all(tmp_path / "out", "-f", "xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out" / "xlsx" / f"{LIST}.xlsx")
    cover, sheet = wb["封面"], wb.worksheets[1]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == LIST
    assert sheet.oddFooter.right.text == "第 &P 页,共 &N 页" and "更新日期" in sheet.oddFooter.left.text
    assert cover.page_setup.orientation == "portrait" and cover.sheet_properties.pageSetUpPr.fitToPage
    assert cover.page_setup.fitToWidth == 1 and cover.page_setup.fitToHeight == 1
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    long_text = [c for c in cells if display_width(c.value) > sheet.column_dimensions[c.column_letter].width]
    assert long_text and all(c.alignment.wrap_text for c in long_text)  # long text wraps instead of widening
    codes = [c for c in cells if len(c.value) == 31 and c.value.isdigit()]
    assert codes and all(sheet.column_dimensions[c.column_letter].width >= 33 for c in codes)  # codes stay one line


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
def test_libreoffice_prints_the_xlsx_on_few_pages(tmp_path: Path) -> None:
    """实施清单(西湖区), 57 rows in 12 department sheets: before, 65 pages and a cover cut in two; now the cover and
    each department's sheet are one A4 page each (its rows fit one page's height)."""
    copy = tmp_path / "catalog"
    shutil.copytree(EMBEDDED, copy)
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(copy), "-q", "-l", "实施清单(西湖区)", "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = out / "xlsx" / "实施清单-330106-西湖区.xlsx"
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = (tmp_path / book.with_suffix(".pdf").name).read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sheets = len(openpyxl.load_workbook(book).worksheets)
    assert pages == sheets, (pages, sheets)
