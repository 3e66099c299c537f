"""One matter through time (全程留痕、过往可溯): where its file is at a revision (`find_matter_file`), its YAML
then (`matter_text`), and every commit that changed it, classified as reform actions (`matter_history`),
following renames and lineage (原事项编码, 合并自, 拆分自) back to its predecessors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mattercli.catalogue.catalog import CatalogError
from mattercli.catalogue.gitio import WORKTREE, Change, CommitInfo, GitError, GitRepo
from mattercli.catalogue.snapshot import Snapshot, WorktreeSnapshot
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, load_bytes
from mattercli.diff.compare import RawChange, RevisionSnapshot, catalogue_root, compare_changes, usual_paths
from mattercli.diff.match import Entry
from mattercli.diff.reform import MatterChange, Move

_CODE_RE = re.compile(rb"(?<![0-9A-Z])(?:[0-9A-Z]{31}|[0-9A-Z]{12})(?![0-9A-Z])")


def _code_in(raw: bytes | None, rel: str) -> str | None:
    if raw is None:
        return None
    return Entry(rel, load_bytes(raw, rel, DEFAULT_MAX_BYTES), None).code


def find_matter_file(side: Snapshot, code: str) -> str | None:
    """The catalogue-relative file holding the matter `code` on `side`: its usual path, else a file named after
    the code, else the first file whose content carries it (a scan of the catalogue)."""
    for rel in usual_paths(code):
        if _code_in(side.read(rel), rel) == code:
            return rel
    files = side.matter_files()
    for rel in files:
        if PurePosixPath(rel).stem == code and _code_in(side.read(rel), rel) == code:
            return rel
    needle = code.encode()
    for rel in files:
        raw = side.read(rel)
        if raw is not None and needle in raw and _code_in(raw, rel) == code:
            return rel
    return None


@dataclass(frozen=True, slots=True)
class ShownMatter:
    code: str
    file: str
    label: str  # the revision, as reports name it
    text: str


def matter_text(path: Path, code: str, rev: str = WORKTREE) -> ShownMatter:
    """The YAML of matter `code` as of `rev` (the work tree by default), read from git without a checkout."""
    root = catalogue_root(path)
    if rev == WORKTREE:
        return _show(WorktreeSnapshot(root), code)
    with GitRepo(root) as repo:
        return _show(RevisionSnapshot(repo, rev, repo.relative(root)), code)


def _show(side: Snapshot, code: str) -> ShownMatter:
    rel = find_matter_file(side, code)
    if rel is None:
        raise CatalogError(f"{side.label} 中没有编码为 {code} 的事项 / no matter {code} in {side.label}")
    raw = side.read(rel) or b""
    return ShownMatter(code, rel, side.label, raw.decode("utf-8", "replace"))


class EmptySnapshot(Snapshot):
    """The side before a root commit: nothing."""

    label = "(空)"
    commit = None

    def matter_files(self) -> list[str]:
        return []

    def read(self, rel: str) -> bytes | None:
        return None

    def files_under(self, prefix: str) -> list[str]:
        return []


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One commit that changed the matter (or a predecessor), with the classified change(s)."""

    commit: CommitInfo
    changes: tuple[MatterChange, ...]
    moves: tuple[Move, ...]


@dataclass(frozen=True, slots=True)
class MatterHistory:
    code: str
    file: str | None  # at the starting revision; None when the matter no longer exists there
    label: str
    entries: tuple[HistoryEntry, ...]  # newest first
    codes: tuple[str, ...]  # the code and every predecessor code followed
    #: In a shallow clone: the boundary commit where the history the repository holds ends (its parents are not
    #: fetched, so its content is not shown as 新增); None when the whole history is there.
    truncated_at: str | None = None


