"""Terminal conventions every command shares: -q/-v, NO_COLOR, notes and progress on standard error, and the one
way a command finds its catalogue (and says which one it used when the user did not name it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from mattercli.catalogue.locate import CatalogLocation, locate_catalog
from mattercli.model.safetext import terminal_safe


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
    """Progress bars go to standard error when it is a terminal — whatever standard output is — and not with -q,
    nor on a terminal that cannot redraw a line (TERM=dumb)."""
    if not requested or STATE.quiet or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


#: A stage's bar appears only for this many items or more: a short run finishes before a bar would help.
PROGRESS_MIN_ITEMS = 500

#: (stage label, done, total) -> None
StageUpdate = Callable[[str, int, int], None]


@contextmanager
def progress_bars(requested: bool = True, min_items: int | None = None) -> Iterator[StageUpdate]:
    """`with progress_bars() as update: … update("读取事项", done, total)`: one transient bar per stage label, on
    standard error (never standard output), shown only when `show_progress` allows it and once a stage has
    `min_items` (default PROGRESS_MIN_ITEMS) or more — the later stages of such a long run follow, whatever their
    size (an export's 20 lists after its 20,000 files); colourless with NO_COLOR. Without a bar, update does
    nothing."""
    if not show_progress(requested):
        yield _no_update
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from mattercli.cli.console import SafeConsole

    least = PROGRESS_MIN_ITEMS if min_items is None else min_items
    console = SafeConsole(file=sys.stderr, no_color=not color_allowed())
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=console) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if not tasks and total < least:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(terminal_safe(stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _no_update(stage: str, done: int, total: int) -> None:
    return None


def catalogue(catalog: Path | None = None, paths: Sequence[Path] = ()) -> CatalogLocation:
    """The catalogue the command works on (locate.locate_catalog); a note names it when it was found implicitly."""
    location = locate_catalog(catalog, paths)
    if location.implicit:
        note(location.describe())
    else:
        detail(location.describe())
    return location


#: Skipped files named one by one in a summary before it says "and N more" (all are listed with -v and in JSON).
SKIPPED_SHOWN = 5


def skipped_lines(skipped: Sequence[tuple[str, str]], lang: str = "zh", head: str | None = None) -> list[str]:
    """A summary of the files a command skipped (file, reason): the count, the first few, and how to see all — one
    line per file only with -v, so an import of a thousand unfinished files does not bury the result. `head` may
    replace the first line's text; `{n}` in it is the count."""
    if not skipped:
        return []
    shown = skipped if STATE.verbose else skipped[:SKIPPED_SHOWN]
    more = len(skipped) - len(shown)
    if lang == "en":
        first = (head or "skipped {n} files (unreadable or not schema-valid; see mattercli validate)").format(
            n=len(skipped)
        )
        tail = [f"  … and {more} more (-v lists all; --format json has every one)"] if more else []
    else:
        first = (head or "已跳过 {n} 个文件(无法读取或不符合 schema,见 mattercli validate)").format(n=len(skipped))
        tail = [f"  …… 另有 {more} 个(-v 列出全部;--format json 中有完整列表)"] if more else []
    return [first, *(f"  {file}: {reason}" if reason else f"  {file}" for file, reason in shown), *tail]
