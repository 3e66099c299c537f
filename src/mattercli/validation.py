"""`validate`: load every file, run every rule, and gather the findings into a Report.

Per-file work (parse, schema, per-matter rules, summary) runs in worker processes; cross-file rules then run
once over the compact summaries. Findings for files outside the selected paths are dropped, but every file
still feeds the cross-file checks, so validating one file still checks its code is unique.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mattercli.catalog import (
    REGISTRY_FILES,
    LoadedRegistry,
    build_registries,
    find_root,
    iter_matter_files,
    load_registry_documents,
    relpath,
    select_files,
)
from mattercli.findings import Finding, Report, Severity
from mattercli.index import CatalogIndex, MatterSummary, partial_summary, summarise
from mattercli.models import matter_class_for
from mattercli.regions import region_table
from mattercli.rules import Context, Hit, Rule, RuleRegistry, default_registry
from mattercli.rules.schema import SchemaRule
from mattercli.yamlio import DEFAULT_MAX_BYTES, Document, load_file

ProgressFn = Callable[[int, int], None]
CHUNK = 64
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 1000


@dataclass
class ValidateOptions:
    """How to run: which rules (ids off, severity overrides), how many worker processes, file size limit."""

    jobs: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    disabled: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)
    registry: RuleRegistry = field(default_factory=default_registry)

    def severity_of(self, rule: Rule) -> Severity | None:
        if rule.id in self.disabled:
            return None
        return self.severities.get(rule.id, rule.severity)


@dataclass
class FileResult:
    file: str
    findings: list[Finding]
    summary: MatterSummary | None


def _identity(data: Any) -> tuple[str | None, str | None]:
    """Best-effort code and name of a raw document, so even a schema error names its matter."""
    if not isinstance(data, dict):
        return None, None
    code = data.get("实施编码") or data.get("基本编码")
    name = data.get("事项名称")
    return (str(code) if code is not None else None, str(name) if name is not None else None)


class Checker:
    """Turns hits into findings for one run: severities from the options, places from the documents."""

    def __init__(self, ctx: Context, options: ValidateOptions) -> None:
        self.ctx = ctx
        self.options = options
        self.rules = options.registry
        self.schema_rule: SchemaRule = self.rules["schema"]  # type: ignore[assignment]
        self.matter_rules = [r for r in self.rules.with_scope("check_matter") if options.severity_of(r)]

    def finding(
        self, hit: Hit, doc: Document | None, code: str | None = None, name: str | None = None
    ) -> Finding | None:
        rule = self.rules[hit.rule]
        severity = self.options.severity_of(rule)
        if severity is None:
            return None
        line, column = doc.locate(hit.path, key=hit.on_key) if doc is not None else (None, None)
        zh, en = rule.render(hit.key, hit.args)
        return Finding(
            rule=rule.id,
            severity=severity,
            file=hit.file or (doc.path if doc else None),
            line=line,
            column=column,
            code=hit.code or code,
            name=hit.name or name,
            message=zh,
            message_en=en,
        )

    def file_findings(self, doc: Document) -> list[Finding]:
        out = []
        code, name = _identity(doc.data)
        for problem in doc.problems:
            rule = self.rules[problem.rule]
            severity = self.options.severity_of(rule)
            if severity is None:
                continue
            zh, en = rule.render("default", problem.args)
            out.append(Finding(rule.id, severity, doc.path, problem.line, problem.column, code, name, zh, en))
        return out

    def check_document(self, doc: Document) -> FileResult:
        findings = self.file_findings(doc)
        if doc.data is None:
            return FileResult(doc.path, findings, None)
        model_cls = matter_class_for(doc.data)
        code, name = _identity(doc.data)
        schema_hits = (
            list(self.schema_rule.check_data(doc.data, model_cls.KIND))
            if self.options.severity_of(self.schema_rule)
            else []
        )
        if schema_hits:
            findings.extend(f for h in schema_hits if (f := self.finding(h, doc, code, name)))
            return FileResult(doc.path, findings, partial_summary(doc.data, doc.path))
        try:
            matter = model_cls.model_validate(doc.data)
        except ValidationError as exc:
            for error in exc.errors():
                hit = self.schema_rule.hit(
                    "other", tuple(error["loc"]), field=".".join(map(str, error["loc"])) or "-", detail=error["msg"]
                )
                if f := self.finding(hit, doc, code, name):
                    findings.append(f)
            return FileResult(doc.path, findings, partial_summary(doc.data, doc.path))
        for rule in self.matter_rules:
            if model_cls.KIND in rule.kinds:
                for hit in rule.check_matter(matter, self.ctx, doc.path):
                    if f := self.finding(hit, doc, matter.code, matter.name):
                        findings.append(f)
        return FileResult(doc.path, findings, summarise(matter, doc.path, self.ctx.registries.synonyms))


# Worker-process state, set once per process by _init_worker (inherited through fork, or pickled on spawn).
_WORKER: Checker | None = None


def _init_worker(checker: Checker) -> None:
    global _WORKER
    _WORKER = checker


def _check_chunk(chunk: Sequence[tuple[str, str]]) -> list[FileResult]:
    assert _WORKER is not None
    return [
        _WORKER.check_document(load_file(Path(path), display, _WORKER.options.max_bytes)) for path, display in chunk
    ]


def _chunks(items: Sequence[tuple[str, str]], size: int) -> Iterable[Sequence[tuple[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_files(
    checker: Checker, files: Sequence[tuple[str, str]], jobs: int, progress: ProgressFn | None
) -> list[FileResult]:
    """Per-file checks over (path, display name) pairs, in worker processes when jobs > 1."""
    total = len(files)
    results: list[FileResult] = []
    if jobs <= 1 or total < PARALLEL_MIN_FILES:
        _init_worker(checker)
        for chunk in _chunks(files, CHUNK):
            results.extend(_check_chunk(chunk))
            if progress:
                progress(len(results), total)
        return results
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(checker,)
    ) as pool:
        for batch in pool.map(_check_chunk, _chunks(files, CHUNK)):
            results.extend(batch)
            if progress:
                progress(len(results), total)
    return results


def _check_registries(loaded: list[LoadedRegistry], checker: Checker) -> list[Finding]:
    findings: list[Finding] = []
    for item in loaded:
        doc = item.document
        findings.extend(checker.file_findings(doc))
        if doc.data is None:
            continue
        hits = list(checker.schema_rule.check_data(doc.data, item.file_name))
        if hits:
            findings.extend(f for h in hits if (f := checker.finding(h, doc)))
            continue
        try:
            item.model = REGISTRY_FILES[item.file_name].model_validate(doc.data)
        except ValidationError as exc:
            for error in exc.errors():
                hit = checker.schema_rule.hit(
                    "other", tuple(error["loc"]), field=".".join(map(str, error["loc"])), detail=error["msg"]
                )
                if f := checker.finding(hit, doc):
                    findings.append(f)
    return findings


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def validate(
    paths: Sequence[Path],
    options: ValidateOptions | None = None,
    progress: ProgressFn | None = None,
) -> Report:
    """Validate the catalogue holding `paths` (default: the current directory), reporting on `paths` only."""
    options = options or ValidateOptions()
    started = time.perf_counter()
    paths = list(paths) or [Path.cwd()]
    root = find_root(paths[0])
    all_files = list(iter_matter_files(root))
    selected = select_files(root, paths, all_files)
    selected_names = {relpath(p, root) for p in selected}
    whole = len(selected) == len(all_files)

    loaded = load_registry_documents(root)
    ctx = Context(registries=build_registries([]), regions=region_table())
    checker = Checker(ctx, options)
    findings = _check_registries(loaded, checker)
    registries = build_registries(loaded)
    ctx = Context(registries=registries, regions=region_table())
    checker = Checker(ctx, options)
    docs_by_file = {item.document.path: item.document for item in loaded}
    findings.extend(_rule_findings(checker, "check_registry", registries, docs_by_file, root))

    universe = {relpath(p, root): p for p in all_files}
    for p in selected:
        universe.setdefault(relpath(p, root), p)
    pairs = [(str(path), display) for display, path in universe.items()]
    results = check_files(checker, pairs, options.jobs, progress)
    summaries = []
    for result in results:
        if result.summary is not None:
            summaries.append(result.summary)
        if whole or result.file in selected_names:
            findings.extend(result.findings)
    index = CatalogIndex(summaries)
    catalog_findings = _rule_findings(checker, "check_catalog", index, docs_by_file, root)
    findings.extend(
        f for f in catalog_findings if whole or f.file in selected_names or (f.file or "").startswith("registry/")
    )

    report = Report(
        root=str(root),
        findings=findings,
        files=len(selected),
        matters=sum(1 for r in results if r.summary and r.summary.complete and (whole or r.file in selected_names)),
    )
    report.sort()
    report.seconds = time.perf_counter() - started
    return report


def _rule_findings(checker: Checker, method: str, subject: Any, docs: dict[str, Document], root: Path) -> list[Finding]:
    """Run every rule that has `method` on `subject`; locate each hit by (re)reading its file."""
    out = []
    for rule in checker.rules.with_scope(method):
        if checker.options.severity_of(rule) is None:
            continue
        for hit in getattr(rule, method)(subject, checker.ctx):
            doc = None
            if hit.file is not None:
                doc = docs.get(hit.file)
                if doc is None:
                    doc = docs[hit.file] = load_file(root / hit.file, hit.file, checker.options.max_bytes)
            if f := checker.finding(hit, doc):
                out.append(f)
    return out
