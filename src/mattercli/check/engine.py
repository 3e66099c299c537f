"""`validate`: load every file, run every rule, and gather the findings into a Report.

Per-file work (parse, schema, per-matter rules, summary) runs in worker processes, or comes from the cache when
the file's content is unchanged; cross-file rules then run once over the compact summaries. Findings for files
outside the selected paths are dropped, but every file still feeds the cross-file checks, so validating one file
still checks its code is unique. Then inline suppressions and the baseline are applied. `--changed-since` runs
are planned in mattercli.check.changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mattercli import __version__
from mattercli.catalogue import leftovers
from mattercli.catalogue.bundles import LoadedBundle, parse_bundle
from mattercli.catalogue.catalog import (
    BUNDLES_DIR,
    REGISTRY_DIR,
    REGISTRY_FILES,
    YAML_SUFFIXES,
    CatalogError,
    LoadedRegistry,
    build_registries,
    find_root,
)
from mattercli.catalogue.fsutil import open_regular, read_inside, read_regular
from mattercli.catalogue.limits import load_limits
from mattercli.catalogue.store import ResultCache, blob_id, namespace_key
from mattercli.catalogue.store_codec import FileResult, FileStat, finding_row
from mattercli.catalogue.walk import MatterFile, scan_matter_files, select
from mattercli.catalogue.yamlio import (
    DEFAULT_MAX_BYTES,
    Document,
    FileProblem,
    load_bytes,
    load_file,
    os_problem,
    set_max_keys,
)
from mattercli.check.baseline import DEFAULT_FILE, Baseline, apply_baseline, read_baseline, write_baseline
from mattercli.check.config import LoadedConfig, Preset, RuleInfo, RulePolicy, build_policy, load_config
from mattercli.check.findings import Finding, Report, Severity
from mattercli.check.index import CatalogIndex, partial_summary, share_parts, summarise
from mattercli.check.proof_review import OPTIONS_KEY
from mattercli.check.rules import Context, Hit, RuleRegistry, default_registry
from mattercli.check.rules.bundle_inputs import BUNDLES_KEY
from mattercli.check.rules.schema import SchemaRule
from mattercli.check.rules.suppression import SUPPRESSION_RULES
from mattercli.check.suppress import Suppression, apply_suppressions, parse_suppressions
from mattercli.model import matter_class_for
from mattercli.model.lenient import lenient_matter
from mattercli.model.regions import region_table
from mattercli.model.schema import SCHEMA_VERSION

ProgressFn = Callable[[int, int], None]
CHUNK = 64
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 1000
#: Message arguments that name a line: left out of a finding's identity, so baselines survive edits.
_POSITION_ARGS = frozenset({"first_line", "line", "column"})


def full_registry() -> RuleRegistry:
    """Every rule validate reports: the catalogue rules and the rules about inline suppressions."""
    registry = default_registry()
    for cls in SUPPRESSION_RULES:
        registry.add(cls())
    return registry


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def ident_of(key: str, args: Any) -> str:
    """A finding's identity: message key and arguments, without positions (see Finding.ident)."""
    shown = {k: _plain(v) for k, v in dict(args).items() if k not in _POSITION_ARGS}
    return key + "|" + json.dumps(shown, ensure_ascii=False, sort_keys=True)


@dataclass
class ValidateOptions:
    """How to run: rules (config file, preset, command-line choices), processes, cache, baseline, scope."""

    jobs: int = 1
    #: Largest file parsed; None: the config's max-file-size, else 5 MiB.
    max_bytes: int | None = None
    disabled: frozenset[str] = frozenset()
    enabled: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)
    registry: RuleRegistry = field(default_factory=full_registry)
    #: The configuration; None: read it from the catalogue root (mattercli.toml / pyproject.toml).
    config: LoadedConfig | None = None
    preset: Preset | None = None
    #: Read and write the catalogue store (mattercli.catalogue.store: .mattercli-cache/ at the catalogue root, or
    #: $MATTERCLI_CACHE_DIR); the CLI's default, off for library calls.
    cache: bool = False
    #: Baseline file; None: the config's `baseline`, if any.
    baseline: Path | None = None
    #: Record this run's findings as the baseline (to `baseline`, the config's, or mattercli-baseline.json).
    write_baseline: bool = False
    #: Validate only what changed since this git revision (and what the change affects).
    changed_since: str | None = None
    #: Files to treat as changed whether or not they differ from `changed_since` (the files pre-commit passes:
    #: `pre-commit run --all-files` passes every file). None: only what git says changed.
    changed_files: Sequence[Path] | None = None


