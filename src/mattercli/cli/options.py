"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

E = TypeVar("E", bound=Enum)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="消息语言 / message language: zh | en")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出 / write to a file instead of stdout")
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATHS",
        help="要校验的文件或目录(默认: 找到的事项目录,见 README「Which catalogue」) / files or folders",
        show_default=False,
    ),
]
FmtPathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATHS",
        help="要格式化的文件或目录(默认: 找到的事项目录) / files or folders to format",
        show_default=False,
    ),
]

#: What a file name's suffix says its content is (the format names of the commands' --format enums).
SUFFIX_FORMAT_NAMES = {
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".sarif": "sarif",
    ".xml": "junit",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".txt": "text",
}
PLAIN_TEXT = frozenset({"text", "table"})


def output_format(choices: type[E], given: E | None, output: Path | None, default: E) -> E:
    """The format to write: --format, else what --output's suffix names (`-o s.csv` is CSV), else `default`. A
    suffix that names another format than --format, or one the command cannot write, is exit 2 — never terminal
    text in a file called .xlsx."""
    from mattercli.cli.errors import UsageError

    implied_name = SUFFIX_FORMAT_NAMES.get(output.suffix.lower()) if output is not None else None
    values = {m.value: m for m in choices}
    if implied_name in PLAIN_TEXT:
        implied_name = default.value if default.value in PLAIN_TEXT else implied_name
    implied = values.get(implied_name) if implied_name is not None else None
    names = " ".join(values)
    if output is not None and implied_name is not None and implied is None:
        raise UsageError(
            f"--output {output}: 后缀 {output.suffix} 表示 {implied_name} 格式,本命令不能写(可用 --format: {names})"
            f" / this command cannot write {implied_name}"
        )
    if given is not None:
        if implied is not None and implied is not given:
            raise UsageError(
                f"--format {given.value} 与 --output {output} 的后缀({implied.value})矛盾 / format and suffix disagree"
            )
        return given
    return implied or default
