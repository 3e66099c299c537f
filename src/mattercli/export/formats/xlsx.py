"""XLSX: one workbook per list — a cover sheet (封面: source commit and date, rows, schema version), then one
sheet per list, or one per group when the list is grouped; bold frozen header, auto filter, column widths.

Byte-identical for the same input: the workbook's created/modified properties are the source commit's date
(a fixed date for the work tree) and every zip entry carries that time too.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import UTC, datetime

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from mattercli.export.elements import Value
from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo
from mattercli.export.lists import ExportList, Row
from mattercli.export.output import TreeWriter
from mattercli.model.safetext import xml_safe

#: Timestamp of work-tree exports (no commit date to use); 1980-01-01 is also the earliest zip time.
FIXED_TIME = datetime(1980, 1, 1)
MAX_WIDTH = 60
WIDTH_SAMPLE = 500  # rows read to estimate a column's width
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")


def source_time(info: ExportInfo) -> datetime:
    """The commit date in UTC without time zone (as the workbook properties store it), or FIXED_TIME."""
    if not info.source.date:
        return FIXED_TIME
    moment = datetime.fromisoformat(info.source.date)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return max(moment, FIXED_TIME)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_title(label: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", label).strip("'") or "清单"
    title = base[:SHEET_NAME_MAX]
    n = 2
    while title.casefold() in used:
        suffix = f"_{n}"
        title = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(title.casefold())
    return title


def repack(data: bytes, moment: datetime) -> bytes:
    """The same zip with every entry stamped `moment` and fixed permissions (zip entry times are otherwise now)."""
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info))
    return out.getvalue()


class XlsxExporter(Exporter):
    """xlsx/<清单>.xlsx."""

    format = ExportFormat.xlsx

    def _cell(self, ws: WriteOnlyWorksheet, value: Value, font: Font | None = None) -> WriteOnlyCell | Value:
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value) is not None:
            value = xml_safe(value)  # a control character (ESC in a name) is shown as \x1b, not a failed export
        if font is None and not (isinstance(value, str) and value.startswith("=")):
            return value
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        if font is not None:
            cell.font = font
        return cell

    def _cover(self, wb: Workbook, info: ExportInfo, export: ExportList, used: set[str]) -> None:
        ws = wb.create_sheet(sheet_title("封面", used))
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 80
        d = export.definition
        source = info.source
        ws.append([self._cell(ws, export.name, _TITLE)])
        ws.append([])
        region = export.region or (d.filter.regions[0] if len(d.filter.regions) == 1 else None)
        facts: list[tuple[str, Value]] = [
            ("清单名称", export.name),
            ("说明", d.description or ""),
            ("行政区划", f"{export.spec.region_name}({region})" if region else "全部"),
            ("版本", d.version or ""),
            ("统计范围", d.population()),
            ("数据来源", "工作区(未提交的文件)" if source.commit is None else "git 提交"),
            ("来源提交", source.commit or "工作区"),
            ("提交日期", source.date or ""),
            ("事项目录 schema 版本", info.schema_version),
            ("行数", len(export.rows)),
            ("分组", d.group.value if d.group else "不分组"),
            ("清单定义", export.file),
            ("生成工具", f"mattercli {info.tool_version}"),
        ]
        for key, value in facts:
            ws.append([self._cell(ws, key, _BOLD), self._cell(ws, value)])

    def _widths(self, export: ExportList, rows: list[Row]) -> list[float]:
        widths = []
        for i, column in enumerate(export.columns):
            if column.width:
                widths.append(float(column.width))
                continue
            sample = rows[:WIDTH_SAMPLE]
            title = export.headers[i]
            longest = max([display_width(title), *(display_width(str(r.values[i])) for r in sample)])
            widths.append(float(min(max(longest + 2, 6), MAX_WIDTH)))
        return widths

    def _sheet(self, wb: Workbook, title: str, export: ExportList, rows: list[Row]) -> None:
        ws = wb.create_sheet(title)
        for i, width in enumerate(self._widths(export, rows), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        last = get_column_letter(len(export.columns))
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        ws.append([self._cell(ws, h, _BOLD) for h in export.headers])
        for row in rows:
            ws.append([self._cell(ws, v) for v in row.values])

    def render(self, info: ExportInfo, export: ExportList) -> bytes:
        wb = Workbook(write_only=True)
        moment = source_time(info)
        wb.properties.creator = "mattercli"
        wb.properties.title = export.name
        wb.properties.created = moment
        wb.properties.modified = moment
        used: set[str] = set()
        self._cover(wb, info, export, used)
        for group, rows in export.groups():
            self._sheet(wb, sheet_title(group if group is not None else export.name, used), export, rows)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(wb, archive).save()
        return repack(buffer.getvalue(), moment)

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        out.write(self.path(export, "xlsx"), self.render(info, export))
