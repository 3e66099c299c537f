"""`mattercli export`: every list's rows (golden), each format read back, determinism, --rev, the manifest,
atomic replacement and refusal to write outside --output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from export_helpers import (
    CATALOG,
    FOOD,
    LISTS,
    MINI,
    ROOT,
    check_golden,
    manifest,
    read_csv,
    rich_catalogue,
    sha256,
    tree_bytes,
    without_sections,
)
from mattercli.cli import app
from mattercli.export import ExportOptions, export_catalog
from mattercli.export.formats import ExportFormat
from mattercli.export.output import AtomicTree, OutputError, TreeWriter

runner = CliRunner()
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def export(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["export", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def catalog_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded catalogue exported once in every format — a copy outside git, so its source is 工作区 whether
    or not this checkout has changes (a clean tree in git is its HEAD commit, see test_export_provenance.py)."""
    base = tmp_path_factory.mktemp("catalog-export")
    copy = base / "catalog"
    shutil.copytree(CATALOG, copy)
    out = base / "out"
    code, output = export(str(copy), "--output", str(out), "--jobs", "1")
    assert code == 0, output
    return out


@pytest.fixture(scope="module")
def rich_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = rich_catalogue(tmp_path_factory.mktemp("rich"))
    out = root.parent / "out"
    code, output = export(str(root), "--output", str(out))
    assert code == 0, output
    return out


# --- the shipped definitions --------------------------------------------------------------------------------


def test_shipped_definitions_match_the_list_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "list.schema.json").read_text(encoding="utf-8"))
    files = sorted(LISTS.glob("*.yaml"))
    names = set()
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema).validate(data)
        names.add(data["名称"])
    required = {
        "权责清单",
        "行政许可事项清单",
        "公共服务事项清单",
        "马上办事项清单",
        "网上办事项清单",
        "一次办事项清单",
    }
    required |= {"一次不跑事项清单", "证明事项清单", "收费事项清单", "中介服务事项清单", "实施清单"}
    assert required <= names


def test_power_list_holds_the_power_types() -> None:
    from mattercli.model.codes import POWER_TYPES

    data = yaml.safe_load((LISTS / "权责清单.yaml").read_text(encoding="utf-8"))
    assert set(data["筛选"]["事项类型"]) == {t.value for t in POWER_TYPES}


# --- golden rows of the embedded catalogue -------------------------------------------------------------------


def test_every_list_of_the_embedded_catalogue_matches_its_golden_rows(catalog_export: Path) -> None:
    doc = manifest(catalog_export)
    stems = [x["file"] for x in doc["lists"]]
    assert "实施清单-330106-西湖区" in stems and "权责清单" in stems
    for stem in stems:
        text = (catalog_export / "csv" / f"{stem}.csv").read_bytes()[3:].decode("utf-8")
        check_golden(f"catalog/{stem}.csv", text)
    golden = sorted(p.stem for p in (Path(__file__).parent / "golden" / "export" / "catalog").glob("*.csv"))
    assert golden == sorted(stems), "a golden file belongs to no list (or a list has none)"


