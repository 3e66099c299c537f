"""`mattercli log CODE`: every commit that changed one matter, classified as reform actions, following renames
and lineage (原事项编码, 合并自, 拆分自) — 全程留痕、过往可溯."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.gitio import GitError
from mattercli.cli import ui
from mattercli.cli.commands.diff import CatalogOption
from mattercli.cli.errors import UsageError
from mattercli.cli.log_reporters import LOG_REPORTERS, LogFormat
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.diff.history import matter_history

NAME = "log"


def command(
    code: Annotated[str, typer.Argument(help="事项编码(实施编码或基本编码) / matter code")],
    rev: Annotated[str, typer.Option("--rev", help="从哪个版本往前追溯 / start from this revision")] = "HEAD",
    catalog: CatalogOption = None,
    format: Annotated[
        LogFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式(默认: 由 --output 的后缀决定,否则 text) / output format (default: from the --output suffix)",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = Lang.zh,
) -> int:
    """一个事项的变更历史:每次提交的作者、时间和改革动作,跟随改名与沿革编码。 History of one matter."""
    format = output_format(LogFormat, format, output, LogFormat.text)
    try:
        history = matter_history(ui.catalogue(catalog).root, code.strip(), rev)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    if history.file is None and not history.entries:
        raise UsageError(f"{history.label} 及其历史中没有编码为 {code} 的事项 / no matter {code} in the history")
    color = output is None and format is LogFormat.text and ui.use_color()
    text = LOG_REPORTERS[format](lang=lang.value, color=color).render(history)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    return 0
