"""`mattercli diff [A] [B]`: what a change does to the catalogue, as reform actions (新增, 取消, 下放, 上收, 合并,
拆分, 更名, 调整) and element changes — between two git revisions, or a revision and the work tree."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.gitio import WORKTREE, GitError, GitRepo
from mattercli.cli import ui
from mattercli.cli.diff_reporters import DIFF_REPORTERS, DiffFormat, describe_element
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.diff.compare import CatalogDiff, diff_revisions
from mattercli.diff.requests import build_requests, write_requests
from mattercli.model.safetext import terminal_safe

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
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="--format request: 调整缺少依据或理由、取消/下放缺少监管措施时以退出码 1 结束 / "
            "exit 1 when a change lacks its 依据/理由, or a 取消/下放 its 监管措施",
        ),
    ] = False,
) -> int:
    """比对两个版本的事项目录,按改革动作分类:新增、取消、下放、上收、合并、拆分、更名、调整。 Semantic diff."""
    format = output_format(DiffFormat, format, output, DiffFormat.text)
    old, new, paths = revision_range(old, new, paths or [])
    root = ui.catalogue(catalog).root
    try:
        old_rev = merge_base_of(root, old or "HEAD")
        result = diff_revisions(root, old_rev, new or WORKTREE)
        if paths:
            result = limit_to_paths(result, root, paths)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    if format is DiffFormat.request:
        return _requests(root, old_rev, new or WORKTREE, result, output, strict, lang)
    if strict:
        raise UsageError("--strict 只用于 --format request / --strict goes with --format request")
    color = output is None and format is DiffFormat.text and ui.use_color()
    text = DIFF_REPORTERS[format](lang=lang.value, color=color).render(result)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if exit_code and result.differs else EXIT_OK


def _requests(
    path: Path, old: str, new: str, result: CatalogDiff, output: Path | None, strict: bool, lang: Lang
) -> int:
    """Write the change requests into the directory `output`; report what was written and what is missing."""
    if output is None:
        raise UsageError("--format request 需要 --output 目录 / --format request needs --output DIR")
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} 不是目录 / is not a directory")
    requests = build_requests(path, result, old, new, lambda e: describe_element(e, "zh"))
    written = write_requests(requests, output)
    en = lang is Lang.en
    for file in written:
        sys.stdout.write(terminal_safe(f"{'wrote' if en else '已写入'} {file}") + "\n")
    problems = requests.problems()
    for problem in problems:
        prefix = ("error" if strict else "warning") if en else ("错误" if strict else "警告")
        sys.stderr.write(terminal_safe(f"{prefix}: {problem.message(lang.value)}") + "\n")
    rows = len(requests.rows)
    if en:
        sys.stdout.write(f"{rows} changes, {len(requests.mapping)} code mapping rows, {len(problems)} incomplete\n")
    else:
        sys.stdout.write(
            f"调整 {rows} 项,编码对照 {len(requests.mapping)} 行,缺少依据/理由/监管措施 {len(problems)} 项\n"
        )
    return EXIT_FINDINGS if strict and problems else EXIT_OK
