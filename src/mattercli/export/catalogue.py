"""The catalogue as export reads it. Matter files are read here, lazily and in order, and parsed in worker processes
with a bounded number of chunks in flight; what comes back per matter is small (records.MatterRecord). Kept in
memory: one Entry per matter, the base entries' values, the files skipped; the rows each list definition gives and
the matter page bodies go to record files (spool.RecordSpool) until the lists are written."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mattercli.catalogue.catalog import REGISTRY_DIR
from mattercli.catalogue.gitio import GitError, GitRepo
from mattercli.catalogue.snapshot import GitSnapshot, Snapshot, WorktreeSnapshot
from mattercli.export.elements import Value
from mattercli.export.records import Entry, LoadPlan, Lookups, MatterRecord, parse_chunk
from mattercli.export.spool import RecordSpool
from mattercli.export.workers import Workers
from mattercli.model.lists import SplitBy

#: Files per worker task.
CHUNK = 200
#: Below this many matter files, everything runs in this process (workers cost more than they save).
PARALLEL_FROM = CHUNK * 2
WORKTREE_LABEL = "工作区"
#: Digits of a commit id shown as its version (as `git log --oneline` shows it).
SHORT_COMMIT = 7
NO_BODY = -1


@dataclass(frozen=True, slots=True)
class Source:
    """Where an export comes from: a commit (with its author date, ISO 8601, and the tag naming it if any), or the
    work tree with changes (commit and date None): a draft (草稿), not a published version."""

    commit: str | None
    date: str | None
    tag: str | None = None

    @property
    def label(self) -> str:
        return self.commit if self.commit else WORKTREE_LABEL

    @property
    def draft(self) -> bool:
        return self.commit is None

    @property
    def day(self) -> dt.date | None:
        """更新日期: the day of the commit, in the commit's own time zone."""
        return dt.datetime.fromisoformat(self.date).date() if self.date else None

    @property
    def version(self) -> str | None:
        """版本 as readers meet it: the tag (`v2025`), else the short commit id; None for a draft."""
        if self.commit is None:
            return None
        return self.tag or self.commit[:SHORT_COMMIT]

    def to_dict(self) -> dict[str, str | bool | None]:
        return {
            "label": self.label,
            "commit": self.commit,
            "date": self.date,
            "version": self.version,
            "draft": self.draft,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A matter file left out of every list because it cannot be read or fails the schema."""

    file: str
    reason: str


@dataclass
class Catalogue:
    """Every valid matter of an export (one Entry each, in file order), with what the plan's lists need of them.

    Close it (or use it as a context manager) to delete its record files."""

    plan: LoadPlan
    lookups: Lookups
    #: per definition of the plan: (entry index, pickled items) of every matter it selects, in file order
    rows: list[RecordSpool]
    #: the matters' page bodies (formats with matter pages), at `body_at[entry index]`
    bodies: RecordSpool | None
    entries: list[Entry] = field(default_factory=list)
    body_at: array[int] = field(default_factory=lambda: array("q"))
    #: basic code -> index of the base entry with that code
    base_index: dict[str, int] = field(default_factory=dict)
    #: basic code -> the base entry's values of plan.base_paths
    base_values: dict[str, tuple[Value, ...]] = field(default_factory=dict)
    #: definition index (split by region) -> regions of the implementation entries it selects
    regions: dict[int, set[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    #: sha256 over the path and content of every matter and registry file read: what the lists are made of
    #: (manifest `data_digest`; a previous export with the same digest holds lists of the same data)
    digest: str = ""

    def base_of(self, entry: Entry) -> Entry | None:
        """The base entry an implementation entry implements (None for a base entry, or when there is none)."""
        index = self.base_index.get(entry.basic_code) if entry.is_implementation else None
        return self.entries[index] if index is not None else None

    def body(self, index: int) -> tuple[str, ...]:
        """The page bodies of entry `index` (one per plan.bodies), or () when it has none."""
        position = self.body_at[index]
        if self.bodies is None or position == NO_BODY:
            return ()
        _, data = self.bodies.read(position)
        bodies: tuple[str, ...] = pickle.loads(data)
        return bodies

    def close(self) -> None:
        for spool in self.rows:
            spool.close()
        if self.bodies is not None:
            self.bodies.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- loading -----------------------------------------------------------------------------------------------

    def add(self, rel: str, result: MatterRecord | str, first_file: dict[str, str]) -> None:
        """Take one file's result (in file order): the first file with a code wins (事项同码)."""
        if isinstance(result, str):
            self.skipped.append(Skipped(rel, result))
            return
        record = result
        code = record.entry.code
        if code in first_file:  # validate reports duplicate-code
            self.skipped.append(Skipped(rel, f"duplicate-code ({first_file[code]})"))
            return
        first_file[code] = rel
        index = len(self.entries)
        entry = _interned(record.entry)
        self.entries.append(entry)
        for definition, items in record.rows.items():
            self.rows[definition].append(index, items)
            if entry.region is not None and definition in self.regions:
                self.regions[definition].add(entry.region)
        if record.base_values is not None:
            self.base_index[entry.basic_code] = index
            self.base_values[entry.basic_code] = record.base_values
        if self.bodies is not None and record.bodies:
            self.body_at.append(self.bodies.append(index, pickle.dumps(record.bodies, pickle.HIGHEST_PROTOCOL)))
        else:
            self.body_at.append(NO_BODY)


def _interned(entry: Entry) -> Entry:
    """The entry with its repeated texts (names, departments, regions, basic codes) shared between matters."""
    region = sys.intern(entry.region) if entry.region is not None else None
    name, department, basic = sys.intern(entry.name), sys.intern(entry.department), sys.intern(entry.basic_code)
    return Entry(entry.code, basic, name, department, entry.type, region, entry.origin)


def source_of(snapshot: Snapshot) -> Source:
    """The commit an export comes from. A work tree with nothing changed or added under the catalogue since HEAD
    is HEAD: its lists say so, and are the same bytes as `--rev HEAD` gives. Only a tree with changes is 工作区."""
    if isinstance(snapshot, GitSnapshot) and snapshot.commit:
        repo = snapshot.repo
        return Source(snapshot.commit, repo.commit(snapshot.commit).date, repo.tag_at(snapshot.commit))
    if isinstance(snapshot, WorktreeSnapshot):
        try:
            with GitRepo(snapshot.root) as repo:
                head = repo.resolve("HEAD")
                if not repo.diff_worktree(head, repo.relative(snapshot.root)):
                    return Source(head, repo.commit(head).date, repo.tag_at(head))
        except GitError:
            pass  # not in git, or no commit yet: the work tree it is
    return Source(None, None)


def read_chunks(snapshot: Snapshot, paths: Sequence[str], size: int = CHUNK) -> Iterator[list[tuple[str, bytes]]]:
    """The matter files' bytes, `size` files at a time, read only when the next chunk is asked for."""
    batch: list[tuple[str, bytes]] = []
    for rel in paths:
        raw = snapshot.read(rel)
        if raw is None:
            continue
        batch.append((rel, raw))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_catalogue(
    snapshot: Snapshot,
    plan: LoadPlan,
    workers: Workers,
    directory: Path | None = None,
    paths: Sequence[str] | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> Catalogue:
    """Every matter of the snapshot, parsed by `workers` (started with records.start_worker and `plan`); files are
    read here, in order, while the workers parse; `directory` holds the record files. `progress(done, total)`
    after each chunk of files parsed."""
    if paths is None:
        paths = snapshot.matter_files()
    rows = [RecordSpool(directory) for _ in plan.definitions]
    bodies = RecordSpool(directory) if plan.bodies else None
    catalogue = Catalogue(plan, Lookups(plan.registries), rows, bodies)
    catalogue.regions = {i: set() for i, d in enumerate(plan.definitions) if d.split is SplitBy.REGION}
    first_file: dict[str, str] = {}
    done = 0
    digest = hashlib.sha256()
    for rel in sorted(snapshot.files_under(REGISTRY_DIR + "/")):
        _digest_file(digest, rel, snapshot.read(rel))
    try:
        for files, results in workers.map_with_input(parse_chunk, read_chunks(snapshot, paths, chunk)):
            for (rel, raw), result in zip(files, results, strict=True):
                catalogue.add(rel, result, first_file)
                _digest_file(digest, rel, raw)
            done += len(files)
            if progress is not None:
                progress(done, len(paths))
    except BaseException:
        catalogue.close()
        raise
    catalogue.digest = digest.hexdigest()
    return catalogue


def _digest_file(digest: Any, rel: str, raw: bytes | None) -> None:
    digest.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(raw or b"").digest())


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def close_snapshot(snapshot: Snapshot) -> None:
    repo = getattr(snapshot, "repo", None)
    if isinstance(repo, GitRepo):
        repo.close()
