"""Reading the sheets offices keep: XLSX (merged cells take the top-left value) and CSV (UTF-8 with or without BOM,
or GBK/GB18030 as Excel saves it on Chinese Windows); blank rows are skipped and headers found automatically."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from mattercli.catalogue.fsutil import read_regular
from mattercli.catalogue.limits import Limits, refuse

HEADER_SCAN_ROWS = 20
_SPACE = re.compile(r"\s+")


class SheetError(Exception):
    """The file or sheet cannot be read at all."""


class MissingSheet(SheetError):
    """The workbook has no sheet of that name."""


def header_key(text: Any) -> str:
    """Headers compare without white space, case or full-width forms: `事项\\n名称` matches 事项名称, `task_code`
    TASK_CODE, `责任处（科）室` 责任处(科)室."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text or ""))).upper()


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any
    column: str  # Excel column letters: A, B, … AA


@dataclass(slots=True)
class SheetRow:
    number: int  # 1-based, as the editor sees it in Excel
    cells: dict[str, Cell] = field(default_factory=dict)  # by header_key

    def get(self, header: str) -> Cell | None:
        return self.cells.get(header_key(header))


@dataclass(slots=True)
class Sheet:
    """A table: where it came from, the header row and the data rows that are not blank."""

    label: str
    header_row: int
    headers: list[str]
    rows: list[SheetRow]
    encoding: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # header_key -> column letters
    #: the first non-empty cell of each row above the header row (titles, a list's first section heading)
    above: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Formula:
    """An XLSX cell that holds a formula: its text, and the result Excel last showed (None unless asked for). Import
    never takes the shown result silently: `=HYPERLINK("https://…","点击查看")` is not the text 「点击查看」."""

    text: str
    shown: Any = None


