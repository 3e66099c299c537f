"""XLSX, the office format: one workbook per list — a cover sheet (封面: 更新日期 as a date cell, 版本, source
commit, rows, schema version), then one sheet per list, or one per group when the list is grouped; bold frozen
header, auto filter, column widths, and set up to print: A4 landscape, fit to the page's width, the header row
repeated, the title in the page header, provenance and page numbers in the footer.

Byte-identical for the same input: the workbook's created/modified properties are the source commit's date
(a fixed date for the work tree) and every zip entry carries that time too.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from mattercli.export.elements import Value
from mattercli.export.formats.base import (
    DRAFT_LABEL,
    DRAFT_TEXT,
    Exporter,
    ExportFormat,
    ExportInfo,
    source_text,
    titled,
    version_text,
)
from mattercli.export.lists import ExportList, Row
from mattercli.export.output import TreeWriter
from mattercli.model.safetext import xml_safe

#: Timestamp of work-tree exports (no commit date to use); 1980-01-01 is also the earliest zip time.
FIXED_TIME = datetime(1980, 1, 1)
#: Widest a column of text gets (it wraps beyond); one of codes, which print on one line (33 = 业务办理项编码).
TEXT_WIDTH = 24
CODE_WIDTH = 35
HEADER_WIDTH = 4
MIN_WIDTH = 6
_UNBREAKABLE = re.compile(r"^[\x21-\x7e]*$")  # no space, no CJK: a code, a number, a telephone number
WIDTH_SAMPLE = 500  # rows read to estimate a column's width
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_HEADER = Alignment(wrap_text=True, vertical="center")
_LEFT = Alignment(horizontal="left")
_TOP = Alignment(vertical="top")
COVER_KEY_WIDTH = 20
COVER_VALUE_WIDTH = 64  # with the key column, fits an A4 portrait page at 100 %
DATE_FORMAT = "yyyy-mm-dd"
PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML


LINE_HEIGHT = 15.0  # points per line of 11 pt text
MAX_LINES = 27  # Excel's row height limit is 409 points


def _lines(value: Value, width: float) -> int:
    """Lines a value takes wrapped in a column `width` characters wide."""
    if not isinstance(value, str):
        return 1
    room = max(width - 1.5, 1.0)  # the cell's padding
    if "\n" not in value and len(value) * 2 <= room:
        return 1  # fits even if every character is wide
    return sum(max(1, math.ceil(display_width(line) / room)) for line in value.split("\n"))


def _header_text(text: str) -> str:
    """Text for a page header or footer: `&` starts a code there (&P page, &N pages), so it is doubled."""
    return text.replace("&", "&&")


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

    def _cell(
        self, ws: WriteOnlyWorksheet, value: Value, font: Font | None = None, alignment: Alignment | None = None
    ) -> WriteOnlyCell | Value:
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value) is not None:
            value = xml_safe(value)  # a control character (ESC in a name) is shown as \x1b, not a failed export
        if font is None and alignment is None and not (isinstance(value, str) and value.startswith("=")):
            return value
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def _cover(self, wb: Workbook, info: ExportInfo, export: ExportList, used: set[str]) -> None:
        ws = wb.create_sheet(sheet_title("封面", used))
        ws.column_dimensions["A"].width = COVER_KEY_WIDTH
        ws.column_dimensions["B"].width = COVER_VALUE_WIDTH
        # Set before the first row (a write-only sheet writes its properties first). The cover prints on one A4 page, portrait, long values wrapped within the page's width.
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.orientation = "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.print_options.horizontalCentered = True
        d = export.definition
        source = info.source
        ws.append([self._cell(ws, titled(export.name, info), _TITLE)])
        ws.append([])
        region = export.region or (d.filter.regions[0] if len(d.filter.regions) == 1 else None)
        day = source.day
        facts: list[tuple[str, Value | date]] = [
            ("清单名称", export.name),
            ("说明", d.description or ""),
            ("行政区划", f"{export.spec.region_name}({region})" if region else "全部"),
            ("版本", d.version or ""),
            ("统计范围", d.population()),
            ("发布状态", DRAFT_TEXT if source.draft else "已提交(git)"),
            ("数据版本", version_text(source)),
            ("提交日期", day if day is not None and not source.draft else "无(草稿,未提交)"),
            ("来源提交", source.commit or f"工作区({DRAFT_LABEL})"),
            ("事项目录 schema 版本", info.schema_version),
            ("行数", len(export.rows)),
            ("分组", d.group.value if d.group else "不分组"),
            ("清单定义", export.file),
            ("生成工具", f"mattercli {info.tool_version}"),
        ]
        for key, value in facts:
            if isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT  # a date cell, shown 2026-03-01, sortable and filterable
                cell.alignment = _LEFT
                ws.append([self._cell(ws, key, _BOLD), cell])
                continue
            long = isinstance(value, str) and display_width(value) > COVER_VALUE_WIDTH
            alignment = _WRAP if long else (_LEFT if isinstance(value, int) else None)
            ws.append([self._cell(ws, key, _BOLD), self._cell(ws, value, alignment=alignment)])

    def _page_setup(self, ws: WriteOnlyWorksheet, info: ExportInfo, export: ExportList, group: str | None) -> None:
        """Print on A4 landscape, every column on the page's width (as many pages down as it takes), the header
        row repeated on each page; the header holds the list's title (and group), the footer its provenance
        and 第 N 页,共 M 页."""
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # 0: as many pages tall as needed
        ws.print_title_rows = "1:1"
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        title = titled(export.name, info) + (f" · {group}" if group and group != export.name else "")
        ws.oddHeader.center.text = _header_text(title)
        ws.oddHeader.center.size = 11
        ws.oddFooter.left.text = _header_text(source_text(info))
        ws.oddFooter.left.size = 8
        ws.oddFooter.right.text = "第 &P 页,共 &N 页"
        ws.oddFooter.right.size = 8

    def _widths(self, export: ExportList, rows: list[Row]) -> list[float]:
        """Column widths that print: text wraps within TEXT_WIDTH, a code keeps its one line (CODE_WIDTH), a header
        wraps after HEADER_WIDTH (two CJK characters a line) so that short values make narrow columns."""
        widths = []
        sample = rows[:WIDTH_SAMPLE]
        for i, column in enumerate(export.columns):
            if column.width:
                widths.append(float(column.width))
                continue
            values = [str(r.values[i]) for r in sample]
            longest = max((display_width(v) for v in values), default=0)
            code_like = bool(values) and all(_UNBREAKABLE.match(v) for v in values)
            cap = CODE_WIDTH if code_like else TEXT_WIDTH
            wanted = max(longest, min(display_width(export.headers[i]), HEADER_WIDTH))
            widths.append(float(min(max(wanted + 2, MIN_WIDTH), cap)))
        return widths

    def _sheet(self, wb: Workbook, title: str, info: ExportInfo, export: ExportList, group: str | None,
               rows: list[Row]) -> None:  # fmt: skip
        ws = wb.create_sheet(title)
        widths = self._widths(export, rows)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        last = get_column_letter(len(export.columns))
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        self._page_setup(ws, info, export, group)
        self._append_wrapped(ws, 1, export.headers, widths, _BOLD)
        for number, row in enumerate(rows, start=2):
            self._append_wrapped(ws, number, row.values, widths)

    def _append_wrapped(
        self,
        ws: WriteOnlyWorksheet,
        number: int,
        values: Sequence[Value],
        widths: list[float],
        font: Font | None = None,
    ) -> None:
        """Append row `number`: a text wider than its column wraps, and the row is as tall as its most wrapped cell
        (spreadsheets do not re-measure rows of a file they open, so a wrapped cell would print cut off)."""
        needed = [_lines(value, width) for value, width in zip(values, widths, strict=True)]
        lines = max(needed, default=1)
        if font is not None:
            cells = [self._cell(ws, value, font, _WRAP_HEADER) for value in values]
        elif lines > 1:  # a tall row: every cell at its top, the long ones wrapped
            cells = [self._cell(ws, v, alignment=_WRAP if n > 1 else _TOP) for v, n in zip(values, needed, strict=True)]
        else:
            cells = [self._cell(ws, value) for value in values]
        if lines > 1:
            ws.row_dimensions[number].height = min(lines, MAX_LINES) * LINE_HEIGHT
        ws.append(cells)

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
            self._sheet(wb, sheet_title(group if group is not None else export.name, used), info, export, group, rows)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(wb, archive).save()
        return repack(buffer.getvalue(), moment)

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        out.write(self.path(export, "xlsx"), self.render(info, export))
