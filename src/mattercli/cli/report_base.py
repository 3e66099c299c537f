"""What every validate reporter shares: the format enum, the Reporter interface and the paths findings are shown
at (relative to the working directory, the repository, or the report file)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import ClassVar

from mattercli.check.config import git_toplevel
from mattercli.check.findings import FailOn, Finding, Report, Severity
from mattercli.check.rules import Rule, RuleRegistry


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


#: Output file suffix -> the format it implies (`--output out.sarif` needs no `--format`).
SUFFIX_FORMATS: dict[str, ReportFormat] = {
    ".sarif": ReportFormat.sarif,
    ".xml": ReportFormat.junit,
    ".md": ReportFormat.markdown,
    ".markdown": ReportFormat.markdown,
    ".json": ReportFormat.json,
    ".txt": ReportFormat.text,
}


def shown_path(report: Report, file: str | None) -> str | None:
    """A finding's file as the user can open it: relative to the working directory where possible."""
    if file is None:
        return None
    full = Path(report.root) / file
    try:
        return os.path.relpath(full)
    except ValueError:
        return full.as_posix()


def repo_path(report: Report, file: str) -> str:
    """A finding's file relative to the git work tree holding the catalogue (as CI services name files), or to
    the working directory outside git."""
    full = Path(report.root) / file
    top = git_toplevel(Path(report.root))
    if top is not None:
        try:
            return full.relative_to(top).as_posix()
        except ValueError:
            pass
    return shown_path(report, file) or file


@dataclass
class ReportSettings:
    """What a reporter needs besides the report: language, colour, the fail-on level, where its output goes."""

    lang: str = "zh"
    color: bool = False
    fail_on: FailOn = FailOn.ERROR
    output: Path | None = None
    registry: RuleRegistry | None = None


class Reporter:
    format: ClassVar[ReportFormat]

    def __init__(self, lang: str = "zh", color: bool = False, settings: ReportSettings | None = None) -> None:
        self.settings = settings or ReportSettings(lang=lang, color=color)
        self.lang = self.settings.lang
        self.color = self.settings.color

    @property
    def en(self) -> bool:
        return self.lang == "en"

    def rules(self) -> RuleRegistry:
        if self.settings.registry is None:
            from mattercli.check.engine import full_registry

            self.settings.registry = full_registry()
        return self.settings.registry

    def rule(self, rule_id: str) -> Rule | None:
        try:
            return self.rules()[rule_id]
        except KeyError:
            return None

    def title(self, rule_id: str) -> str:
        rule = self.rule(rule_id)
        if rule is None:
            return rule_id
        return rule.title_en if self.en else rule.title

    def severity_label(self, severity: Severity) -> str:
        return severity.value if self.en else severity.label

    def who(self, f: Finding) -> str:
        """The matter a finding is on: code and name."""
        return " ".join(x for x in (f.code, f"「{f.name}」" if f.name and not self.en else f.name) if x)

    def render(self, report: Report) -> str:
        raise NotImplementedError


def scope_line(report: Report, en: bool) -> str | None:
    """For a --changed-since run: what changed, and what else the change made worth checking."""
    changed = report.details.get("changed_since")
    if not changed:
        return None
    rev = changed["rev"]
    n = {k: len(changed[k]) for k in ("added", "modified", "renamed", "deleted")}
    if "full_run" in changed:
        if en:
            return f"changed since {rev}: {changed['full_run']}, so the whole catalogue was checked"
        return f"自 {rev} 以来:{changed['full_run']},因此检查了整个目录"
    affected = len(changed.get("affected", ()))
    if en:
        return (
            f"changed since {rev}: {n['added']} added, {n['modified']} modified, {n['renamed']} renamed, "
            f"{n['deleted']} deleted; {affected} more files re-checked across files"
        )
    return (
        f"自 {rev} 以来变更:新增 {n['added']} 个,修改 {n['modified']} 个,改名 {n['renamed']} 个,"
        f"删除 {n['deleted']} 个;另有 {affected} 个文件参与跨文件复查"
    )


def counts(report: Report) -> tuple[int, int, int]:
    return report.count(Severity.ERROR), report.count(Severity.WARNING), report.count(Severity.INFO)