def _is_formula(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("=") and len(value) > 1
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _formula_text(value: Any) -> str:
    return value if isinstance(value, str) else str(getattr(value, "text", value))


def clean(value: Any) -> Any:
    """A cell value as import sees it: text stripped ("" is empty), integral floats as ints, dates as YYYY-MM-DD."""
    if value is None or isinstance(value, Formula):
        return value
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _check_cells(grid: list[list[Any]], label: str, limits: Limits) -> None:
    """Refuse a sheet larger than the limits, or a cell longer than limits.cell_chars (named by row and column)."""
    if len(grid) > limits.sheet_rows:
        raise _refused(label, "行数", "rows", len(grid), "sheet-rows", limits.sheet_rows)
    for number, row in enumerate(grid, start=1):
        if len(row) > limits.sheet_columns:
            raise _refused(label, "列数", "columns", len(row), "sheet-columns", limits.sheet_columns)
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > limits.cell_chars:
                where = f"{label} 第 {number} 行 {get_column_letter(index + 1)} 列"
                raise _refused(where, "单元格字符数", "cell characters", len(value), "cell-chars", limits.cell_chars)


def _refused(label: str, zh: str, en: str, found: int, key: str, limit: int) -> SheetError:
    return SheetError(str(refuse(label, zh, en, found, key, limit)))


def _table(
    grid: list[list[Any]],
    label: str,
    wanted: Iterable[str],
    header_row: int | None,
    encoding: str,
    limits: Limits | None = None,
) -> Sheet:
    _check_cells(grid, label, limits or Limits())
    wanted_keys = {header_key(w) for w in wanted}
    if header_row is None:
        best, best_hits = 1, 0
        for number, line in enumerate(grid[:HEADER_SCAN_ROWS], start=1):
            hits = len({header_key(v) for v in line if v is not None} & wanted_keys)
            if hits > best_hits:
                best, best_hits = number, hits
        header_row = best
    if header_row > len(grid):
        raise SheetError(f"{label}: 没有第 {header_row} 行(列名行)")
    headers_raw = grid[header_row - 1]
    columns: dict[str, int] = {}
    headers: list[str] = []
    for index, value in enumerate(headers_raw):
        key = header_key(value)
        if key and key not in columns:
            columns[key] = index
            headers.append(str(value).strip())
    rows: list[SheetRow] = []
    for number, raw in enumerate(grid[header_row:], start=header_row + 1):
        values = [clean(v) for v in raw]
        if all(v is None for v in values):
            continue  # blank line
        row = SheetRow(number)
        for key, index in columns.items():
            row.cells[key] = Cell(values[index] if index < len(values) else None, get_column_letter(index + 1))
        rows.append(row)
    letters = {key: get_column_letter(index + 1) for key, index in columns.items()}
    above = [
        str(first).strip()
        for line in grid[: header_row - 1]
        if (first := next((v for v in line if v not in (None, "")), None))
    ]
    return Sheet(label, header_row, headers, rows, encoding, letters, above)


def check_xlsx_parts(path: Path, limits: Limits) -> None:
    """Before openpyxl sees the file: its parts' uncompressed size (a zip bomb) and the shared-string count (20
    million empty strings fit in 830 KB) within the limits. A part larger than it claims fails its CRC check when
    read, so the declared sizes bound what is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > limits.xlsx_uncompressed_bytes:
                raise _refused(
                    path.name,
                    "解压后大小(字节)",
                    "uncompressed size (bytes)",
                    total,
                    "xlsx-uncompressed-bytes",
                    limits.xlsx_uncompressed_bytes,
                )
            for part in (i.filename for i in infos if i.filename.lower().endswith("sharedstrings.xml")):
                count = 0
                with archive.open(part) as handle:
                    for _, element in ET.iterparse(handle, events=("end",)):
                        if element.tag.endswith("}si") or element.tag == "si":
                            count += 1
                            if count > limits.xlsx_shared_strings:
                                raise _refused(
                                    path.name,
                                    "共享字符串数",
                                    "shared strings",
                                    count,
                                    "xlsx-shared-strings",
                                    limits.xlsx_shared_strings,
                                )
                        element.clear()
    except (zipfile.BadZipFile, ET.ParseError, OSError, EOFError) as exc:
        raise SheetError(f"{path}: 不是可读取的 XLSX 文件({type(exc).__name__}: {exc})") from exc


def _check_dimensions(ws: Any, label: str, limits: Limits) -> None:
    """openpyxl's grid would be every cell up to the last one (XFD1048576: 17 billion): refuse it first."""
    if ws.max_row > limits.sheet_rows:
        raise _refused(label, "行数", "rows", ws.max_row, "sheet-rows", limits.sheet_rows)
    if ws.max_column > limits.sheet_columns:
        raise _refused(label, "列数", "columns", ws.max_column, "sheet-columns", limits.sheet_columns)


#: `sheet: "*"`: every worksheet whose header row names at least this many mapped columns (so a 封面 is skipped).
ALL_SHEETS = "*"
MIN_HEADER_HITS = 2


def _grid(ws: Any, label: str, limits: Limits, shown: Any = None) -> list[list[Any]]:
    """A worksheet's cells (merged ranges filled with their top-left value), after its dimensions are checked; a
    formula cell is a `Formula`, with the result Excel showed taken from `shown` (the same sheet read data-only)."""
    _check_dimensions(ws, label, limits)
    grid: list[list[Any]] = [list(row) for row in ws.iter_rows(values_only=True)]
    formulas = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if _is_formula(v)]
    results: list[list[Any]] = [list(row) for row in shown.iter_rows(values_only=True)] if formulas and shown else []
    for r, c in formulas:
        value = results[r][c] if r < len(results) and c < len(results[r]) else None
        grid[r][c] = Formula(_formula_text(grid[r][c]), value)
    for merged in ws.merged_cells.ranges:
        top_left = ws.cell(merged.min_row, merged.min_col).value
        if _is_formula(top_left) and merged.min_row - 1 < len(grid):
            top_left = grid[merged.min_row - 1][merged.min_col - 1]  # the Formula made above
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid):
                    row = grid[r - 1]
                    row.extend([None] * (c - len(row)))
                    row[c - 1] = top_left
    return grid


def _header_hits(grid: list[list[Any]], wanted: Iterable[str]) -> int:
    keys = {header_key(w) for w in wanted}
    return max(
        (len({header_key(v) for v in line if v is not None} & keys) for line in grid[:HEADER_SCAN_ROWS]), default=0
    )


def _load(path: Path, data_only: bool) -> Any:
    try:
        return load_workbook(path, data_only=data_only)  # not read-only: merged ranges are needed
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise SheetError(f"{path}: 不是可读取的 XLSX 文件({type(exc).__name__}: {exc})") from exc


