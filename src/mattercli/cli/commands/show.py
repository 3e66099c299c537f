"""`mattercli show CODE [--rev REV]`: a matter's YAML as of a revision, found by its code, read from git."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.gitio import WORKTREE, GitError
from mattercli.cli import ui
from mattercli.cli.commands.diff import CatalogOption
from mattercli.cli.errors import UsageError
from mattercli.cli.options import SUFFIX_FORMAT_NAMES, OutputOption
from mattercli.diff.history import matter_text
from mattercli.model.safetext import terminal_safe

NAME = "show"


def command(
    code: Annotated[str, typer.Argument(help="事项编码(实施编码或基本编码) / matter code")],
    rev: Annotated[
        str | None, typer.Option("--rev", help="版本(默认: 工作区) / revision (default: the work tree)")
    ] = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    with_path: Annotated[
        bool, typer.Option("--path", help="先输出文件路径一行(# 注释) / print the file path first, as a comment")
    ] = False,
) -> int:
    """输出某个版本中一个事项的 YAML(按编码查找文件)。 Print a matter's YAML as of a revision."""
    if output is not None:
        implied = SUFFIX_FORMAT_NAMES.get(output.suffix.lower())
        if implied not in (None, "yaml", "text"):
            raise UsageError(f"--output {output}: show 只输出事项的 YAML,后缀 {output.suffix} 不符 / show writes YAML")
    try:
        shown = matter_text(ui.catalogue(catalog).root, code.strip(), rev or WORKTREE)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    text = (f"# {shown.label}: {shown.file}\n" if with_path else "") + shown.text
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(terminal_safe(text, keep_newlines=True))
    return 0
