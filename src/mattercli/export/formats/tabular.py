"""Text formats of a list: CSV (UTF-8 with BOM, so Excel opens it), JSON (for scripts) and Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mattercli.export.elements import Value
from mattercli.export.formats.base import FORMULA_START, Exporter, ExportFormat, ExportInfo, source_text
from mattercli.export.lists import ExportList
from mattercli.export.output import TreeWriter

UTF8_BOM = "\ufeff"


def csv_cell(value: Value) -> str:
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


class CsvExporter(Exporter):
    """csv/<清单>.csv: a header row of the Chinese headers, then one row per matter (or material); CRLF lines."""

    format = ExportFormat.csv

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(export.headers)
        for row in export.rows:
            writer.writerow([csv_cell(v) for v in row.values])
        out.write(self.path(export, "csv"), (UTF8_BOM + buffer.getvalue()).encode("utf-8"))


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
            "region": export.region,
            "catalogue": d.catalogue.value,
            "row_unit": d.row_unit.value,
            "sort": d.sort.value,
            "group_by": d.group.value if d.group else None,
        },
        "columns": [{"path": c.path, "header": c.title} for c in export.columns],
        "row_count": len(export.rows),
    }


def list_json(info: ExportInfo, export: ExportList) -> str:
    """The list document: metadata indented, then `rows` with one compact row per line (fast, diff-friendly)."""
    head = json.dumps(list_header(info, export), ensure_ascii=False, indent=1)
    rows = ",\n  ".join(
        json.dumps({"code": r.code, "group": r.group, "values": list(r.values)}, ensure_ascii=False)
        for r in export.rows
    )
    body = f"[\n  {rows}\n ]" if rows else "[]"
    return head[:-2] + f',\n "rows": {body}\n}}\n'


class JsonExporter(Exporter):
    """json/<清单>.json: list metadata, columns, and rows whose values follow the columns."""

    format = ExportFormat.json

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        out.text(self.path(export, "json"), list_json(info, export))


def md_cell(value: Value) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


class MarkdownExporter(Exporter):
    """md/<清单>.md: a title, the source, and a pipe table per group (## 分组 headings)."""

    format = ExportFormat.md

    def render(self, info: ExportInfo, export: ExportList) -> str:
        lines = [f"# {md_cell(export.name)}", ""]
        if export.definition.description:
            lines += [md_cell(export.definition.description), ""]
        lines += [f"> {source_text(info)};事项目录 schema {info.schema_version};共 {len(export.rows)} 行", ""]
        header = "| " + " | ".join(md_cell(h) for h in export.headers) + " |"
        rule = "| " + " | ".join("---:" if c.path == "序号" else "---" for c in export.columns) + " |"
        for group, rows in export.groups():
            if group is not None:
                lines += [f"## {md_cell(group)}", ""]
            lines += [header, rule]
            lines += ["| " + " | ".join(md_cell(v) for v in row.values) + " |" for row in rows]
            lines.append("")
        return "\n".join(lines)

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        out.text(self.path(export, "md"), self.render(info, export))
