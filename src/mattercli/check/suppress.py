"""Inline suppressions: `# mattercli: disable=RULE-ID[,RULE-ID…] 理由` on the offending line silences those rules
there; in the comment block at the top of the file (line 1 and any comment lines before the first element) it
silences them in the whole file. A suppression without a reason, and one that silences nothing, are findings
themselves (rules `suppression-reason`, `suppression-unused`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mattercli.catalogue.yamlio import scan_comments
from mattercli.check.findings import Finding, Severity

DIRECTIVE = "mattercli:"
_DIRECTIVE_RE = re.compile(r"#\s*mattercli:\s*disable=([A-Za-z0-9_.,-]*)(.*)$")
_LOOSE_RE = re.compile(r"(?:^|\s)(#\s*mattercli:\s*disable=.*)$")
#: Rules a suppression cannot silence: those that report on suppressions themselves.
UNSUPPRESSIBLE = frozenset({"suppression-reason", "suppression-unused"})


@dataclass(frozen=True, slots=True)
class Suppression:
    """One directive: the 1-based line of its comment, the rule ids, the reason, and whether it covers the file."""

    line: int
    rules: tuple[str, ...]
    reason: str
    whole_file: bool

    def covers(self, finding: Finding) -> bool:
        return finding.rule in self.rules and (self.whole_file or finding.line == self.line)

    def to_tuple(self) -> tuple[int, list[str], str, bool]:
        return (self.line, list(self.rules), self.reason, self.whole_file)

    @classmethod
    def from_tuple(cls, raw: Sequence[object]) -> Suppression:
        line, rules, reason, whole = raw
        if not (isinstance(line, int) and isinstance(rules, list) and isinstance(reason, str)):
            raise TypeError("bad suppression record")
        return cls(line, tuple(str(r) for r in rules), reason, bool(whole))


def _directive(comment: str, line: int, whole_file: bool) -> Suppression | None:
    match = _DIRECTIVE_RE.search(comment)
    if match is None:
        return None
    rules = tuple(r for r in match.group(1).split(",") if r)
    return Suppression(line, rules, match.group(2).strip(), whole_file)


def parse_suppressions(text: str | None) -> tuple[Suppression, ...]:
    """Every suppression directive in a YAML text, found among its real comments (not inside quoted values)."""
    if not text or DIRECTIVE not in text:
        return ()
    try:
        scan = scan_comments(text)
    except Exception:  # a file the token scanner cannot read: search line by line instead
        return _parse_loose(text)
    lines = text.split("\n")
    first_content = next((i for i, raw in enumerate(lines) if raw.strip() and not raw.lstrip().startswith("#")), None)
    found: list[Suppression] = []
    for content_line, block in scan.leading.items():
        for offset, comment in enumerate(block):
            line = content_line - len(block) + offset  # the block stands on the lines just above its content line
            if s := _directive(comment, line + 1, content_line == first_content):
                found.append(s)
    for line, comment in scan.eol.items():
        if s := _directive(comment, line + 1, line == 0):
            found.append(s)
    end = len(lines) - 1 if lines[-1] == "" else len(lines)  # the scanner leaves out the empty last line
    for offset, comment in enumerate(scan.trailing):
        # comments after the last element; in a file without elements they are its header
        line = end - len(scan.trailing) + offset
        if s := _directive(comment, line + 1, first_content is None):
            found.append(s)
    return tuple(sorted(found, key=lambda s: s.line))


def _parse_loose(text: str) -> tuple[Suppression, ...]:
    found: list[Suppression] = []
    header = True
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        full_line = stripped.startswith("#")
        match = _LOOSE_RE.search(raw)
        if match and (s := _directive(match.group(1), number, header and full_line)):
            found.append(s)
        if stripped and not full_line:
            header = False
    return tuple(found)


SeverityFn = Callable[[str, str], Severity | None]
MetaFinding = Callable[[str, str, dict[str, object], str, int, Severity], Finding]


@dataclass
class SuppressionOutcome:
    kept: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Mapping[str, Sequence[Suppression]],
    known_rules: Callable[[str], bool],
    severity: SeverityFn,
    make: MetaFinding,
    audit_files: Callable[[str], bool],
) -> SuppressionOutcome:
    """Split findings into kept and suppressed; add suppression-reason / suppression-unused findings for the files
    `audit_files` accepts (those whose every finding is in `findings`, so 'unused' is known to be true)."""
    outcome = SuppressionOutcome()
    used: set[tuple[str, int, str]] = set()
    for f in findings:
        directives = suppressions.get(f.file or "") if f.rule not in UNSUPPRESSIBLE else None
        hit = next((s for s in directives or () if s.covers(f)), None)
        if hit is None:
            outcome.kept.append(f)
        else:
            outcome.suppressed.append(f)
            used.add((f.file or "", hit.line, f.rule))
    for file, directives in suppressions.items():
        if not audit_files(file):
            continue
        for s in directives:
            if not s.reason and (level := severity("suppression-reason", file)) is not None:
                args: dict[str, object] = {"rules": ",".join(s.rules) or "?"}
                outcome.kept.append(make("suppression-reason", "default", args, file, s.line, level))
            for rule in s.rules:
                if (file, s.line, rule) in used or (level := severity("suppression-unused", file)) is None:
                    continue
                key = "unused" if known_rules(rule) else "unknown"
                outcome.kept.append(make("suppression-unused", key, {"rule": rule}, file, s.line, level))
    return outcome
