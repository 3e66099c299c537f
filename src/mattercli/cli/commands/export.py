"""`mattercli export`: write the published lists (权责清单, 行政许可事项清单 …) from the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.gitio import GitError
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError, set_language
from mattercli.cli.options import Lang, LangOption
from mattercli.export import ExportFormat, ExportOptions, ExportResult, export_catalog
from mattercli.export.catalogue import default_jobs
from mattercli.export.formats import DEFAULT_FORMATS
from mattercli.export.formats.base import chinese_date, version_text
from mattercli.model.safetext import safe_lines

NAME = "export"


def _source_zh(result: ExportResult) -> str:
    source = result.source
    if source.draft or source.day is None:
        return "工作区(草稿:有未提交的修改)"
    return f"{version_text(source)},更新日期 {chinese_date(source.day)}"


def _source_en(result: ExportResult) -> str:
    source = result.source
    if source.draft or source.day is None:
        return "the work tree (a draft: uncommitted changes)"
    short = source.label[:7]
    return f"{source.tag} (commit {short})" if source.tag else f"commit {short}" + f" of {source.day.isoformat()}"


def _summary(result: ExportResult, lang: Lang) -> str:
    rows = sum(x.rows for x in result.lists)
    formats = ", ".join(f.value for f in result.formats)
    lines = []
    if lang is Lang.en:
        lines.append(
            f"exported {len(result.lists)} lists ({rows} rows) as {formats} to {result.output} "
            f"from {_source_en(result)}: {result.files} files in {result.seconds:.2f}s"
        )
        lines += [f"  {x.name}: {x.rows} rows" for x in result.lists]
        if result.kept:
            lines.append(
                f"merged into the export there: its {len(result.kept)} other lists kept (made again, same data)"
            )
        lines += ui.skipped_lines([(s.file, s.reason) for s in result.skipped], "en")
    else:
        lines.append(
            f"已导出 {len(result.lists)} 份清单(共 {rows} 行),格式 {formats},来源 {_source_zh(result)},"
            f"写入 {result.output}:{result.files} 个文件,用时 {result.seconds:.2f} 秒"
        )
        lines += [f"  {x.name}: {x.rows} 行" for x in result.lists]
        if result.kept:
            lines.append(f"已并入该目录中的已有导出: 保留其余 {len(result.kept)} 份清单(由同一数据重新生成)")
        lines += ui.skipped_lines([(s.file, s.reason) for s in result.skipped], "zh")
    return safe_lines(lines)


def _formats(formats: list[ExportFormat] | None, excel_csv: bool) -> tuple[ExportFormat, ...]:
    """The formats asked for; () when none was named (the default five — or, for -l into a previous export, its
    formats)."""
    excel = (ExportFormat.excel_csv,) if excel_csv else ()
    if formats:
        return (*formats, *excel)
    return (*DEFAULT_FORMATS, *excel) if excel else ()


def command(
    output: Annotated[Path, typer.Option("--output", "-o", help="导出目录(整体原子替换) / output directory")],
    path: Annotated[
        Path | None,
        typer.Argument(
            help="事项目录(默认: 配置的、当前所在的或仓库根目录下的 catalog/) / catalogue", show_default=False
        ),
    ] = None,
    lists: Annotated[
        list[str] | None, typer.Option("--list", "-l", help="只导出这些清单(可重复) / only these lists (repeatable)")
    ] = None,
    formats: Annotated[
        list[ExportFormat] | None,
        typer.Option("--format", "-f", help="导出格式(可重复,默认全部) / formats (repeatable; default all)"),
    ] = None,
    rev: Annotated[
        str | None, typer.Option("--rev", help="按 git 修订版本导出(不检出) / export as of a git revision")
    ] = None,
    definitions: Annotated[
        Path | None,
        typer.Option("--definitions", help="清单定义目录(默认: 目录下的 lists/) / list definitions folder"),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数 / worker processes")] = 0,
    excel_csv: Annotated[
        bool,
        typer.Option(
            "--excel-csv",
            help='另写 excel-csv/:用电子表格打开时编码仍为文本(="…")的 CSV(同 -f excel-csv) / '
            "also a CSV that keeps codes as text in a spreadsheet",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="有事项文件因错误被跳过时退出码为 1 / exit 1 when files were skipped")
    ] = False,
    lang: LangOption = Lang.zh,
) -> int:
    """由事项目录生成公布的清单(CSV/XLSX/JSON/Markdown/HTML)。 Export the published lists."""
    set_language(lang.value)  # errors too: --lang en reports them in English
    location = ui.catalogue(None, [path] if path is not None else [])
    options = ExportOptions(
        path=location.root,
        output=output,
        lists=lists or (),
        formats=_formats(formats, excel_csv),
        rev=rev,
        definitions=definitions,
        jobs=jobs or default_jobs(),
    )
    stages = {"read": "读取事项", "lists": "写出清单", "pages": "写出事项网页"}
    try:
        with ui.progress_bars() as update:
            options.progress = lambda stage, done, total: update(stages[stage], done, total)
            result = export_catalog(options)
    except GitError as exc:
        raise UsageError(str(exc), exc.en) from exc
    sys.stdout.write(_summary(result, lang))
    return EXIT_FINDINGS if strict and result.skipped else EXIT_OK
