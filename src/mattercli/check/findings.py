"""Findings are data: what a check found, where, on which matter; a Report gathers them and decides the outcome."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class FailOn(str, Enum):
    """Lowest severity that makes a run fail (exit 1)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1, "never": 99}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how serious, in which file at which line, on which matter, and what it says."""

    rule: str
    severity: Severity
    file: str | None
    line: int | None
    column: int | None
    code: str | None
    name: str | None
    message: str
    message_en: str
    #: What the finding is about, independent of where it is: the message key and its arguments (line numbers
    #: left out). Baselines fingerprint findings by rule + file + code + ident, so edits elsewhere keep them.
    ident: str | None = None

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    @property
    def location(self) -> str:
        parts = [self.file or "<catalog>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.line or 0, self.column or 0, self.rule, self.message)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "name": self.name,
            "message": self.text(lang),
            "message_zh": self.message,
            "message_en": self.message_en,
        }

    @property
    def fingerprint(self) -> str:
        """A stable id of this problem in this file: rule, file, matter code and message key/args, no position."""
        raw = "\0".join((self.rule, self.file or "", self.code or "", self.ident or self.message))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


@dataclass(slots=True)
class Report:
    """The outcome of a validation run."""

    root: str
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    matters: int = 0
    seconds: float = 0.0
    #: Findings silenced by a `# mattercli: disable=RULE 理由` comment, and findings recorded in the baseline file;
    #: neither counts towards the outcome.
    suppressed: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)
    #: Baseline entries no longer found (fixed since the baseline was written), within the files checked.
    baseline_fixed: int = 0
    #: The department (实施主体 or 主管部门) of each file that has findings, for breakdowns.
    departments: dict[str, str] = field(default_factory=dict)
    #: How the run went beyond its findings: changed-since scope, cache statistics (see docs/validate-ci.md).
    details: dict[str, Any] = field(default_factory=dict)

    def sort(self) -> None:
        self.findings.sort(key=Finding.sort_key)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def failed(self, fail_on: FailOn) -> bool:
        worst = self.worst
        return worst is not None and worst.rank >= fail_on.rank

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
