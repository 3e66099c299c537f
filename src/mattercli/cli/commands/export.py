"""`mattercli export`: write the published lists (权责清单, 行政许可事项清单 …) from the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.gitio import GitError
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption
from mattercli.export import ExportFormat, ExportOptions, ExportResult, export_catalog
from mattercli.export.catalogue import default_jobs
from mattercli.model.safetext import safe_lines

NAME = "export"


def _summary(result: ExportResult, lang: Lang) -> str:
    rows = sum(x.rows for x in result.lists)
    formats = ", ".join(f.value for f in result.formats)
    lines = []
    if lang is Lang.en:
        lines.append(
            f"exported {len(result.lists)} lists ({rows} rows) as {formats} to {result.output} "
            f"from {result.source.label}: {result.files} files in {result.seconds:.2f}s"
        )
        lines += [f"  {x.name}: {x.rows} rows" for x in result.lists]
        lines += ui.skipped_lines([(s.file, s.reason) for s in result.skipped], "en")
    else:
        lines.append(
            f"已导出 {len(result.lists)} 份清单(共 {rows} 行),格式 {formats},来源 {result.source.label},"
            f"写入 {result.output}:{result.files} 个文件,用时 {result.seconds:.2f} 秒"
        )
        lines += [f"  {x.name}: {x.rows} 行" for x in result.lists]
        lines += ui.skipped_lines([(s.file, s.reason) for s in result.skipped], "zh")
    return safe_lines(lines)


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
    strict: Annotated[
        bool, typer.Option("--strict", help="有事项文件因错误被跳过时退出码为 1 / exit 1 when files were skipped")
    ] = False,
    lang: LangOption = Lang.zh,
) -> int:
    """由事项目录生成公布的清单(CSV/XLSX/JSON/Markdown/HTML)。 Export the published lists."""
    location = ui.catalogue(None, [path] if path is not None else [])
    options = ExportOptions(
        path=location.root,
        output=output,
        lists=lists or (),
        formats=formats or tuple(ExportFormat),
        rev=rev,
        definitions=definitions,
        jobs=jobs or default_jobs(),
    )
    try:
        result = export_catalog(options)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(_summary(result, lang))
    return EXIT_FINDINGS if strict and result.skipped else EXIT_OK
