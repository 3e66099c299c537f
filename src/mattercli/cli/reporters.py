"""Reporters render a validation Report; each format is one class, chosen through REPORTERS by format name."""

from __future__ import annotations

import json
import os
from enum import Enum
from io import StringIO
from pathlib import Path
from typing import ClassVar

from rich.console import Console
from rich.markup import escape

from mattercli import __version__
from mattercli.findings import Report, Severity


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


def shown_path(report: Report, file: str | None) -> str | None:
    """A finding's file as the user can open it: relative to the working directory where possible."""
    if file is None:
        return None
    full = Path(report.root) / file
    try:
        return os.path.relpath(full)
    except ValueError:
        return full.as_posix()


class Reporter:
    format: ClassVar[ReportFormat]

    def __init__(self, lang: str = "zh", color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, report: Report) -> str:
        raise NotImplementedError


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextReporter(Reporter):
    """One line per finding (file:line:col: severity [rule] code name: message), then a summary line."""

    format = ReportFormat.text

    def render(self, report: Report) -> str:
        buffer = StringIO()
        console = Console(
            file=buffer,
            force_terminal=self.color,
            no_color=not self.color,
            width=10_000,
            highlight=False,
            soft_wrap=True,
        )
        en = self.lang == "en"
        for f in report.findings:
            label = f.severity.value if en else f.severity.label
            who = " ".join(x for x in (f.code, f"「{f.name}」" if f.name and not en else f.name) if x)
            where = ":".join(
                str(x) for x in (shown_path(report, f.file) or "<catalog>", f.line, f.column) if x is not None
            )
            console.print(
                f"[bold]{escape(where)}[/]: [{_STYLE[f.severity]}]{label}[/] [dim]\\[{f.rule}][/] "
                + (f"{escape(who)}: " if who else "")
                + escape(f.text(self.lang))
            )
        errors, warnings, infos = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        if en:
            summary = (
                f"checked {report.files} files ({report.matters} matters) in {report.seconds:.2f}s: "
                f"{errors} errors, {warnings} warnings, {infos} infos"
            )
        else:
            summary = (
                f"共检查 {report.files} 个文件({report.matters} 个事项),用时 {report.seconds:.2f} 秒:"
                f"错误 {errors} 个,警告 {warnings} 个,提示 {infos} 个"
            )
        style = "bold red" if errors else ("yellow" if warnings else "bold green")
        if not report.findings:
            summary += "。全部通过 ✓" if not en else ". All clear ✓"
        console.print(f"[{style}]{escape(summary)}[/]")
        return buffer.getvalue()


class JsonReporter(Reporter):
    """A stable JSON document: tool, version, summary, findings (see README, 'validate --format json')."""

    format = ReportFormat.json

    def render(self, report: Report) -> str:
        doc = {
            "tool": "mattercli",
            "version": __version__,
            "root": report.root,
            "summary": {
                "files": report.files,
                "matters": report.matters,
                "errors": report.count(Severity.ERROR),
                "warnings": report.count(Severity.WARNING),
                "infos": report.count(Severity.INFO),
                "by_rule": report.by_rule(),
                "seconds": round(report.seconds, 3),
            },
            "findings": [{**f.to_dict(self.lang), "path": shown_path(report, f.file)} for f in report.findings],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[ReportFormat, type[Reporter]] = {cls.format: cls for cls in (TextReporter, JsonReporter)}
