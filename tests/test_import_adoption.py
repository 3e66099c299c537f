"""Adopting a real office's list (issue 18): time limits in every unit real lists write, local code tables that
are not presented as national, and the import defects found on a real district list, each with its test."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from mattercli.catalogue.yamlio import load_text
from mattercli.edit.importer import import_sheet, load_mapping
from mattercli.edit.importer.convert import ConvertError, to_time_limit
from mattercli.edit.importer.mapping import ElementType
from mattercli.model.codes import ResultType, Scope, TimeUnit
from mattercli.model.common import TimeLimit
from mattercli.model.schema import all_schemas

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
POLICE = "113301060025000253"  # 杭州市西湖区公安分局 in the mini catalogue
POLICE_IMPL = f"{POLICE}4000104001000"
LIMIT = ElementType("承诺办结时限", "object", ref="TimeLimit")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def _xlsx(path: Path, rows: list[list[Any]], title: str = "事项") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _data(catalog: Path, rel: str) -> dict[str, Any]:
    data = load_text((catalog / rel).read_text(encoding="utf-8"), rel).data
    assert isinstance(data, dict)
    return data


# ---- time limits ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("30个自然日", 30, "自然日"),  # was read as 30 工作日
        ("24个小时", 24, "小时"),  # was 24 工作日
        ("1个月", 1, "月"),  # was 1 工作日
        ("2周", 2, "周"),  # was 2 工作日
        ("3个星期", 3, "周"),
        ("20个工作日", 20, "工作日"),
        ("30日", 30, "自然日"),
        ("15", 15, "工作日"),
    ],
)
def test_time_limits_in_every_unit_real_lists_write(text: str, value: int, unit: str) -> None:
    assert to_time_limit(text, LIMIT) == {"时限": value, "单位": unit}


def test_a_time_limit_with_an_unknown_unit_is_reported_not_read_as_working_days() -> None:
    with pytest.raises(ConvertError) as raised:
        to_time_limit("2个季度", LIMIT)
    assert "单位无法识别" in raised.value.zh and "2个季度" in raised.value.zh and "2个季度" in raised.value.en


def test_week_and_month_compare_in_working_days() -> None:
    assert TimeLimit(时限=2, 单位=TimeUnit.WEEK).working_days == 10
    assert TimeLimit(时限=1, 单位=TimeUnit.MONTH).working_days == pytest.approx(30 * 5 / 7)


def test_time_limit_units_reach_the_written_file(tmp_path: Path, catalog: Path) -> None:
    rows = [
        ["TASK_CODE", "TASK_NAME", "PROMISE_DAY", "ANTICIPATE_DAY"],
        [POLICE_IMPL, "食品经营许可", "24个小时", "1个月"],
    ]
    report = import_sheet(_xlsx(tmp_path / "t.xlsx", rows), load_mapping("national"), catalog)
    assert report.problems == []
    data = _data(catalog, report.files[0].file)
    assert data["承诺办结时限"] == {"时限": 24, "单位": "小时"}
    assert data["法定办结时限"] == {"时限": 1, "单位": "月"}


# ---- code tables that are not national -----------------------------------------------------------------------------


def test_doubtful_code_tables_are_not_published_as_national() -> None:
    defs = all_schemas()["matter.schema.json"]["$defs"]
    for table in (ResultType, Scope, TimeUnit):
        assert "x-national-codes" not in defs[table.__name__], table
        assert defs[table.__name__]["x-codes"] == {m.value: m.code for m in table}
    assert "x-national-codes" in defs["MatterType"] and "x-national-codes" in defs["Level"]


def _result_rows(result_type: str, scope: str | None = None) -> list[list[Any]]:
    headers = ["TASK_CODE", "TASK_NAME", "RESULT_NAME", "RESULT_TYPE"]
    row: list[Any] = [POLICE_IMPL, "食品经营许可", "准予许可决定书", result_type]
    if scope is not None:
        headers.append("HANDLE_AREA")
        row.append(scope)
    return [headers, row]


def test_two_digit_result_type_codes_of_real_records_import(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_xlsx(tmp_path / "r.xlsx", _result_rows("20")), load_mapping("national"), catalog)
    assert report.problems == []
    assert _data(catalog, report.files[0].file)["办理结果"][0]["结果类型"] == "审批办结"
    # the tool's own one-digit codes keep working
    report = import_sheet(_xlsx(tmp_path / "r1.xlsx", _result_rows("1")), load_mapping("national"), catalog)
    assert _data(catalog, report.files[0].file)["办理结果"][0]["结果类型"] == "出证办结"


def test_scope_code_4_is_not_read_as_nationwide_without_a_configured_table(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_xlsx(tmp_path / "s.xlsx", _result_rows("20", "4")), load_mapping("national"), catalog)
    ((problem,),) = [report.problems]
    assert (
        problem.header == "HANDLE_AREA"
        and "registry/local-codes.yaml" in problem.message
        and "「4」" in problem.message
    )
    assert report.files == []
    # names still import
    report = import_sheet(_xlsx(tmp_path / "s2.xlsx", _result_rows("20", "全省")), load_mapping("national"), catalog)
    assert report.problems == [] and _data(catalog, report.files[0].file)["通办范围"] == "全省"


def test_a_catalogue_configures_its_own_codes(tmp_path: Path, catalog: Path) -> None:
    (catalog / "registry" / "local-codes.yaml").write_text(
        "本地代码:\n"
        "  - {代码表: 通办范围, 名称: 全市, 代码: '4', 也接受: ['04']}\n"
        "  - {代码表: 通办范围, 名称: 全省, 代码: '5'}\n"
        "  - {代码表: 审批结果类型, 名称: 出证办结, 代码: '10'}\n",
        encoding="utf-8",
    )
    report = import_sheet(_xlsx(tmp_path / "c.xlsx", _result_rows("10", "04")), load_mapping("national"), catalog)
    assert report.problems == []
    data = _data(catalog, report.files[0].file)
    assert data["通办范围"] == "全市" and data["办理结果"][0]["结果类型"] == "出证办结"


def test_a_code_table_registry_naming_an_unknown_label_is_a_finding(catalog: Path) -> None:
    from mattercli.check.engine import ValidateOptions, validate

    (catalog / "registry" / "local-codes.yaml").write_text(
        "本地代码:\n  - {代码表: 通办范围, 名称: 全世界, 代码: '9'}\n", encoding="utf-8"
    )
    findings = [(f.rule, f.file, f.message) for f in validate([catalog], ValidateOptions(jobs=1)).findings]
    assert any(file == "registry/local-codes.yaml" and "全世界" in message for _, file, message in findings), findings


def test_the_local_code_schema_names_the_configurable_tables() -> None:
    schema = json.dumps(all_schemas()["local-codes.schema.json"], ensure_ascii=False)
    assert "审批结果类型" in schema and "通办范围" in schema and "也接受" in schema


# ---- defects found on a real list ----------------------------------------------------------------------------------

SAMR = "国家市场监督管理总局"


def test_duplicate_rows_without_codes_are_reported_on_the_first_import(tmp_path: Path, catalog: Path) -> None:
    rows = [
        ["序号", "事项名称", "事项类型", "设定依据", "实施主体"],
        [1, "食品生产许可", "许可", "《中华人民共和国食品安全法》第三十五条", SAMR],
        [2, "食品生产许可", "许可", "《中华人民共和国食品安全法》第三十五条", SAMR],
    ]
    report = import_sheet(_xlsx(tmp_path / "p.xlsx", rows), load_mapping("power-list"), catalog)
    assert [f.file for f in report.files] == ["base/000104002000.yaml"]  # one code, not two
    ((problem,),) = [report.problems]
    assert problem.row == 3 and "第 2 行" in problem.message
    assert not (catalog / "base" / "000104003000.yaml").exists()


def _mapping(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


REGION_MAPPING = """\
kind: implementation
columns:
  编码: 实施编码
  名称: 事项名称
  区划: 行政区划代码
