"""`mattercli validate`: check catalogue files against the schema and every rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, PathsArgument
from mattercli.cli.reporters import REPORTERS, ReportFormat
from mattercli.findings import FailOn, Severity
from mattercli.fsutil import atomic_write_text
from mattercli.validation import ValidateOptions, default_jobs, validate

PROGRESS_MIN_FILES = 500


NAME = "validate"


def command(
    paths: PathsArgument = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = ReportFormat.text,
    output: OutputOption = None,
    lang: LangOption = Lang.zh,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="达到该严重程度即以退出码 1 结束 / lowest severity that fails")
    ] = FailOn.ERROR,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数 / worker processes")] = 0,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="停用规则(可重复) / turn a rule off (repeatable)")
    ] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="在终端显示进度条")] = True,
) -> int:
    """校验事项目录:结构、编码、同码同源、只减不增、名录引用……报告全部问题。 Validate a catalogue."""
    options = ValidateOptions(jobs=jobs or default_jobs())
    unknown = [r for r in disable or [] if r not in options.registry]
    if unknown:
        raise UsageError(f"未知规则: {', '.join(unknown)}(用 `mattercli rules` 查看全部规则)")
    options.disabled = frozenset(disable or [])
    show_bar = progress and sys.stderr.isatty()
    with Progress(
        TextColumn("[bold]校验中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=not show_bar,
        console=None,
    ) as bar:
        task = bar.add_task("validate", total=None)

        def on_progress(done: int, total: int) -> None:
            if total >= PROGRESS_MIN_FILES:
                bar.update(task, completed=done, total=total)

        report = validate(paths or [Path.cwd()], options, progress=on_progress)
    color = output is None and format is ReportFormat.text and sys.stdout.isatty()
    text = REPORTERS[format](lang=lang.value, color=color).render(report)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if report.failed(fail_on) else EXIT_OK


__all__ = ["NAME", "Severity", "command"]
