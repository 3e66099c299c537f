"""Issue 24 item 8: CSV for scripts vs CSV for people. The formula guard prefixes `'` only to what a spreadsheet
would evaluate (`=1+1`, `+1+1`, `-2+3`, `@SUM(A1:A3)`), never to a phone number such as `+86 571 87961033`; the
`excel-csv` variant keeps codes as text when Excel or LibreOffice opens it (plain CSV turns `000101001000` into
101001000 and a 31-digit 实施编码 into 1.133E+30). Read back through LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from export_helpers import FOOD, read_csv, rich_catalogue
from mattercli.cli import app
from mattercli.model.spreadsheet import excel_text, guard_formula, is_formula
from mattercli.proofs.lists import _safe as proof_cell

runner = CliRunner()
CODE = "1133010600250001784000104001000"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1+1", "-2+3", "@SUM(A1:A3)", "@SUM(1,2)", "-A1", "+SUM(1)", "=HYPERLINK(\"http://x\",\"y\")",
     "+86-571-87961033", "-(1)", "+A1 B1", "\t=1+1", " =1+1", "+cmd|' /C calc'!A0", "-'Sheet 1'!A1", "--1",
     "+IF(A1>1;\"a\";)", "@张三", "-TRUE"],
)  # fmt: skip
def test_what_a_spreadsheet_evaluates_is_guarded(text: str) -> None:
    assert is_formula(text)
    assert guard_formula(text) == "'" + text
    assert proof_cell(text) == "'" + text  # the proof lists' CSV uses the same guard


@pytest.mark.parametrize(
    "text",
    ["+86 571 87961033", "+86 (571) 87961033", "0571-87000000", "-5", "+86", "-1%", "-无-", "+1 2", "-1,5", "=",
     "@", "-", "普通文本", "-- 无 --"],
)  # fmt: skip
def test_harmless_values_stay_as_they_are(text: str) -> None:
    assert not is_formula(text)  # before: every value starting with + - or @ got a '
    assert guard_formula(text) == text


def test_excel_text() -> None:
    assert excel_text("000101001000") == '="000101001000"'
    assert excel_text(CODE) == f'="{CODE}"'
    assert excel_text("2024-01-01") == '="2024-01-01"'
    assert excel_text("1/2") == '="1/2"'
    assert excel_text('=A1&"x"') == '="=A1&""x"""'
    assert excel_text("食品经营许可") == "食品经营许可"
    assert excel_text("") == ""
    assert excel_text("=" + "1" * 300) == "'=" + "1" * 300  # longer than Excel's 255 in a formula: the guard


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = rich_catalogue(tmp_path_factory.mktemp("sheet"))
    food = root / FOOD
    text = food.read_text(encoding="utf-8").replace("咨询电话: 0571-87000000", '咨询电话: "+86 571 87961033"')
    food.write_text(text + '办理地点: "=1+1"\n备注: "-2+3"\n', encoding="utf-8")
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    (root / "lists" / "t.yaml").write_text(
        "名称: t\n列:\n  - 要素: 编码\n  - 要素: 基本编码\n  - 要素: 咨询电话\n  - 要素: 办理地点\n  - 要素: 备注\n",
        encoding="utf-8",
    )
    out = root.parent / "out"
    result = runner.invoke(app, ["export", str(root), "-o", str(out), "-f", "csv", "--excel-csv"])
    assert result.exit_code == 0, result.output
    return out


def test_csv_guards_only_formulas(exported: Path) -> None:
    rows = read_csv(exported / "csv" / "t.csv")
    assert [CODE, "000104001000", "+86 571 87961033", "'=1+1", "'-2+3"] in rows


def test_excel_csv_writes_codes_and_formulas_as_text_formulas(exported: Path) -> None:
    rows = read_csv(exported / "excel-csv" / "t.csv")
    assert rows[0] == ["编码", "基本编码", "咨询电话", "办理地点", "备注"]
    assert [f'="{CODE}"', '="000104001000"', '="+86 571 87961033"', '="=1+1"', '="-2+3"'] in rows
    assert "excel-csv/t.csv" in (exported / "manifest.json").read_text(encoding="utf-8")


def test_excel_csv_is_not_a_default_format(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    result = runner.invoke(app, ["export", str(root), "-o", str(tmp_path / "out"), "-l", "权责清单"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "csv",
        "html",
        "json",
        "manifest.json",
        "md",
        "xlsx",
    ]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
def test_libreoffice_opens_excel_csv_with_codes_as_text(exported: Path, tmp_path: Path) -> None:
    """LibreOffice opens both CSVs as a double-click would (formulas evaluated); read its cells back."""
    assert SOFFICE is not None
    sheets = {}
    for kind in ("csv", "excel-csv"):
        source = tmp_path / f"{kind}.csv"
        shutil.copy(exported / kind / "t.csv", source)
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xlsx",
             "--outdir", str(tmp_path), str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        ws = openpyxl.load_workbook(tmp_path / f"{kind}.xlsx", data_only=True).active
        sheets[kind] = [[c.value for c in row] for row in ws.iter_rows()]
    food = next(r for r in sheets["excel-csv"] if r[0] == CODE)
    assert food == [CODE, "000104001000", "+86 571 87961033", "=1+1", "-2+3"]  # all text, as written
    plain = next(r for r in sheets["csv"] if r[2] == "+86 571 87961033")  # the phone number is left alone …
    assert plain[3:] == ["'=1+1", "'-2+3"]  # … the formulas are not evaluated
    assert plain[1] == 104001000  # what the plain CSV does to a code in a spreadsheet (hence excel-csv)