"""


@pytest.mark.parametrize(
    ("cell", "region", "local"),
    [("330106000000", "330106", None), ("330106001000", "330106", "330106001000"), (330106000000, "330106", None)],
)
def test_a_12_digit_region_code_is_accepted(
    tmp_path: Path, catalog: Path, cell: Any, region: str, local: str | None
) -> None:
    rows = [["编码", "名称", "区划"], [POLICE_IMPL, "食品经营许可", cell]]
    report = import_sheet(_xlsx(tmp_path / "r.xlsx", rows), _mapping(tmp_path, REGION_MAPPING), catalog)
    assert report.problems == []
    data = _data(catalog, report.files[0].file)
    assert data["行政区划代码"] == region and data.get("实施地区划代码") == local


def test_a_bad_region_code_is_reported_with_its_value(tmp_path: Path, catalog: Path) -> None:
    rows = [["编码", "名称", "区划"], [POLICE_IMPL, "食品经营许可", "33010"]]
    report = import_sheet(_xlsx(tmp_path / "r.xlsx", rows), _mapping(tmp_path, REGION_MAPPING), catalog)
    ((problem,),) = [report.problems]
    assert problem.header == "区划" and "「33010」" in problem.message and "33010" in problem.message_en


def test_the_mapping_region_fills_an_empty_region_cell(tmp_path: Path, catalog: Path) -> None:
    rows = [["编码", "名称", "区划"], [POLICE_IMPL, "食品经营许可", None]]
    mapping = _mapping(tmp_path, REGION_MAPPING + 'region: "330100"\n')
    report = import_sheet(_xlsx(tmp_path / "r.xlsx", rows), mapping, catalog)
    assert report.problems == [] and _data(catalog, report.files[0].file)["行政区划代码"] == "330100"


PARTS_MAPPING = """\
kind: implementation
columns:
  事项编码: {element: 实施编码, convert: local-code}
  事项名称: 事项名称
  基本编码: 基本编码
  统一社会信用代码: 实施主体.统一社会信用代码
  行使层级: 行使层级