def test_embedded_catalogue_lists_select_what_their_definitions_say(catalog_export: Path) -> None:
    def rows(stem: str) -> list[dict[str, str]]:
        table = read_csv(catalog_export / "csv" / f"{stem}.csv")
        return [dict(zip(table[0], r, strict=True)) for r in table[1:]]

    # catalog/README.md: 126 implementation entries, 18 浙江省, 51 杭州市, 57 西湖区; 75 base entries.
    assert [len(rows(f"实施清单-{r}")) for r in ("330000-浙江省", "330100-杭州市", "330106-西湖区")] == [18, 51, 57]
    assert all(r["实施编码"][2:8] == "330106" for r in rows("实施清单-330106-西湖区"))
    assert all(r["到办事现场次数"] == "0" for r in rows("一次不跑事项清单"))
    assert all(int(r["到办事现场次数"]) <= 1 for r in rows("一次办事项清单"))
    fees = rows("收费事项清单")
    assert fees and all(r["收费依据"] for r in fees)
    proofs = rows("证明事项清单")
    assert proofs and all(r["证明设定依据"] for r in proofs)
    assert {r["事项类型"] for r in rows("权责清单")} <= {
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政征收",
        "行政给付",
        "行政检查",
        "行政确认",
        "行政奖励",
        "行政裁决",
        "其他行政权力",
        "行政备案",
    }
    assert len(rows("基本目录")) == 75
    # The 四办 lists hold 依申请 matters only (中办国办 2018 便民化意见): no 处罚/强制/检查/征收 row, and not the
    # 其他行政权力 matter declared 依职权 (责任约谈).
    ex_officio = {"行政处罚", "行政强制", "行政检查", "行政征收"}
    for stem in ("一次不跑事项清单", "一次办事项清单", "网上办事项清单", "马上办事项清单", "就近办事项清单"):
        assert rows(stem) and not {r["事项类型"] for r in rows(stem)} & ex_officio, stem
        assert not any("责任约谈" in r["事项名称"] for r in rows(stem)), stem
    assert len(rows("一次不跑事项清单")) == 81  # 依申请 matters with 0 visits (catalog/README.md)
    assert all(r["行使层级"] in ("乡镇(街道)级", "村(社区)级") for r in rows("就近办事项清单"))
    assert any(r["事项类型"] == "行政备案" for r in rows("一次不跑事项清单"))


# --- every format read back ----------------------------------------------------------------------------------


def test_csv_reads_back_with_bom_headers_and_manifest_row_counts(catalog_export: Path) -> None:
    for item in manifest(catalog_export)["lists"]:
        table = read_csv(catalog_export / "csv" / f"{item['file']}.csv")
        # a list in sections (分组: 设定类别) prints each section's title on a row of its own
        data = without_sections(table[1:])
        assert len(data) == item["rows"]
        assert table[0][0] == "序号"
        assert all(int(r[0]) >= 1 for r in data)  # 序号 (restarting in each group of a grouped list)


def test_xlsx_reads_back_with_cover_bold_frozen_header_widths_and_the_same_rows(catalog_export: Path) -> None:
    for item in manifest(catalog_export)["lists"]:
        wb = openpyxl.load_workbook(catalog_export / "xlsx" / f"{item['file']}.xlsx")
        cover = wb["封面"]
        facts = {row[0]: row[1] for row in cover.iter_rows(min_row=3, values_only=True)}
        assert facts["清单名称"] == item["name"]
        assert facts["来源提交"] == "工作区(草稿)" and facts["发布状态"].startswith("草稿")  # a work tree: a draft
        assert facts["提交日期"] == "无(草稿,未提交)"  # never 1980-01-01
        assert facts["行数"] == item["rows"]
        data_rows: list[list[str]] = []
        for ws in wb.worksheets[1:]:
            assert ws.freeze_panes == "A2"
            header = [c for c in next(ws.iter_rows(max_row=1))]
            assert all(c.font.b for c in header)
            assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in header)
            for row in ws.iter_rows(min_row=2, values_only=True):
                data_rows.append(["" if v is None else str(v) for v in row])
        csv_rows = without_sections(read_csv(catalog_export / "csv" / f"{item['file']}.csv")[1:])
        assert data_rows == csv_rows, item["name"]


def test_xlsx_has_one_sheet_per_department_when_grouped(catalog_export: Path) -> None:
    wb = openpyxl.load_workbook(catalog_export / "xlsx" / "权责清单.xlsx")
    table = read_csv(catalog_export / "csv" / "权责清单.csv")
    departments = list(dict.fromkeys(r[table[0].index("实施主体")] for r in table[1:]))
    assert wb.sheetnames == ["封面", *[d[:31] for d in departments]]
    assert wb.properties.creator == "mattercli"


