"""`mattercli diff [A] [B]`: what a change does to the catalogue, as reform actions (新增, 取消, 下放, 上收, 合并,
拆分, 更名, 调整) and element changes — between two git revisions, or a revision and the work tree."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.cli import ui
from mattercli.cli.diff_reporters import DIFF_REPORTERS, DiffFormat
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.diff import CatalogDiff, diff_revisions
from mattercli.fsutil import atomic_write_text
from mattercli.gitio import WORKTREE, GitError, GitRepo

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


def revision_range(old: str | None, new: str | None, paths: list[str]) -> tuple[str | None, str | None, list[str]]:
    """git's ways of naming two versions: `A B`, `A..B`, `A...B` (from the merge base), `A..` (A to HEAD); and paths
    after the revisions (`diff HEAD~1 -- impl/330106`)."""
    rest = list(paths)
    if new is not None and ".." not in (old or "") and Path(new).exists():
        rest.insert(0, new)  # `diff HEAD~1 -- impl`: click fills the second revision with the first path
        new = None
    if old is not None and ".." in old:
        if new is not None:
            rest.insert(0, new)
        left, dots, right = old.partition("...") if "..." in old else old.partition("..")
        old, new = left or "HEAD", right or "HEAD"
        if dots == "...":
            old = f"{old}...{new}"  # from the merge base, resolved by merge_base_of
    return old, new, rest


def merge_base_of(root: Path, old: str) -> str:
    """`A...B` (as git diff reads it): the merge base of A and B."""
    if "..." not in old:
        return old
    left, _dots, right = old.partition("...")
    with GitRepo(root) as repo:
        return repo.merge_base(left, right)


def limit_to_paths(result: CatalogDiff, root: Path, paths: list[str]) -> CatalogDiff:
    """The diff of the matter files under `paths` (catalogue-relative, or relative to the current folder)."""
    prefixes = []
    for raw in paths:
        candidate = Path(raw)
        absolute = candidate if candidate.is_absolute() else Path.cwd() / candidate
        try:
            rel = absolute.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = raw.strip("/")
        prefixes.append("" if rel == "." else rel)

    def keep(file: str | None) -> bool:
        return file is not None and any(not p or file == p or file.startswith(p.rstrip("/") + "/") for p in prefixes)

    changes = tuple(c for c in result.changes if any(keep(r.file) for r in (*c.old, *c.new)))
    return dataclasses.replace(
        result,
        changes=changes,
        moves=tuple(m for m in result.moves if keep(m.old_file) or keep(m.new_file)),
        other_files=tuple(o for o in result.other_files if keep(o[1])),
        problems=tuple(p for p in result.problems if keep(p.file)),
        files_changed=len({r.file for c in changes for r in (*c.old, *c.new) if keep(r.file)}),
    )


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
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[-- PATHS...]",
            help="只比对这些文件或目录(写在 -- 之后,如 git) / only these files or folders (after --, as in git)",
            show_default=False,
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
    old, new, paths = revision_range(old, new, paths or [])
    root = ui.catalogue(catalog).root
    try:
        result = diff_revisions(root, merge_base_of(root, old or "HEAD"), new or WORKTREE)
        if paths:
            result = limit_to_paths(result, root, paths)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    color = output is None and format is DiffFormat.text and ui.use_color()
    text = DIFF_REPORTERS[format](lang=lang.value, color=color).render(result)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if exit_code and result.differs else EXIT_OK
