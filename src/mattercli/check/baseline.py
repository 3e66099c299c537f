"""Baseline files: the findings a catalogue already had when it adopted mattercli, so that only new ones fail.

A finding is recorded by its fingerprint (rule + file + matter code + message key and arguments, no line or
column), with a count for identical problems in one file, so edits elsewhere in a file leave it baselined.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mattercli import __version__
from mattercli.catalogue.catalog import CatalogError
from mattercli.catalogue.fsutil import atomic_write_text, read_regular
from mattercli.check.findings import Finding

KIND = "mattercli-validate-baseline"
FORMAT_VERSION = 1
DEFAULT_FILE = "mattercli-baseline.json"


class BaselineError(CatalogError):
    """A baseline file that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str
    rule: str
    file: str
    code: str | None
    message: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "file": self.file,
            "code": self.code,
            "message": self.message,
            "count": self.count,
        }


@dataclass
class Baseline:
    entries: dict[str, BaselineEntry] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        counts: Counter[str] = Counter()
        first: dict[str, Finding] = {}
        for f in findings:
            counts[f.fingerprint] += 1
            first.setdefault(f.fingerprint, f)
        return cls(
            {fp: BaselineEntry(fp, f.rule, f.file or "", f.code, f.message, counts[fp]) for fp, f in first.items()}
        )

    def to_text(self) -> str:
        ordered = sorted(self.entries.values(), key=lambda e: (e.file, e.rule, e.code or "", e.fingerprint))
        doc = {
            "kind": KIND,
            "version": FORMAT_VERSION,
            "tool": f"mattercli {__version__}",
            "findings": [e.to_dict() for e in ordered],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def read_baseline(path: Path) -> Baseline:
    """A baseline file; raises BaselineError when it is missing or not a mattercli baseline."""
    try:
        doc = json.loads(read_regular(path, follow=True).decode("utf-8"))  # a FIFO is refused, never waited on
    except FileNotFoundError as exc:
        raise BaselineError(f"基线文件不存在 / no such baseline file: {path}(用 --write-baseline 生成)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: 基线文件无法读取 / unreadable baseline: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("kind") != KIND or doc.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: 不是 mattercli 基线文件(版本 {FORMAT_VERSION}) / not a mattercli baseline")
    entries: dict[str, BaselineEntry] = {}
    for i, raw in enumerate(doc.get("findings") or []):
        try:
            entry = BaselineEntry(
                str(raw["fingerprint"]),
                str(raw["rule"]),
                str(raw["file"]),
                None if raw.get("code") is None else str(raw["code"]),
                str(raw.get("message", "")),
                int(raw.get("count", 1)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BaselineError(f"{path}: findings[{i}] 格式错误 / malformed entry: {exc}") from exc
        entries[entry.fingerprint] = entry
    return Baseline(entries)


def write_baseline(
    path: Path, findings: Iterable[Finding], in_scope: Callable[[str], bool], previous: Baseline | None = None
) -> Baseline:
    """Record `findings` as the baseline; entries of files outside this run's scope are kept from `previous`."""
    fresh = Baseline.from_findings(findings)
    if previous is not None:
        for fp, entry in previous.entries.items():
            if not in_scope(entry.file) and fp not in fresh.entries:
                fresh.entries[fp] = entry
    atomic_write_text(path, fresh.to_text())
    return fresh


@dataclass
class BaselineOutcome:
    new: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)
    #: Baseline entries (counted) of in-scope files that this run no longer finds: fixed since.
    fixed: int = 0


def apply_baseline(findings: Iterable[Finding], baseline: Baseline, in_scope: Callable[[str], bool]) -> BaselineOutcome:
    """Split findings into new and baselined; the first `count` findings with a fingerprint are the baselined ones."""
    remaining = {fp: e.count for fp, e in baseline.entries.items()}
    outcome = BaselineOutcome()
    for f in sorted(findings, key=Finding.sort_key):
        fp = f.fingerprint
        if remaining.get(fp, 0) > 0:
            remaining[fp] -= 1
            outcome.baselined.append(f)
        else:
            outcome.new.append(f)
    outcome.fixed = sum(n for fp, n in remaining.items() if n > 0 and in_scope(baseline.entries[fp].file))
    return outcome
