"""Text formats of a list: CSV (UTF-8 with BOM, so Excel opens it), JSON (for scripts) and Markdown."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from mattercli.export.elements import Value
from mattercli.export.formats.base import FORMULA_START, Exporter, ExportFormat, ExportInfo, source_text
from mattercli.export.lists import ExportList
from mattercli.export.output import TextSink, TreeWriter
from mattercli.model.lists import GroupBy

UTF8_BOM = "\ufeff"


def csv_cell(value: Value) -> str:
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


class CsvExporter(Exporter):
    """csv/<清单>.csv: a header row of the Chinese headers, then one row per matter (or material); CRLF lines."""

    format = ExportFormat.csv

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(self.path(export, "csv")) as sink:
            sink.write(UTF8_BOM)
            writer = csv.writer(sink, lineterminator="\r\n")
            writer.writerow(export.headers)
            if export.definition.group is not GroupBy.ORIGIN:
                for row in export.rows:
                    writer.writerow([csv_cell(v) for v in row.values])
                return
            blank = [""] * (len(export.headers) - 1)
            for group, rows in export.groups():  # sections as the published list prints them: a title row each
                if group is not None:
                    writer.writerow([csv_cell(group), *blank])
                for row in rows:
                    writer.writerow([csv_cell(v) for v in row.values])


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
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


class MarkdownExporter(Exporter):
    """md/<清单>.md: a title, the source, and a pipe table per group (## 分组 headings)."""

    format = ExportFormat.md

    def lines(self, info: ExportInfo, export: ExportList) -> Iterator[str]:
        """The document, line by line (the last line is empty: the file ends with a newline)."""
        yield from (f"# {md_cell(export.name)}", "")
        if export.definition.description:
            yield from (md_cell(export.definition.description), "")
        yield from (f"统计范围:{md_cell(export.definition.population())}", "")
        yield from (f"> {source_text(info)};事项目录 schema {info.schema_version};共 {len(export.rows)} 行", "")
        header = "| " + " | ".join(md_cell(h) for h in export.headers) + " |"
        rule = "| " + " | ".join("---:" if c.path == "序号" else "---" for c in export.columns) + " |"
        for group, rows in export.groups():
            if group is not None:
                yield from (f"## {md_cell(group)}", "")
            yield from (header, rule)
            yield from ("| " + " | ".join(md_cell(v) for v in row.values) + " |" for row in rows)
            yield ""

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(self.path(export, "md")) as sink:
            sink.join("\n", self.lines(info, export))
