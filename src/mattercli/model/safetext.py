"""User data shown as data: the one place that makes names, values and file names from a catalogue or a sheet safe
for a terminal, a one-line report, XML 1.0 and a Markdown table cell, and that degrades characters an output
encoding cannot hold (a GBK console) instead of crashing.

Every reporter and command prints user text through these helpers (the CLI's consoles call `terminal_safe` on
everything they render; tests/test_hostile_text.py checks each command). Core code: no rich, no typer.
"""

from __future__ import annotations

import codecs
import re

#: Characters that change what a terminal shows or where it writes: C0 controls (ESC starts ANSI and OSC 8
#: sequences, CR returns to the line start, LF/VT/FF break the line), DEL, C1 controls (CSI/OSC as single bytes),
#: the bidirectional overrides and isolates (a "Trojan Source" right-to-left override) and the Unicode line and
#: paragraph separators. Tab is harmless and kept.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_LINES = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control, bidi-override and line-separator character shown as an escape (`\\x1b`, `\\n`,
    `\\u202e`): one line that cannot recolour, move the cursor, open a hyperlink or reorder the terminal.

    keep_newlines=True keeps LF (a multi-line block such as a YAML file shown whole)."""
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape_char, text)


def one_line(text: str) -> str:
    """Alias of terminal_safe for formats that are one record per line (GitHub workflow commands, text reports)."""
    return terminal_safe(text)


#: Characters XML 1.0 cannot carry at all, not even as a character reference (§2.2 Char), plus the
#: discouraged C1 controls and the bidi overrides that a report viewer would interpret.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def xml_safe(text: str) -> str:
    """`text` fit for an XML 1.0 document: characters outside its character set shown as escapes (`\\x1b`);
    tab, LF and CR are legal XML and kept (the serialiser encodes them in attributes)."""
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(_escape_char, text)


def markdown_cell(text: str) -> str:
    """Text safe inside one Markdown table cell: CR/LF and other controls cannot end the row, `|` cannot split it,
    `<` cannot open HTML."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ")
    text = terminal_safe(text)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


#: Characters that mean something to a Markdown renderer anywhere in a line (CommonMark lets any ASCII punctuation
#: be backslash-escaped): emphasis, code, links and images, GFM strikethrough and tables, math on code-hosting sites.
_MD_INLINE = re.compile(r"([\\`*_\[\]~|$])")
#: What opens a block when it starts a paragraph line: a heading, quote, list item, thematic break, setext underline.
_MD_BLOCK_START = re.compile(r"^([#>+\-=]|\d{1,9}(?=[.)]))")
#: Link targets a published document may carry: the web, or a path relative to the document (no scheme at all).
_SAFE_SCHEME = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)


def markdown_text(text: str, *, line_start: bool = False) -> str:
    """`text` shown literally by a Markdown renderer (CommonMark, GFM): HTML cannot open (`<img onerror=…>` is
    `&lt;img …`), `[x](javascript:…)` is no link, `*`, `_`, `` ` `` and `|` are escaped, line breaks become `<br>`
    (so a table cell stays one row). line_start=True also escapes what would open a block at the start of a
    paragraph line (`# `, `> `, `- `, `1. `)."""
    text = terminal_safe(text.replace("\r\n", "\n").replace("\r", "\n"), keep_newlines=True)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    if line_start:
        text = _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
                                   text.lstrip())  # fmt: skip
    return text.replace("\n", "<br>")


def safe_link_target(target: str) -> bool:
    """Whether a Markdown or HTML document may link to `target`: an http(s) URL, or a relative path (no scheme such
    as `javascript:`, `data:` or `file:`, no protocol-relative `//host`)."""
    target = target.strip()
    if not target or any(ch in target for ch in '<>"\r\n\t ') or _UNSAFE.search(target):
        return False
    if _SAFE_SCHEME.match(target):
        return True
    return _ANY_SCHEME.match(target) is None and not target.startswith(("//", "\\"))


def markdown_link(label: str, target: str) -> str:
    """A Markdown link to `target` when it is safe (safe_link_target), else the label (and target) as plain text."""
    if not safe_link_target(target):
        shown = label if label == target else f"{label}({target})"
        return markdown_text(shown)
    href = target.strip().replace("(", "%28").replace(")", "%29")
    return f"[{markdown_text(label)}]({href})"


# ---- output encodings that cannot hold every character (PYTHONIOENCODING=gbk, a Chinese Windows console) ---------

#: What a character the output encoding lacks becomes: a look-alike first, else a `\\uXXXX` escape.
FALLBACKS = {
    "\u2212": "-",  # minus sign (diff)
    "\u2013": "-",
    "\u2014": "--",
    "\u274c": "[x]",  # cross mark (Markdown summary)
    "\u2705": "[ok]",
    "\u26a0": "[!]",
    "\ufe0f": "",  # emoji variation selector
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u2192": "->",
    "\u2190": "<-",
    "\u21b3": "->",
    "\u2026": "...",
    "\u00b7": ".",
    "\u2022": "*",
    "\u2500": "-",
    "\u2502": "|",
}

ERROR_HANDLER = "mattercli-degrade"


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        replacement = FALLBACKS.get(char)
        if replacement is None:
            code = ord(char)
            replacement = f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
        out.append(replacement)
    return "".join(out), error.end


codecs.register_error(ERROR_HANDLER, _degrade)


def degrade(text: str, encoding: str) -> str:
    """`text` as `encoding` can show it (look-alikes, else escapes): what the console streams do on the fly."""
    return text.encode(encoding, errors=ERROR_HANDLER).decode(encoding)


def safe_lines(lines: list[str]) -> str:
    """Report lines joined for a terminal: each line terminal-safe (a name with a line break stays on its line)."""
    return "".join(terminal_safe(line) + "\n" for line in lines)
