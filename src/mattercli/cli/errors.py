"""The one place that turns exceptions into exit codes: 2 for usage and tool errors, never a traceback."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from mattercli.catalogue.catalog import CatalogError
from mattercli.model.safetext import terminal_safe

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_SIGPIPE = 141  # 128 + SIGPIPE, what a shell reports for a program the pipe's reader left


class UsageError(Exception):
    """The command was called wrongly; the message says how (`en`: in English, for --lang en)."""

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message)
        self.en = en


#: The language errors are reported in: a command with --lang sets it (set_language) for its run.
_LANGUAGE = ["zh"]


def set_language(lang: str) -> None:
    """Report this run's errors in `lang` ("zh" or "en"): the English message of an error that has one."""
    _LANGUAGE[0] = lang


def message(exc: BaseException) -> str:
    """The error's message in the run's language (its `en` with --lang en, when it has one)."""
    en = getattr(exc, "en", None)
    return en if _LANGUAGE[0] == "en" and en else str(exc)


def run_guarded(fn: Callable[[], Any]) -> int:
    _LANGUAGE[0] = "zh"
    try:
        return _run(fn)
    finally:
        _LANGUAGE[0] = "zh"


def _run(fn: Callable[[], Any]) -> int:
    try:
        result = fn()
    except (UsageError, CatalogError) as exc:
        prefix = "error" if _LANGUAGE[0] == "en" else "错误"
        print(f"mattercli: {prefix}: {terminal_safe(message(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("mattercli: 已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error, say nothing, exit as SIGPIPE would
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
        return EXIT_SIGPIPE
    except OSError as exc:
        prefix = "file error" if _LANGUAGE[0] == "en" else "文件错误"
        print(f"mattercli: {prefix}: {terminal_safe(message(exc))}", file=sys.stderr)
        return EXIT_ERROR
    return int(result or 0)
