"""`mattercli import-licenses`: a published 行政许可事项清单 into registry/license-list.yaml — the shipped real
excerpt (杭州市西湖区 2022, tests/data/license-list/README.md), XLSX with merged title and section rows, matching by
name, 别名 and the confirmed mapping file, unmatched rows reported with their sheet row numbers and kept."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from mattercli.check.engine import validate
from mattercli.cli import app
from mattercli.model.registry import LicenseList

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
EXCERPT = HERE / "data" / "license-list" / "xihu-2022-excerpt.csv"
HEADER = [
    "序号",
    "中央行政许可事项清单(2022年版)序号",
    "区级主管部门",
    "事项名称",
    "实施机关",
    "设定和实施依据",
    "备注",
]
runner = CliRunner()


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["import-licenses", *args])
    return result.exit_code, result.output


def registry(root: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((root / "registry" / "license-list.yaml").read_text(encoding="utf-8"))
    LicenseList.model_validate(data)
    return data["行政许可事项"]


def test_real_excerpt_reports_every_unmatched_row_with_its_sheet_row(catalog: Path) -> None:
    code, out = run(str(EXCERPT), "--catalog", str(catalog))
    assert code == 1, out
    assert "《杭州市西湖区行政许可事项清单(2022年)》" in out  # the list's name from the sheet's title row
    assert "列名在第 3 行,共 3 项" in out
    for row, number in ((4, "1"), (5, "2"), (6, "3")):
        assert f"xihu-2022-excerpt.csv:{row}: 第 {row} 行 序号 {number}「" in out
    assert "未匹配 3 项(已保留,无基本编码)" in out
    entries = registry(catalog)
    assert [e["序号"] for e in entries] == ["1", "2", "3"]  # never dropped
    first = entries[0]
    assert first["事项名称"] == "固定资产投资项目核准(含国发〔2016〕72号文件规定的外商投资项目)"
    assert first["上级清单序号"] == "1、729" and first["设定类别"] == "中央设定"
    assert first["备注"] == "不含铬化合物生产建设项目; 原表事项名称带「*」标记"
    assert first["设定依据"][0] == {"法律法规名称": "企业投资项目核准和备案管理条例"}
    assert "基本编码" not in first
    assert entries[2]["实施机关"] == "区教育局(部分为审批,部分为省教育厅委托事项)"


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append([v if v != "" else None for v in row])
    for number, row in enumerate(rows, start=1):
        if row[0] and not any(row[1:]):
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(HEADER))
    wb.save(path)


def test_xlsx_with_merged_title_and_section_rows(catalog: Path, tmp_path: Path) -> None:
    with EXCERPT.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    source = tmp_path / "西湖区.xlsx"
    _xlsx(source, rows)
    code, out = run(str(source), "--catalog", str(catalog), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["unmatched"] == [4, 5, 6] and doc["header_row"] == 3
    assert doc["list"] == "杭州市西湖区行政许可事项清单(2022年)"
    assert [r["序号"] for r in doc["rows"]] == ["1", "2", "3"]


def _layout_sheet(path: Path) -> None:
    """A sheet in the real 2022 local layout, with this fixture's matters (constructed, not a published list)."""
    rows = [
        ["杭州市西湖区行政许可事项清单(2022年)(共3项)", "", "", "", "", "", ""],
        ["一、中央设定的行政许可事项目录(共3项)", "", "", "", "", "", ""],
        HEADER,
        ["1", "500", "区市场监管局", "食品经营许可", "区市场监管局", "《中华人民共和国食品安全法》", ""],
        ["2", "501", "区市场监管局", "食品经营许可(告知承诺)", "区市场监管局", "《中华人民共和国食品安全法》", ""],
        ["3", "600", "区卫生健康局", "公共场所卫生许可", "区卫生健康局", "《公共场所卫生管理条例》", ""],
        ["二、地方性法规设定的行政许可事项目录(共1项)", "", "", "", "", "", ""],
        HEADER,
        [
            "1",
            "",
            "区市场监管局",
            "食品小作坊登记证核发",
            "区市场监管局",
            "《浙江省食品小作坊小餐饮店小食杂店和食品摊贩管理规定》",
            "",
        ],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_name_then_confirmed_mapping_sections_and_reimport(catalog: Path, tmp_path: Path) -> None:
    source = tmp_path / "layout.csv"
    _layout_sheet(source)
    mapping = tmp_path / "confirm.yaml"
    mapping.write_text(
        '匹配:\n  - {事项名称: 食品经营许可(告知承诺), 基本编码: "000104001000"}\n  - {序号: "3", 基本编码: null}\n',
        encoding="utf-8",
    )
    code, out = run(str(source), "--catalog", str(catalog), "--mapping", str(mapping), "--level", "区县级")
    assert code == 1, out  # the 地方性法规 row matches nothing
    assert "按名称 1 项" in out and "按映射 1 项" in out and "确认无对应 1 项" in out and "未匹配 1 项" in out
    assert "layout.csv:9: 第 9 行 序号 1「食品小作坊登记证核发」" in out
    entries = registry(catalog)
    assert [(e["序号"], e.get("基本编码"), e["设定类别"]) for e in entries] == [
        ("1", "000104001000", "中央设定"),
        ("2", "000104001000", "中央设定"),
        ("3", None, "中央设定"),
        ("1", None, "地方性法规设定"),
    ]
    assert entries[0]["行使层级"] == ["区县级"] and entries[0]["上级清单序号"] == "500"
    # the reference list now drives the licence rules: 序号 1 agrees; 序号 2, confirmed to the same 基本编码, names
    # it otherwise
    report = validate([catalog])
    assert [(f.rule, f.file, f.line) for f in report.findings] == [("license-name-drift", "base/000104001000.yaml", 3)]
    assert "序号 2的「食品经营许可(告知承诺)」" in report.findings[0].message
    # importing again changes nothing; another list's entries are kept when this one is replaced
    code, out = run(str(source), "--catalog", str(catalog), "--mapping", str(mapping), "--level", "区县级")
    assert "未变 registry/license-list.yaml" in out
    code, out = run(str(EXCERPT), "--catalog", str(catalog), "--list", "另一清单")
    assert "保留其他清单 4 项" in out
    assert len(registry(catalog)) == 7


def test_dry_run_writes_nothing_and_bad_mapping_is_a_usage_error(catalog: Path, tmp_path: Path) -> None:
    code, out = run(str(EXCERPT), "--catalog", str(catalog), "--dry-run")
    assert code == 1 and "将写入" in out
    assert not (catalog / "registry" / "license-list.yaml").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("匹配:\n  - {序号: 1, 基本编码: 104001000}\n", encoding="utf-8")
    result = runner.invoke(app, ["import-licenses", str(EXCERPT), "--catalog", str(catalog), "-m", str(bad)])
    assert result.exit_code == 2 and "bad.yaml:2" in result.output