def test_json_columns_and_rows_agree_with_csv(catalog_export: Path) -> None:
    for item in manifest(catalog_export)["lists"]:
        doc = json.loads((catalog_export / "json" / f"{item['file']}.json").read_text(encoding="utf-8"))
        table = read_csv(catalog_export / "csv" / f"{item['file']}.csv")
        assert [c["header"] for c in doc["columns"]] == table[0]
        assert doc["row_count"] == item["rows"] == len(doc["rows"])
        assert [[str(v) for v in r["values"]] for r in doc["rows"]] == without_sections(table[1:])
        assert doc["source"] == {"label": "工作区", "commit": None, "date": None, "version": None, "draft": True}


def test_markdown_golden_for_the_rich_fixture(rich_export: Path) -> None:
    for stem in ("权责清单", "证明事项清单", "中介服务事项清单", "收费事项清单", "马上办事项清单"):
        check_golden(f"mini/{stem}.md", (rich_export / "md" / f"{stem}.md").read_text(encoding="utf-8"))
    check_golden("mini/收费事项清单.json", (rich_export / "json" / "收费事项清单.json").read_text(encoding="utf-8"))


def test_rich_fixture_lists(rich_export: Path) -> None:
    def rows(stem: str) -> list[list[str]]:
        return read_csv(rich_export / "csv" / f"{stem}.csv")[1:]

    assert [r[1] for r in rows("证明事项清单")] == ["从业人员健康证明"]
    assert rows("证明事项清单")[0][5] == "未列入清单"  # proof-list.yaml has 健康证明, not 从业人员健康证明
    assert [r[5:7] for r in rows("中介服务事项清单")] == [["食品安全检测", "否"]]
    assert [r[2] for r in rows("马上办事项清单")] == ["11330102MB0000019G4000104001000"]
    # 依申请 only: the 行政处罚 entry (依职权, no 到办事现场次数) is on neither list
    assert len(rows("一次办事项清单")) == 2 and len(rows("一次不跑事项清单")) == 1
    assert "1133010600250001784000204001000" not in {r[2] for r in rows("一次办事项清单")}
    stems = [x["file"] for x in manifest(rich_export)["lists"]]
    assert "实施清单-330102-上城区" in stems and "实施清单-330106-西湖区" in stems


# --- manifest ------------------------------------------------------------------------------------------------


def test_manifest_lists_every_file_with_its_sha256(catalog_export: Path) -> None:
    doc = manifest(catalog_export)
    from mattercli.model.schema import SCHEMA_VERSION

    assert doc["tool"] == "mattercli" and doc["schema_version"] == SCHEMA_VERSION
    assert doc["source"]["label"] == "工作区"
    assert doc["formats"] == ["csv", "xlsx", "json", "md", "html"]
    on_disk = {p.relative_to(catalog_export).as_posix() for p in catalog_export.rglob("*") if p.is_file()}
    assert set(doc["files"]) == on_disk - {"manifest.json"}
    for rel, digest in doc["files"].items():
        assert sha256(catalog_export / rel) == digest, rel
    assert doc["skipped"] == []


# --- determinism and --rev -----------------------------------------------------------------------------------


def test_two_exports_of_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    assert export(str(root), "-o", str(first))[0] == 0
    assert export(str(root), "-o", str(second), "--jobs", "2")[0] == 0
    assert tree_bytes(first) == tree_bytes(second)


