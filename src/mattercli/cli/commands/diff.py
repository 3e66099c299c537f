"""`mattercli diff [A] [B]`: what a change does to the catalogue, as reform actions (新增, 取消, 下放, 上收, 合并,
拆分, 更名, 调整) and element changes — between two git revisions, or a revision and the work tree."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.cli import ui
from mattercli.cli.diff_reporters import DIFF_REPORTERS, DiffFormat
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.diff import diff_revisions
from mattercli.fsutil import atomic_write_text
from mattercli.gitio import WORKTREE, GitError

NAME = "diff"

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        metavar="DIR",
        help="事项目录(默认: 配置的 catalog、当前所在目录或仓库根目录下的 catalog/) / catalogue folder",
        show_default=False,
    ),
]


def command(
    old: Annotated[
        str | None, typer.Argument(help="旧版本: 提交、分支或标签(默认 HEAD) / old revision", show_default=False)
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(
            help=f"新版本(默认: 工作区,也可写 {WORKTREE}) / new revision (default: work tree)", show_default=False
        ),
    ] = None,
    catalog: CatalogOption = None,
    format: Annotated[
        DiffFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式(默认: 由 --output 的后缀决定,否则 text) / output format (default: from the --output suffix)",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = Lang.zh,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="有差异时以退出码 1 结束 / exit 1 when there are differences")
    ] = False,
) -> int:
    """比对两个版本的事项目录,按改革动作分类:新增、取消、下放、上收、合并、拆分、更名、调整。 Semantic diff."""
    format = output_format(DiffFormat, format, output, DiffFormat.text)
    try:
        result = diff_revisions(ui.catalogue(catalog).root, old or "HEAD", new or WORKTREE)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    color = output is None and format is DiffFormat.text and ui.use_color()
    text = DIFF_REPORTERS[format](lang=lang.value, color=color).render(result)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if exit_code and result.differs else EXIT_OK
