"""`mattercli import`: matters from an XLSX or CSV sheet into catalogue files, through the canonical formatter."""

from __future__ import annotations

import difflib
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mattercli import __version__
from mattercli.catalogue.catalog import CatalogError
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption
from mattercli.edit.importer import (
    ClaimOptions,
    ClaimReportError,
    ImportReport,
    MappingError,
    SheetError,
    builtin_mappings,
    import_sheet,
    load_mapping,
    read_choices,
)
from mattercli.edit.importer.case_volumes import import_case_volumes
from mattercli.edit.importer.claim import DEFAULT_THRESHOLD
from mattercli.model.safetext import safe_lines

NAME = "import"


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


_STATUS = {
    "new": ("新建", "new", "将新建", "would create"),
    "changed": ("更新", "updated", "将更新", "would update"),
    "unchanged": ("未变", "unchanged", "未变", "unchanged"),
}


def render_text(report: ImportReport, lang: Lang) -> str:
    en = lang is Lang.en
    out = []
    encoding = f" ({report.encoding})" if report.encoding else ""
    if en:
        out.append(f"read {report.source}{encoding}: header on row {report.header_row}, {report.rows} data rows")
    else:
        out.append(f"读取 {report.source}{encoding}:列名在第 {report.header_row} 行,数据 {report.rows} 行")
    for problem in report.problems:
        message = problem.message_en if en else problem.message
        out.append(f"{problem.where(lang.value)}: {message}")
    for item in report.files:
        if item.status == "unchanged":
            continue
        labels = _STATUS[item.status]
        verb = labels[1 if en else 0] if report.written else labels[3 if en else 2]
        rows = ", ".join(map(str, item.rows))
        out.append(f"{verb}: {item.file}" + (f" (row {rows})" if en else f"(第 {rows} 行)"))
        if not report.written:
            out.extend(_preview(item.text, item.old_text, item.file).split("\n"))
    for pending in report.pending[:PENDING_SHOWN]:
        best = pending.candidates[0] if pending.candidates else None
        if en:
            hint = f"best {best.candidate.code} {best.candidate.name} ({best.score:.2f})" if best else "no candidate"
            out.append(f"{pending.sheet} row {pending.row}: 「{pending.name}」 left for claiming: {hint}")
        else:
            hint = f"最佳候选 {best.candidate.code} {best.candidate.name}({best.score:.2f})" if best else "无候选"
            out.append(f"{pending.sheet} 第 {pending.row} 行「{pending.name}」待认领: {pending.reason};{hint}")
    if len(report.pending) > PENDING_SHOWN:
        more = len(report.pending) - PENDING_SHOWN
        out.append(f"… {more} more rows left for claiming" if en else f"…… 另有 {more} 行待认领(见认领报告)")
    new, changed, same = report.count("new"), report.count("changed"), report.count("unchanged")
    if en:
        line = f"{new} new, {changed} updated, {same} unchanged, {report.failed_rows} rows not imported"
        if report.claimed or report.chosen or report.pending:
            line += (
                f"; claimed {report.claimed}, from the report {report.chosen}, left for claiming {len(report.pending)}"
            )
    else:
        line = f"新建 {new} 个,更新 {changed} 个,未变 {same} 个,无法导入 {report.failed_rows} 行"
        if report.claimed or report.chosen or report.pending:
            line += f";自动认领 {report.claimed} 行,按报告认领 {report.chosen} 行,待认领 {len(report.pending)} 行"
    out.append(line)
    if report.claim_report:
        written = report.written
        if en:
            out.append(f"claim report {'written to' if written else 'would be written to'} {report.claim_report}")
        else:
            out.append(
                f"认领报告{'已写入' if written else '将写入'} {report.claim_report}(填写「选定基本编码」列后用 --claims 重新导入)"
            )
    return safe_lines(out)


#: Pending claims listed in the text output (all are in the report and in JSON).
PENDING_SHOWN = 10


def _preview(text: str, old: str | None, name: str) -> str:
    if old is None:
        return "".join(f"    {line}" for line in text.splitlines(keepends=True)).rstrip("\n")
    diff = difflib.unified_diff(old.splitlines(keepends=True), text.splitlines(keepends=True), name, name)
    return "".join(f"    {line}" for line in diff).rstrip("\n")