def _identity(data: Any) -> tuple[str | None, str | None]:
    """Best-effort code and name of a raw document, so even a schema error names its matter."""
    if not isinstance(data, dict):
        return None, None
    code = data.get("实施编码") or data.get("基本编码")
    name = data.get("事项名称")
    return (str(code) if code is not None else None, str(name) if name is not None else None)


def _department(data: Any) -> str | None:
    """The body a matter belongs to, for breakdowns: 实施主体's name, or the base entry's 主管部门."""
    if not isinstance(data, dict):
        return None
    body = data.get("实施主体")
    name = body.get("名称") if isinstance(body, dict) else data.get("主管部门")
    return name if isinstance(name, str) else None


class Checker:
    """Turns hits into findings for one run: severities from the rule policy, places from the documents."""

    def __init__(self, ctx: Context, registry: RuleRegistry, policy: RulePolicy) -> None:
        self.ctx = ctx
        self.rules = registry
        self.policy = policy
        self.schema_rule: SchemaRule = self.rules["schema"]  # type: ignore[assignment]
        self.matter_rules = [r for r in self.rules.with_scope("check_matter") if policy.enabled_anywhere(r.id)]
        self.text_rules = [r for r in self.rules.with_scope("check_text") if policy.enabled_anywhere(r.id)]

    def finding(
        self, hit: Hit, doc: Document | None, code: str | None = None, name: str | None = None
    ) -> Finding | None:
        rule = self.rules[hit.rule]
        file = hit.file or (doc.path if doc else None)
        severity = self.policy.severity(rule.id, file)
        if severity is None:
            return None
        if hit.severity is not None:
            severity = hit.severity
        line: int | None
        column: int | None
        if hit.line is not None:
            line, column = hit.line, hit.column
        else:
            line, column = doc.locate(hit.path, key=hit.on_key) if doc is not None else (None, None)
        zh, en = rule.render(hit.key, hit.args)
        return Finding(
            rule=rule.id,
            severity=severity,
            file=file,
            line=line,
            column=column,
            code=hit.code or code,
            name=hit.name or name,
            message=zh,
            message_en=en,
            ident=ident_of(hit.key, hit.args),
        )

    def file_findings(self, doc: Document) -> list[Finding]:
        out = []
        code, name = _identity(doc.data)
        for problem in doc.problems:
            rule = self.rules[problem.rule]
            severity = self.policy.severity(rule.id, doc.path)
            if severity is None:
                continue
            zh, en = rule.render("default", problem.args)
            ident = ident_of("default", problem.args)
            out.append(Finding(rule.id, severity, doc.path, problem.line, problem.column, code, name, zh, en, ident))
        return out

    def _schema_errors(self, doc: Document, kind: str, code: str | None, name: str | None) -> list[Finding] | None:
        """Schema findings (None when the document passes): jsonschema first, then the pydantic model."""
        if self.policy.severity("schema", doc.path) is not None:
            hits = list(self.schema_rule.check_data(doc.data, kind))
            if hits:
                return [f for h in hits if (f := self.finding(h, doc, code, name))]
        return None

    def _lenient_findings(self, doc: Document, model_cls: Any, code: str | None, name: str | None) -> list[Finding]:
        """Per-matter rules on what parsed of a file that fails the schema (its valid elements), so one schema error
        does not hide every other problem; a rule that needs an element the file lacks is skipped for it."""
        if not isinstance(doc.data, dict):
            return []
        matter = lenient_matter(model_cls, doc.data)
        out: list[Finding] = []
        for rule in self.matter_rules:
            if model_cls.KIND not in rule.kinds:
                continue
            try:
                hits = list(rule.check_matter(matter, self.ctx, doc.path))
            except (AttributeError, TypeError, ValueError, KeyError, IndexError):
                continue  # the rule needs an element this file does not (validly) have
            out.extend(f for hit in hits if (f := self.finding(hit, doc, code, name)))
        return out

    def check_document(self, doc: Document, summary_only: bool = False) -> FileResult:
        """Per-file findings and summary; with summary_only, just what cross-file checks need (no matter rules)."""
        findings = [] if summary_only else self.file_findings(doc)
        suppressions = parse_suppressions(doc.text)
        department = _department(doc.data)
        if doc.data is None:
            return FileResult(doc.path, None if summary_only else findings, None, suppressions=suppressions)
        model_cls = matter_class_for(doc.data)
        code, name = _identity(doc.data)
        partial = FileResult(doc.path, findings, None, suppressions=suppressions, department=department)
        if not summary_only:
            for rule in self.text_rules:
                findings.extend(f for hit in rule.check_text(doc) if (f := self.finding(hit, doc, code, name)))
        schema = self._schema_errors(doc, model_cls.KIND, code, name)
        if schema is not None:
            findings.extend(schema)
            partial.summary = partial_summary(doc.data, doc.path)
            if not summary_only:
                findings.extend(self._lenient_findings(doc, model_cls, code, name))
        else:
            try:
                matter = model_cls.model_validate(doc.data)
            except ValidationError as exc:
                for error in exc.errors():
                    hit = self.schema_rule.hit(
                        "other", tuple(error["loc"]), field=".".join(map(str, error["loc"])) or "-", detail=error["msg"]
                    )
                    if f := self.finding(hit, doc, code, name):
                        findings.append(f)
                partial.summary = partial_summary(doc.data, doc.path)
                if not summary_only:
                    findings.extend(self._lenient_findings(doc, model_cls, code, name))
            else:
                if not summary_only:
                    for rule in self.matter_rules:
                        if model_cls.KIND in rule.kinds:
                            for hit in rule.check_matter(matter, self.ctx, doc.path):
                                if f := self.finding(hit, doc, matter.code, matter.name):
                                    findings.append(f)
                partial.summary = summarise(matter, doc.path, self.ctx.registries.synonyms)
        if summary_only:
            partial.findings = None
        return partial


