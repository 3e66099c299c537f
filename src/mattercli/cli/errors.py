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
    """The command was called wrongly; the message says how."""


def run_guarded(fn: Callable[[], Any]) -> int:
    try:
        result = fn()
    except (UsageError, CatalogError) as exc:
        print(f"mattercli: 错误: {terminal_safe(str(exc))}", file=sys.stderr)
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
        print(f"mattercli: 文件错误: {terminal_safe(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    return int(result or 0)