"""


def test_a_bad_basic_code_or_uscc_is_blamed_on_its_own_column(tmp_path: Path, catalog: Path) -> None:
    rows = [
        ["事项编码", "事项名称", "基本编码", "统一社会信用代码", "行使层级"],
        [None, "食品经营许可", "00010400100", POLICE, "区县级"],  # 11 characters
        [None, "食品经营许可", "000104001000", POLICE[:17], "区县级"],  # truncated USCC
    ]
    report = import_sheet(_xlsx(tmp_path / "b.xlsx", rows), _mapping(tmp_path, PARTS_MAPPING), catalog)
    got = [(p.row, p.column, p.header) for p in report.problems]
    assert got == [(2, "C", "基本编码"), (3, "D", "统一社会信用代码")], report.problems
    assert "11 位" in report.problems[0].message and "17 位" in report.problems[1].message
    assert "00010400100" in report.problems[0].message_en and POLICE[:17] in report.problems[1].message_en


def test_an_unknown_element_is_one_mapping_error_with_its_line(tmp_path: Path) -> None:
    from mattercli.edit.importer.mapping import MappingError

    path = tmp_path / "m.yaml"
    path.write_text("kind: implementation\ncolumns:\n  名称: 事项名称\n  部门: 实施部门名称\n", encoding="utf-8")
    with pytest.raises(MappingError) as raised:
        load_mapping(path)
    assert "m.yaml:4" in str(raised.value) and "实施部门名称" in str(raised.value)


def test_a_missing_required_column_is_one_mapping_error(tmp_path: Path, catalog: Path) -> None:
    from mattercli.edit.importer.mapping import MappingError

    mapping = _mapping(
        tmp_path, "kind: implementation\ncolumns:\n  编码: 实施编码\n  名称: {element: 事项名称, required: true}\n"
    )
    rows = [["编码", "别的列"], [POLICE_IMPL, "x"], [POLICE_IMPL, "y"]]
    with pytest.raises(MappingError) as raised:
        import_sheet(_xlsx(tmp_path / "r.xlsx", rows), mapping, catalog)
    assert "m.yaml:4" in str(raised.value) and "必填列「名称」" in str(raised.value)


def test_a_sheet_where_no_header_matches_is_a_mapping_error(tmp_path: Path, catalog: Path) -> None:
    from mattercli.edit.importer.mapping import MappingError

    rows = [["甲", "乙"], ["1", "2"]]
    with pytest.raises(MappingError) as raised:
        import_sheet(_xlsx(tmp_path / "r.xlsx", rows), _mapping(tmp_path, REGION_MAPPING), catalog)
    assert "没有一列与映射的列名吻合" in str(raised.value) and "甲" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("columns:\n  A: 事项名称\nkind: 其他\n", "m.yaml:3"),
        ("columns:\n  A: 事项名称\nregion: '33'\n", "m.yaml:3"),
        ("columns:\n  A: {element: 事项名称, colour: red}\n", "m.yaml:2"),
    ],
)
def test_mapping_errors_are_chinese_with_the_line(tmp_path: Path, text: str, expected: str) -> None:
    from mattercli.edit.importer.mapping import MappingError

    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as raised:
        load_mapping(path)
    message = str(raised.value)
    assert expected in message
    assert not any(word in message for word in ("Input should", "Extra inputs", "String should", "Field required"))


def test_cli_reports_a_mapping_error_once_with_exit_2(tmp_path: Path, catalog: Path) -> None:
    from typer.testing import CliRunner

    from mattercli.cli import app

    path = tmp_path / "m.yaml"
    path.write_text("kind: implementation\ncolumns:\n  名称: 事项名称\n  部门: 实施部门名称\n", encoding="utf-8")
    sheet = _xlsx(tmp_path / "r.xlsx", [["名称", "部门"], ["a", "b"], ["c", "d"]])
    result = CliRunner().invoke(app, ["import", str(sheet), "--mapping", str(path), "--catalog", str(catalog)])
    assert result.exit_code == 2 and result.output.count("实施部门名称") == 1, result.output


# ---- validation reports every problem ------------------------------------------------------------------------------


def test_rules_run_on_what_parsed_of_a_file_that_fails_the_schema(catalog: Path) -> None:
    from mattercli.check.engine import ValidateOptions, validate

    rel = "impl/330106/1133010600250001784000104001000.yaml"
    path = catalog / rel
    text = path.read_text(encoding="utf-8").replace("办件类型: 承诺件\n", "")  # a schema error
    text = text.replace('统一社会信用代码: "113301060025000178"', '统一社会信用代码: "113301060025000170"')  # bad check
    text = text.replace("  - 法律法规名称: 食品经营许可和备案管理办法", "  - 法律法规名称: 不存在的办法")
    path.write_text(text, encoding="utf-8")
    rules = {f.rule for f in validate([catalog], ValidateOptions(jobs=1, cache=False)).findings if f.file == rel}
    assert {"schema", "uscc", "registry-reference"} <= rules, rules


def _formula_sheet(tmp_path: Path) -> Path:
    """A workbook as Excel saves it: the formula and its cached result (openpyxl keeps no cache, so it is added)."""
    import zipfile

    path = _xlsx(
        tmp_path / "f.xlsx",
        [
            ["TASK_CODE", "TASK_NAME", "RESULT_NAME"],
            [POLICE_IMPL, "食品经营许可", '=HYPERLINK("https://x.example/a","点击查看")'],
        ],
    )
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    # Excel stores the result beside the formula: <c r="C2" t="str"><f>…</f><v>点击查看</v></c>
    sheet, found = re.subn(
        r'<c r="C2"><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>', r'<c r="C2" t="str"><f>\1</f><v>点击查看</v></c>', sheet
    )
    assert found == 1, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return path


def test_a_formula_cell_is_reported_not_replaced_by_its_shown_text(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_formula_sheet(tmp_path), load_mapping("national"), catalog)
    ((problem,),) = [report.problems]
    assert problem.header == "RESULT_NAME" and "HYPERLINK" in problem.message and "--formula-values" in problem.message
    assert report.files == []


def test_formula_values_imports_the_text_excel_showed_when_asked(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_formula_sheet(tmp_path), load_mapping("national"), catalog, formula_values=True)
    assert report.problems == []
    assert _data(catalog, report.files[0].file)["办理结果"][0]["结果名称"] == "点击查看"


# ---- after a big import: summaries, not one line per skipped file ----------------------------------------------------


def _unfinished(catalog: Path, count: int) -> None:
    """`count` implementation entries as an import leaves them: no 办件类型 or 到办事现场次数 (schema errors)."""
    source = (catalog / "impl/330106/1133010600250001784000104001000.yaml").read_text(encoding="utf-8")
    text = source.replace("办件类型: 承诺件\n", "").replace("到办事现场次数: 0\n", "")
    for i in range(count):
        (catalog / "impl" / "330106" / f"unfinished-{i:02}.yaml").write_text(text, encoding="utf-8")


LISTS = HERE.parent / "catalog" / "lists"


@pytest.mark.parametrize(
    "command",
    [["export", "-o", "{out}", "--definitions", str(LISTS), "-f", "csv", "{catalog}"], ["stats", "{catalog}"]],
)
def test_skipped_files_are_summarised_with_the_first_few(tmp_path: Path, catalog: Path, command: list[str]) -> None:
    from typer.testing import CliRunner

    from mattercli.cli import app

    _unfinished(catalog, 12)
    args = [a.format(out=tmp_path / "out", catalog=catalog) for a in command]
    output = CliRunner().invoke(app, args).output
    listed = [line for line in output.splitlines() if "unfinished-" in line]
    assert len(listed) == 5, output
    assert "另有 7 个" in output and "-v 列出全部" in output
    verbose = CliRunner().invoke(app, [args[0], "-v", *args[1:]]).output
    assert len([line for line in verbose.splitlines() if "unfinished-" in line]) == 12, verbose


@pytest.mark.parametrize(
    ("header", "cell"),
    [("PROMISE_DAY", "二十天"), ("TASK_TYPE", "许可类"), ("LIMIT_SCENE_NUM", "两次"), ("IS_FEE", "或许")],
)
def test_english_messages_name_the_offending_value(tmp_path: Path, catalog: Path, header: str, cell: str) -> None:
    rows = [["TASK_CODE", "TASK_NAME", header], [POLICE_IMPL, "食品经营许可", cell]]
    report = import_sheet(_xlsx(tmp_path / "e.xlsx", rows), load_mapping("national"), catalog)
    ((problem,),) = [report.problems]
    assert cell in problem.message_en and cell in problem.message


def test_diff_explains_a_schema_problem_in_chinese(tmp_path: Path) -> None:
    import sys

    from typer.testing import CliRunner

    sys.path.insert(0, str(HERE))
    from diff_repo import LICENCE_FILE, CatalogRepo, impl_yaml
    from mattercli.cli import app

    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("before")
    repo.edit(LICENCE_FILE, "办件类型: 承诺件\n", "")
    repo.commit("after: an implementation entry loses its 办件类型")
    args = ["diff", "HEAD~1", "HEAD", "--catalog", str(repo.catalog)]
    text = CliRunner().invoke(app, args).output
    assert "schema: required" not in text and "缺少必填要素「办件类型」" in text, text
    english = CliRunner().invoke(app, [*args, "--lang", "en"]).output
    assert "办件类型" in english and "required" in english.lower(), english


def test_the_power_list_mappings_own_set_example_is_accepted(tmp_path: Path, catalog: Path) -> None:
    """power-list.yaml documents `set: {行使层级: [区县级]}`; it was refused as 「['区县级']」 not in the code table."""
    from mattercli.edit.importer.rows import apply_fixed

    data: dict[str, Any] = {}
    assert apply_fixed(data, {"行使层级": ["区县级"]}, "base") == []
    assert data == {"行使层级": ["区县级"]}