def read_document(path: str | Path, display: str, max_bytes: int) -> tuple[Document, str, FileStat | None]:
    """Read and parse one file; also its blob id (of the bytes parsed) and stat data. Never raises."""
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            st = os.fstat(handle.fileno())
            stat = FileStat.of(st)
            if st.st_size > max_bytes:
                problem = FileProblem("file-too-large", 1, 1, {"size": st.st_size, "limit": max_bytes})
                return Document(display, None, problems=[problem]), f"large:{st.st_size}:{st.st_mtime_ns}", stat
            raw = handle.read()
    except OSError as exc:
        return Document(display, None, problems=[os_problem(exc)]), "", None
    return load_bytes(raw, display, max_bytes), blob_id(raw), stat


# Worker-process state, set once per process by _init_worker (inherited through fork, or pickled on spawn).
_WORKER: tuple[Checker, int, bool] | None = None


def _start_worker(checker: Checker, max_bytes: int, summary_only: bool) -> None:
    """A pool worker: dies with the parent (kill -9 included), then takes its state."""
    leftovers.die_with_parent()
    _init_worker(checker, max_bytes, summary_only)


def _init_worker(checker: Checker, max_bytes: int = DEFAULT_MAX_BYTES, summary_only: bool = False) -> None:
    global _WORKER
    _WORKER = (checker, max_bytes, summary_only)


def _check_chunk(chunk: Sequence[tuple[str, str]]) -> list[FileResult]:
    assert _WORKER is not None
    checker, max_bytes, summary_only = _WORKER
    out = []
    for path, display in chunk:
        doc, blob, stat = read_document(path, display, max_bytes)
        result = checker.check_document(doc, summary_only)
        result.blob, result.stat = blob, stat
        out.append(result)
    return out


