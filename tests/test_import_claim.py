"""认领 (issue 18): a district's published list in the real shape — 序号, 事项名称, 实施部门, a Sichuan-style local
事项编码 (with the class-prefix variants real data carries), 统一社会信用代码, a 12-digit 行政区划 — imports with
`--claim` against a base catalogue: every row is imported, reported, or left in the 认领 report, and the counts add up
to the input; filling the report in and importing again finishes the job."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from mattercli.catalogue.yamlio import load_text
from mattercli.check.engine import ValidateOptions, validate
from mattercli.cli import app
from mattercli.edit.importer import ClaimOptions, import_sheet, load_mapping, read_choices
from mattercli.edit.importer.claim import CHOICE_HEADER, NEW_LOCAL, REPORT_HEADERS, TYPE_HEADER, department_line
from mattercli.edit.importer.convert import diagnose_local_code, parse_local_code

HERE = Path(__file__).parent
ADOPT = HERE / "fixtures" / "adopt"  # base catalogue: 10 national base entries, 广安区 departments (synthetic USCCs)
REGION = "511602000000"
SAMR = "115116020008250103"  # 广安市广安区市场监督管理局
POLICE = "115116020008250290"
HRSS = "11511602000825037T"
CIVIL = "11511602000825045M"
HEALTH = "11511602000825053G"
EDU = "11511602000825061B"
EDU_BAD_CHECK = EDU[:-1] + "A"  # a wrong check character, as 7 matters of the real list had
HEADERS = ["序号", "事项名称", "实施部门", "事项编码", "统一社会信用代码", "行政区划"]


def _code(local: str, uscc: str, prefix: str = "") -> str:
    return f"{prefix}{local}-{REGION}-000-{uscc}-1-00"


#: (事项名称, 实施部门, 事项编码, 统一社会信用代码, 行政区划) — what happens to each row is in EXPECTED.
ROWS: list[tuple[Any, ...]] = [
    ("食品经营许可", "广安市广安区市场监督管理局", _code("511A0110400100", SAMR), SAMR, REGION),
    ("食品生产许可", "广安市广安区市场监督管理局", _code("511A0110400200", SAMR, "G-"), SAMR, REGION),
    ("个体工商户注册登记", "广安市广安区市场监督管理局", _code("511E0770400100", SAMR, "E-"), SAMR, REGION),
    ("烟草专卖零售许可", "广安市广安区市场监督管理局", _code("511A0111200100", SAMR), SAMR, REGION),
    ("医疗机构执业登记", "广安市广安区卫生健康局", _code("511A0110900100", HEALTH, "H-"), HEALTH, REGION),
    ("教师资格认定", "广安市广安区教育局", _code("511A0110800100", EDU, "Z-"), EDU, REGION),
    (
        "城乡居民基本养老保险参保登记",
        "广安市广安区人力资源和社会保障局",
        _code("511E0770300100", HRSS, "A-"),
        HRSS,
        511602000000,
    ),
    ("最低生活保障对象认定", "广安市广安区民政局", _code("511F0550200100", CIVIL, "1J-"), CIVIL, REGION),
    ("居民身份证申领", "广安市广安区公安分局", _code("511E0770100100", POLICE[:17]), POLICE[:17], REGION),
    ("食品经营许可证核发", "广安市广安区市场监督管理局", _code("511A0110400300", SAMR), SAMR, REGION),
    ("老年人优待证办理", "广安市广安区民政局", _code("511G2000200100", CIVIL), CIVIL, REGION),
    ("食品经营许可", "广安市广安区市场监督管理局", _code("511A0110400100", SAMR), SAMR, REGION),
    ("教师资格认定", "广安市广安区教育局", _code("511A0110800101", EDU_BAD_CHECK), EDU_BAD_CHECK, REGION),
    ("医疗机构执业登记", "广安市广安区卫生健康局", _code("511A0110900101", HEALTH), HEALTH, "5116020"),
]
# sheet row numbers (the header is row 1): claimed and imported / left for 认领 / reported as problems
CLAIMED = {2: "000104001000", 3: "000104002000", 4: "000704001000", 6: "000109001000", 7: "000108001000",
           8: "000703001000", 9: "000502001000", 14: "000108001000"}  # fmt: skip
PENDING = {5: "000112001000", 11: "000104001000", 12: "000502001000"}  # best candidate (12: a weak one, 0.2)
PROBLEMS = {10: "统一社会信用代码段", 13: "第 2 行", 15: "「5116020」"}


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(ADOPT, root)
    return root


def _sheet(tmp_path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事项清单"
    sheet.append(HEADERS)
    for number, row in enumerate(ROWS, start=1):
        sheet.append([number, *row])
    path = tmp_path / "广安区政务服务事项清单.xlsx"
    workbook.save(path)
    return path


def _claim(tmp_path: Path, **kwargs: Any) -> ClaimOptions:
    return ClaimOptions(report=tmp_path / "认领.xlsx", **kwargs)


def test_the_sichuan_code_variants_parse_and_malformed_ones_name_the_segment() -> None:
    for prefix in ("", "G-", "E-", "H-", "Z-", "A-", "1J-"):
        parsed = parse_local_code(_code("511Z07001006", SAMR, prefix))
        assert parsed is not None and parsed.uscc == SAMR and parsed.region == "511602", prefix
        assert parsed.local == "511Z07001006" and parsed.variant == prefix.rstrip("-")
    zh, en = diagnose_local_code(_code("511Z07001006", SAMR[:17])) or ("", "")
    assert "统一社会信用代码段" in zh and "17 位" in zh and "17 characters" in en
    zh, _ = diagnose_local_code(f"511Z07001006-51160200000-000-{SAMR}-1-00") or ("", "")
    assert "区划段「51160200000」应为 12 位数字,实为 11 位" in zh
    zh, _ = diagnose_local_code(f"511Z07001006-{REGION}-{SAMR}-1-00") or ("", "")
    assert "应为 6 段" in zh
    assert diagnose_local_code("1133010600250002534000104001000") is None  # a national code is no local code


def test_department_lines_ignore_region_and_generic_words() -> None:
    assert department_line("广安市广安区市场监督管理局") == department_line("国家市场监督管理总局") == "市场监督管理"
    assert department_line("广安市广安区卫生健康局") == department_line("国家卫生健康委员会") == "卫生健康"
    assert department_line("广安市广安区人力资源和社会保障局") == department_line("人力资源和社会保障部")
    assert department_line("广安市广安区公安分局") == department_line("公安部") == "公安"


def test_every_row_is_imported_reported_or_left_for_claiming(tmp_path: Path, catalog: Path) -> None:
    report = import_sheet(_sheet(tmp_path), load_mapping("local-list"), catalog, claim=_claim(tmp_path))
    assert report.rows == len(ROWS)
    imported = {r: f for f in report.files for r in f.rows}
    assert sorted(imported) == sorted(CLAIMED)
    for row, basic in CLAIMED.items():
        data = load_text(imported[row].path.read_text(encoding="utf-8"), "x").data
        assert data["基本编码"] == basic and data["实施编码"].endswith("4" + basic), row
        assert data["行政区划代码"] == "511602" and data["行使层级"] == "区县级"
        assert data["地方实施编码"] == ROWS[row - 2][2] and "原事项编码" not in data
    assert {p.row: (p.candidates[0].candidate.code if p.candidates else None) for p in report.pending} == PENDING
    assert report.pending[0].reason.startswith("最高得分")
    assert sorted({p.row for p in report.problems}) == sorted(PROBLEMS)
    for row, text in PROBLEMS.items():
        assert any(text in p.message for p in report.problems if p.row == row), (row, report.problems)
    # the counts add up to the input: nothing dropped silently
    assert report.accounted_rows() == report.rows == len(CLAIMED) + len(PENDING) + len(PROBLEMS)
    assert report.claimed == len(CLAIMED) and report.chosen == 0


def test_the_claim_report_lists_candidates_and_a_column_to_fill(tmp_path: Path, catalog: Path) -> None:
    import_sheet(_sheet(tmp_path), load_mapping("local-list"), catalog, claim=_claim(tmp_path))
    sheet = load_workbook(tmp_path / "认领.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == REPORT_HEADERS and sheet.freeze_panes == "A2"
    by_row = {r[0]: r for r in rows[1:]}
    assert set(by_row) == set(PENDING)
    tobacco = by_row[5]
    assert tobacco[1] == "烟草专卖零售许可" and tobacco[3] == ROWS[3][2]
    assert tobacco[4:7] == ("000112001000", "烟草专卖零售许可", pytest.approx(0.8, abs=0.05))
    assert sheet.cell(2, 5).number_format == "@"  # codes as text


def _fill(report: Path, choices: dict[int, tuple[str, str | None]]) -> None:
    workbook = load_workbook(report)
    sheet = workbook.active
    choice_col = REPORT_HEADERS.index(CHOICE_HEADER) + 1
    type_col = REPORT_HEADERS.index(TYPE_HEADER) + 1
    for r in range(2, sheet.max_row + 1):
        row = sheet.cell(r, 1).value
        if row in choices:
            sheet.cell(r, choice_col).value, sheet.cell(r, type_col).value = choices[row]
    workbook.save(report)


def test_importing_with_the_filled_report_finishes_the_job(tmp_path: Path, catalog: Path) -> None:
    source = _sheet(tmp_path)
    import_sheet(source, load_mapping("local-list"), catalog, claim=_claim(tmp_path))
    _fill(tmp_path / "认领.xlsx", {5: ("000112001000", None), 11: (NEW_LOCAL, "行政许可"), 12: (NEW_LOCAL, "公共服务")})
    choices = read_choices(tmp_path / "认领.xlsx")
    again = import_sheet(source, load_mapping("local-list"), catalog, claim=_claim(tmp_path, choices=choices))
    assert again.pending == [] and again.chosen == 3
    status = {r: f.status for f in again.files if not f.derived for r in f.rows}
    assert {r for r, s in status.items() if s == "unchanged"} == set(CLAIMED)
    assert {r for r, s in status.items() if s == "new"} == {5, 11, 12}
    derived = sorted(f.file for f in again.files if f.derived)
    assert derived == ["base/510104001000.yaml", "base/512002001000.yaml"]  # RR 51 + type + the line's guiding code
    new_base = load_text((catalog / derived[0]).read_text(encoding="utf-8"), "x").data
    assert new_base["事项名称"] == "食品经营许可证核发" and new_base["行使层级"] == ["区县级"]
    assert again.accounted_rows() == again.rows == len(ROWS)


def test_after_adoption_validate_reports_the_wrong_check_character(tmp_path: Path, catalog: Path) -> None:
    """The imported entries miss 办件类型 etc. (schema errors); the uscc rule still runs on them."""
    import_sheet(_sheet(tmp_path), load_mapping("local-list"), catalog, claim=_claim(tmp_path))
    findings = validate([catalog], ValidateOptions(jobs=1)).findings
    assert any(f.rule == "uscc" and EDU_BAD_CHECK in (f.file or "") for f in findings), [
        (f.rule, f.file) for f in findings
    ]


def test_cli_claim_writes_the_report_and_exits_1_until_every_row_is_in(tmp_path: Path, catalog: Path) -> None:
    source = _sheet(tmp_path)
    args = ["import", str(source), "-m", "local-list", "--catalog", str(catalog), "--claim"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert doc["summary"]["claimed"] == len(CLAIMED) and doc["summary"]["pending"] == len(PENDING)
    default_report = source.with_name(f"{source.stem}-认领.xlsx")
    assert doc["claim_report"] == str(default_report) and default_report.is_file()
    text = CliRunner().invoke(app, [*args, "--dry-run"]).output
    assert "待认领 3 行" in text and "烟草专卖零售许可" in text
