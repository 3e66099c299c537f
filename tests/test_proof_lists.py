"""The 司法局's three proof lists in their real layouts (golden rows on the embedded catalogue), and the 告知承诺书
(Markdown golden; the DOCX is opened again with python-docx)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from mattercli.catalogue.snapshot import open_snapshot
from mattercli.cli import app
from mattercli.proofs.lists import (
    CANCELLED_COLUMNS,
    KEPT_COLUMNS,
    PLEDGE_COLUMNS,
    ProofListKind,
    proof_tables,
    table_csv,
    table_xlsx,
)
from mattercli.proofs.pledge import build_letter, default_template, find_matter, render_docx, render_markdown

HERE = Path(__file__).parent
CATALOG = HERE.parent / "catalog"
GOLDEN = HERE / "golden" / "proofs"
UPDATE = os.environ.get("MATTERCLI_UPDATE_GOLDEN") == "1"
PLEDGE_MATTER = "11330106003042839L4002001001000"
runner = CliRunner()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.read_bytes().decode("utf-8") == text, name


def test_the_columns_are_the_published_layouts() -> None:
    assert KEPT_COLUMNS == (
        "序号", "证明名称", "证明用途", "设定依据", "依据条文及内容", "效力层级", "索要单位", "开具单位",
        "行使层级", "事项类型", "不能实行告知承诺及保留原因",
    )  # fmt: skip
    assert "替代方式" in CANCELLED_COLUMNS and CANCELLED_COLUMNS[:2] == ("序号", "证明名称")
    assert {"证明名称", "适用事项", "承诺内容", "核查方式", "核查时限"} <= set(PLEDGE_COLUMNS)


@pytest.fixture(scope="module")
def tables() -> dict[ProofListKind, list[list[str]]]:
    snapshot = open_snapshot(CATALOG, None)
    out = {}
    for table in proof_tables(snapshot.registries(), snapshot):
        text = table_csv(table).decode("utf-8")
        assert text.startswith("\ufeff") and "\r\n" in text
        check_golden(f"lists/{table.title}.csv", text[1:])
        out[table.kind] = list(csv.reader(io.StringIO(text[1:])))
    return out


def test_kept_list_has_one_row_per_proof_and_purpose(tables: dict[ProofListKind, list[list[str]]]) -> None:
    header, *rows = tables[ProofListKind.kept]
    assert tuple(header) == KEPT_COLUMNS
    assert [r[1] for r in rows] == ["无犯罪记录证明", "无犯罪记录证明", "居住证明", "婚姻登记记录证明"]
    crime = dict(zip(header, rows[0], strict=True))
    assert crime["效力层级"] == "规范性文件"  # from laws.yaml: the planted proof-basis-rank problem
    assert crime["索要单位"] == "杭州市西湖区文化和广电旅游体育局"  # the purpose's own 索要单位
    assert crime["事项类型"] == "行政许可" and crime["行使层级"] == "区县级"  # from base/000110001000.yaml
    assert "不宜以承诺代替" in crime["不能实行告知承诺及保留原因"]
    residence = dict(zip(header, rows[2], strict=True))
    assert residence["依据条文及内容"].startswith("《居住证暂行条例》第九条：申领居住证")
    assert residence["效力层级"] == "行政法规"
    assert residence["不能实行告知承诺及保留原因"].startswith("适用告知承诺")


def test_cancelled_list_names_the_replacement(tables: dict[ProofListKind, list[list[str]]]) -> None:
    header, *rows = tables[ProofListKind.cancelled]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_name) == {"户口注销证明", "失业登记证明", "税收完税证明"}
    assert by_name["户口注销证明"]["替代方式"] == "数据共享"
    assert by_name["税收完税证明"]["证明用途"] == ""  # no purpose given: still one row


def test_pledge_catalogue_rows_name_the_matter(tables: dict[ProofListKind, list[list[str]]]) -> None:
    header, *rows = tables[ProofListKind.pledge]
    (row,) = [dict(zip(header, r, strict=True)) for r in rows]
    assert row["适用事项"] == "无犯罪记录证明开具" and row["事项编码"] == "002001001000"
    assert row["设定依据"] == "《居住证暂行条例》"  # from the 保留证明事项清单
    assert row["核查时限"] == "10工作日(自受理之日起)"


def test_xlsx_reads_back_with_the_same_rows() -> None:
    snapshot = open_snapshot(CATALOG, None)
    (table,) = proof_tables(snapshot.registries(), snapshot, [ProofListKind.kept])
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert sheet is not None
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == KEPT_COLUMNS
    assert [tuple(str(c) for c in row) for row in values[1:]] == table.rows


def test_cli_writes_every_list_in_every_format(tmp_path: Path) -> None:
    out = tmp_path / "lists"
    result = runner.invoke(app, ["proofs", "lists", str(CATALOG), "--output", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 12 and "保留证明事项清单.xlsx" in names
    doc = json.loads((out / "取消证明事项清单.json").read_text(encoding="utf-8"))
    assert doc["columns"] == list(CANCELLED_COLUMNS) and len(doc["rows"]) == 3
    md = (out / "保留证明事项清单.md").read_text(encoding="utf-8")
    check_golden("lists/保留证明事项清单.md", md)
    result = runner.invoke(
        app, ["proofs", "lists", str(CATALOG), "-o", str(tmp_path / "x"), "-l", "pledge", "-f", "csv"]
    )
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["实行告知承诺制的证明事项目录.csv"]


def test_cli_without_proof_lists_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "c"
    (root / "registry").mkdir(parents=True)
    (root / "registry" / "laws.yaml").write_text("法律法规: []\n", encoding="utf-8")
    result = runner.invoke(app, ["proofs", "lists", str(root), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2


# -- 告知承诺书 ------------------------------------------------------------------------------------------------


def test_the_pledge_letter_has_every_required_part() -> None:
    snapshot = open_snapshot(CATALOG, None)
    file, matter = find_matter(snapshot, PLEDGE_MATTER)
    letter = build_letter(file, matter, snapshot.registries())
    markdown = render_markdown(letter, default_template())
    check_golden("pledge/告知承诺书.md", markdown)
    for part in ("无犯罪记录证明开具", "居住证明", "《居住证暂行条例》第九条", "本人在杭州市西湖区合法稳定居住",
                 "承诺方式", "数据共享核查", "国办发〔2020〕42号", "终止办理", "信用记录", "申请人(签字/盖章)"):  # fmt: skip
        assert part in markdown, part


def test_the_docx_opens_and_holds_the_letter(tmp_path: Path) -> None:
    stem = tmp_path / "letter"
    result = runner.invoke(app, ["proofs", "pledge", str(CATALOG), "--matter", PLEDGE_MATTER, "-o", str(stem)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "letter.md").is_file()
    document = Document(str(tmp_path / "letter.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "证明事项告知承诺书" in text and "不实承诺的法律责任" in text and "申请人(签字/盖章)" in text
    assert "**" not in text  # bold markers became bold runs
    (table,) = document.tables
    cells = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert cells["证明名称"] == "居住证明"
    assert cells["设定依据"] == "《居住证暂行条例》第九条"
    assert cells["核查方式"].startswith("数据共享核查")
    assert set(cells) == {"项目", "证明名称", "设定依据", "证明内容", "承诺方式", "核查方式"}


def test_an_office_template_is_used_and_checked(tmp_path: Path) -> None:
    template = tmp_path / "t.md"
    template.write_text(
        "# 承诺书 {{事项名称}}\n{{#证明}}- {{证明名称}}: {{证明内容}}\n{{/证明}}签章: ____\n", encoding="utf-8"
    )
    stem = tmp_path / "out"
    args = ["proofs", "pledge", str(CATALOG), "-m", PLEDGE_MATTER, "-o", str(stem), "--template", str(template)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == (
        "# 承诺书 无犯罪记录证明开具\n- 居住证明: 本人在杭州市西湖区合法稳定居住,所填居住地址真实有效\n签章: ____\n"
    )
    assert Document(str(tmp_path / "out.docx")).paragraphs[1].text.startswith("居住证明")
    template.write_text("{{不存在的字段}}\n", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "不存在的字段" in result.output


def test_a_matter_without_pledge_or_unknown_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["proofs", "pledge", str(CATALOG), "--matter", "000104001000", "-o", str(tmp_path / "a")]
    )
    assert result.exit_code == 2 and "没有可告知承诺的材料" in result.output
    result = runner.invoke(
        app, ["proofs", "pledge", str(CATALOG), "--matter", "999999999999", "-o", str(tmp_path / "a")]
    )
    assert result.exit_code == 2 and "999999999999" in result.output


def test_docx_renders_tables_and_bullets() -> None:
    data = render_docx("# 标题\n\n- 一项 **加粗**\n\n| a | b |\n|---|---|\n| 1 | x\\|y |\n")
    document = Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs if p.text] == ["标题", "一项 加粗"]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["a", "b"], ["1", "x|y"]]


def test_proofs_without_a_sub_command_still_analyses(tmp_path: Path) -> None:
    result = runner.invoke(app, ["proofs", str(CATALOG), "--kind", "cycles", "--no-cache", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["cycles"] == 1
