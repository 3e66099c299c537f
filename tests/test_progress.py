"""Issue 22: progress on standard error for the long runs of export and stats (as validate and proofs do) — only
when standard error is a terminal, whatever standard output is; never with -q or TERM=dumb; no colour with
NO_COLOR. The commands are called as functions so that standard error can be a terminal stand-in."""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mattercli.cli import ui
from mattercli.cli.commands import export as export_command
from mattercli.cli.commands import stats as stats_command
from mattercli.export import ExportFormat

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
#: An SGR sequence that sets a foreground colour (standard, bright or 256/true colour).
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])(?:;[0-9;]*)?m")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture()
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], _Tty]]:
    """`attach()`, in the test body (pytest re-installs its capture between setup and call): standard error is a
    terminal, standard output is redirected; every stage is long enough for a bar."""
    yield lambda: _attach(monkeypatch)
    ui.set_verbosity(False, 0)


def _attach(monkeypatch: pytest.MonkeyPatch) -> _Tty:
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(ui, "PROGRESS_MIN_ITEMS", 0)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    ui.set_verbosity(False, 0)
    return tty


def _export(tmp_path: Path) -> Callable[[], int]:
    out = tmp_path / "out"

    def run() -> int:
        return export_command.command(output=out, path=CATALOG, formats=[ExportFormat.csv, ExportFormat.html], jobs=1)

    return run


def _stats(tmp_path: Path) -> Callable[[], int]:
    catalog = tmp_path / "catalog"
    if not catalog.exists():
        shutil.copytree(CATALOG, catalog)

    def run() -> int:
        return stats_command.command(path=catalog, cache=False, jobs=1)

    return run


@pytest.mark.parametrize(
    ("make", "stages"),
    [(_export, ("读取事项", "写出清单", "写出事项网页")), (_stats, ("读取事项",))],
    ids=["export", "stats"],
)
def test_long_runs_show_progress_on_stderr_only(
    make: Callable[[Path], Callable[[], int]],
    stages: tuple[str, ...],
    terminal: Callable[[], _Tty],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = make(tmp_path)
    tty = terminal()
    assert run() == 0
    shown = tty.getvalue()
    for stage in stages:
        assert stage in shown, shown[-500:]
    assert "━" in shown and COLOUR.search(shown)  # a drawn, coloured bar
    assert not any(stage in sys.stdout.getvalue() for stage in stages)  # type: ignore[attr-defined]

    monkeypatch.setenv("NO_COLOR", "1")  # still a bar, without colour
    tty.seek(0)
    tty.truncate()
    assert run() == 0
    assert stages[0] in tty.getvalue() and not COLOUR.search(tty.getvalue())

    for quiet, term in ((True, "xterm"), (False, "dumb")):  # -q, or a terminal that cannot redraw: no bar
        ui.set_verbosity(quiet, 0)
        monkeypatch.setenv("TERM", term)
        tty.seek(0)
        tty.truncate()
        assert run() == 0
        assert not any(stage in tty.getvalue() for stage in stages)
    ui.set_verbosity(False, 0)


def test_a_short_run_shows_no_bar(
    terminal: Callable[[], _Tty], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = terminal()
    monkeypatch.setattr(ui, "PROGRESS_MIN_ITEMS", 10_000)  # the embedded catalogue is far below it
    assert _export(tmp_path)() == 0
    assert "读取事项" not in tty.getvalue()


def test_validate_progress_goes_to_stderr(terminal: Callable[[], _Tty]) -> None:
    """validate's and proofs' bars went to rich's default console — standard output — before; now standard error."""
    tty = terminal()
    with ui.progress_bars(True, 0) as update:
        update("校验中", 5, 10)
    assert "校验中" in tty.getvalue() and "校验中" not in sys.stdout.getvalue()  # type: ignore[attr-defined]
