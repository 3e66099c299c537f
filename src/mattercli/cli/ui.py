"""Terminal conventions every command shares: -q/-v, NO_COLOR, notes and progress on standard error, and the one
way a command finds its catalogue (and says which one it used when the user did not name it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from mattercli.locate import CatalogLocation, locate_catalog
from mattercli.safetext import terminal_safe


@dataclass
class Verbosity:
    quiet: bool = False
    verbose: int = 0


STATE = Verbosity()

QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="只输出结果,不输出提示与进度 / results only, no notes or progress")
]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="输出更多说明(可重复) / more detail (repeatable)")
]


def set_verbosity(quiet: bool, verbose: int) -> None:
    STATE.quiet = quiet
    STATE.verbose = 0 if quiet else verbose


def note(message: str) -> None:
    """An informational line on standard error (not with -q)."""
    if not STATE.quiet:
        print(f"mattercli: {terminal_safe(message)}", file=sys.stderr)


def detail(message: str) -> None:
    """A line shown only with -v."""
    if STATE.verbose and not STATE.quiet:
        print(f"mattercli: {terminal_safe(message)}", file=sys.stderr)


def color_allowed() -> bool:
    """Colour is off when NO_COLOR is set (https://no-color.org) or TERM=dumb."""
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def use_color(stream: IO[Any] | None = None) -> bool:
    """Whether to colour what goes to `stream` (standard output by default): a terminal, and colour allowed."""
    stream = sys.stdout if stream is None else stream
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and color_allowed()


def show_progress(requested: bool = True) -> bool:
    """Progress bars go to standard error when it is a terminal — whatever standard output is — and not with -q."""
    if not requested or STATE.quiet:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def catalogue(catalog: Path | None = None, paths: Sequence[Path] = ()) -> CatalogLocation:
    """The catalogue the command works on (locate.locate_catalog); a note names it when it was found implicitly."""
    location = locate_catalog(catalog, paths)
    if location.implicit:
        note(location.describe())
    else:
        detail(location.describe())
    return location
