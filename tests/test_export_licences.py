"""The local 行政许可事项清单 in the real 2022 layout (序号 | 中央行政许可事项清单(2022年版)序号 | 区级主管部门 | 事项名称 |
实施机关 | 设定和实施依据 | 备注), from a copy of the embedded catalogue with a reference list: one row per 许可事项,
several 实施机关 in one cell, sections by who set the licence, a cover sheet with 区划, 版本 and commit; the XLSX
opens with the header frozen and codes as text; the CSV reads back through `mattercli import-licenses`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from export_helpers import CATALOG, check_golden, read_csv
from mattercli.cli import app

runner = CliRunner()
XIHU = "行政许可事项清单-330106-西湖区"
HEADER = [
    "序号",
    "中央行政许可事项清单(2022年版)序号",
    "区级主管部门",
    "事项名称",
    "实施机关",
    "设定和实施依据",
    "备注",
]

#: The reference list of this fixture: entries in the published list's shape for four of 西湖区's licences. The
#: 序号 values are this fixture's, not the published list's (tests/data holds the real excerpt).
REFERENCE = """\
行政许可事项:
  - 清单: 杭州市西湖区行政许可事项清单(2022年)
    序号: "1"
    事项名称: 食品经营许可
    主管部门: 区市场监管局
    设定类别: 中央设定
    上级清单序号: "415"
    基本编码: "000111001000"
  - 清单: 杭州市西湖区行政许可事项清单(2022年)
    序号: "2"
    事项名称: 公共场所卫生许可
    主管部门: 区卫生健康局
    设定类别: 中央设定
    备注: 含饭馆、咖啡馆、酒吧、茶座等
    上级清单序号: "300、301"
    基本编码: "000109001000"
  - 清单: 杭州市西湖区行政许可事项清单(2022年)
    序号: "1"
    事项名称: 食品小作坊登记
    主管部门: 区市场监管局
    设定类别: 地方性法规设定
    基本编码: "330111001000"
"""

#: 西溪街道 also implements 食品经营许可 in 西湖区 (a second 实施机关 in the same row).
XIXI = "impl/330106/11330106003055939P5000111001000.yaml"


def _catalogue(tmp: Path) -> Path:
    root = tmp / "catalog"
    shutil.copytree(CATALOG, root, ignore=shutil.ignore_patterns(".mattercli-cache"))
    (root / "registry" / "license-list.yaml").write_text(REFERENCE, encoding="utf-8")
    food = (root / "impl/330106/11330106003041529B4000111001000.yaml").read_text(encoding="utf-8")
    food = food.replace("11330106003041529B4000111001000", "11330106003055939P5000111001000")
    food = food.replace("杭州市西湖区市场监督管理局", "杭州市西湖区西溪街道办事处").replace(
        "11330106003041529B", "11330106003055939P"
    )
    food = food.replace("行使层级: 区县级", "行使层级: 乡镇(街道)级")
    (root / XIXI).write_text(food, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("licences")
    root = _catalogue(tmp)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", "catalogue"], check=True)
    out = tmp / "out"
    result = runner.invoke(app, ["export", str(root), "-o", str(out), "-l", "行政许可事项清单", "--rev", "HEAD"])
    assert result.exit_code == 0, result.output
    return root, out


def test_local_list_rows_in_the_real_layout(exported: tuple[Path, Path]) -> None:
    _, out = exported
    rows = read_csv(out / "csv" / f"{XIHU}.csv")
    assert rows[0] == HEADER
    assert rows[1][0] == "一、中央设定的行政许可事项" and rows[1][1:] == [""] * 6
    sections = [r[0] for r in rows if r[0].endswith("的行政许可事项")]
    assert sections == ["一、中央设定的行政许可事项", "二、地方性法规设定的行政许可事项"]
    food = next(r for r in rows if r[3] == "食品经营许可")
    assert food[1] == "415" and food[2] == "区市场监管局"
    assert food[4] == "杭州市西湖区市场监督管理局、杭州市西湖区西溪街道办事处"  # one row, both 实施机关
    assert food[5].startswith("《中华人民共和国食品安全法》第三十五条《")
    hygiene = next(r for r in rows if r[3] == "公共场所卫生许可")
    assert hygiene[1] == "300、301" and hygiene[6] == "含饭馆、咖啡馆、酒吧、茶座等"
    assert sum(1 for r in rows if r[3] == "食品经营许可") == 1
    check_golden("licences/行政许可事项清单-西湖区.csv", (out / "csv" / f"{XIHU}.csv").read_text(encoding="utf-8-sig"))
    md = (out / "md" / f"{XIHU}.md").read_text(encoding="utf-8")
    md = "\n".join("> 更新日期:<commit>" if line.startswith("> 更新日期") else line for line in md.split("\n"))
    check_golden("licences/行政许可事项清单-西湖区.md", md)


def test_xlsx_header_frozen_codes_as_text_and_cover(exported: tuple[Path, Path]) -> None:
    root, out = exported
    wb = load_workbook(out / "xlsx" / f"{XIHU}.xlsx")
    assert wb.sheetnames == ["封面", "一、中央设定的行政许可事项", "二、地方性法规设定的行政许可事项"]
    cover = {r[0]: r[1] for r in wb["封面"].iter_rows(min_row=3, values_only=True) if r and r[0]}
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert cover["行政区划"] == "西湖区(330106)" and cover["版本"] == "2022年" and cover["来源提交"] == commit.strip()
    sheet = wb["一、中央设定的行政许可事项"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADER
    numbers = {row[3].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert numbers["食品经营许可"].value == "415" and numbers["食品经营许可"].data_type == "s"
    assert sheet.cell(2, 1).data_type == "n"  # 序号 stays a number


def test_exported_csv_imports_back_as_a_reference_list(exported: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = exported
    target = tmp_path / "catalog"
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".git"))
    (target / "registry" / "license-list.yaml").unlink()
    result = runner.invoke(
        app, ["import-licenses", str(out / "csv" / f"{XIHU}.csv"), "--catalog", str(target), "--list", "西湖区"]
    )
    assert "未匹配 0 项" in result.output, result.output
    assert "按名称 12 项" in result.output
    text = (target / "registry" / "license-list.yaml").read_text(encoding="utf-8")
    assert "设定类别: 地方性法规设定" in text and '上级清单序号: "415"' in text


def test_implementation_list_keeps_one_row_per_code_with_implementation_basis(exported: tuple[Path, Path]) -> None:
    root, _ = exported
    out = root.parent / "impl-out"
    result = runner.invoke(app, ["export", str(root), "-o", str(out), "-l", "行政许可事项实施清单", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "csv" / "行政许可事项实施清单.csv")
    assert "实施依据" in rows[0] and "实施编码" in rows[0]
    assert sum(1 for r in rows if r[1] == "食品经营许可") == 3  # 杭州市, 西湖区 and 西溪街道: one row each


def test_html_rows_link_the_licence_to_its_base_page(exported: tuple[Path, Path]) -> None:
    _, out = exported
    page = (out / "html" / "lists" / f"{XIHU}.html").read_text(encoding="utf-8")
    assert '<a href="../matters/000111001000.html">食品经营许可</a>' in page
    assert (out / "html" / "matters" / "000111001000.html").is_file()
