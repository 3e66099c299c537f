"""The rich consoles every command prints through: user text is data, never markup, emoji codes or terminal
control. `SafeConsole` runs everything it renders from a string through `safetext.terminal_safe` (markup tags
never contain control characters, so escaping the whole string keeps the styling and defuses the data) and turns
emoji codes off (`x.yaml:100:7` stays as written). `setup_streams` makes stdout/stderr degrade characters an
output encoding lacks (PYTHONIOENCODING=gbk) instead of raising."""

from __future__ import annotations

import contextlib
import sys
from typing import IO, Any

from rich.console import Console
from rich.text import Text

from mattercli.model.safetext import ERROR_HANDLER, terminal_safe


class SafeConsole(Console):
    """A rich Console that shows control, bidi and line-break characters in user text as escapes."""

    def __init__(self, *args: Any, keep_newlines: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(*args, **kwargs)
        self._keep_newlines = keep_newlines

    def render_str(self, text: str, **kwargs: Any) -> Text:
        # every print is one line of ours: a line break in it came from the data (a name with "\r\n")
        safe = terminal_safe(text, keep_newlines=self._keep_newlines)
        kwargs["emoji"] = False
        return super().render_str(safe, **kwargs)


def safe_text(*parts: str | tuple[str, str]) -> Text:
    """Text.assemble of plain parts and (text, style) pairs, each made terminal-safe."""
    return Text.assemble(*(terminal_safe(p) if isinstance(p, str) else (terminal_safe(p[0]), p[1]) for p in parts))


def text_console(buffer: IO[str], color: bool) -> Console:
    """A safe console that renders into `buffer`: colours only when asked, never wrapping long lines."""
    return SafeConsole(file=buffer, force_terminal=color, no_color=not color, width=10_000, soft_wrap=True)


def setup_streams() -> None:
    """Let stdout and stderr write any text: characters their encoding lacks become look-alikes or escapes."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding in ("utf8", "utf8sig"):
            continue
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors=ERROR_HANDLER)  # type: ignore[union-attr]
