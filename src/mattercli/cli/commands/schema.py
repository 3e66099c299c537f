"""`mattercli schema`: write the JSON Schemas generated from the models, or check the committed ones."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.schema_files import stale_schemas, write_schemas
from mattercli.cli.errors import EXIT_FINDINGS

NAME = "schema"


def command(
    directory: Annotated[Path, typer.Argument(help="schemas 目录")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="只检查是否过期,过期则退出码 1")] = False,
) -> int:
    """由模型生成 JSON Schema(2020-12)。 Generate the JSON Schemas from the models."""
    if check:
        stale = stale_schemas(directory)
        for name in stale:
            sys.stderr.write(f"过期 / stale: {directory / name}(运行 mattercli schema {directory} 重新生成)\n")
        return EXIT_FINDINGS if stale else 0
    for name in write_schemas(directory):
        sys.stdout.write(f"已写入 {directory / name}\n")
    return 0
