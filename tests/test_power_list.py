"""权责清单 round trip: a power list in the published layout (序号 | 权责编码 | 事项名称 | 子项 | 事项类型 | 实施依据 |
实施主体 | 承办机构 | 责任事项 | 追责情形 | 备注) imports with the built-in `power-list` mapping into structured
责任事项 / 追责情形, exports back with the same cells (golden), and importing the export changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from export_helpers import check_golden, read_csv
from mattercli.catalogue.yamlio import load_text
from mattercli.cli import app
from mattercli.edit.importer import import_sheet, load_mapping
from mattercli.edit.importer.mapping import MAPPINGS_DIR

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
SHIPPED_LIST = HERE.parent / "catalog" / "lists" / "权责清单.yaml"
BUREAU = "杭州市西湖区市场监督管理局"
runner = CliRunner()

HEADER = [
    "序号",
    "权责编码",
    "事项名称",
    "子项",
    "事项类型",
    "实施依据",
    "实施主体",
    "承办机构",
    "责任事项",
    "追责情形",
    "备注",
]
LICENCE_DUTIES = (
    "1.受理责任：公示依法应当提交的材料；一次性告知补正材料；依法受理或不予受理（不予受理应当告知理由）。"
    "（依据：《中华人民共和国行政许可法》第三十条、第三十二条）\n"
    "2.审查责任：对申请材料进行审查，提出审查意见；需要现场核查的，指派两名以上工作人员核查。"
    "（依据：《食品经营许可和备案管理办法》第二十一条）\n"
    "3.决定责任：作出准予或不予许可的决定，不予许可的说明理由。\n"
    "4.送达责任：准予许可的，制发许可证件并送达。\n"
    "5.事后监管责任：开展定期和不定期检查，依法采取相关处置措施。\n"
    "6.法律法规规章规定应履行的其他责任。"
)
LICENCE_LIABILITY = (
    "1.对符合法定条件的行政许可申请不予受理的；（依据：《中华人民共和国行政许可法》第七十二条）\n"
    "2.对不符合法定条件的申请人准予行政许可或者超越法定职权作出准予行政许可决定的；"
    "（依据：《中华人民共和国行政许可法》第七十四条）\n"
    "3.索取或者收受他人财物或者谋取其他利益的。（依据：《中华人民共和国行政许可法》第七十五条）"
)
PENALTY_DUTIES = (
    "1.立案责任：对发现的违法行为予以审查，决定是否立案。\n"
    "2.调查取证责任：全面、客观、公正地调查，收集相关证据。（依据：《中华人民共和国行政处罚法》第五十四条、第五十五条）\n"
    "3.审理责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度等进行审理。\n"
    "4.告知责任：作出行政处罚决定前，告知当事人拟作出处罚的事实、理由、依据及依法享有的权利。\n"
    "5.决定责任：制作行政处罚决定书，载明违法事实、证据、处罚依据和内容、救济途径等。\n"
    "6.送达责任：行政处罚决定书在七日内依法送达当事人。\n"
    "7.执行责任：依照生效的行政处罚决定，监督当事人履行。"
)
PENALTY_LIABILITY = (
    "1.没有法定的行政处罚依据的；（依据：《中华人民共和国行政处罚法》第七十六条）\n"
    "2.擅自改变行政处罚种类、幅度的。（依据：《中华人民共和国行政处罚法》第七十六条）"
)
ROWS: list[list[Any]] = [
    [
        1,
        "330106-XK-0001",
        "食品经营许可",
        "食品经营许可(新办)",
        "行政许可",
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        BUREAU,
        "行政审批科",
        LICENCE_DUTIES,
        LICENCE_LIABILITY,
        "",
    ],
    [
        2,
        "330106-CF-0001",
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        "",
        "行政处罚",
        "《中华人民共和国食品安全法》第一百二十二条",
        BUREAU,
        "执法稽查科",
        PENALTY_DUTIES,
        PENALTY_LIABILITY,
        "含没收违法所得",
    ],
]


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = BUREAU
    ws.append([f"{BUREAU}权责清单"])
    ws.merge_cells("A1:K1")
    ws.append(HEADER)
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    book.save(path)
    return path


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """mini, with the district bureau able to allocate codes and a 权责清单 kept on the base entries."""
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    depts = root / "registry" / "departments.yaml"
    text = depts.read_text(encoding="utf-8").replace(
        '    行政区划代码: "330106"\n    层级: 区县级\n  - 部门名称: 杭州市西湖区公安分局',
        '    行政区划代码: "330106"\n    层级: 区县级\n    业务指导部门代码: "04"\n  - 部门名称: 杭州市西湖区公安分局',
        1,
    )
    depts.write_text(text, encoding="utf-8")
    (root / "lists").mkdir()
    definition = SHIPPED_LIST.read_text(encoding="utf-8").replace("排序: 编码\n", "目录: 基本目录\n排序: 编码\n")
    (root / "lists" / "权责清单.yaml").write_text(definition, encoding="utf-8")
    return root


def _mapping_with_level(tmp_path: Path) -> Path:
    """The shipped mapping with its own `set` example switched on, as its comment tells a user to do."""
    from importlib import resources

    text = (resources.files("mattercli.data") / MAPPINGS_DIR / "power-list.yaml").read_text(encoding="utf-8")
    assert "# set:\n#   行使层级: [区县级]\n" in text
    path = tmp_path / "power-list.yaml"
    path.write_text(text.replace("# set:\n#   行使层级: [区县级]\n", "set:\n  行使层级: [区县级]\n"), encoding="utf-8")
    return path


def test_the_mappings_own_set_example_is_accepted(tmp_path: Path, catalogue: Path) -> None:
    sheet = _sheet(tmp_path / "list.xlsx", ROWS[:1])
    report = import_sheet(sheet, load_mapping(_mapping_with_level(tmp_path)), catalogue)
    assert report.problems == [] and [f.status for f in report.files] == ["new"]
    data = load_text(report.files[0].path.read_text(encoding="utf-8"), "x").data
    assert data["行使层级"] == ["区县级"]


def test_power_list_imports_into_structured_elements(tmp_path: Path, catalogue: Path) -> None:
    sheet = _sheet(tmp_path / "list.xlsx", ROWS)
    report = import_sheet(sheet, load_mapping(_mapping_with_level(tmp_path)), catalogue)
    assert report.problems == []
    assert [(f.file, f.status) for f in report.files] == [
        ("base/330104001000.yaml", "new"),
        ("base/330204001000.yaml", "new"),
    ]
    licence = load_text((catalogue / "base/330104001000.yaml").read_text(encoding="utf-8"), "x").data
    assert licence["权责编码"] == "330106-XK-0001" and licence["子项"] == "食品经营许可(新办)"
    assert licence["承办机构"] == "行政审批科" and "备注" not in licence
    assert [r["环节"] for r in licence["责任事项"]] == ["受理", "审查", "决定", "送达", "事后监管", "其他"]
    assert licence["责任事项"][0] == {
        "环节": "受理",
        "内容": "公示依法应当提交的材料；一次性告知补正材料；依法受理或不予受理（不予受理应当告知理由）。",
        "依据": "《中华人民共和国行政许可法》第三十条、第三十二条",
    }
    assert licence["追责情形"][2] == {
        "情形": "索取或者收受他人财物或者谋取其他利益的。",
        "依据": "《中华人民共和国行政许可法》第七十五条",
    }
    # 实施依据 parsed as legal bases; a new base entry takes them as its 设定依据 (fill_new)
    assert licence["实施依据"] == [
        {"法律法规名称": "中华人民共和国食品安全法", "条款号": "第三十五条"},
        {"法律法规名称": "食品经营许可和备案管理办法"},
    ]
    assert licence["设定依据"] == licence["实施依据"]
    penalty = load_text((catalogue / "base/330204001000.yaml").read_text(encoding="utf-8"), "x").data
    assert [r["环节"] for r in penalty["责任事项"]] == ["立案", "调查取证", "审理", "告知", "决定", "送达", "执行"]


def test_power_list_round_trip_export_then_import_changes_nothing(tmp_path: Path, catalogue: Path) -> None:
    sheet = _sheet(tmp_path / "list.xlsx", ROWS)
    mapping = load_mapping(_mapping_with_level(tmp_path))
    assert import_sheet(sheet, mapping, catalogue).problems == []
    # 处罚 needs its three elements before it passes the schema and is exported
    penalty = catalogue / "base/330204001000.yaml"
    penalty.write_text(
        penalty.read_text(encoding="utf-8")
        + "处罚的行为: 未取得食品经营许可从事食品经营活动\n处罚的种类: [没收违法所得, 罚款]\n处罚的幅度: 货值金额一万元以下的，并处五万元以上十万元以下罚款\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["fmt", str(penalty)]).exit_code == 0  # canonical, as an editor's save would leave it
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(catalogue), "-o", str(out), "-l", "权责清单", "-f", "csv", "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    csv_text = (out / "csv" / "权责清单.csv").read_bytes()[3:].decode("utf-8")
    check_golden("powers/权责清单.csv", csv_text)
    table = read_csv(out / "csv" / "权责清单.csv")
    assert table[0] == HEADER
    ours = [row for row in table[1:] if row[6] == BUREAU]  # mini's own base entries are listed under SAMR
    assert [[str(v) for v in row] for row in ROWS] == ours  # the same cells as the list imported
    book = load_workbook(out / "xlsx" / "权责清单.xlsx", read_only=True)
    assert BUREAU in book.sheetnames  # one sheet per department
    cells = [list(r) for r in book[BUREAU].iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(cells) if r and r[0] == "序号")
    assert [c or "" for c in cells[header_at + 1][:11]] == ROWS[0]
    # the export imports back into the same files, unchanged
    # every department's sheet (封面 skipped), mini's own entries too: their 实施依据 cell showed 设定依据
    again = import_sheet(out / "xlsx" / "权责清单.xlsx", load_mapping("power-list"), catalogue)  # the shipped one
    assert again.problems == []
    assert sorted((f.file, f.status) for f in again.files) == [
        ("base/000104001000.yaml", "unchanged"),
        ("base/000204001000.yaml", "unchanged"),
        ("base/330104001000.yaml", "unchanged"),
        ("base/330204001000.yaml", "unchanged"),
    ]
    assert again.rows == len(table) - 1


def test_responsibility_list_one_row_per_stage(tmp_path: Path, catalogue: Path) -> None:
    assert import_sheet(_sheet(tmp_path / "l.xlsx", ROWS[:1]), load_mapping(_mapping_with_level(tmp_path)), catalogue)
    definition = (HERE.parent / "catalog" / "lists" / "责任清单.yaml").read_text(encoding="utf-8")
    (catalogue / "lists" / "责任清单.yaml").write_text(
        definition.replace("排序: 编码\n", "目录: 基本目录\n排序: 编码\n"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(catalogue), "-o", str(out), "-l", "责任清单", "-f", "csv"])
    assert result.exit_code == 0, result.output
    table = read_csv(out / "csv" / "责任清单.csv")
    assert table[0] == [
        "序号",
        "权责编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "承办机构",
        "责任环节",
        "责任事项",
        "依据",
        "监督方式",
    ]
    assert [r[0] for r in table[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert [r[6] for r in table[1:]] == ["受理", "审查", "决定", "送达", "事后监管", "其他"]
    assert table[1][8] == "《中华人民共和国行政许可法》第三十条、第三十二条" and table[3][8] == ""