def _chunks(items: Sequence[tuple[str, str]], size: int) -> Iterable[Sequence[tuple[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_files(
    checker: Checker,
    files: Sequence[tuple[str, str]],
    jobs: int,
    progress: ProgressFn | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    summary_only: bool = False,
) -> list[FileResult]:
    """Per-file checks over (path, display name) pairs, in worker processes when jobs > 1."""
    total = len(files)
    results: list[FileResult] = []
    shared: dict[Any, Any] = {}

    def take(batch: list[FileResult]) -> None:
        for result in batch:
            if result.summary is not None:
                share_parts(result.summary, shared)
            if result.department is not None:
                result.department = shared.setdefault(result.department, result.department)
        results.extend(batch)
        if progress:
            progress(len(results), total)

    if jobs <= 1 or total < PARALLEL_MIN_FILES:
        _init_worker(checker, max_bytes, summary_only)
        for chunk in _chunks(files, CHUNK):
            take(_check_chunk(chunk))
        return results
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(checker, max_bytes, summary_only)
    ) as pool:
        for batch in pool.map(_check_chunk, _chunks(files, CHUNK)):
            take(batch)
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


def _registry_bytes(root: Path) -> list[tuple[str, bytes | OSError | None]]:
    """Each registry file's bytes (None: absent; the OSError: unreadable), in REGISTRY_FILES order."""
    out: list[tuple[str, bytes | OSError | None]] = []
    for name in REGISTRY_FILES:
        try:
            out.append((name, read_inside(root, f"{REGISTRY_DIR}/{name}")))
        except FileNotFoundError:
            out.append((name, None))
        except OSError as exc:
            out.append((name, exc))
    return out


def _policy(options: ValidateOptions, loaded: LoadedConfig) -> RulePolicy:
    rules = [RuleInfo(r.id, r.severity, r.default_enabled) for r in options.registry]
    return build_policy(
        loaded,
        rules,
        preset=options.preset,
        cli_disable=options.disabled,
        cli_enable=options.enabled,
        cli_severity=dict(options.severities),
    )


class Run:
    """One validation run's shared state: config and rule policy, registries, checker, cache, registry findings."""

    def __init__(self, root: Path, options: ValidateOptions, progress: ProgressFn | None = None) -> None:
        self.root = root
        self.options = options
        self.progress = progress
        self.loaded = options.config if options.config is not None else load_config(root)
        config = self.loaded.config
        self.policy = _policy(options, self.loaded)
        self.max_bytes = options.max_bytes or (int(config.max_file_size) if config.max_file_size else DEFAULT_MAX_BYTES)
        self.limits = load_limits(root)
        set_max_keys(self.limits.yaml_keys_per_mapping)  # worker processes fork after this
        self.registry = options.registry

        raw = _registry_bytes(root)
        registry_key = hashlib.sha256(
            b"\0".join(f"{n}\0".encode() + (b if isinstance(b, bytes) else repr(b).encode()) for n, b in raw)
        ).hexdigest()
        review = config.proof_rules.review_options()
        namespace = namespace_key(
            __version__,
            SCHEMA_VERSION,
            registry_key,
            self.policy.fingerprint(),
            str(self.max_bytes),
            str(self.limits.yaml_keys_per_mapping),
            review.fingerprint(),
        )
        self.cache = ResultCache(root if options.cache else None, namespace)
        loaded = self._registry_documents(root, raw, registry_key)
        empty = Checker(Context(registries=build_registries([]), regions=region_table()), self.registry, self.policy)
        self.registry_findings = _check_registries(loaded, empty)
        registries = build_registries(loaded)
        self.checker = Checker(
            Context(registries=registries, regions=region_table(), extra={OPTIONS_KEY: review}),
            self.registry,
            self.policy,
        )
        self.docs: dict[str, Document] = {item.document.path: item.document for item in loaded}
        self.bundle_key = self._load_bundles(root)
        self.registry_findings.extend(self.rule_findings("check_registry", registries))
        self.suppressions: dict[str, tuple[Suppression, ...]] = {
            path: found for path, doc in self.docs.items() if (found := parse_suppressions(doc.text))
        }
        self.identity: dict[str, tuple[str | None, str | None]] = {}
        self.known_paths: set[str] = set()
        self.departments: dict[str, str] = {}

    def _registry_documents(
        self, root: Path, raw: list[tuple[str, bytes | OSError | None]], key: str
    ) -> list[LoadedRegistry]:
        """The registry files as documents: parsed from the cache when their bytes are the same (a 200 KB
        departments.yaml takes longer to parse than the rest of a warm run's set-up), else read now and cached."""
        cached = self.cache.get_documents(key)
        if cached is not None and [d.path for d in cached] == [f"{REGISTRY_DIR}/{n}" for n, b in raw if b is not None]:
            names = [n for n, b in raw if b is not None]
            return [LoadedRegistry(name, doc) for name, doc in zip(names, cached, strict=True)]
        loaded = []
        for name, data in raw:
            path = f"{REGISTRY_DIR}/{name}"
            if isinstance(data, OSError):
                problem = FileProblem("unreadable", None, None, {"error": data.strerror or str(data)})
                loaded.append(LoadedRegistry(name, Document(path, None, problems=[problem])))
            elif data is not None:
                loaded.append(LoadedRegistry(name, load_bytes(data, path)))
        if all(isinstance(data, bytes) or data is None for _, data in raw):
            self.cache.put_documents(key, [item.document for item in loaded])
        return loaded

    def _load_bundles(self, root: Path) -> str:
        """Read bundles/*.yaml (一件事): their file and schema findings join the registry findings, the valid ones go
        to the bundle rules through the context; returns a digest of their bytes (a whole run's result depends on
        them)."""
        digest = hashlib.sha256()
        loaded = []
        folder = root / BUNDLES_DIR
        paths = sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() and not folder.is_symlink() else []
        for path in paths:
            if path.name.startswith(".") or path.suffix not in YAML_SUFFIXES:
                continue
            rel = f"{BUNDLES_DIR}/{path.name}"
            doc = load_file(path, rel, self.max_bytes)
            digest.update(rel.encode() + b"\0" + (doc.text or "").encode() + b"\0")
            self.docs[rel] = doc
            self.registry_findings.extend(self.checker.file_findings(doc))
            if isinstance(doc.data, dict) and self.policy.severity("schema", rel) is not None:
                for hit in self.checker.schema_rule.check_data(doc.data, "bundle"):
                    if f := self.checker.finding(hit, doc, doc.data.get("编码"), doc.data.get("一件事名称")):
                        self.registry_findings.append(f)
            loaded.append(LoadedBundle(rel, doc, parse_bundle(doc)))
        self.checker.ctx.extra[BUNDLES_KEY] = tuple(loaded)
        return digest.hexdigest()

    def close(self) -> None:
        self.cache.close()

    # -- per-file results, from the cache or checked now --

    def remember(self, result: FileResult) -> None:
        """Keep what the finishing steps need of a file: suppressions, identity, department."""
        if result.suppressions:
            self.suppressions[result.file] = result.suppressions
        if result.summary is not None:
            self.identity[result.file] = (result.summary.code, result.summary.name)
        if result.department:
            self.departments[result.file] = result.department

    def check(
        self, files: Sequence[MatterFile], summary_only: bool = False, store: bool = True
    ) -> dict[str, FileResult]:
        """Per-file results for `files`: cached where the content is unchanged, checked (and cached) otherwise.

        store=False skips storing fresh results unless the cache is on disk (nothing in this run reads them back)."""
        cache = self.cache
        many = len(files) > 1000  # a whole catalogue: one query for stat data and results
        if many:
            known = cache.known(with_data=not summary_only)
            self.known_paths = set(known)
        else:
            known = cache.known([f.rel for f in files]) if files else {}
        wanted: dict[str, str] = {}
        touched: list[tuple[str, str, FileStat]] = []
        for f in files:
            entry = known.get(f.rel)
            if entry is None or (not summary_only and entry[6] != 1):
                continue
            blob = cache.stat_blob(entry, f.stat) if f.stat else None
            if blob is None:
                try:
                    blob = blob_id(read_regular(f.path))
                except OSError:
                    continue
                cache.stats.hashed += 1
                if blob == entry[0] and f.stat is not None:
                    touched.append((f.rel, blob, f.stat))
            if blob == entry[0]:
                wanted[f.rel] = blob
        if many and not summary_only:
            results = cache.decode_known(known, wanted)
        else:
            results = cache.load(wanted, full=not summary_only)
        missing = [(f.path, f.rel) for f in files if f.rel not in results]
        cache.stats.hits += len(results)
        cache.stats.misses += len(missing)
        fresh = check_files(self.checker, missing, self.options.jobs, self.progress, self.max_bytes, summary_only)
        if store or cache.persistent:
            cache.put((r, r.stat) for r in fresh if r.blob)
        cache.touch(touched)
        for r in fresh:
            results[r.file] = r
        return results

    # -- cross-file rules --

    def rule_findings(
        self, method: str, subject: Any, only: Callable[[str | None], bool] | None = None
    ) -> list[Finding]:
        """Run every rule that has `method` on `subject`; locate each hit (of the files `only` accepts) by
        (re)reading its file."""
        out = []
        for rule in self.registry.with_scope(method):
            if not self.policy.enabled_anywhere(rule.id):
                continue
            for hit in getattr(rule, method)(subject, self.checker.ctx):
                if only is not None and not only(hit.file):
                    continue
                doc = None
                if hit.file is not None:
                    doc = self.docs.get(hit.file)
                    if doc is None:
                        doc = self.docs[hit.file] = load_file(self.root / hit.file, hit.file, self.max_bytes)
                if f := self.checker.finding(hit, doc):
                    out.append(f)
        return out

    # -- the whole catalogue (or selected paths of it) --

    def full(self, paths: Sequence[Path]) -> Report:
        files = scan_matter_files(self.root)
        whole, chosen, extra = select(self.root, paths, files)
        universe = [*files, *extra]

        def in_scope(file: str | None) -> bool:
            return whole or file is None or file in chosen or file.startswith((REGISTRY_DIR + "/", BUNDLES_DIR + "/"))

        if whole and self.cache.persistent:  # nothing changed since the last whole run: its findings stand
            unchanged = self.unchanged_run(universe)
            if unchanged is not None:
                return self.finish(unchanged[0], len(chosen), unchanged[1], in_scope, in_scope)
        results = self.check(universe, store=False)
        findings: list[Finding] = []
        for result in results.values():
            self.remember(result)
            if (whole or result.file in chosen) and result.findings:
                findings.extend(result.findings)
        index = CatalogIndex(r.summary for r in results.values() if r.summary is not None)
        findings.extend(self.rule_findings("check_catalog", index, in_scope))
        findings.extend(self.registry_findings)
        if whole:  # forget the files that are gone
            cached = self.known_paths or set(self.cache.blobs())
            if gone := cached - {f.rel for f in universe}:
                self.cache.forget(gone)
        matters = sum(1 for r in results.values() if r.summary and r.summary.complete and (whole or r.file in chosen))
        if whole and self.cache.persistent:
            self.store_run(universe, results, findings, matters)
        return self.finish(findings, len(chosen), matters, in_scope, in_scope)

    # -- a whole run's result, kept for the next run over the same file contents --

    @staticmethod
    def run_digest(pairs: Iterable[tuple[str, str]]) -> str:
        """One key for a whole catalogue's contents: every matter file's path and blob id."""
        digest = hashlib.sha256()
        for rel, blob in sorted(pairs):
            digest.update(f"{rel}\0{blob}\n".encode())
        return digest.hexdigest()

    def unchanged_run(self, universe: Sequence[MatterFile]) -> tuple[list[Finding], int] | None:
        """(findings before suppressions and baseline, matter count) of the last whole run, when every file's size,
        times and inode still match the cache (so its content is unchanged) and that run saw exactly these files."""
        known = self.cache.known()
        pairs = []
        for f in universe:
            entry = known.get(f.rel)
            blob = self.cache.stat_blob(entry, f.stat) if entry is not None and entry[6] == 1 and f.stat else None
            if blob is None:
                return None
            pairs.append((f.rel, blob))
        payload = self.cache.get_run(self.run_digest([*pairs, (BUNDLES_DIR, self.bundle_key)]))
        if payload is None:
            return None
        try:
            findings = [
                Finding(str(r), Severity(sev), file, line, col, code, name, str(zh), str(en), ident)
                for file, r, sev, line, col, code, name, zh, en, ident in payload["findings"]
            ]
            for file, found in payload["suppressions"].items():
                self.suppressions[file] = tuple(Suppression.from_tuple(x) for x in found)
            self.identity.update((file, (code, name)) for file, code, name in payload["identity"])
            self.departments.update(payload["departments"])
            matters = int(payload["matters"])
        except (KeyError, TypeError, ValueError):
            self.cache.stats.rejected += 1
            return None
        if gone := known.keys() - {f.rel for f in universe}:
            self.cache.forget(gone)
        self.cache.stats.hits += len(universe)
        return findings, matters

    def store_run(
        self, universe: Sequence[MatterFile], results: dict[str, FileResult], findings: list[Finding], matters: int
    ) -> None:
        pairs = []
        for f in universe:
            result = results.get(f.rel)
            if result is None or not result.blob:
                return  # an unreadable file: no content to key on
            pairs.append((f.rel, result.blob))
        noted = {f.file for f in findings if f.file} | {
            file for file in self.suppressions if file in results and results[file].suppressions
        }
        payload = {
            "findings": [[f.file, *finding_row(f)] for f in findings],
            "suppressions": {
                file: [x.to_tuple() for x in results[file].suppressions] for file in sorted(noted) if file in results
            },
            "identity": [[file, *self.identity[file]] for file in sorted(noted) if file in self.identity],
            "departments": {file: self.departments[file] for file in sorted(noted) if file in self.departments},
            "matters": matters,
        }
        self.cache.put_run(self.run_digest([*pairs, (BUNDLES_DIR, self.bundle_key)]), payload)

    # -- suppressions, baseline, the report --

    def meta_finding(
        self, rule_id: str, key: str, args: dict[str, object], file: str, line: int, severity: Severity
    ) -> Finding:
        zh, en = self.registry[rule_id].render(key, args)
        code, name = self.identity.get(file, (None, None))
        return Finding(rule_id, severity, file, line, None, code, name, zh, en, ident_of(key, args))

    def baseline_path(self) -> Path | None:
        if self.options.baseline is not None:
            return self.options.baseline
        if self.loaded.config.baseline:
            return self.loaded.resolve(self.loaded.config.baseline)
        return self.root / DEFAULT_FILE if self.options.write_baseline else None

    def finish(
        self,
        findings: list[Finding],
        files: int,
        matters: int,
        in_scope: Callable[[str | None], bool],
        audited: Callable[[str], bool],
    ) -> Report:
        """Apply suppressions (auditing them in the `audited` files) and the baseline (in-scope files)."""
        outcome = apply_suppressions(
            findings,
            self.suppressions,
            known_rules=lambda r: r in self.registry,
            severity=self.policy.severity,
            make=self.meta_finding,
            audit_files=audited,
        )
        kept, baselined, fixed = outcome.kept, [], 0
        path = self.baseline_path()
        details: dict[str, Any] = {"cache": self.cache.describe()}
        if path is not None:
            scope: Callable[[str], bool] = in_scope
            if self.options.write_baseline:
                previous = read_baseline(path) if path.is_file() else None
                written: Baseline = write_baseline(path, kept, scope, previous)
                details["baseline_written"] = str(path)
                split = apply_baseline(kept, written, scope)
            else:
                split = apply_baseline(kept, read_baseline(path), scope)
            kept, baselined, fixed = split.new, split.baselined, split.fixed
            details["baseline"] = str(path)
        report = Report(
            root=str(self.root),
            findings=kept,
            files=files,
            matters=matters,
            suppressed=outcome.suppressed,
            baselined=baselined,
            baseline_fixed=fixed,
            details=details,
        )
        for f in (*report.findings, *report.suppressed, *report.baselined):
            if f.file and (dept := self.departments.get(f.file)):
                report.departments[f.file] = dept
        report.sort()
        report.suppressed.sort(key=Finding.sort_key)
        report.baselined.sort(key=Finding.sort_key)
        return report


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
    run = Run(root, options, progress)
    try:
        if options.changed_since is not None:
            from mattercli.catalogue.gitio import GitError
            from mattercli.check.changed import validate_changed

            try:
                report = validate_changed(run, paths, options.changed_since, options.changed_files or ())
            except GitError as exc:  # a revision that does not exist, not a git work tree: the user's to fix
                raise CatalogError(str(exc)) from exc
        else:
            report = run.full(paths)
    finally:
        run.close()
    report.seconds = time.perf_counter() - started
    return report
