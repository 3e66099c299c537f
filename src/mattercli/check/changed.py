"""`validate --changed-since REV`: validate the matters added, modified or renamed since REV (from `git diff`, not
a walk of the catalogue), plus every cross-file check the change can affect — code uniqueness against the other
holders of an old or new code, a changed or deleted base against its implementations and sub-items, registry
出具事项 references. A change to a registry file or the config file means a full run.

Cross-file checks run on a closed sub-index: the summaries of the affected files and of every file the rules look
up for them (their bases, main items, the registry's issuing matters), found by code in the cache. Files the cache
does not know yet are summarised first by a quick pass (parse, schema, model: no per-matter rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mattercli.catalogue.catalog import BUNDLES_DIR, REGISTRY_DIR, select_files
from mattercli.catalogue.gitio import GitRepo
from mattercli.catalogue.store_codec import FileResult
from mattercli.catalogue.walk import MatterFile, is_matter_path
from mattercli.catalogue.yamlio import load_bytes
from mattercli.check.findings import Finding, Report
from mattercli.check.index import CatalogIndex, MatterSummary, partial_summary
from mattercli.model.identifiers import parse_basic_code

if TYPE_CHECKING:
    from mattercli.check.engine import Run

#: Cross-file rules whose look-ups the closed sub-index is known to cover; any other enabled cross-file rule
#: makes the run use every summary instead.
CLOSURE_RULES = frozenset({"duplicate-code", "base-reference", "only-reduce", "registry-reference"})


@dataclass
class ChangeSet:
    """What changed between REV and the work tree, in catalogue-relative paths (matter files only)."""

    rev: str
    #: REV's commit id (None: REV is the HEAD of a repository with no commit yet, and everything is new).
    commit: str | None
    #: What the work tree is compared with: the merge base of REV and HEAD (as `git diff REV...HEAD`), or the
    #: empty tree of a first commit.
    base: str | None = None
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    #: Blob at REV of every modified, renamed (by old path) and deleted file.
    old_blobs: dict[str, str] = field(default_factory=dict)
    #: Blob at REV of every matter file of the catalogue.
    tree: dict[str, str] = field(default_factory=dict)
    #: Why the run must be a full one (a registry or config file changed), if it must.
    full_reason: str | None = None

    @property
    def current(self) -> list[str]:
        """Files to check: added, modified, and renamed under their new names."""
        return sorted({*self.added, *self.modified, *(new for _, new in self.renamed)})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rev": self.rev,
            "commit": self.commit,
            "merge_base": self.base if self.commit is not None else None,
            "added": sorted(self.added),
            "modified": sorted(self.modified),
            "renamed": [list(pair) for pair in sorted(self.renamed)],
            "deleted": sorted(self.deleted),
        }


def collect_changes(repo: GitRepo, rev: str, root: Path, watched: Iterable[Path] = ()) -> ChangeSet:
    """The matter files changed since `rev` under the catalogue `root`; `watched` files (the config) force a full
    run when changed, as every registry file does."""
    sub = repo.relative(root)
    prefix = f"{sub}/" if sub else ""

    def rel(path: str | None) -> str | None:
        return path[len(prefix) :] if path is not None and path.startswith(prefix) else None

    watched_paths = {repo.relative(p) for p in watched if p.resolve().is_relative_to(repo.toplevel)}
    if repo.unborn(rev):  # the first commit: compared with nothing, everything is new
        out = ChangeSet(rev, None, repo.empty_tree())
    else:  # what this branch did since it left REV, not what REV did since: the merge base
        out = ChangeSet(rev, repo.resolve(rev), repo.merge_base(rev, "HEAD"))
    assert out.base is not None
    changes = repo.diff_worktree(out.base, sub)
    tree = repo.ls_tree(out.base, sub)
    out.tree = {r: blob for path, blob in tree.items() if (r := rel(path)) and is_matter_path(r)}
    for change in changes:
        old, new = rel(change.old_path), rel(change.new_path)
        for path, top in ((old, change.old_path), (new, change.new_path)):
            if path is not None and path.startswith(REGISTRY_DIR + "/") and out.full_reason is None:
                out.full_reason = f"{path} 已变更 / changed"
            if top is not None and top in watched_paths and out.full_reason is None:
                out.full_reason = f"{top} 已变更 / changed"
        old_matter = old is not None and is_matter_path(old)
        new_matter = new is not None and is_matter_path(new)
        if old_matter and change.old_blob:
            assert old is not None
            out.old_blobs[old] = change.old_blob
        if change.status == "R" and old_matter and new_matter:
            assert old is not None and new is not None
            out.renamed.append((old, new))
        elif change.status == "M" and new_matter:
            assert new is not None
            out.modified.append(new)
        else:
            if old_matter and change.status in "DR":
                assert old is not None
                out.deleted.append(old)
            if new_matter and change.status in "AR":
                assert new is not None
                out.added.append(new)
    return out


def _pair_renames(changes: ChangeSet, blobs: dict[str, str]) -> None:
    """An untracked new file with exactly the content of a deleted one is that file renamed (`mv` without `git mv`),
    not an add and a delete."""
    by_blob: dict[str, list[str]] = {}
    for path in changes.deleted:
        if blob := changes.old_blobs.get(path):
            by_blob.setdefault(blob, []).append(path)
    for new in sorted(changes.added):
        olds = by_blob.get(blobs.get(new, ""))
        if olds:
            old = olds.pop(0)
            changes.added.remove(new)
            changes.deleted.remove(old)
            changes.renamed.append((old, new))


def _old_codes(run: Run, repo: GitRepo, changes: ChangeSet) -> list[MatterSummary]:
    """What the files modified, renamed away or deleted were at REV — their codes and kinds are what other files
    may have depended on (from the cache, else read from the git blob: a parse, no checks)."""
    found = run.cache.load(dict(changes.old_blobs), full=False)
    out = [r.summary for r in found.values() if r.summary is not None]
    for path, blob in changes.old_blobs.items():
        if path not in found:
            doc = load_bytes(repo.read_blob(blob), path, run.max_bytes)
            if isinstance(doc.data, dict) and (summary := partial_summary(doc.data, path)) is not None:
                out.append(summary)
    return out


def _closure(
    run: Run, universe: dict[str, str], fresh: dict[str, FileResult], old: Sequence[MatterSummary]
) -> tuple[set[str], set[str], dict[str, MatterSummary], dict[str, FileResult]]:
    """The files the change affects, the registry files it affects, and the closed sub-index: summaries of the
    affected files and of every file the cross-file rules look up for them (with the cache entries of the
    untouched ones)."""
    cache = run.cache
    new = [r.summary for r in fresh.values() if r.summary is not None]
    codes = {s.code for s in (*new, *old)}
    bases = {s.code for s in (*new, *old) if s.kind == "base"}
    affected = set(fresh)
    affected |= cache.paths_where("code", codes)  # uniqueness: every other holder of an old or new code
    affected |= cache.paths_where("basic_code", bases)  # a changed base: its implementations
    affected |= cache.paths_where("parent", bases)  # a changed main item: its sub-items
    affected &= universe.keys()
    issuing = {e.issuing_matter for e in run.checker.ctx.registries.proofs if e.issuing_matter}
    registry_files = {f"{REGISTRY_DIR}/proofs.yaml"} if codes & issuing else set()

    summaries = {p: r.summary for p, r in fresh.items() if r.summary is not None}
    entries = cache.load({p: universe[p] for p in affected - fresh.keys()}, full=False)
    summaries.update({p: e.summary for p, e in entries.items() if e.summary is not None})
    # What the rules look up for an affected file: the other holders of its code, its base, its main item; and
    # the registry's issuing matters.
    needed = set(issuing)
    for path in affected:
        s = summaries.get(path)
        if s is None:
            continue
        needed.add(s.code)
        if s.kind == "implementation" and s.basic_code:
            needed.add(s.basic_code)
        elif s.kind == "base" and (parsed := parse_basic_code(s.code)) and parsed.is_sub_item:
            needed.add(parsed.parent_text)
    lookups = (cache.paths_where("code", needed) & universe.keys()) - summaries.keys()
    more = cache.load({p: universe[p] for p in lookups}, full=False)
    summaries.update({p: e.summary for p, e in more.items() if e.summary is not None})
    return affected, registry_files, summaries, entries


def name_files(changes: ChangeSet, root: Path, named: Sequence[Path], watched: Sequence[Path]) -> list[str]:
    """Treat `named` files (what pre-commit passes) as changed even where git sees no change: a file unchanged
    since REV is checked as modified (its codes then and now are the same), one git does not know as added. A
    registry or config file among them means a full run; files outside the catalogue, and files that are not
    matter files, are left alone. Returns the catalogue-relative paths named."""
    resolved_root = root.resolve()
    watched_set = {p.resolve() for p in watched}
    current = set(changes.current)
    out = []
    for path in named:
        full = path.resolve()
        if not full.is_relative_to(resolved_root):
            continue
        rel = full.relative_to(resolved_root).as_posix()
        if (rel.startswith(REGISTRY_DIR + "/") or full in watched_set) and changes.full_reason is None:
            changes.full_reason = f"{rel} 已变更 / changed"
        if not is_matter_path(rel) or not full.is_file():
            continue
        out.append(rel)
        if rel in current:
            continue
        current.add(rel)
        if rel in changes.deleted:  # git says deleted, yet it is on disk (unstaged): check it as modified
            changes.deleted.remove(rel)
            changes.modified.append(rel)
        elif rel in changes.tree:
            changes.modified.append(rel)
            changes.old_blobs[rel] = changes.tree[rel]
        else:
            changes.added.append(rel)
    return sorted(set(out))


def validate_changed(run: Run, paths: Sequence[Path], rev: str, named: Sequence[Path] = ()) -> Report:
    """Validate what changed since `rev` in the work tree, and the `named` files as if changed (see the module
    docstring)."""
    root = run.root
    watched = [run.loaded.path] if run.loaded.path is not None else []
    with GitRepo(root) as repo:
        changes = collect_changes(repo, rev, root, watched)
        named_rel = name_files(changes, root, named, watched) if named else []
        if changes.full_reason is None and named_rel and _covers_everything(root, changes, named_rel):
            changes.full_reason = "每个事项文件都在检查之列 / every matter file was named"
        if changes.full_reason is not None:
            report = run.full(paths)
            report.details["changed_since"] = changes.as_dict() | {"full_run": changes.full_reason}
            if named:
                report.details["changed_since"]["named"] = len(named_rel)
            return report
        current = changes.current
        if not (len(paths) == 1 and paths[0].resolve() == root):
            chosen = {p.resolve() for p in select_files(root, paths, [root / c for c in current])}
            current = [c for c in current if (root / c).resolve() in chosen]
        touched = [MatterFile(rel, str(root / rel), None) for rel in current]
        fresh = run.check(touched)
        blobs = {rel: r.blob for rel, r in fresh.items()}
        _pair_renames(changes, blobs)
        gone = {*changes.deleted, *(old for old, _ in changes.renamed)}
        universe = {p: b for p, b in changes.tree.items() if p not in gone}
        universe.update(blobs)
        quick = _summarise_unknown(run, root, universe, fresh)
        old = _old_codes(run, repo, changes)
    report = _report(run, changes, universe, fresh, old)
    report.details["changed_since"]["summarised"] = quick
    if named:
        report.details["changed_since"]["named"] = len(named_rel)
    return report


def _covers_everything(root: Path, changes: ChangeSet, named: Sequence[str]) -> bool:
    """Whether the named files are every matter file of the catalogue (`pre-commit run --all-files`): then a full
    run is the same check, and cheaper than a change closure over everything."""
    from mattercli.catalogue.walk import scan_matter_files

    gone = {*changes.deleted, *(old for old, _ in changes.renamed)}
    if len(named) < len(changes.tree.keys() - gone):  # some file still there was not named: no walk needed
        return False
    on_disk = {f.rel for f in scan_matter_files(root)}
    return on_disk <= set(named)


def _summarise_unknown(run: Run, root: Path, universe: dict[str, str], fresh: dict[str, FileResult]) -> int:
    """Make sure the cache knows every file's summary (the quick pass, for a cold or partial cache)."""
    known = run.cache.blobs()
    unknown = [
        MatterFile(p, str(root / p), None)
        for p, blob in sorted(universe.items())
        if p not in fresh and known.get(p) != blob
    ]
    if unknown:
        run.check(unknown, summary_only=True)
    return len(unknown)


