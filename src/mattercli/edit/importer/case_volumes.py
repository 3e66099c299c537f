"""办件量 from a sheet (CSV or XLSX with the columns 实施编码, 年度, 办件量) into registry/case-volumes.yaml.

Rows are checked one by one (a bad code, year or count is a problem naming its row and column, and the row is not
imported); the registry keeps what it had, and a row for a code and year it already holds replaces that number.
The file is written whole, atomically, in a fixed order (by 实施编码, then 年度), so re-importing the same sheet
changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mattercli.catalogue.catalog import REGISTRY_DIR
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.yamlio import load_file
from mattercli.edit.importer.sheets import SheetError, read_sheet
from mattercli.model.identifiers import IMPLEMENTATION_CODE_PATTERN
from mattercli.model.registry import CaseVolumeRegistry

COLUMNS = ("实施编码", "年度", "办件量")
REGISTRY_FILE = f"{REGISTRY_DIR}/{CaseVolumeRegistry.FILE}"
_CODE = re.compile(f"^{IMPLEMENTATION_CODE_PATTERN}$")


@dataclass(frozen=True, slots=True)
class VolumeProblem:
    row: int
    column: str | None
    message: str

    def where(self, source: str) -> str:
        return f"{source}:{self.row}" + (f":{self.column}" if self.column else "")


@dataclass
class VolumeImport:
    source: str
    file: str
    rows: int = 0
    imported: int = 0
    changed: bool = False
    written: bool = False
    problems: list[VolumeProblem] = field(default_factory=list)
    text: str = ""


def _number(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().replace(",", "").isdigit():
        value = int(value.strip().replace(",", ""))
    return value if isinstance(value, int) and low <= value <= high else None


def read_registry(path: Path) -> dict[str, dict[int, int]]:
    """实施编码 -> {年度: 件数} of an existing registry file (a file that does not load is an error)."""
    if not path.is_file():
        return {}
    doc = load_file(path, REGISTRY_FILE)
    if doc.problems or not isinstance(doc.data, dict):
        raise SheetError(f"{REGISTRY_FILE}: 无法读取现有的办件量名录,请先用 mattercli validate 修正")
    registry = CaseVolumeRegistry.model_validate(doc.data)
    out: dict[str, dict[int, int]] = {}
    for record in registry.entries:
        out.setdefault(record.implementation_code, {}).update({v.year: v.count for v in record.volumes})
    return out


def render_registry(volumes: dict[str, dict[int, int]]) -> str:
    lines = ["# 办件量(mattercli import --case-volumes 写入;也可手工维护)", "办件量记录:"]
    for code in sorted(volumes):
        lines += [f'  - 实施编码: "{code}"', "    办件量:"]
        lines += [f"      - {{年度: {year}, 件数: {count}}}" for year, count in sorted(volumes[code].items())]
    if not volumes:
        lines[-1] = "办件量记录: []"
    return "\n".join(lines) + "\n"


def import_case_volumes(source: Path, catalog: Path, dry_run: bool = False) -> VolumeImport:
    """Read `source` and merge its rows into `catalog`/registry/case-volumes.yaml (unless `dry_run`)."""
    sheet = read_sheet(source, None, COLUMNS, None)
    missing = [c for c in COLUMNS if sheet.columns.get(c) is None]
    if missing:
        raise SheetError(f"{sheet.label}: 缺少列 {'、'.join(missing)}(须有 实施编码、年度、办件量 三列)")
    path = catalog / REGISTRY_FILE
    volumes = read_registry(path)
    before = render_registry(volumes) if path.is_file() else None
    result = VolumeImport(sheet.label, REGISTRY_FILE, rows=len(sheet.rows))
    for row in sheet.rows:
        code_cell, year_cell, count_cell = (row.get(c) for c in COLUMNS)
        code = str(code_cell.value).strip() if code_cell and code_cell.value is not None else ""
        year = _number(year_cell.value if year_cell else None, 1990, 2100)
        count = _number(count_cell.value if count_cell else None, 0, 10**12)
        problems = []
        if not _CODE.match(code):
            problems.append(
                VolumeProblem(row.number, sheet.columns["实施编码"], f"实施编码「{code}」不是 31 位实施编码")
            )
        if year is None:
            problems.append(VolumeProblem(row.number, sheet.columns["年度"], "年度须为 1990–2100 之间的整数"))
        if count is None:
            problems.append(VolumeProblem(row.number, sheet.columns["办件量"], "办件量须为非负整数"))
        if problems or year is None or count is None:
            result.problems.extend(problems)
            continue
        volumes.setdefault(code, {})[year] = count
        result.imported += 1
    result.text = render_registry(volumes)
    result.changed = result.text != before
    if result.changed and not dry_run and result.imported:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, result.text)
        result.written = True
    return result
