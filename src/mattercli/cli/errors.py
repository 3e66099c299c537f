"""The one place that turns exceptions into exit codes: 2 for usage and tool errors, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from mattercli.catalog import CatalogError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """The command was called wrongly; the message says how."""


def run_guarded(fn: Callable[[], Any]) -> int:
    try:
        result = fn()
    except (UsageError, CatalogError) as exc:
        print(f"mattercli: 错误: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("mattercli: 已中断 / interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"mattercli: 文件错误: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return int(result or 0)
