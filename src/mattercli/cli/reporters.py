"""Reporters render a validation Report; each format is one class, chosen through REPORTERS by format name.

Text and JSON live here; the CI formats (SARIF, JUnit, GitHub annotations, Markdown) in cli/ci_reporters.py.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from rich.markup import escape

from mattercli import __version__
from mattercli.check.findings import Finding, Report, Severity
from mattercli.cli.ci_reporters import GithubReporter, JunitReporter, MarkdownReporter, SarifReporter
from mattercli.cli.console import text_console
from mattercli.cli.report_base import (
    SUFFIX_FORMATS,
    Reporter,
    ReportFormat,
    ReportSettings,
    counts,
    repo_path,
    scope_line,
    shown_path,
)

__all__ = ["REPORTERS", "SUFFIX_FORMATS", "ReportFormat", "ReportSettings", "Reporter", "repo_path", "shown_path"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextReporter(Reporter):
    """One line per finding (file:line:col: severity [rule] code name: message), then a summary line."""

    format = ReportFormat.text

    def render(self, report: Report) -> str:
        buffer = StringIO()
        console = text_console(buffer, self.color)
        en = self.en
        if line := scope_line(report, en):
            console.print(f"[dim]{escape(line)}[/]")
        for f in report.findings:
            where = ":".join(
                str(x) for x in (shown_path(report, f.file) or "<catalog>", f.line, f.column) if x is not None
            )
            who = self.who(f)
            console.print(
                f"[bold]{escape(where)}[/]: [{_STYLE[f.severity]}]{self.severity_label(f.severity)}[/] "
                f"[dim]\\[{f.rule}][/] " + (f"{escape(who)}: " if who else "") + escape(f.text(self.lang))
            )
        errors, warnings, infos = counts(report)
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
        summary += self._silenced(report)
        style = "bold red" if errors else ("yellow" if warnings else "bold green")
        if not report.findings:
            summary += "。全部通过 ✓" if not en else ". All clear ✓"
        console.print(f"[{style}]{escape(summary)}[/]")
        return buffer.getvalue()

    def _silenced(self, report: Report) -> str:
        parts = []
        if report.suppressed:
            parts.append(f"{len(report.suppressed)} suppressed" if self.en else f"已抑制 {len(report.suppressed)} 个")
        if report.baselined:
            parts.append(f"{len(report.baselined)} in baseline" if self.en else f"基线内 {len(report.baselined)} 个")
        if report.baseline_fixed:
            parts.append(
                f"{report.baseline_fixed} baseline entries fixed"
                if self.en
                else f"基线中已修复 {report.baseline_fixed} 个"
            )
        if not parts:
            return ""
        return f" ({', '.join(parts)})" if self.en else f"({','.join(parts)})"


def finding_json(report: Report, f: Finding, lang: str) -> dict[str, Any]:
    return {**f.to_dict(lang), "path": shown_path(report, f.file), "fingerprint": f.fingerprint}


class JsonReporter(Reporter):
    """A stable JSON document: tool, version, summary, findings (see README, 'validate --format json')."""

    format = ReportFormat.json

    def render(self, report: Report) -> str:
        errors, warnings, infos = counts(report)
        doc: dict[str, Any] = {
            "tool": "mattercli",
            "version": __version__,
            "root": report.root,
            "summary": {
                "files": report.files,
                "matters": report.matters,
                "errors": errors,
                "warnings": warnings,
                "infos": infos,
                "by_rule": report.by_rule(),
                "seconds": round(report.seconds, 3),
                "suppressed": len(report.suppressed),
                "baselined": len(report.baselined),
                "baseline_fixed": report.baseline_fixed,
            },
            "findings": [finding_json(report, f, self.lang) for f in report.findings],
            "suppressed": [finding_json(report, f, self.lang) for f in report.suppressed],
        }
        if "changed_since" in report.details:
            doc["changed_since"] = report.details["changed_since"]
        if "cache" in report.details:
            doc["cache"] = report.details["cache"]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[ReportFormat, type[Reporter]] = {
    cls.format: cls
    for cls in (TextReporter, JsonReporter, SarifReporter, JunitReporter, GithubReporter, MarkdownReporter)
}
