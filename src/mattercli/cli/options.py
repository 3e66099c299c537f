"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="消息语言 / message language: zh | en")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出 / write to a file instead of stdout")
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="要校验的文件或目录(默认: 当前目录所在目录) / files or folders", show_default=False),
]
