"""The command line: a typer app whose commands each live in their own module under cli/commands/.

`main()` imports only the module of the command being run (start-up stays fast however many commands there
are); `app` — used by tests and `--help` — has every command.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperGroup

from mattercli import __version__
from mattercli.cli import helpfmt, ui
from mattercli.cli.console import setup_streams
from mattercli.cli.errors import run_guarded
from mattercli.model.safetext import terminal_safe


def _guarded(fn: Callable[..., int]) -> Callable[..., None]:
    """Wrap a command function returning an exit code so that errors go through run_guarded; every command also
    gets -q/--quiet and -v/--verbose here (cli/ui.py), so no command can forget them."""
    signature = inspect.signature(fn, eval_str=True)
    shared = {"quiet": (ui.QuietOption, False), "verbose": (ui.VerboseOption, 0)}
    own = [name for name in shared if name in signature.parameters]

    @functools.wraps(fn)
    def runner(*args: Any, **kwargs: Any) -> None:
        ui.set_verbosity(bool(kwargs.get("quiet", False)), int(kwargs.get("verbose", 0) or 0))
        for name in shared:
            if name not in own:
                kwargs.pop(name, None)
        code = run_guarded(lambda: fn(*args, **kwargs))
        if code:
            raise typer.Exit(code)

    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in shared.items()
        if name not in own
    ]
    params = list(signature.parameters.values())
    runner.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params]
        + [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in extra]
    )
    runner.__annotations__ = {**fn.__annotations__, **{n: a for n, (a, _d) in shared.items() if n not in own}}
    return runner


def _version(value: bool) -> None:
    if value:
        print(f"mattercli {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show version"),
) -> None:
    """政务服务事项目录工具。"""


def command_modules() -> list[str]:
    from mattercli.cli import commands

    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))


def _module_for(word: str) -> str | None:
    """The module of a command word: commands/<word>.py, or <word>_.py for a Python keyword such as import."""
    names = command_modules()
    for candidate in (word, f"{word}_"):
        if candidate in names:
            return candidate
    return None


def _short_help(fn: Callable[..., Any]) -> str | None:
    """The command list's line: the docstring's Chinese sentence, whole (click would cut it at 45 characters)."""
    doc = inspect.cleandoc(fn.__doc__ or "")
    first = doc.split("。", 1)[0].replace("\n", "")
    return f"{first}。" if first else None


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just the module `only`."""
    helpfmt.install()
    app = typer.Typer(
        name="mattercli",
        help="政务服务事项目录工具:校验、比对、证明材料清理、统计与清单导出。",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
        pretty_exceptions_enable=False,
        # Plain click help: it wraps Chinese text at the terminal width, where rich's panels cut it with "…", and
        # shows choices and FILE/N metavars, not Python types.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name in [only] if only else command_modules():
        module = importlib.import_module(f"mattercli.cli.commands.{name}")
        subcommands = getattr(module, "SUBCOMMANDS", None)
        if subcommands:
            app.add_typer(
                _group(module.NAME, module.command, subcommands),
                name=module.NAME,
                short_help=_short_help(module.command),
            )
        else:
            app.command(module.NAME, short_help=_short_help(module.command))(_guarded(module.command))
    return app


#: The name the command's own function is registered under inside its group (not shown; words route to it).
DEFAULT_SUBCOMMAND = "run"


class _DefaultCommandGroup(TyperGroup):
    """A command that also has sub-commands (`mattercli proofs pledge …`): arguments that do not start with a
    sub-command's name — paths, options, --help — go to the command itself, so `mattercli proofs catalog/` is
    unchanged. (A catalogue folder named like a sub-command is reached as `./lists`.)"""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands or args[0] == DEFAULT_SUBCOMMAND:
            args = [DEFAULT_SUBCOMMAND, *args]
        return super().parse_args(ctx, args)


def _group(name: str, command: Callable[..., int], subcommands: dict[str, Callable[..., int]]) -> typer.Typer:
    group = typer.Typer(
        name=name,
        cls=_DefaultCommandGroup,
        add_completion=False,
        help=(command.__doc__ or "").strip().splitlines()[0],
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    words = "; ".join(f"mattercli {name} {word} --help" for word in subcommands)
    group.command(DEFAULT_SUBCOMMAND, hidden=True, epilog=f"子命令 / sub-commands: {words}")(_guarded(command))
    for word, function in subcommands.items():
        group.command(word)(_guarded(function))
    return group


def __getattr__(name: str) -> Any:
    if name == "app":
        return _full_app()
    raise AttributeError(name)


@functools.cache
def _full_app() -> typer.Typer:
    return build_app()


def main() -> None:
    setup_streams()
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    only = _module_for(words[0]) if words else None
    try:
        build_app(only)()
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: a message, not a traceback
        print(f"mattercli: 内部错误 / internal error: {type(exc).__name__}: {terminal_safe(str(exc))}", file=sys.stderr)
        sys.exit(2)
