"""`mattercli import`: XLSX and CSV sheets (materials joined, merged cells, blank lines, GBK), bad rows reported by
row and column, Sichuan local codes, 权责清单 code allocation, and re-import changing nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from mattercli.catalogue.yamlio import load_text
from mattercli.check.engine import ValidateOptions, validate
from mattercli.cli import app
from mattercli.edit.importer import import_sheet, load_mapping
from mattercli.edit.importer.convert import parse_legal_bases, parse_local_code
from mattercli.edit.importer.mapping import MappingError

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
runner = CliRunner()

BODY = "113301060025000178"  # 杭州市西湖区市场监督管理局
POLICE = "113301060025000253"  # 杭州市西湖区公安分局
SAMR = "国家市场监督管理总局"
LICENCE_IMPL = f"{BODY}4000104001000"
POLICE_IMPL = f"{POLICE}4000104001000"
HEADERS = [
    "TASK_CODE",
    "TASK_NAME",
    "CATALOG_CODE",
    "TASK_TYPE",
    "DEPT_NAME",
    "DEPT_CODE",
    "USE_LEVEL",
    "PROJECT_TYPE",
    "ANTICIPATE_DAY",
    "ANTICIPATE_TYPE",
    "PROMISE_DAY",
    "LIMIT_SCENE_NUM",
    "IS_FEE",
    "SERVER_TYPE",
    "BY_LAW",
    "RESULT_NAME",
    "RESULT_TYPE",
]
GOOD_ROW = [
    POLICE_IMPL,
    "食品经营许可",
    "000104001000",
    "01",
    "杭州市西湖区公安分局",
    POLICE,
    "4",
    "2",
    20,
    "1",
    5,
    0,
    "否",
    "2,5",
    "《中华人民共和国食品安全法》第三十五条:国家对食品生产经营实行许可制度。",
    "食品经营许可证",
    "1",
]


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cell_range in (merges or {}).get(title, []):
            ws.merge_cells(cell_range)
    workbook.save(path)
    return path


def _csv(path: Path, rows: list[list[Any]], encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _national_workbook(tmp_path: Path) -> Path:
    bad_type = [*GOOD_ROW]
    bad_type[0], bad_type[3] = f"{BODY}4000104009000", "许可类"
    bad_days = [*GOOD_ROW]
    bad_days[0], bad_days[5], bad_days[8] = f"{BODY}4000204001000", BODY, "二十天"
    matters = [HEADERS, GOOD_ROW, [None] * len(HEADERS), bad_type, bad_days]
    materials = [
        ["TASK_CODE", "MATERIAL_NAME", "IS_NEED", "SOURCE_TYPE", "ORDER_NUM"],
        [POLICE_IMPL, "居民身份证", "1", "10", 2],
        [POLICE_IMPL, "食品经营许可申请书", "必要", "申请人自备", 1],
        [f"{BODY}4000104009000", "其他材料", "1", "10", 1],
    ]
    return _xlsx(tmp_path / "national.xlsx", {"事项": matters, "材料": materials})


def _findings(root: Path) -> list[tuple[str, str | None]]:
    return [(f.rule, f.file) for f in validate([root], ValidateOptions(jobs=1)).findings]


def test_xlsx_rows_become_valid_files_and_bad_rows_are_reported(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_national_workbook(tmp_path), load_mapping("national"), catalog)
    assert [(f.file, f.status, f.rows) for f in report.files] == [(f"impl/330106/{POLICE_IMPL}.yaml", "new", (2,))]
    assert [(p.row, p.column, p.header) for p in report.problems] == [(4, "D", "TASK_TYPE"), (5, "I", "ANTICIPATE_DAY")]
    assert "许可类" in report.problems[0].message and "第 4 行 D 列(TASK_TYPE)" in report.problems[0].where()
    assert report.problems[1].where("en") == "national.xlsx[事项] row 5, column I (ANTICIPATE_DAY)"
    data = load_text((catalog / report.files[0].file).read_text(encoding="utf-8"), "x").data
    assert data["实施编码"] == POLICE_IMPL and data["事项类型"] == "行政许可" and data["办件类型"] == "承诺件"
    assert data["服务对象"] == ["企业法人", "非法人企业"] and data["是否收费"] is False
    assert data["法定办结时限"] == {"时限": 20, "单位": "工作日"}
    assert data["设定依据"] == [
        {
            "法律法规名称": "中华人民共和国食品安全法",
            "条款号": "第三十五条",
            "条款内容": "国家对食品生产经营实行许可制度。",
        }
    ]
    assert [m["材料名称"] for m in data["申请材料"]] == ["食品经营许可申请书", "居民身份证"]  # ORDER_NUM
    assert data["办理结果"] == [{"结果类型": "出证办结", "结果名称": "食品经营许可证"}]
    assert _findings(catalog) == []


def test_reimport_changes_nothing_and_keeps_editors_comments(tmp_path: Path, catalog: Path) -> None:
    sheet = _national_workbook(tmp_path)
    import_sheet(sheet, load_mapping("national"), catalog)
    target = catalog / f"impl/330106/{POLICE_IMPL}.yaml"
    commented = "# 编辑加的说明\n" + target.read_text(encoding="utf-8").replace(
        "事项名称: 食品经营许可\n", "事项名称: 食品经营许可  # 与基本目录一致\n"
    )
    target.write_text(commented, encoding="utf-8")
    before = {p: p.read_bytes() for p in catalog.rglob("*.yaml")}
    again = import_sheet(sheet, load_mapping("national"), catalog)
    assert [f.status for f in again.files] == ["unchanged"]
    assert {p: p.read_bytes() for p in catalog.rglob("*.yaml")} == before


def test_reimport_updates_only_what_the_sheet_maps(tmp_path: Path, catalog: Path) -> None:
    sheet = _national_workbook(tmp_path)
    import_sheet(sheet, load_mapping("national"), catalog)
    target = catalog / f"impl/330106/{POLICE_IMPL}.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "咨询电话: 0571-87000000  # 窗口电话\n", encoding="utf-8")
    changed_row = [*GOOD_ROW]
    changed_row[10] = 3
    _xlsx(sheet, {"事项": [HEADERS, changed_row]})
    report = import_sheet(sheet, load_mapping("national"), catalog)
    assert [f.status for f in report.files] == ["changed"]
    text = target.read_text(encoding="utf-8")
    assert "承诺办结时限:\n  时限: 3\n" in text
    assert "咨询电话: 0571-87000000  # 窗口电话" in text  # an element the sheet does not map, comment and all


def test_existing_matter_elements_not_in_the_sheet_are_kept(tmp_path: Path, catalog: Path) -> None:
    rows = [["TASK_CODE", "PROMISE_DAY"], [LICENCE_IMPL, 4]]
    report = import_sheet(_xlsx(tmp_path / "s.xlsx", {"事项": rows}), load_mapping("national"), catalog)
    assert [f.status for f in report.files] == ["changed"]
    data = load_text((catalog / report.files[0].file).read_text(encoding="utf-8"), "x").data
    assert data["承诺办结时限"] == {"时限": 4, "单位": "工作日"}
    assert data["实施主体"]["名称"] == "杭州市西湖区市场监督管理局" and len(data["申请材料"]) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_writes(tmp_path: Path, catalog: Path, encoding: str) -> None:
    rows = [HEADERS, GOOD_ROW, [""] * len(HEADERS), [*GOOD_ROW[:3], "不存在的类型", *GOOD_ROW[4:]]]
    sheet = _csv(tmp_path / "matters.csv", rows, encoding)
    report = import_sheet(sheet, load_mapping("national"), catalog)
    assert report.encoding == {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)"}.get(encoding, "GBK/GB18030")
    assert [f.status for f in report.files] == ["new"]
    assert [(p.row, p.column) for p in report.problems] == [(4, "D")]
    text = (catalog / report.files[0].file).read_text(encoding="utf-8")
    assert "事项名称: 食品经营许可" in text and "《" not in text


def test_csv_with_a_materials_file(tmp_path: Path, catalog: Path) -> None:
    sheet = _csv(tmp_path / "matters.csv", [HEADERS, GOOD_ROW], "gbk")
    materials = _csv(
        tmp_path / "materials.csv",
        [["TASK_CODE", "MATERIAL_NAME", "IS_NEED"], [POLICE_IMPL, "居民身份证", "3"]],
        "utf-8",
    )
    report = import_sheet(sheet, load_mapping("national"), catalog, materials_file=materials)
    data = load_text((catalog / report.files[0].file).read_text(encoding="utf-8"), "x").data
    assert data["申请材料"] == [{"材料名称": "居民身份证", "必要性": "容缺后补"}]


def test_codes_excel_stored_as_numbers(tmp_path: Path, catalog: Path) -> None:
    rows = [["TASK_CODE", "CATALOG_CODE", "PROMISE_DAY"], [LICENCE_IMPL, 104001000, 4], [float(LICENCE_IMPL), None, 4]]
    report = import_sheet(_xlsx(tmp_path / "n.xlsx", {"事项": rows}), load_mapping("national"), catalog)
    assert [f.file for f in report.files] == [f"impl/330106/{LICENCE_IMPL}.yaml"]  # 104001000 -> "000104001000"
    assert [(p.row, p.column) for p in report.problems] == [(3, "A")]
    assert "位数已丢失" in report.problems[0].message


def test_sichuan_local_codes(tmp_path: Path, catalog: Path) -> None:
    local = f"511A0138600000-511602000000-000-{POLICE}-1-00"
    assert parse_local_code(local) is not None and parse_local_code("511A01386") is None
    rows = [
        ["TASK_CODE", "TASK_NAME", "CATALOG_CODE", "TASK_TYPE", "USE_LEVEL", "PROJECT_TYPE", "LIMIT_SCENE_NUM"],
        [local, "食品经营许可", "000104001000", "01", "区县级", "即办件", 0],
        [local.replace("600000", "600001"), "某事项", None, "01", "4", "1", 0],
    ]
    report = import_sheet(_xlsx(tmp_path / "sc.xlsx", {"事项": rows}), load_mapping("national"), catalog)
    assert [f.file for f in report.files] == [f"impl/511602/{POLICE_IMPL}.yaml"]
    data = load_text((catalog / report.files[0].file).read_text(encoding="utf-8"), "x").data
    assert data["地方实施编码"] == local and data["地方基本编码"] == "511A0138600000"  # not 原事项编码 (lineage)
    assert "原事项编码" not in data and data["行政区划代码"] == "511602"
    assert data["实施主体"] == {"统一社会信用代码": POLICE, "名称": "杭州市西湖区公安分局"}  # name from the registry
    ((row, column, message),) = [(p.row, p.column, p.message) for p in report.problems]
    assert (row, column) == (3, "A") and "无法转换为全国实施编码" in message


def test_power_list_with_title_row_merged_cells_and_code_allocation(tmp_path: Path, catalog: Path) -> None:
    rows = [
        ["国家市场监督管理总局权责清单"],
        ["序号", "事项名称", "事项类型", "设定依据", "实施主体", "责任事项", "追责情形"],
        [1, "食品生产许可", "许可", "《中华人民共和国食品安全法》第三十五条", SAMR, "受理责任", "不履行职责"],
        [2, "特种设备许可", None, "《中华人民共和国食品安全法》第四十五条", None, "审查责任", None],
        [None] * 7,
        [3, "对某行为的处罚", "处罚类", "《中华人民共和国食品安全法》第一百二十二条", SAMR, None, None],
    ]
    sheet = _xlsx(tmp_path / "power.xlsx", {"权责清单": rows}, {"权责清单": ["A1:G1", "C3:C4", "E3:E4"]})
    mapping = load_mapping("power-list")
    report = import_sheet(sheet, mapping, catalog)
    assert report.header_row == 2
    assert [(f.file, f.rows) for f in report.files] == [
        ("base/000104002000.yaml", (3,)),
        ("base/000104003000.yaml", (4,)),
    ]
    assert [(p.row, p.column, p.header) for p in report.problems] == [(6, "C", "事项类型")]
    second = load_text((catalog / "base/000104003000.yaml").read_text(encoding="utf-8"), "x").data
    assert second["事项类型"] == "行政许可" and second["主管部门"] == SAMR  # from the merged cells above
    assert second["责任事项"] == [{"环节": "其他", "内容": "审查责任"}]  # no 「责任：」 label: 环节 其他
    first = load_text((catalog / "base/000104002000.yaml").read_text(encoding="utf-8"), "x").data
    assert first["追责情形"] == [{"情形": "不履行职责"}] and "备注" not in first
    again = import_sheet(sheet, mapping, catalog)  # matched by name, type and department: no new codes
    assert [(f.file, f.status) for f in again.files] == [
        ("base/000104002000.yaml", "unchanged"),
        ("base/000104003000.yaml", "unchanged"),
    ]


def test_duplicate_rows_are_reported(tmp_path: Path, catalog: Path) -> None:
    rows = [HEADERS, GOOD_ROW, GOOD_ROW]
    report = import_sheet(_xlsx(tmp_path / "d.xlsx", {"事项": rows}), load_mapping("national"), catalog)
    assert len(report.files) == 1 and [(p.row, "第 2 行" in p.message) for p in report.problems] == [(3, True)]


def test_legal_basis_text_is_split_into_laws_and_articles() -> None:
    text = "1.《中华人民共和国食品安全法》第三十五条第一款:国家对食品生产经营实行许可制度。\n2、《食品经营许可和备案管理办法》第二条;《某条例》"
    assert parse_legal_bases(text) == [
        {
            "法律法规名称": "中华人民共和国食品安全法",
            "条款号": "第三十五条第一款",
            "条款内容": "国家对食品生产经营实行许可制度。",
        },
        {"法律法规名称": "食品经营许可和备案管理办法", "条款号": "第二条"},
        {"法律法规名称": "某条例"},
    ]


def test_custom_mapping_with_value_translations(tmp_path: Path, catalog: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "kind: implementation\n"
        "set:\n  权力来源: 法定本级行使\n"
        "columns:\n"
        "  编码: 实施编码\n"
        "  办件: {element: 办件类型, values: {当场: 即办件, 承诺: 承诺件}}\n"
        "  跑动: {element: 到办事现场次数, values: {零次: 0}}\n"
        "  进驻: {element: 是否进驻政务大厅}\n"
        "  说明: {element: 受理条件, label: 条件}\n",
        encoding="utf-8",
    )
    rows = [["编码", "办件", "跑动", "进驻", "说明"], [POLICE_IMPL, "当场", "零次", "是", "材料齐全"]]
    report = import_sheet(_xlsx(tmp_path / "c.xlsx", {"S": rows}), load_mapping(mapping), catalog)
    data = load_text((catalog / report.files[0].file).read_text(encoding="utf-8"), "x").data
    assert data["办件类型"] == "即办件" and data["到办事现场次数"] == 0 and data["是否进驻政务大厅"] is True
    assert data["受理条件"] == "条件:材料齐全" and data["权力来源"] == "法定本级行使"


def test_bad_mapping_is_a_usage_error_with_its_line(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("columns:\n  A: 事项名称\nkind: 其他\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"bad.yaml:3"):
        load_mapping(mapping)
    result = runner.invoke(app, ["import", str(tmp_path / "x.csv"), "--mapping", str(mapping)])
    assert result.exit_code == 2 and "bad.yaml:3" in result.output


def test_cli_dry_run_writes_nothing_then_json(tmp_path: Path, catalog: Path) -> None:
    sheet = _national_workbook(tmp_path)
    before = sorted(p.relative_to(catalog) for p in catalog.rglob("*.yaml"))
    args = ["import", str(sheet), "--mapping", "national", "--catalog", str(catalog)]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 1  # two rows cannot be mapped
    assert f"将新建: impl/330106/{POLICE_IMPL}.yaml(第 2 行)" in dry.output
    assert "第 4 行 D 列(TASK_TYPE)" in dry.output and f'    实施编码: "{POLICE_IMPL}"' in dry.output
    assert sorted(p.relative_to(catalog) for p in catalog.rglob("*.yaml")) == before
    result = runner.invoke(app, [*args, "--format", "json"])
    doc = json.loads(result.output)
    assert doc["summary"] == {
        "rows": 3,
        "new": 1,
        "changed": 0,
        "unchanged": 0,
        "failed_rows": 2,
        "claimed": 0,
        "chosen": 0,
        "pending": 0,
    }
    assert [(p["row"], p["column"], p["header"]) for p in doc["problems"]] == [
        (4, "D", "TASK_TYPE"),
        (5, "I", "ANTICIPATE_DAY"),
    ]
    again = runner.invoke(app, [*args, "--lang", "en"])
    assert "0 new, 0 updated, 1 unchanged, 2 rows not imported" in again.output


def test_a_matter_filed_elsewhere_is_updated_in_place(tmp_path: Path, catalog: Path) -> None:
    old = catalog / f"impl/330106/{LICENCE_IMPL}.yaml"
    moved = catalog / "impl/misc/西湖区食品经营许可.yaml"
    moved.parent.mkdir()
    old.rename(moved)
    rows = [["TASK_CODE", "PROMISE_DAY"], [LICENCE_IMPL, 4]]
    report = import_sheet(_xlsx(tmp_path / "s.xlsx", {"事项": rows}), load_mapping("national"), catalog)
    assert [(f.file, f.status) for f in report.files] == [("impl/misc/西湖区食品经营许可.yaml", "changed")]
    assert not old.exists()