def read_xlsx_sheets(
    path: Path,
    sheet: str | None,
    wanted: Iterable[str],
    header_row: int | None,
    limits: Limits | None = None,
    formula_values: bool = False,
) -> list[Sheet]:
    """The sheet named `sheet` (default: the first), or with `sheet: "*"` every sheet that has the mapped headers.
    Formula cells are `Formula`s; with `formula_values` they carry the result Excel showed."""
    wanted = list(wanted)
    limits = limits or Limits()
    check_xlsx_parts(path, limits)
    workbook = _load(path, data_only=False)
    cached = _load(path, data_only=True) if formula_values else None

    def shown(title: str) -> Any:
        return cached[title] if cached is not None else None

    try:
        if sheet == ALL_SHEETS:
            grids = [
                (ws.title, _grid(ws, f"{path.name}[{ws.title}]", limits, shown(ws.title))) for ws in workbook.worksheets
            ]
            found = [(t, g) for t, g in grids if _header_hits(g, wanted) >= MIN_HEADER_HITS]
            if not found:
                raise MissingSheet(f"{path}: 没有含映射列名的工作表(有: {', '.join(workbook.sheetnames)})")
            return [_table(g, f"{path.name}[{t}]", wanted, header_row, "", limits) for t, g in found]
        if sheet is not None and sheet not in workbook.sheetnames:
            raise MissingSheet(f"{path}: 没有名为「{sheet}」的工作表(有: {', '.join(workbook.sheetnames)})")
        ws = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        label = f"{path.name}[{ws.title}]"
        return [_table(_grid(ws, label, limits, shown(ws.title)), label, wanted, header_row, "", limits)]
    finally:
        workbook.close()
        if cached is not None:
            cached.close()


def read_xlsx(
    path: Path,
    sheet: str | None,
    wanted: Iterable[str],
    header_row: int | None,
    limits: Limits | None = None,
    formula_values: bool = False,
) -> Sheet:
    return read_xlsx_sheets(path, sheet, wanted, header_row, limits, formula_values)[0]


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Text and encoding name of a CSV file: UTF-8 (BOM or not), else GB18030 (a superset of GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SheetError(f"无法识别的文本编码(既不是 UTF-8 也不是 GBK),第 {line} 行") from exc


def read_csv(path: Path, wanted: Iterable[str], header_row: int | None, limits: Limits | None = None) -> Sheet:
    limits = limits or Limits()
    text, encoding = decode_csv(read_regular(path, follow=True))
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[list[Any]] = []
    previous = csv.field_size_limit(limits.cell_chars + 1)  # the csv module's own limit (131,072) would abort
    try:
        for row in reader:
            grid.append(list(row))
            if len(grid) > limits.sheet_rows:
                raise _refused(path.name, "行数", "rows", len(grid), "sheet-rows", limits.sheet_rows)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            where = f"{path.name} 第 {reader.line_num} 行"
            raise _refused(
                where, "单元格字符数", "cell characters", limits.cell_chars + 1, "cell-chars", limits.cell_chars
            ) from exc
        raise SheetError(f"{path.name} 第 {reader.line_num} 行: CSV 格式错误 / malformed CSV: {exc}") from exc
    finally:
        csv.field_size_limit(previous)
    return _table(grid, path.name, wanted, header_row, encoding, limits)


def read_sheets(
    path: Path,
    sheet: str | None,
    wanted: Iterable[str],
    header_row: int | None,
    limits: Limits | None = None,
    formula_values: bool = False,
) -> list[Sheet]:
    """The sheets to import: one, or with `sheet: "*"` (XLSX) every sheet holding the mapped headers."""
    if sheet == ALL_SHEETS and path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_sheets(path, sheet, wanted, header_row, limits, formula_values)
    return [read_sheet(path, None if sheet == ALL_SHEETS else sheet, wanted, header_row, limits, formula_values)]


def read_sheet(
    path: Path,
    sheet: str | None,
    wanted: Iterable[str],
    header_row: int | None,
    limits: Limits | None = None,
    formula_values: bool = False,
) -> Sheet:
    if not path.exists():
        raise SheetError(f"文件不存在: {path}")
    if not path.is_file():
        raise SheetError(f"不是普通文件 / not a regular file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet, wanted, header_row, limits, formula_values)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path, wanted, header_row, limits)
    raise SheetError(f"{path}: 只支持 .xlsx 和 .csv 文件")
