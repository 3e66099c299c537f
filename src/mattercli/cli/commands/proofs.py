"""`mattercli proofs`: candidates for the proof clean-up — duplicate, circular, shareable and baseless proofs."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from mattercli.catalogue.catalog import find_root
from mattercli.catalogue.fsutil import atomic_write_bytes
from mattercli.catalogue.gitio import GitError
from mattercli.catalogue.snapshot import GitSnapshot, open_snapshot
from mattercli.catalogue.store import STORE_DIR, Store
from mattercli.check.config import load_config
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.cli.proof_reporters import ALL_RENDERERS, DEFAULT_LIMIT, TextRenderer
from mattercli.cli.proof_subcommands import lists_command, pledge_command
from mattercli.proofs.formats import ProofFormat, Renderer
from mattercli.proofs.index import record_cache
from mattercli.proofs.run import ProofOptions, Section, analyse

NAME = "proofs"
#: `mattercli proofs lists` (the 司法局's three lists) and `mattercli proofs pledge` (告知承诺书), cli/__init__.py.
SUBCOMMANDS = {"lists": lists_command, "pledge": pledge_command}
PROGRESS_MIN_FILES = 500


def _default_jobs() -> int:
    from mattercli.check.engine import default_jobs

    return default_jobs()


def command(
    path: Annotated[Path | None, typer.Argument(help="目录或其中的文件(默认: 当前目录)", show_default=False)] = None,
    kind: Annotated[
        list[Section] | None,
        typer.Option("--kind", "-k", help="只做这些分析(可重复) / only these analyses (repeatable)"),
    ] = None,
    rev: Annotated[str | None, typer.Option("--rev", help="分析该 git 修订版本(默认: 工作区) / git revision")] = None,
    format: Annotated[
        ProofFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式(默认: 由 --output 的后缀决定,否则 text) / output format (default: from the --output suffix)",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.5, max=1.0, help="名称相似度阈值 / name similarity threshold"),
    ] = 0.8,
    several_matters: Annotated[
        int | None,
        typer.Option(
            "--several-matters",
            min=2,
            help="名称一致但被至少 N 个事项索要的证明也列为重复证明 / also report a proof asked by ≥ N matters",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="终端输出每项最多列出的位置数 / places listed per finding")
    ] = DEFAULT_LIMIT,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数 / worker processes")] = 0,
    use_cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help=f"缓存每个文件读取的结果({STORE_DIR}/),再次运行只解析改动的文件 / reuse per-file results",
        ),
    ] = True,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="在终端显示进度条")] = True,
    lang: LangOption = Lang.zh,
) -> int:
    """证明材料清理:找出重复证明、循环证明、可通过数据共享取得的证明、无设定依据的证明和证明事项审查问题,并列出每一处出现位置。
    Find duplicate, circular, shareable and baseless proofs, and the 司法局 review's problems."""
    format = output_format(ProofFormat, format, output, ProofFormat.text)
    target = ui.catalogue(None, [path] if path is not None else []).root
    if format is ProofFormat.xlsx and output is None:
        raise UsageError("--format xlsx 需要 --output FILE")
    options = ProofOptions(
        sections=frozenset(kind or Section),
        threshold=threshold,
        several_matters=several_matters,
        jobs=jobs or _default_jobs(),
        review=load_config(target).config.proof_rules.review_options(),
    )
    try:
        snapshot = open_snapshot(target, rev)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    with ui.progress_bars(progress, PROGRESS_MIN_FILES) as update:

        def on_progress(done: int, total: int) -> None:
            update("读取事项", done, total)

        cache = record_cache(Store(find_root(target))) if use_cache else None
        try:
            report = analyse(snapshot, options, progress=on_progress, cache=cache)
        finally:
            if cache is not None:
                cache.close()
            if isinstance(snapshot, GitSnapshot):
                snapshot.repo.close()
    renderer: Renderer
    if format is ProofFormat.text:
        color = output is None and ui.use_color()
        renderer = TextRenderer(lang.value, color=color, width=None if color else 160, limit=limit)
    else:
        renderer = ALL_RENDERERS[format](lang.value)
    if output is not None:
        atomic_write_bytes(output, renderer.render(report))
    elif (stdout := _utf8_stdout()) is not None:
        sys.stdout.flush()
        renderer.write(report, stdout)  # streamed: the JSON of a large catalogue is never held whole
        stdout.flush()
    else:
        sys.stdout.write(renderer.render(report).decode("utf-8"))
    return EXIT_FINDINGS if report.has_findings else EXIT_OK


def _utf8_stdout() -> BinaryIO | None:
    """Standard output's byte stream when it takes UTF-8 (the renderers' encoding), else None."""
    buffer = getattr(sys.stdout, "buffer", None)
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "").name == "utf-8"
    except LookupError:
        utf8 = False
    return buffer if utf8 else None
