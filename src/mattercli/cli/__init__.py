"""The command line: a typer app whose commands each live in their own module and call one core function."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer

from mattercli import __version__
from mattercli.cli.errors import run_guarded

app = typer.Typer(
    name="mattercli",
    help="政务服务事项目录工具:校验、比对、证明材料清理、统计与清单导出。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str) -> Callable[[Callable[..., int]], Callable[..., None]]:
    """Register a command whose function returns an exit code; errors go through run_guarded."""

    def wrap(fn: Callable[..., int]) -> Callable[..., None]:
        @functools.wraps(fn)
        def runner(*args: Any, **kwargs: Any) -> None:
            code = run_guarded(lambda: fn(*args, **kwargs))
            if code:
                raise typer.Exit(code)

        app.command(name)(runner)
        return runner

    return wrap


def _version(value: bool) -> None:
    if value:
        print(f"mattercli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """政务服务事项目录工具。"""


def _register() -> None:
    import importlib
    import pkgutil

    from mattercli.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        command(module.NAME)(module.command)


_register()


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: a message, not a traceback
        print(f"mattercli: 内部错误 / internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(2)