def _report(
    run: Run,
    changes: ChangeSet,
    universe: dict[str, str],
    fresh: dict[str, FileResult],
    old: Sequence[MatterSummary],
) -> Report:
    enabled = {r.id for r in run.registry.with_scope("check_catalog") if run.policy.enabled_anywhere(r.id)}
    affected, registry_files, summaries, entries = _closure(run, universe, fresh, old)
    if not enabled <= CLOSURE_RULES:  # a cross-file rule the sub-index is not known to cover: use everything
        everything = run.cache.load(universe, full=False)
        summaries = {p: c.summary for p, c in everything.items() if c.summary is not None}
        summaries.update({p: r.summary for p, r in fresh.items() if r.summary is not None})
    for entry in entries.values():
        run.remember(entry)
    findings: list[Finding] = []
    for result in fresh.values():
        run.remember(result)
        findings.extend(result.findings or ())

    def in_scope(file: str | None) -> bool:
        return file is not None and (file in affected or file in registry_files or file.startswith(BUNDLES_DIR + "/"))

    index = CatalogIndex(summaries.values())
    findings.extend(run.rule_findings("check_catalog", index, in_scope))
    matters = sum(1 for r in fresh.values() if r.summary and r.summary.complete)
    report = run.finish(findings, len(fresh), matters, in_scope, lambda f: f in fresh)
    report.details["changed_since"] = changes.as_dict() | {
        "checked": sorted(fresh),
        "affected": sorted(affected - fresh.keys()),
        "index": len(summaries),
    }
    return report