def render_json(report: ImportReport, lang: Lang) -> str:
    doc = {
        "tool": "mattercli",
        "version": __version__,
        "command": "import",
        "source": report.source,
        "encoding": report.encoding,
        "header_row": report.header_row,
        "dry_run": not report.written,
        "summary": {
            "rows": report.rows,
            "new": report.count("new"),
            "changed": report.count("changed"),
            "unchanged": report.count("unchanged"),
            "failed_rows": report.failed_rows,
            "claimed": report.claimed,
            "chosen": report.chosen,
            "pending": len(report.pending),
        },
        "claim_report": report.claim_report,
        "pending": [
            {
                "sheet": p.sheet,
                "row": p.row,
                "name": p.name,
                "department": p.department,
                "local_code": p.local_code,
                "reason": p.reason,
                "candidates": [
                    {"code": c.candidate.code, "name": c.candidate.name, "score": c.score} for c in p.candidates
                ],
            }
            for p in report.pending
        ],
        "files": [{"file": f.file, "status": f.status, "code": f.code, "rows": list(f.rows)} for f in report.files],
        "problems": [
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "header": p.header,
                "message": p.message_en if lang is Lang.en else p.message,
                "message_zh": p.message,
                "message_en": p.message_en,
            }
            for p in report.problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {ImportFormat.text: render_text, ImportFormat.json: render_json}


def command(
    source: Annotated[Path, typer.Argument(help="XLSX 或 CSV 文件 / the sheet to import", show_default=False)],
    mapping: Annotated[
        str | None,
        typer.Option("--mapping", "-m", help=f"映射文件,或内置映射名: {', '.join(builtin_mappings())}"),
    ] = None,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            metavar="DIR",
            help="事项目录(默认: 配置的、当前所在的或仓库根目录下的 catalog/;都没有则当前目录) / catalogue folder",
            show_default=False,
        ),
    ] = None,
    materials: Annotated[
        Path | None, typer.Option("--materials", help="材料表文件(CSV 导入时) / materials sheet")
    ] = None,
    case_volumes: Annotated[
        bool,
        typer.Option(
            "--case-volumes",
            help="导入办件量表(列: 实施编码、年度、办件量)到 registry/case-volumes.yaml / import case volumes",
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容 / show, write nothing")] = False,
    format: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = ImportFormat.text,
    lang: LangOption = Lang.zh,
    formula_values: Annotated[
        bool,
        typer.Option(
            "--formula-values", help="XLSX 公式单元格导入 Excel 显示的结果(默认报告公式)/ take formulas' shown results"
        ),
    ] = False,
    claim: Annotated[
        bool,
        typer.Option("--claim", help="认领:没有全国基本编码的行按名称和部门匹配基本目录事项 / claim base entries"),
    ] = False,
    claims: Annotated[
        Path | None,
        typer.Option("--claims", help="已填写的认领报告(XLSX/CSV),按其中的选定基本编码导入 / a filled-in report"),
    ] = None,
    claim_threshold: Annotated[
        float,
        typer.Option("--claim-threshold", min=0.5, max=1.0, help="自动认领的最低得分 / score to claim without asking"),
    ] = DEFAULT_THRESHOLD,
    claim_report: Annotated[
        Path | None,
        typer.Option("--claim-report", help="认领报告写到哪里(默认与表格同目录: 表名-认领.xlsx)/ report path"),
    ] = None,
) -> int:
    """从 Excel/CSV 表格导入事项(列 → 要素映射,值翻译;--claim 认领基本目录事项;--case-volumes 导入办件量)。
    Import matters from a spreadsheet."""
    if case_volumes:
        if mapping is not None or claim or claims is not None:
            raise UsageError("--case-volumes 不用 --mapping 或认领选项(列固定为 实施编码、年度、办件量)")
        return _import_volumes(source, catalog, dry_run, format, lang)
    if mapping is None:
        raise UsageError("缺少 --mapping(导入办件量请用 --case-volumes) / --mapping is required")
    options = None
    if claim or claims is not None:
        try:
            choices = read_choices(claims) if claims is not None else {}
        except ClaimReportError as exc:
            raise UsageError(str(exc)) from exc
        report_path = claim_report or source.with_name(f"{source.stem}-认领.xlsx")
        options = ClaimOptions(claim_threshold, choices, report_path)
    try:
        loaded_mapping = load_mapping(mapping)
    except MappingError as exc:
        raise UsageError(str(exc)) from exc
    if not source.is_file():
        raise UsageError(f"文件不存在 / no such file: {source}")
    if catalog is None:
        try:
            catalog = ui.catalogue().root
        except CatalogError:
            catalog = Path.cwd()  # no catalogue anywhere: the import starts one here
    try:
        report = import_sheet(source, loaded_mapping, catalog, dry_run=dry_run, materials_file=materials, claim=options)
    except (MappingError, SheetError) as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(RENDERERS[format](report, lang))
    return EXIT_FINDINGS if report.problems or report.pending else EXIT_OK


def _import_volumes(source: Path, catalog: Path | None, dry_run: bool, format: ImportFormat, lang: Lang) -> int:
    if not source.is_file():
        raise UsageError(f"文件不存在 / no such file: {source}")
    root = catalog if catalog is not None else ui.catalogue().root
    try:
        result = import_case_volumes(source, root, dry_run=dry_run)
    except SheetError as exc:
        raise UsageError(str(exc)) from exc
    if format is ImportFormat.json:
        doc = {
            "tool": "mattercli",
            "version": __version__,
            "command": "import",
            "kind": "case-volumes",
            "source": result.source,
            "file": result.file,
            "dry_run": dry_run,
            "summary": {
                "rows": result.rows,
                "imported": result.imported,
                "failed_rows": len({p.row for p in result.problems}),
            },
            "changed": result.changed,
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in result.problems],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        en = lang is Lang.en
        lines = [f"{p.where(result.source)}: {p.message}" for p in result.problems]
        if result.written:
            lines.append(f"{'updated' if en else '已写入'}: {result.file}")
        elif result.changed and dry_run:
            lines.append(f"{'would update' if en else '将写入'}: {result.file}")
            lines += [f"    {line}" for line in result.text.splitlines()]
        lines.append(
            f"{result.imported} of {result.rows} rows imported"
            if en
            else f"导入 {result.imported}/{result.rows} 行办件量" + ("" if result.changed else "(名录未变)")
        )
        sys.stdout.write(safe_lines(lines))
    return EXIT_FINDINGS if result.problems else EXIT_OK
