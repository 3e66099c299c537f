"""`--help` that reads well at 80 columns: Chinese text wrapped by display width (a CJK character takes two
columns; click counts it as one and overruns the line), and metavars in the usual CLI style (FILE, N, TEXT,
[a|b]) instead of typer's Python types (`<list[Path]>`, `<int range>`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import typer.core
from typer import _click as click  # typer carries its own copy of click

_TYPE_WORDS = {"path": "PATH", "Path": "PATH", "str": "TEXT", "text": "TEXT", "int": "N", "int range": "N",
               "float": "NUMBER", "float range": "NUMBER", "bool": ""}  # fmt: skip


def plain_metavar(shown: str) -> str:
    """typer's `<list[Path]>` -> `PATH`, `<int range>` -> `N`, `<zh|en>` -> `[zh|en]`."""
    match = re.fullmatch(r"<(.*)>(\.\.\.)?", shown)
    if match is None:
        return shown
    inner, dots = match.group(1), match.group(2) or ""
    listed = re.fullmatch(r"list\[(.*)\]", inner)
    if listed is not None:
        inner = listed.group(1)
    if inner in _TYPE_WORDS:
        word = _TYPE_WORDS[inner]
    elif "|" in inner:
        word = f"[{inner}]"
    else:
        word = inner.upper()
    return word + dots


_original_display_type = typer.core._TyperParameter.display_type


def _display_type(self: Any, ctx: click.Context) -> str:
    if self.param_type_name == "argument" and self.metavar:
        return ""  # the metavar (PATHS) says it already
    return plain_metavar(_original_display_type(self, ctx))


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, limit: int) -> list[str]:
    """Wrap by display width: at spaces for Latin text, between any two characters for Chinese."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(r"[ ]+|[^\sㄱ-\U0010ffff]+|.", paragraph):
            if token.isspace():
                if line and width(line) + 1 <= limit:
                    line += " "
                continue
            if line and width(line) + width(token) > limit:
                lines.append(line.rstrip())
                line = ""
            line += token
        lines.append(line.rstrip())
    return lines


class HelpFormatter(click.HelpFormatter):
    """click's formatter, measuring display width."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 20)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((width(r[0]) for r in rows), default=0), col_max)
        for term, definition in rows:
            self.write(" " * self.current_indent + term)
            start = self.current_indent + first + col_spacing
            room = max(self.width - start, 20)
            lines = wrap(definition, room) if definition else []
            if not lines:
                self.write("\n")
                continue
            if width(term) <= first:
                self.write(" " * (first - width(term) + col_spacing))
            else:
                self.write("\n" + " " * start)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * start + line + "\n")


def install() -> None:
    """Use the formatter and metavars for every command of the app (called when the app is built)."""
    typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]
    click.Context.formatter_class = HelpFormatter
