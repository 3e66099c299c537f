"""Issue 22, conventions users expect: --help readable at 80 columns, shell completion, NO_COLOR, -q/-v on every
command, progress only on a terminal's standard error."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app, command_modules, ui
from mattercli.cli.helpfmt import plain_metavar, wrap

runner = CliRunner()
WORDS = sorted({m.rstrip("_").replace("_", "-") for m in command_modules()})  # import_licenses: import-licenses


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("word", ["", *WORDS])
def test_help_fits_80_columns_without_python_types(word: str) -> None:
    env = {"COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    script = str(Path(sys.executable).parent / "mattercli")
    args = [script, *([word] if word else []), "--help"]
    out = subprocess.run(args, capture_output=True, text=True, env={**__import__("os").environ, **env}, check=True)
    lines = out.stdout.splitlines()
    assert lines and all(width(line) <= 80 for line in lines), [line for line in lines if width(line) > 80]
    assert not re.search(r"<list\[|<int range>|<bool>|<path>", out.stdout)
    cut = [x for x in lines if x.endswith("...") and not x.startswith("Usage:")]
    assert not cut  # no short help cut with "..."
    if word == "fmt":
        assert "要格式化的" in out.stdout and "要校验的" not in out.stdout


def test_metavars_and_wrapping() -> None:
    assert plain_metavar("<list[Path]>") == "PATH"
    assert plain_metavar("<int range>") == "N"
    assert plain_metavar("<zh|en>") == "[zh|en]"
    assert [width(x) <= 20 for x in wrap("按规范格式整理事项文件:要素顺序、缩进、编码加引号 keep comments", 20)]


def test_shell_completion_is_available() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0 and "_mattercli_completion" in result.output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert ui.use_color(_Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ui.use_color(_Tty())
    assert not ui.use_color(io.StringIO())


@pytest.mark.parametrize("word", WORDS)
def test_every_command_takes_quiet_and_verbose(word: str) -> None:
    result = runner.invoke(app, [word, "--help"])
    assert "-q, --quiet" in result.output and "-v, --verbose" in result.output


def test_progress_follows_stderr_not_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Tty())
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # redirected: progress still shows on the terminal
    ui.set_verbosity(False, 0)
    assert ui.show_progress(True)
    ui.set_verbosity(True, 0)
    assert not ui.show_progress(True)
    ui.set_verbosity(False, 0)


def test_fmt_diff_shows_the_changes_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    root = tmp_path / "cat"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", root)
    messy = root / "base" / "messy.yaml"
    shutil.copy(Path(__file__).parent / "fixtures" / "fmt" / "messy.yaml", messy)
    before = messy.read_bytes()
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["fmt", "--diff", "base/messy.yaml"])
    assert result.exit_code == 1
    assert "--- a/base/messy.yaml" in result.stdout and '+基本编码: "000104001000"' in result.stdout
    assert messy.read_bytes() == before
    result = runner.invoke(app, ["fmt", "--diff", "-f", "json", "base/messy.yaml"])
    assert "+++ b/base/messy.yaml" in __import__("json").loads(result.stdout)["files"][0]["diff"]
