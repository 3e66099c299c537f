"""办理性质, 行政备案 and 办件量 import (issue 15): the embedded catalogue's 行政备案 pair, the local TT code, the
service elements of 依职权 entries, and `mattercli import --case-volumes` from CSV and XLSX."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from mattercli.catalogue.snapshot import parse_matter
from mattercli.catalogue.yamlio import load_file
from mattercli.check.engine import validate
from mattercli.cli import app
from mattercli.model import ImplementationEntry
from mattercli.model.codes import HandlingNature, MatterType

ROOT = Path(__file__).parent.parent
CATALOG = ROOT / "catalog"
FILING_BASE = "base/001106001000.yaml"
FILING_IMPL = "impl/330106/11330106003049387R4001106001000.yaml"
PENALTY_IMPL = "impl/330106/11330106003041529B4000211001000.yaml"
runner = CliRunner()

pytestmark = pytest.mark.skipif(not (CATALOG / "registry").is_dir(), reason="no embedded catalogue")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG, root, ignore=shutil.ignore_patterns(".mattercli-cache"))
    return root


def findings(root: Path, rule: str) -> list[tuple[str, int | None]]:
    return [(f.file, f.line) for f in validate([root]).findings if f.rule == rule]


def test_the_filing_pair_validates_with_its_local_type_code() -> None:
    report = validate([CATALOG / FILING_BASE, CATALOG / FILING_IMPL])
    assert [f for f in report.findings if f.file in (FILING_BASE, FILING_IMPL)] == []
    matter = parse_matter(load_file(CATALOG / FILING_IMPL, FILING_IMPL))
    assert isinstance(matter, ImplementationEntry)
    assert matter.type is MatterType.FILING and matter.nature is HandlingNature.ON_APPLICATION
    assert MatterType.FILING.code == "" and not MatterType.FILING.has_national_code


def test_the_filing_type_digits_are_checked_against_the_local_code(catalog: Path) -> None:
    table = catalog / "registry" / "local-codes.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace('代码: "11"', '代码: "12"'), encoding="utf-8")
    assert sorted(findings(catalog, "code-consistency")) == [
        (FILING_BASE, 2),
        ("impl/330100/11330100002049318Q3001106001000.yaml", 3),
        (FILING_IMPL, 3),
    ]


def test_without_a_local_code_the_filing_type_digits_are_not_checked(catalog: Path) -> None:
    (catalog / "registry" / "local-codes.yaml").unlink()
    assert findings(catalog, "code-consistency") == []


def test_a_penalty_entry_with_a_case_kind_gets_the_warning(catalog: Path) -> None:
    path = catalog / PENALTY_IMPL
    path.write_text(path.read_text(encoding="utf-8") + "办件类型: 承诺件\n", encoding="utf-8")
    report = validate([catalog])
    hits = [f for f in report.findings if f.rule == "ex-officio-service-elements"]
    assert [(f.file, f.severity.value) for f in hits] == [(PENALTY_IMPL, "warning")]
    assert "办件类型" in hits[0].message


def _migration_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "drop_ex_officio_service", ROOT / "scripts" / "drop_ex_officio_service.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_script_drops_the_service_elements_and_nothing_else(catalog: Path) -> None:
    assert findings(CATALOG, "ex-officio-service-elements") == []
    path = catalog / PENALTY_IMPL
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("是否进驻政务大厅: false\n", "办件类型: 承诺件\n承诺办结时限:\n  时限: 60\n  单位: 自然日\n"
                         "# 保留的注释\n到办事现场次数: 0\n是否进驻政务大厅: false\n"),
        encoding="utf-8",
    )  # fmt: skip
    assert len(findings(catalog, "ex-officio-service-elements")) == 3
    script = _migration_script()
    assert script.migrate(catalog, write=False) == [path]
    assert script.migrate(catalog) == [path]
    assert path.read_text(encoding="utf-8") == original.replace(
        "是否进驻政务大厅: false\n", "# 保留的注释\n是否进驻政务大厅: false\n"
    )
    assert findings(catalog, "ex-officio-service-elements") == []
    assert script.migrate(catalog) == []


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_import_case_volumes_from_csv_and_xlsx_into_the_registry(catalog: Path, tmp_path: Path) -> None:
    code = FILING_IMPL.split("/")[-1].removesuffix(".yaml")
    sheet = tmp_path / "办件量.csv"
    sheet.write_text(f"实施编码,年度,办件量\n{code},2025,120\nbad,2025,3\n{code},1800,x\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(sheet), "--case-volumes", "--catalog", str(catalog)])
    assert result.exit_code == 1, result.output
    assert "办件量.csv:3:A: 实施编码「bad」不是 31 位实施编码" in result.output
    assert "办件量.csv:4:B: 年度须为 1990–2100 之间的整数" in result.output
    registry = yaml.safe_load((catalog / "registry" / "case-volumes.yaml").read_text(encoding="utf-8"))
    assert registry == {"办件量记录": [{"实施编码": code, "办件量": [{"年度": 2025, "件数": 120}]}]}
    book = tmp_path / "办件量.xlsx"
    _write_xlsx(book, [["某区办件量统计"], ["实施编码", "年度", "办件量"], [code, 2024, 95], [code, 2025, 130]])
    result = runner.invoke(app, ["import", str(book), "--case-volumes", "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output
    registry = yaml.safe_load((catalog / "registry" / "case-volumes.yaml").read_text(encoding="utf-8"))
    assert registry["办件量记录"][0]["办件量"] == [{"年度": 2024, "件数": 95}, {"年度": 2025, "件数": 130}]
    again = runner.invoke(app, ["import", str(book), "--case-volumes", "--catalog", str(catalog)])
    assert again.exit_code == 0 and "名录未变" in again.output
    assert findings(catalog, "schema") == []
    stats = runner.invoke(app, ["stats", str(catalog), "--no-cache", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    doc = json.loads(stats.stdout)
    assert doc["volume_basis"] == {"year": 2025, "min_coverage": 0.8}
    weighted = next(f for f in doc["figures"] if f["id"] == "zero_visit_share_weighted")
    assert weighted["current"]["value"] is None
    assert weighted["current"]["note"] == "2025 年度办件量只覆盖 1/87 项依申请事项,不足 80%,不给出加权比例"
