"""Reporters for CI: SARIF 2.1.0 (code scanning), JUnit XML (test-report views), GitHub workflow annotations, and a
Markdown summary for a pull-request comment. All render the same Report."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mattercli import __version__
from mattercli.catalogue.yamlio import node_ends
from mattercli.check.config import git_toplevel
from mattercli.check.findings import FailOn, Finding, Report, Severity
from mattercli.check.rule_docs import RULES_DOC, anchor, rule_markdown, rule_summary
from mattercli.cli.report_base import Reporter, ReportFormat, counts, repo_path, scope_line
from mattercli.model.safetext import markdown_cell, terminal_safe, xml_safe

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job); workflow
#: commands past that are dropped without a word, so only this many of each kind are printed as annotations.
GITHUB_LIMIT = 10
#: GitHub code scanning rejects a SARIF run with more results than this (suppressed and baselined ones count).
SARIF_RESULT_LIMIT = 25_000
#: End positions are looked up in files up to this size (larger ones are not parsed: they are file-too-large).
END_POSITION_MAX_BYTES = 5 * 1024 * 1024
#: Environment variable naming the URL of mattercli's docs/ folder (SARIF helpUri: <it>/rules.md#<rule id>).
DOCS_URL_ENV = "MATTERCLI_DOCS_URL"
#: Findings listed in the Markdown summary (a PR comment is capped at 65,536 characters).
MARKDOWN_LIMIT = 50


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", rule_id))


class SarifReporter(Reporter):
    """SARIF 2.1.0: every rule with its Chinese and English titles, results with stable fingerprints; suppressed
    findings carry an inSource suppression with the reason, baselined ones an external one."""

    format = ReportFormat.sarif

    def _rules(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        out, index = [], {}
        docs_url = docs_base_url()
        for i, rule in enumerate(self.rules()):
            index[rule.id] = i
            entry: dict[str, Any] = {
                "id": rule.id,
                "name": _pascal(rule.id),
                "shortDescription": {"text": rule.title_en if self.en else rule.title},
                "fullDescription": {"text": f"{rule.title} / {rule.title_en}"},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]}
                | ({} if rule.default_enabled else {"enabled": False}),
                "help": {"text": rule_summary(rule), "markdown": rule_markdown(rule)},
                "properties": {"title_zh": rule.title, "title_en": rule.title_en},
            }
            if docs_url:
                entry["helpUri"] = f"{docs_url}/{Path(RULES_DOC).name}#{anchor(rule.id)}"
            out.append(entry)
        return out, index

    def _location(self, report: Report, f: Finding, top: Path | None) -> list[dict[str, Any]]:
        if f.file is None:
            return []
        if top is not None:
            uri, base = repo_path(report, f.file), "%SRCROOT%"
        else:
            uri, base = f.file, "CATALOGROOT"
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(uri), "uriBaseId": base}}
        if f.line is not None:
            region: dict[str, Any] = {"startLine": f.line}
            if f.column:
                region["startColumn"] = f.column
                end = self._ends(report, f.file).get((f.line, f.column))
                if end is not None:
                    region["endLine"], region["endColumn"] = end
            physical["region"] = region
        return [{"physicalLocation": physical}]

    def _ends(self, report: Report, file: str) -> dict[tuple[int, int], tuple[int, int]]:
        """Where the YAML nodes of `file` end (read once per file with findings; empty if it cannot be read)."""
        cache: dict[str, dict[tuple[int, int], tuple[int, int]]] = self.__dict__.setdefault("_end_cache", {})
        if file not in cache:
            path = Path(report.root) / file
            try:
                small = path.stat().st_size <= END_POSITION_MAX_BYTES
                cache[file] = node_ends(path.read_text(encoding="utf-8")) if small else {}
            except (OSError, UnicodeDecodeError, ValueError):
                cache[file] = {}
        return cache[file]

    def _result(
        self,
        report: Report,
        f: Finding,
        index: dict[str, int],
        top: Path | None,
        state: str | None,
        occurrence: int = 1,
    ) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": (f"{self.who(f)}: " if self.who(f) else "") + f.text(self.lang)},
            "locations": self._location(report, f, top),
            "partialFingerprints": {
                "mattercliFinding/v1": f.fingerprint,
                "primaryLocationLineHash": f"{f.fingerprint}:{occurrence}",
            },
            "properties": {
                "code": f.code,
                "name": f.name,
                "message_zh": f.message,
                "message_en": f.message_en,
                "department": report.departments.get(f.file or ""),
            },
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        if state is not None:
            result["baselineState"] = state
        return result

    def render(self, report: Report) -> str:
        rules, index = self._rules()
        top = git_toplevel(Path(report.root))
        baseline = report.details.get("baseline")
        state_new = "new" if baseline else None
        new, suppressed, baselined, omitted = _sarif_selection(report, SARIF_RESULT_LIMIT)
        seen: Counter[str] = Counter()

        def nth(f: Finding) -> int:  # identical problems in one file: "fingerprint:1", ":2" (as GitHub numbers them)
            seen[f.fingerprint] += 1
            return seen[f.fingerprint]

        results = [self._result(report, f, index, top, state_new, nth(f)) for f in new]
        for f in suppressed:
            result = self._result(report, f, index, top, state_new, nth(f))
            result["suppressions"] = [{"kind": "inSource", "status": "accepted"}]
            results.append(result)
        shown_baseline = _relative_file(baseline, top if top is not None else Path(report.root)) if baseline else None
        for f in baselined:
            result = self._result(report, f, index, top, "unchanged", nth(f))
            result["suppressions"] = [{"kind": "external", "justification": f"baseline: {shown_baseline}"}]
            results.append(result)
        errors, warnings, infos = counts(report)
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "mattercli",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "language": "en" if self.en else "zh-CN",
                    "rules": rules,
                }
            },
            # no absolute path in the file: the consumer (code scanning: the checkout) supplies the base
            "originalUriBaseIds": {
                "%SRCROOT%" if top is not None else "CATALOGROOT": {
                    "description": {
                        "text": "git 工作区根目录 / the git work tree's top level"
                        if top is not None
                        else "事项目录根目录 / the catalogue root"
                    }
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [
                {
                    "executionSuccessful": True,
                    "properties": {
                        "files": report.files,
                        "matters": report.matters,
                        "errors": errors,
                        "warnings": warnings,
                        "infos": infos,
                        "suppressed": len(report.suppressed),
                        "baselined": len(report.baselined),
                        **({"omitted": omitted} if omitted else {}),
                    },
                    **({"toolExecutionNotifications": [_omitted_notification(omitted, self.en)]} if omitted else {}),
                }
            ],
            "results": results,
        }
        doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def docs_base_url() -> str | None:
    """The URL of mattercli's docs/ folder for SARIF's helpUri: $MATTERCLI_DOCS_URL, else the installed
    package's `Documentation` project URL; None when neither is known (help.markdown still has the text)."""
    configured = os.environ.get(DOCS_URL_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        urls = metadata("mattercli").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip().rstrip("/")
    return None


def _relative_file(path: str, base: Path) -> str:
    """A file's path relative to `base` (the repository top or catalogue root) in POSIX form; its name alone if it
    lies elsewhere — never an absolute path in a report meant to be uploaded."""
    full = Path(path).resolve()
    try:
        return full.relative_to(base.resolve()).as_posix()
    except ValueError:
        return full.name


def _sarif_selection(report: Report, limit: int) -> tuple[list[Finding], list[Finding], list[Finding], dict[str, Any]]:
    """The findings, suppressed and baselined findings that fit in `limit` SARIF results, and what was left out.
    Over the limit, findings that fail the run come first, most serious first; suppressed and baselined ones
    (which count towards the limit too) last."""
    total = len(report.findings) + len(report.suppressed) + len(report.baselined)
    if total <= limit:
        return report.findings, report.suppressed, report.baselined, {}
    ordered = sorted(report.findings, key=lambda f: -f.severity.rank)  # stable: report order within a severity
    new = ordered[:limit]
    room = limit - len(new)
    suppressed = report.suppressed[:room]
    room -= len(suppressed)
    baselined = report.baselined[:room]
    left = Counter(f.severity.value for f in ordered[len(new) :])
    omitted: dict[str, Any] = {
        "limit": limit,
        "results": total - limit,
        "findings": {s.value: left[s.value] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        "suppressed": len(report.suppressed) - len(suppressed),
        "baselined": len(report.baselined) - len(baselined),
    }
    return new, suppressed, baselined, omitted


def _omitted_notification(omitted: dict[str, Any], en: bool) -> dict[str, Any]:
    f = omitted["findings"]
    if en:
        text = (
            f"{omitted['results']} results left out: code scanning rejects a run with more than {omitted['limit']:,} "
            f"(left out: {f['error']} errors, {f['warning']} warnings, {f['info']} notes, {omitted['suppressed']} "
            f"suppressed, {omitted['baselined']} baselined); the JSON report has every finding"
        )
    else:
        text = (
            f"另有 {omitted['results']} 个结果未写入:代码扫描拒收超过 {omitted['limit']} 个结果的运行(未写入:错误 "
            f"{f['error']} 个,警告 {f['warning']} 个,提示 {f['info']} 个,已抑制 {omitted['suppressed']} 个,"
            f"基线内 {omitted['baselined']} 个);完整结果见 JSON 报告"
        )
    return {"level": "warning", "descriptor": {"id": "result-limit"}, "message": {"text": text}}


class JunitReporter(Reporter):
    """JUnit XML: one test suite per file with findings, one test case per finding (a failure when at or above
    --fail-on, otherwise a passing case with the message as output), and one case for the run as a whole."""

    format = ReportFormat.junit

    def render(self, report: Report) -> str:
        fail_on = self.settings.fail_on
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for f in report.findings:
            by_file[f.file or "<catalog>"].append(f)
        suites = ET.Element("testsuites", name="mattercli validate")
        total_tests = total_failures = 0
        run_suite = ET.SubElement(suites, "testsuite", name="mattercli")
        run_case = ET.SubElement(run_suite, "testcase", name="validate", classname="mattercli")
        failed = report.failed(fail_on)
        errors, warnings, infos = counts(report)
        summary = (
            f"{report.files} files, {errors} errors, {warnings} warnings, {infos} infos"
            if self.en
            else f"{report.files} 个文件,错误 {errors} 个,警告 {warnings} 个,提示 {infos} 个"
        )
        if failed:
            ET.SubElement(run_case, "failure", message=summary, type="mattercli")
        else:
            ET.SubElement(run_case, "system-out").text = summary
        run_suite.set("tests", "1")
        run_suite.set("failures", "1" if failed else "0")
        run_suite.set("errors", "0")
        total_tests, total_failures = 1, int(failed)
        for file, findings in sorted(by_file.items()):
            shown = repo_path(report, file) if file != "<catalog>" else file  # as SARIF and GitLab name it
            suite = ET.SubElement(suites, "testsuite", name=shown or file, file=shown or file)
            failures = 0
            for f in findings:
                where = ":".join(str(x) for x in (f.line, f.column) if x is not None)
                case = ET.SubElement(
                    suite, "testcase", name=f"[{f.rule}] {where}".strip(), classname=shown or file, file=shown or file
                )
                if f.line is not None:
                    case.set("line", str(f.line))
                text = (f"{self.who(f)}: " if self.who(f) else "") + f.text(self.lang)
                if f.severity.rank >= fail_on.rank and fail_on is not FailOn.NEVER:
                    failure = ET.SubElement(case, "failure", message=text, type=f.severity.value)
                    failure.text = f"{shown}:{where}: {self.severity_label(f.severity)} [{f.rule}] {text}"
                    failures += 1
                else:
                    ET.SubElement(case, "system-out").text = f"{self.severity_label(f.severity)}: {text}"
            suite.set("tests", str(len(findings)))
            suite.set("failures", str(failures))
            suite.set("errors", "0")
            total_tests += len(findings)
            total_failures += failures
        suites.set("tests", str(total_tests))
        suites.set("failures", str(total_failures))
        suites.set("errors", "0")
        suites.set("time", f"{report.seconds:.3f}")
        _xml_safe_tree(suites)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _xml_safe_tree(root: ET.Element) -> None:
    """Every attribute and text of the tree within XML 1.0's character set (a control character in a matter name
    would make the whole file unreadable)."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, xml_safe(value))
        if element.text:
            element.text = xml_safe(element.text)


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (GitHub's toolkit escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also : and , (GitHub's toolkit escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` per finding, at most
    GITHUB_LIMIT of each kind (what GitHub shows for a step), the most serious kinds first. When some are left out,
    one notice (it takes one of the notice places) says how many of each, and the findings left out are printed
    as plain log lines in a collapsed group, so the log still has all of them; a summary line last."""

    format = ReportFormat.github

    def _props(self, report: Report, f: Finding) -> str:
        props = []
        if f.file is not None:
            props.append(f"file={escape_property(terminal_safe(repo_path(report, f.file)))}")
            if f.line is not None:
                props.append(f"line={f.line}")
                if f.column is not None:
                    props.append(f"col={f.column}")
        props.append(f"title={escape_property(f'[{f.rule}] {self.title(f.rule)}')}")
        return ",".join(props)

    def render(self, report: Report) -> str:
        by_kind: dict[Severity, list[Finding]] = {s: [] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in report.findings:
            by_kind[f.severity].append(f)
        over = any(len(found) > GITHUB_LIMIT for found in by_kind.values())
        caps = {s: GITHUB_LIMIT - (1 if over and s is Severity.INFO else 0) for s in by_kind}  # the notice's place
        lines: list[str] = []
        left_out: dict[Severity, list[Finding]] = {}
        for severity, found in by_kind.items():
            for f in found[: caps[severity]]:
                message = terminal_safe((f"{self.who(f)}: " if self.who(f) else "") + f.text(self.lang))
                lines.append(f"::{_GITHUB_COMMAND[severity]} {self._props(report, f)}::{escape_data(message)}")
            if len(found) > caps[severity]:
                left_out[severity] = found[caps[severity] :]
        if left_out:
            total = sum(len(v) for v in left_out.values())
            if self.en:
                parts = ", ".join(f"{len(v)} {s.value}s" for s, v in left_out.items())
                text = (
                    f"mattercli: {total} more findings not annotated ({parts}; GitHub shows {GITHUB_LIMIT} "
                    "annotations of each kind per step); they are in the log group below and the full report"
                )
                group = f"mattercli: {total} findings not annotated"
            else:
                parts = ",".join(f"{s.label} {len(v)} 个" for s, v in left_out.items())
                text = (
                    f"mattercli: 另有 {total} 个问题未标注({parts};GitHub 每个步骤每种标注最多显示 {GITHUB_LIMIT} 个),"
                    "见日志中的分组与完整报告"
                )
                group = f"mattercli: 未标注的 {total} 个问题"
            lines.append(f"::notice title=mattercli::{escape_data(text)}")
            lines.append(f"::group::{escape_data(group)}")
            for found in left_out.values():
                for f in found:
                    lines.append(_log_line(self, report, f))
            lines.append("::endgroup::")
        errors, warnings, infos = counts(report)
        lines.append(
            f"mattercli: {report.files} files, {errors} errors, {warnings} warnings, {infos} infos"
            if self.en
            else f"mattercli: 共检查 {report.files} 个文件,错误 {errors} 个,警告 {warnings} 个,提示 {infos} 个"
        )
        return "\n".join(lines) + "\n"


def _log_line(reporter: Reporter, report: Report, f: Finding) -> str:
    """A finding as a plain log line (not a workflow command): `path:line:col: 级别 [rule] who: message`, with
    what could start a workflow command (`::` at the start of a line) or split the line made harmless."""
    where = ":".join(str(x) for x in (f.line, f.column) if x is not None)
    place = repo_path(report, f.file) if f.file is not None else "<catalog>"
    who = reporter.who(f)
    text = f"{place}{':' + where if where else ''}: {reporter.severity_label(f.severity)} [{f.rule}] "
    text += (f"{who}: " if who else "") + f.text(reporter.lang)
    return terminal_safe(text)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no CR/LF or control characters, `|` and `<` escaped)."""
    return markdown_cell(text)


#: Environment variable: the URL file paths are appended to for absolute Markdown links (GitLab:
#: "$CI_PROJECT_URL/-/blob/$CI_COMMIT_SHA"). In GitHub Actions it defaults to server/repository/blob/commit.
LINK_BASE_ENV = "MATTERCLI_LINK_BASE"


def link_base() -> str | None:
    """Where Markdown links point: $MATTERCLI_LINK_BASE, else in GitHub Actions the commit being checked on the
    repository's web pages (GITHUB_SERVER_URL/GITHUB_REPOSITORY/blob/GITHUB_SHA); None: relative links."""
    configured = os.environ.get(LINK_BASE_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        parts = [os.environ.get(k, "").strip() for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")]
        if all(parts):
            server, repository, sha = parts
            return f"{server.rstrip('/')}/{repository}/blob/{sha}"
    return None


class MarkdownReporter(Reporter):
    """A summary fit for a pull-request comment: the outcome, counts by rule and by department, and the first
    MARKDOWN_LIMIT findings linked to file#Lline (links relative to where the summary is written)."""

    format = ReportFormat.markdown

    def _link(self, report: Report, f: Finding) -> str:
        if f.file is None:
            return "`<catalog>`"
        label = f"{f.file}:{f.line}" if f.line is not None else f.file
        anchor = f"#L{f.line}" if f.line is not None else ""
        web = link_base()
        if web is not None:  # a job summary or a comment has no folder to be relative to: absolute links
            return f"[{_cell(label)}]({web}/{quote(repo_path(report, f.file))}{anchor})"
        base = self.settings.output.resolve().parent if self.settings.output else Path.cwd()
        target = Path(report.root) / f.file
        try:
            rel = Path(os.path.relpath(target, base)).as_posix()
        except ValueError:
            rel = target.as_posix()
        return f"[{_cell(label)}]({quote(rel)}{anchor})"

    def render(self, report: Report) -> str:
        en = self.en
        errors, warnings, infos = counts(report)
        failed = report.failed(self.settings.fail_on)
        mark = "❌" if failed else ("⚠️" if report.findings else "✅")
        if en:
            head = f"## {mark} mattercli validate: {errors} errors, {warnings} warnings, {infos} infos"
        else:
            head = f"## {mark} 事项目录校验:错误 {errors} 个,警告 {warnings} 个,提示 {infos} 个"
        out = [head, ""]
        facts = [scope_line(report, en)] if report.details.get("changed_since") else []
        facts.append(
            f"{report.files} files ({report.matters} matters) checked"
            if en
            else f"共检查 {report.files} 个文件({report.matters} 个事项)"
        )
        if report.suppressed:
            facts.append(f"{len(report.suppressed)} suppressed" if en else f"已抑制 {len(report.suppressed)} 个")
        if report.baselined:
            facts.append(f"{len(report.baselined)} in baseline" if en else f"基线内 {len(report.baselined)} 个")
        out += [f"- {x}" for x in facts if x] + [""]
        if not report.findings:
            out.append("All clear." if en else "全部通过。")
            return "\n".join(out) + "\n"
        out += self._table(
            "By rule" if en else "按规则",
            ["rule", "title"] if en else ["规则", "名称"],
            lambda f: (f"`{f.rule}`", _cell(self.title(f.rule))),
            report,
        )
        unknown = "(unknown)" if en else "(未注明)"
        out += self._table(
            "By department" if en else "按部门",
            ["department"] if en else ["部门"],
            lambda f: (_cell(report.departments.get(f.file or "") or unknown),),
            report,
        )
        # the most serious first: the list is cut at MARKDOWN_LIMIT
        ordered = sorted(report.findings, key=lambda f: (-f.severity.rank, f.sort_key()))
        shown = ordered[:MARKDOWN_LIMIT]
        title = (
            f"Findings (first {len(shown)} of {len(report.findings)})"
            if en
            else f"问题清单(前 {len(shown)} 个,共 {len(report.findings)} 个)"
        )
        out += [f"### {title}", ""]
        header = (
            ["severity", "location", "rule", "matter", "message"] if en else ["级别", "位置", "规则", "事项", "说明"]
        )
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for f in shown:
            cells = [
                self.severity_label(f.severity),
                self._link(report, f),
                f"`{f.rule}`",
                _cell(self.who(f)),
                _cell(f.text(self.lang)),
            ]
            out.append("| " + " | ".join(cells) + " |")
        return "\n".join(out) + "\n"

    def _table(
        self, title: str, headers: list[str], key: Callable[[Finding], tuple[str, ...]], report: Report
    ) -> list[str]:
        """Counts by severity of the findings grouped by `key` (already Markdown-safe cells), most errors first."""
        rows: dict[tuple[str, ...], Counter[Severity]] = defaultdict(Counter)
        for f in report.findings:
            rows[key(f)][f.severity] += 1
        levels = (Severity.ERROR, Severity.WARNING, Severity.INFO)
        labels = [self.severity_label(s) for s in levels]
        out = [f"### {title}", "", "| " + " | ".join([*headers, *labels]) + " |", "|" + "---|" * (len(headers) + 3)]
        ordered = sorted(rows.items(), key=lambda kv: (-kv[1][Severity.ERROR], -sum(kv[1].values()), kv[0]))
        for cells, c in ordered:
            out.append("| " + " | ".join([*cells, *(str(c[s]) for s in levels)]) + " |")
        return [*out, ""]
