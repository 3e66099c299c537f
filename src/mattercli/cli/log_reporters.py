"""Reporters for `log`: a matter's history as human text (rich, Chinese; English with --lang en) or JSON
(docs/diff.md), one class per format chosen through LOG_REPORTERS."""

from __future__ import annotations

import json
from enum import StrEnum
from io import StringIO
from typing import ClassVar

from rich.markup import escape

from mattercli import __version__
from mattercli.cli.console import text_console
from mattercli.cli.diff_reporters import ACTION_STYLE, change_dict, change_lines
from mattercli.diff.compare import JSON_FORMAT_VERSION
from mattercli.diff.history import MatterHistory


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class LogReporter:
    format: ClassVar[LogFormat]

    def __init__(self, lang: str = "zh", color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, history: MatterHistory) -> str:
        raise NotImplementedError


class LogTextReporter(LogReporter):
    format = LogFormat.text

    def render(self, history: MatterHistory) -> str:
        buffer = StringIO()
        out = text_console(buffer, self.color)
        en = self.lang == "en"
        where = history.file or ("(not in this revision)" if en else "(该版本中已不存在)")
        if en:
            out.print(
                escape(f"History of {history.code} from {history.label}: {where}, {len(history.entries)} commits")
            )
        else:
            out.print(
                escape(f"事项 {history.code} 的变更历史({history.label}):{where},共 {len(history.entries)} 次提交")
            )
        others = [c for c in history.codes if c != history.code]
        if others:
            out.print(escape(("earlier codes: " if en else "沿革编码:") + ", ".join(others)))
        for entry in history.entries:
            c = entry.commit
            out.print()
            who = f"{c.date} {c.author} <{c.email}>"
            out.print(f"[bold yellow]{c.sha[:10]}[/] {escape(who)}  {escape(c.subject)}")
            for change in entry.changes:
                head, details = change_lines(change, self.lang)
                out.print(f"    [bold {ACTION_STYLE[change.primary]}]{escape(head)}[/]")
                for line in details:
                    out.print(f"        {escape(line)}")
            for move in entry.moves:
                out.print(f"    {'moved' if en else '移动'} {escape(move.old_file)} → {escape(move.new_file)}")
        if history.truncated_at:
            out.print()
            sha = history.truncated_at[:10]
            out.print(f"[yellow]{escape(truncated_text(sha, en))}[/]")
        return buffer.getvalue()


def truncated_text(sha: str, en: bool) -> str:
    if en:
        return (
            f"history truncated at {sha}: this is a shallow clone and earlier commits were not fetched "
            "(git fetch --unshallow gives the whole history)"
        )
    return f"历史在 {sha} 处截断:这是浅克隆,更早的提交未获取(git fetch --unshallow 可取得完整历史)"


class LogJsonReporter(LogReporter):
    format = LogFormat.json

    def render(self, history: MatterHistory) -> str:
        doc = {
            "tool": "mattercli",
            "version": __version__,
            "format": JSON_FORMAT_VERSION,
            "code": history.code,
            "file": history.file,
            "rev": history.label,
            "codes": list(history.codes),
            "truncated_at": history.truncated_at,
            "entries": [
                {
                    "commit": e.commit.sha,
                    "author": e.commit.author,
                    "email": e.commit.email,
                    "date": e.commit.date,
                    "subject": e.commit.subject,
                    "changes": [change_dict(c) for c in e.changes],
                    "moves": [{"code": m.code, "old_file": m.old_file, "new_file": m.new_file} for m in e.moves],
                }
                for e in history.entries
            ],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


LOG_REPORTERS: dict[LogFormat, type[LogReporter]] = {cls.format: cls for cls in (LogTextReporter, LogJsonReporter)}