def _git_catalogue(tmp_path: Path) -> tuple[Path, str, str]:
    """A git repository holding the rich catalogue in catalog/, with two commits; returns (root, old, new)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    root = rich_catalogue(repo)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-03-01T10:00:00+08:00",
        "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+08:00",
    }
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*GIT, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*GIT, "-C", str(repo), "commit", "-q", "-m", "v1"], check=True, env=env)
    old = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    food = root / FOOD
    food.write_text(
        food.read_text(encoding="utf-8").replace("事项名称: 食品经营许可", "事项名称: 食品经营许可(新)"), "utf-8"
    )
    env2 = {**env, "GIT_AUTHOR_DATE": "2024-04-02T09:30:00+08:00", "GIT_COMMITTER_DATE": "2024-04-02T09:30:00+08:00"}
    subprocess.run([*GIT, "-C", str(repo), "commit", "-q", "-am", "v2"], check=True, env=env2)
    new = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    return root, old, new


def test_rev_exports_an_old_commit_without_checkout(tmp_path: Path) -> None:
    root, old, new = _git_catalogue(tmp_path)
    food = root / FOOD
    food.write_text(food.read_text(encoding="utf-8").replace("食品经营许可(新)", "食品经营许可(未提交)"), "utf-8")
    out_old, out_new, out_work = tmp_path / "old", tmp_path / "new", tmp_path / "work"
    assert export(str(root), "-o", str(out_old), "--rev", "HEAD~1", "-f", "csv", "-f", "xlsx")[0] == 0
    assert export(str(root), "-o", str(out_new), "--rev", new[:12], "-f", "csv")[0] == 0
    assert export(str(root), "-o", str(out_work), "-f", "csv")[0] == 0

    def names(out: Path) -> set[str]:
        return {r[1] for r in read_csv(out / "csv" / "行政许可事项实施清单.csv")[1:]}

    assert names(out_old) == {"食品经营许可"}
    assert "食品经营许可(新)" in names(out_new)
    assert "食品经营许可(未提交)" in names(out_work)
    assert "(未提交)" in food.read_text(encoding="utf-8")  # the work tree was not touched
    doc = manifest(out_old)
    assert doc["source"] == {
        "label": old,
        "commit": old,
        "date": "2024-03-01T10:00:00+08:00",
        "version": old[:7],
        "draft": False,
    }
    wb = openpyxl.load_workbook(out_old / "xlsx" / "行政许可事项实施清单.xlsx")
    assert wb.properties.created.isoformat() == "2024-03-01T02:00:00"
    facts = {row[0]: row[1] for row in wb["封面"].iter_rows(min_row=3, values_only=True)}
    assert facts["来源提交"] == old and facts["数据版本"] == f"提交 {old[:7]}"
    assert facts["提交日期"] == datetime(2024, 3, 1)  # a date cell (the commit's own day), not ISO text
    assert wb["封面"]["B10"].number_format == "yyyy-mm-dd" and wb["封面"]["A10"].value == "提交日期"


def test_rev_exports_are_byte_identical_and_timestamped_only_by_the_commit(tmp_path: Path) -> None:
    root, _old, _new = _git_catalogue(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    assert export(str(root), "-o", str(first), "--rev", "HEAD")[0] == 0
    assert export(str(root), "-o", str(second), "--rev", "HEAD")[0] == 0
    assert tree_bytes(first) == tree_bytes(second)
    import zipfile

    with zipfile.ZipFile(first / "xlsx" / "权责清单.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 4, 2, 1, 30, 0)}


def test_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    root, _old, _new = _git_catalogue(tmp_path)
    code, output = export(str(root), "-o", str(tmp_path / "x"), "--rev", "no-such-branch")
    assert code == 2 and "no-such-branch" in output
    assert not (tmp_path / "x").exists()


# --- selection -----------------------------------------------------------------------------------------------


def test_list_and_format_selection(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    out = tmp_path / "out"
    code, output = export(str(root), "-o", str(out), "-l", "权责清单", "-l", "实施清单(上城区)", "-f", "md")
    assert code == 0, output
    assert sorted(tree_bytes(out)) == ["manifest.json", "md/实施清单-330102-上城区.md", "md/权责清单.md"]
    code, output = export(str(root), "-o", str(out), "-l", "没有这个清单")
    assert code == 2 and "没有这个清单" in output and "权责清单" in output
    assert (out / "md" / "权责清单.md").is_file()  # the previous export is intact


def test_definitions_option_reads_another_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = export(str(MINI), "-o", str(out), "--definitions", str(LISTS), "-f", "json", "--lang", "en")
    assert code == 0 and "exported" in output
    assert manifest(out)["lists"][0]["definition_file"].endswith(".yaml")


def test_no_definitions_is_an_error(tmp_path: Path) -> None:
    code, output = export(str(MINI), "-o", str(tmp_path / "out"))
    assert code == 2 and "lists/" in output


# --- atomic writes and safety --------------------------------------------------------------------------------


def test_a_failed_export_leaves_the_previous_files_intact(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    out = tmp_path / "out"
    assert export(str(root), "-o", str(out), "-f", "csv")[0] == 0
    before = tree_bytes(out)
    # A list whose name cannot be a file name fails while the new export is written.
    (root / "lists" / "evil.yaml").write_text("名称: ../../逃逸\n列:\n  - 要素: 事项名称\n", encoding="utf-8")
    code, output = export(str(root), "-o", str(out), "-f", "csv")
    assert code == 2 and "../../逃逸" in output
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "out"]  # no temporary directory left
    assert not any(p.name.startswith("逃逸") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("name", ["..", "a/b", "a\\b", ".hidden", "con", "x\ty"])
def test_unsafe_file_names_are_refused(tmp_path: Path, name: str) -> None:
    root = rich_catalogue(tmp_path)
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    (root / "lists" / "x.yaml").write_text(
        yaml.safe_dump({"名称": name, "列": [{"要素": "事项名称"}]}, allow_unicode=True), encoding="utf-8"
    )
    code, _output = export(str(root), "-o", str(tmp_path / "out"), "-f", "csv")
    assert code == 2
    assert not (tmp_path / "out").exists()


def test_refuses_a_symlinked_output_and_a_foreign_directory(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    code, output = export(str(root), "-o", str(link))
    assert code == 2 and "符号链接" in output
    assert list(elsewhere.iterdir()) == []
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    code, output = export(str(root), "-o", str(foreign))
    assert code == 2 and "manifest.json" in output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_replacing_a_previous_export_drops_files_it_no_longer_has(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    out = tmp_path / "out"
    assert export(str(root), "-o", str(out), "-f", "csv", "-f", "md")[0] == 0
    assert export(str(root), "-o", str(out), "-f", "json")[0] == 0
    assert not (out / "csv").exists() and (out / "json" / "权责清单.json").is_file()
    assert set(manifest(out)["files"]) == {p.relative_to(out).as_posix() for p in out.rglob("*.json")} - {
        "manifest.json"
    }


# --- definition errors name file and line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("名称: 坏清单\n列:\n  - 要素: 事项名称\n  - 要素: 实施主体.名字\n", 4, "名字"),
        ("名称: 坏清单\n排序: 笔画\n列:\n  - 要素: 事项名称\n", 2, "笔画"),
        ("名称: 坏清单\n列:\n  - 要素: 材料.材料名称\n", 3, "申请材料"),
        ("名称: 坏清单\n未知: 1\n列:\n  - 要素: 事项名称\n", 2, "未知"),
    ],
)
def test_bad_definitions_are_reported_with_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    root = rich_catalogue(tmp_path)
    (root / "lists" / "坏.yaml").write_text(text, encoding="utf-8")
    code, output = export(str(root), "-o", str(tmp_path / "out"))
    assert code == 2
    assert f"lists/坏.yaml:{line}:" in output and words in output
    assert not (tmp_path / "out").exists()


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    text = "名称: 重复\n列:\n  - 要素: 事项名称\n  - 要素: 基本目录.事项名称\n"
    (root / "lists" / "dup.yaml").write_text(text, encoding="utf-8")
    code, output = export(str(root), "-o", str(tmp_path / "out"))
    assert code == 2 and "表头重复" in output


# --- sorting, grouping, skipped files, escaping --------------------------------------------------------------


def _one_list(tmp_path: Path, definition: str, formats: tuple[ExportFormat, ...] = (ExportFormat.csv,)) -> Path:
    root = rich_catalogue(tmp_path)
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    (root / "lists" / "t.yaml").write_text(definition, encoding="utf-8")
    out = tmp_path / "out"
    export_catalog(ExportOptions(path=root, output=out, formats=formats))
    return out


def test_pinyin_order(tmp_path: Path) -> None:
    out = _one_list(tmp_path, "名称: 拼音\n目录: 全部\n排序: 拼音\n列:\n  - 要素: 事项名称\n  - 要素: 编码\n")
    names = [r[0] for r in read_csv(out / "csv" / "拼音.csv")[1:]]
    # 对 (dui) before 食 (shi); equal names then by code (base 12 characters before implementation 31).
    assert names == ["对未取得食品经营许可从事食品经营活动的行政处罚"] * 2 + ["食品经营许可"] * 3
    codes = [r[1] for r in read_csv(out / "csv" / "拼音.csv")[1:]]
    assert codes[2:] == sorted(codes[2:])


def test_department_order_follows_the_registry_and_numbers_restart_per_group(tmp_path: Path) -> None:
    definition = "名称: 部门\n目录: 全部\n分组: 部门\n排序: 编码\n列:\n  - 要素: 序号\n  - 要素: 部门\n"
    out = _one_list(tmp_path, definition, (ExportFormat.csv, ExportFormat.json))
    rows = read_csv(out / "csv" / "部门.csv")[1:]
    assert rows == [
        ["1", "国家市场监督管理总局"],
        ["2", "国家市场监督管理总局"],
        ["1", "杭州市西湖区市场监督管理局"],
        ["2", "杭州市西湖区市场监督管理局"],
        ["1", "杭州市上城区市场监督管理局"],
    ]
    doc = json.loads((out / "json" / "部门.json").read_text(encoding="utf-8"))
    assert [r["group"] for r in doc["rows"]][::2] == [
        "国家市场监督管理总局",
        "杭州市西湖区市场监督管理局",
        "杭州市上城区市场监督管理局",
    ]


def test_region_filter_covers_divisions_below_it(tmp_path: Path) -> None:
    definition = '名称: 杭州\n筛选:\n  行政区划代码: ["330100"]\n列:\n  - 要素: 区划名称\n'
    out = _one_list(tmp_path, definition)
    assert sorted(r[0] for r in read_csv(out / "csv" / "杭州.csv")[1:]) == ["上城区", "西湖区", "西湖区"]


def test_invalid_matter_files_are_skipped_and_reported(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    (root / FOOD).write_text("事项名称: [坏\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = export(str(root), "-o", str(out), "-f", "csv")
    assert code == 0 and "已跳过" in output and FOOD in output
    assert manifest(out)["skipped"] == [{"file": FOOD, "reason": "yaml-syntax"}]
    code, _ = export(str(root), "-o", str(out), "-f", "csv", "--strict")
    assert code == 1


def test_cells_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    food = root / FOOD
    food.write_text(
        food.read_text(encoding="utf-8").replace("咨询电话: 0571-87000000", "办理地点: =HYPERLINK(1)"), "utf-8"
    )
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    (root / "lists" / "t.yaml").write_text("名称: 地点\n列:\n  - 要素: 办理地点\n", encoding="utf-8")
    out = tmp_path / "out"
    export_catalog(ExportOptions(path=root, output=out, formats=(ExportFormat.csv, ExportFormat.xlsx)))
    assert ["'=HYPERLINK(1)"] in read_csv(out / "csv" / "地点.csv")
    ws = openpyxl.load_workbook(out / "xlsx" / "地点.xlsx").worksheets[1]
    cell = next(c for c in ws["A"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_atomic_tree_keeps_the_previous_export_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with AtomicTree(target) as out:
        out.text("manifest.json", '{"tool": "mattercli"}')
        out.text("csv/a.csv", "old")
    with pytest.raises(RuntimeError), AtomicTree(target) as out:
        out.text("csv/a.csv", "new")
        raise RuntimeError("disk full")
    assert (target / "csv" / "a.csv").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("rel", ["../x.csv", "csv/../../x.csv", "/etc/x", "csv/.x", "csv/a\x00b"])
def test_tree_writer_refuses_paths_outside_the_export(tmp_path: Path, rel: str) -> None:
    writer = TreeWriter(tmp_path / "t")
    (tmp_path / "t").mkdir()
    with pytest.raises(OutputError):
        writer.write(rel, b"x")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["t"]


def test_tree_writer_never_writes_through_a_symlink(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "csv").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError):
        TreeWriter(root).write("csv/a.csv", b"x")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("conditions", "codes"),
    [
        ("  行使层级: [地市级]\n", ["000104001000"]),  # a base entry's levels; no implementation is 地市级
        ("  部门: [国家市场监督管理总局]\n", ["000104001000", "000204001000"]),
        # a 依职权 entry has no 到办事现场次数, so no visit condition selects it
        ("  事项类型: [行政处罚]\n  到办事现场次数不超过: 5\n", []),
        ("  事项类型: [行政处罚]\n", ["000204001000", "1133010600250001784000204001000"]),
        ("  办理性质: [依职权]\n", ["000204001000", "1133010600250001784000204001000"]),
        ("  办理性质: [依申请]\n  是否收费: true\n", ["000104001000", "11330102MB0000019G4000104001000"]),
        ("  就近办: true\n", []),  # no entry of the fixture is 乡镇(街道)级 or flagged 就近办
        ("  全程网办: false\n  是否收费: true\n", ["11330102MB0000019G4000104001000"]),
        (
            "  中介服务: false\n  办件类型: [承诺件]\n",
            ["1133010600250001784000104001000"],  # the 行政处罚 entry has no 办件类型 (依职权)
        ),
        ("  材料类别: [证照]\n", ["000104001000", "1133010600250001784000104001000"]),
        ("  事项状态: [已取消]\n", []),
    ],
)
def test_filters(tmp_path: Path, conditions: str, codes: list[str]) -> None:
    definition = f"名称: 筛选\n目录: 全部\n筛选:\n{conditions}列:\n  - 要素: 编码\n  - 要素: 事项类型.代码\n"
    out = _one_list(tmp_path, definition)
    rows = read_csv(out / "csv" / "筛选.csv")[1:]
    assert [r[0] for r in rows] == codes
    assert all(len(r[1]) == 2 and r[1].isdigit() for r in rows)


def test_base_catalogue_has_one_number_sequence_and_a_type_column(catalog_export: Path) -> None:
    """Issue 24 item 6: 基本目录.csv restarted 序号 12 times (once per 事项类型 group) with no 事项类型 column, so
    its rows could not be told apart. Now one sequence (序号编排: 连续) and a 事项类型 column, as published 基本目录."""
    table = read_csv(catalog_export / "csv" / "基本目录.csv")
    header, rows = table[0], table[1:]
    assert header[:4] == ["序号", "基本编码", "事项名称", "事项类型"]
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    types = [r[3] for r in rows]
    assert len(set(types)) > 5 and types == sorted(types, key=types.index)  # still grouped by type
    wb = openpyxl.load_workbook(catalog_export / "xlsx" / "基本目录.xlsx")
    firsts = [ws.cell(2, 1).value for ws in wb.worksheets[1:]]
    assert firsts[0] == 1 and firsts == sorted(firsts) and len(set(firsts)) == len(firsts)  # sheets continue


def test_continuous_numbering_is_a_definition_choice(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    columns = "列:\n  - 要素: 序号\n  - 要素: 事项名称\n"
    (root / "lists" / "a.yaml").write_text(f"名称: a\n分组: 部门\n{columns}", encoding="utf-8")
    (root / "lists" / "b.yaml").write_text(f"名称: b\n分组: 部门\n序号编排: 连续\n{columns}", encoding="utf-8")
    (root / "lists" / "c.yaml").write_text(f"名称: c\n序号编排: 顺序\n{columns}", encoding="utf-8")
    code, output = export(str(root), "-o", str(tmp_path / "bad"), "-f", "csv")
    assert code == 2 and "lists/c.yaml:2" in output
    (root / "lists" / "c.yaml").unlink()
    code, output = export(str(root), "-o", str(tmp_path / "out"), "-f", "csv")
    assert code == 0, output
    per_group = [int(r[0]) for r in read_csv(tmp_path / "out" / "csv" / "a.csv")[1:]]
    continuous = [int(r[0]) for r in read_csv(tmp_path / "out" / "csv" / "b.csv")[1:]]
    assert per_group.count(1) > 1 and continuous == list(range(1, len(per_group) + 1))
