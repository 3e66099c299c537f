"""`mattercli parquet`: the catalogue's matter and material tables as Parquet files (for DuckDB, Spark, Trino)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.gitio import GitError
from mattercli.cli.errors import EXIT_OK, UsageError
from mattercli.stats.model import StatsError
from mattercli.stats.parquet import MATERIALS_FILE, MATTERS_FILE, ParquetUnavailable, write_tables
from mattercli.stats.run import load_inputs

NAME = "parquet"


def command(
    path: Annotated[Path | None, typer.Argument(help="目录或其中的文件(默认: 当前目录)", show_default=False)] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help=f"输出文件夹({MATTERS_FILE}、{MATERIALS_FILE}) / output folder")
    ] = Path("parquet"),
    rev: Annotated[str | None, typer.Option("--rev", help="该 git 修订版本(默认: 工作区)")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数")] = 0,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="读写目录库存储(.mattercli-cache/) / use the catalogue store")
    ] = True,
) -> int:
    """把事项表和材料表写成 Parquet 文件(列见 docs/parquet.md),供 DuckDB / Spark / Trino 汇总多个目录。
    Write the matter and material tables as Parquet."""
    target = path or Path.cwd()
    if not target.exists():
        raise UsageError(f"路径不存在: {target}")
    if output.exists() and not output.is_dir():
        raise UsageError(f"输出路径不是文件夹: {output} / --output must be a folder")
    try:
        inputs = load_inputs(target, rev, None, [], jobs, with_head=True, use_cache=cache)
        source = {"label": inputs.current.label, "commit": inputs.current.commit, "head": inputs.current.head}
        written = write_tables(inputs.current_records, output, source)
    except (StatsError, GitError, ParquetUnavailable) as exc:
        raise UsageError(str(exc)) from exc
    for file in written:
        print(file, file=sys.stderr)
    skipped = inputs.skipped.get("current", ())
    if skipped:
        print(f"未写入 {len(skipped)} 个无法读取或不符合模式的文件 / files skipped: {len(skipped)}", file=sys.stderr)
    return EXIT_OK
