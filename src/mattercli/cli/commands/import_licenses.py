"""`mattercli import-licenses`: a published 行政许可事项清单 (XLSX/CSV) into registry/license-list.yaml, each item
matched to its 基本编码; unmatched rows are reported with their sheet row number."""

from __future__ import annotations

import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mattercli import __version__
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption
from mattercli.edit.importer.licenses import LicenseImport, LicenseImportError, import_license_list
from mattercli.edit.importer.sheets import SheetError, read_sheet
from mattercli.model.codes import Level
from mattercli.model.registry import LicenseOrigin

NAME = "import-licenses"

_COUNT = re.compile(r"[(（]共\s*\d+\s*项[)）]\s*$")


class Format(StrEnum):
    text = "text"
    json = "json"


_HOW = (
    ("名称", "by name", "名称"),
    ("别名", "by alias", "别名"),
    ("映射", "by mapping", "映射"),
    ("表内编码", "by code in sheet", "表内编码"),
)


def render_text(report: LicenseImport, lang: Lang) -> str:
    en = lang is Lang.en
    encoding = f" ({report.encoding})" if report.encoding else ""
    out = [
        f"read {report.source}{encoding} as 《{report.list_name}》: header on row {report.header_row}, {len(report.rows)} items"
        if en
        else f"读取 {report.source}{encoding} 为《{report.list_name}》:列名在第 {report.header_row} 行,共 {len(report.rows)} 项"
    ]
    for problem in report.problems:
        out.append(f"{report.source}:{problem.row}: {problem.message_en if en else problem.message}")
    for row in report.unmatched:
        near = "、".join(f"{c.name} {c.code} ({c.score:.2f})" for c in row.candidates)
        if en:
            hint = f"; closest: {near}" if near else ""
            out.append(f"{report.source}:{row.row}: 序号 {row.number} '{row.name}': no base entry matched{hint}")
        else:
            hint = f";最接近: {near}" if near else ""
            out.append(
                f"{report.source}:{row.row}: 第 {row.row} 行 序号 {row.number}「{row.name}」未匹配到基本目录事项{hint}"
            )
    counts = {key: report.count(key) for key, _, _ in _HOW}
    none = sum(1 for r in report.rows if r.confirmed_none)
    verb = (
        ("written" if report.written else "unchanged" if not report.changed else "would write")
        if en
        else ("已写入" if report.written else "未变" if not report.changed else "将写入")
    )
    if en:
        parts = ", ".join(f"{counts[k]} {label}" for k, label, _ in _HOW)
        out.append(
            f"matched {parts}; {none} confirmed without counterpart; {len(report.unmatched)} unmatched (kept without "
            f"基本编码); {verb}: {report.target} ({report.kept_other_lists} entries of other lists kept)"
        )
    else:
        parts = ",".join(f"按{label} {counts[k]} 项" for k, _, label in _HOW)
        out.append(
            f"匹配:{parts};确认无对应 {none} 项;未匹配 {len(report.unmatched)} 项(已保留,无基本编码);"
            f"{verb} {report.target}(保留其他清单 {report.kept_other_lists} 项)"
        )
    return "\n".join(out) + "\n"


def render_json(report: LicenseImport, lang: Lang) -> str:
    doc = {
        "tool": "mattercli",
        "version": __version__,
        "command": NAME,
        "source": report.source,
        "list": report.list_name,
        "header_row": report.header_row,
        "target": report.target,
        "written": report.written,
        "rows": [
            {
                "row": r.row,
                "序号": r.number,
                "事项名称": r.name,
                "基本编码": r.code,
                "matched_by": r.matched_by,
                "confirmed_none": r.confirmed_none,
                "candidates": [{"基本编码": c.code, "事项名称": c.name, "score": c.score} for c in r.candidates],
            }
            for r in report.rows
        ],
        "unmatched": [r.row for r in report.unmatched],
        "problems": [
            {"row": p.row, "message": p.message_en if lang is Lang.en else p.message, "message_zh": p.message}
            for p in report.problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {Format.text: render_text, Format.json: render_json}


def _title(source: Path, sheet: str | None, header_row: int | None) -> str:
    """The list's name from the sheet's title row (「杭州市西湖区行政许可事项清单(2022年)(共210项)」), else the file name."""
    try:
        table = read_sheet(source, sheet, ("序号", "事项名称", "许可事项名称", "实施机关", "备注"), header_row)
    except SheetError as exc:
        raise UsageError(str(exc)) from exc
    for title in table.above:
        if "清单" in title:
            return _COUNT.sub("", title).strip()
    return source.stem


def command(
    source: Annotated[
        Path, typer.Argument(help="行政许可事项清单 XLSX 或 CSV / the published list", show_default=False)
    ],
    catalog: Annotated[Path, typer.Option("--catalog", help="事项目录根目录(默认当前目录)")] = Path("."),
    list_name: Annotated[
        str | None, typer.Option("--list", help="清单名称(默认取表格标题行) / the list's name")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="已确认的匹配(序号/事项名称 → 基本编码) / confirmed matches")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
    header_row: Annotated[int | None, typer.Option("--header-row", help="列名所在行(默认自动识别)", min=1)] = None,
    origin: Annotated[LicenseOrigin | None, typer.Option("--origin", help="设定类别(表中无分节标题时)")] = None,
    level: Annotated[
        list[Level] | None, typer.Option("--level", help="该清单事项的行使层级(可重复;表中无此列时)")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只报告,不写入 / report, write nothing")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式 / output format")] = Format.text,
    lang: LangOption = Lang.zh,
) -> int:
    """导入行政许可事项清单到 registry/license-list.yaml。 Import a published licence list as the reference list."""
    name = list_name or _title(source, sheet, header_row)
    try:
        report = import_license_list(
            source,
            catalog,
            name,
            mapping=mapping,
            sheet=sheet,
            header_row=header_row,
            origin=origin,
            levels=level or (),
            dry_run=dry_run,
        )
    except LicenseImportError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(RENDERERS[format](report, lang))
    return EXIT_FINDINGS if report.unmatched or report.problems else EXIT_OK
