"""Text formats of a list: CSV (UTF-8 with BOM, so Excel opens it), JSON (for scripts) and Markdown."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from mattercli.export.elements import Value
from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo, source_text, titled
from mattercli.export.lists import ExportList
from mattercli.export.output import TextSink, TreeWriter
from mattercli.model.lists import GroupBy
from mattercli.model.safetext import markdown_link, markdown_text
from mattercli.model.spreadsheet import excel_text, guard_formula

UTF8_BOM = "\ufeff"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def csv_cell(value: Value) -> str:
    """A value as scripts read it; text a spreadsheet would evaluate as a formula gets a leading `'`."""
    return guard_formula(value) if isinstance(value, str) else str(value)


class CsvExporter(Exporter):
    """csv/<清单>.csv: a header row of the Chinese headers, then one row per matter (or material); CRLF lines."""

    format = ExportFormat.csv
    cell = staticmethod(csv_cell)

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(self.path(export, "csv")) as sink:
            sink.write(UTF8_BOM)
            writer = csv.writer(sink, lineterminator="\r\n")
            writer.writerow(export.headers)
            if export.definition.group is not GroupBy.ORIGIN:
                for row in export.rows:
                    writer.writerow([self.cell(v) for v in row.values])
                return
            blank = [""] * (len(export.headers) - 1)
            for group, rows in export.groups():  # sections as the published list prints them: a title row each
                if group is not None:
                    writer.writerow([self.cell(group), *blank])
                for row in rows:
                    writer.writerow([self.cell(v) for v in row.values])


def excel_cell(value: Value) -> str:
    """A value as a spreadsheet opening the CSV shows it: codes keep their leading zeros and all 31 digits."""
    return excel_text(value) if isinstance(value, str) else str(value)


class ExcelCsvExporter(CsvExporter):
    """excel-csv/<清单>.csv: the CSV for opening in Excel or LibreOffice — every cell they would turn into a number,
    a date or a formula (000101001000, a 31-digit 实施编码, 2024-01-01, =1+1) is written ="…", which both show as
    that text. For scripts, read csv/ (plain values) or json/."""

    format = ExportFormat.excel_csv
    cell = staticmethod(excel_cell)


def list_header(info: ExportInfo, export: ExportList) -> dict[str, Any]:
    """The JSON form of one list without its rows (documented in docs/export.md)."""
    d = export.definition
    return {
        "tool": "mattercli",
        "version": info.tool_version,
        "schema_version": info.schema_version,
        "source": info.source.to_dict(),
        "list": {
            "name": export.name,
            "definition": d.name,
            "definition_file": export.file,
            "description": d.description,
            "population": d.population(),
            "region": export.region,
            "catalogue": d.catalogue.value,
            "row_unit": d.row_unit.value,
            "sort": d.sort.value,
            "group_by": d.group.value if d.group else None,
        },
        "columns": [{"path": c.path, "header": h} for c, h in zip(export.columns, export.headers, strict=True)],
        "row_count": len(export.rows),
    }


def write_list_json(info: ExportInfo, export: ExportList, sink: TextSink) -> None:
    """The list document: metadata indented, then `rows` with one compact row per line (fast, diff-friendly)."""
    head = json.dumps(list_header(info, export), ensure_ascii=False, indent=1)
    sink.write(head[:-2] + ',\n "rows": ')
    if export.rows:
        sink.write("[\n  ")
        sink.join(
            ",\n  ",
            (
                json.dumps({"code": r.code, "group": r.group, "values": list(r.values)}, ensure_ascii=False)
                for r in export.rows
            ),
        )
        sink.write("\n ]")
    else:
        sink.write("[]")
    sink.write("\n}\n")


class JsonExporter(Exporter):
    """json/<清单>.json: list metadata, columns, and rows whose values follow the columns."""

    format = ExportFormat.json

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(self.path(export, "json")) as sink:
            write_list_json(info, export, sink)


def md_cell(value: Value) -> str:
    """A value as one Markdown table cell, shown literally: HTML and Markdown syntax in names and notes are escaped
    (safetext.markdown_text); a value that is a whole http(s) URL becomes a link, any other scheme stays text."""
    text = str(value)
    if isinstance(value, str) and _URL.match(text):
        return markdown_link(text, text)
    return markdown_text(text)


def md_line(text: str) -> str:
    """A paragraph line (说明, 统计范围): also what would start a heading, quote or list is escaped."""
    return markdown_text(text, line_start=True)


class MarkdownExporter(Exporter):
    """md/<清单>.md: a title, the source, and a pipe table per group (## 分组 headings)."""

    format = ExportFormat.md

    def lines(self, info: ExportInfo, export: ExportList) -> Iterator[str]:
        """The document, line by line (the last line is empty: the file ends with a newline)."""
        yield from (f"# {markdown_text(titled(export.name, info))}", "")
        if export.definition.description:
            yield from (md_line(export.definition.description), "")
        yield from (f"统计范围:{markdown_text(export.definition.population())}", "")
        yield from (f"> {source_text(info)};事项目录 schema {info.schema_version};共 {len(export.rows)} 行", "")
        header = "| " + " | ".join(md_cell(h) for h in export.headers) + " |"
        rule = "| " + " | ".join("---:" if c.path == "序号" else "---" for c in export.columns) + " |"
        for group, rows in export.groups():
            if group is not None:
                yield from (f"## {markdown_text(group)}", "")
            yield from (header, rule)
            yield from ("| " + " | ".join(md_cell(v) for v in row.values) + " |" for row in rows)
            yield ""

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(self.path(export, "md")) as sink:
            sink.join("\n", self.lines(info, export))