@dataclass
class _Trail:
    """What is being followed: codes and files; grows as renames and lineage lead further back."""

    codes: set[str]
    files: set[str]
    truncated_at: str | None = None

    def pathspecs(self, prefix: str) -> list[str]:
        by_name = [f"{prefix}*{code}{suffix}" for code in sorted(self.codes) for suffix in (".yaml", ".yml")]
        return by_name + [prefix + f for f in sorted(self.files)]

    def involves(self, change: MatterChange) -> bool:
        return any(r.code in self.codes or r.file in self.files for r in (*change.old, *change.new))

    def select(self, raws: list[RawChange]) -> list[RawChange]:
        """The changed files near the trail: its own files and files naming its codes, then files naming any
        code those mention (the other matters of a 合并 or 拆分), so nothing else is parsed."""

        def near(item: RawChange, codes: set[bytes]) -> bool:
            change, old, new = item
            if change.old_path in self.files or change.new_path in self.files:
                return True
            return any(raw is not None and any(c in raw for c in codes) for raw in (old, new))

        own = {c.encode() for c in self.codes}
        first = [item for item in raws if near(item, own)]
        mentioned = own | {m for _c, old, new in first for raw in (old, new) if raw for m in _CODE_RE.findall(raw)}
        return [item for item in raws if near(item, mentioned)]

    def grow(self, change: MatterChange | Move) -> bool:
        before = (len(self.codes), len(self.files))
        if isinstance(change, Move):
            self.files.add(change.old_file)
        else:
            for ref in change.old:
                self.codes.add(ref.code)
                if ref.file:
                    self.files.add(ref.file)
        return (len(self.codes), len(self.files)) != before


def _parent(repo: GitRepo, sha: str, n: int) -> str | None:
    try:
        return repo.resolve(f"{sha}^{n}")
    except GitError:
        return None


def _commit_changes(repo: GitRepo, sha: str, parent: str | None, subdir: str) -> list[Change]:
    if parent is not None:
        return repo.diff_trees(parent, sha, subdir)
    return [Change("A", None, path, None, blob) for path, blob in sorted(repo.ls_tree(sha, subdir).items())]


def _walk(repo: GitRepo, trail: _Trail, start: str, subdir: str, root: str) -> Iterator[HistoryEntry]:
    prefix = f"{subdir}/" if subdir else ""
    position: str | None = start
    seen: set[str] = set()
    shallow = repo.shallow_commits()
    while position is not None:
        resumed = None
        for info in repo.log(trail.pathspecs(prefix), rev=position):
            if info.sha in seen or _parent(repo, info.sha, 2) is not None:  # merges repeat their parents' changes
                continue
            seen.add(info.sha)
            parent = _parent(repo, info.sha, 1)
            if parent is None and info.sha in shallow:
                trail.truncated_at = trail.truncated_at or info.sha  # a shallow clone's cutoff, not a creation
                continue
            old_side = RevisionSnapshot(repo, parent, subdir) if parent else EmptySnapshot()
            diff = compare_changes(
                _commit_changes(repo, info.sha, parent, subdir),
                old_side,
                RevisionSnapshot(repo, info.sha, subdir),
                subdir,
                root,
                trail.select,
            )
            changes = tuple(c for c in diff.changes if trail.involves(c))
            moves = tuple(m for m in diff.moves if m.code in trail.codes or m.new_file in trail.files)
            if not changes and not moves:
                continue
            yield HistoryEntry(info, changes, moves)
            grew = [trail.grow(c) for c in changes] + [trail.grow(m) for m in moves]
            if any(grew) and parent is not None:
                resumed = parent  # the trail is wider now: ask git again, from before this commit
                break
        position = resumed


def matter_history(path: Path, code: str, rev: str = "HEAD") -> MatterHistory:
    """Every commit reachable from `rev` that changed matter `code`, newest first, each change classified;
    renames and lineage are followed, so a recoded, 下放 or merged matter's earlier life is included."""
    root = catalogue_root(path)
    with GitRepo(root) as repo:
        subdir = repo.relative(root)
        side = RevisionSnapshot(repo, rev, subdir)
        file = find_matter_file(side, code)
        trail = _Trail({code}, {file} if file else set())
        entries = tuple(_walk(repo, trail, side.commit or rev, subdir, str(root)))
        return MatterHistory(code, file, side.label, entries, tuple(sorted(trail.codes)), trail.truncated_at)


__all__ = ["WORKTREE", "HistoryEntry", "MatterHistory", "ShownMatter", "find_matter_file", "matter_history"]
