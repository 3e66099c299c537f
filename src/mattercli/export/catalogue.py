"""The catalogue as export reads it: every valid matter (files read in this process, parsed and checked in worker
processes), the base entries by code, the registries, region names, the department order, and the files skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context

from mattercli.catalog import Registries
from mattercli.export.elements import Matter
from mattercli.gitio import GitRepo
from mattercli.models import BaseEntry, ImplementationEntry
from mattercli.normalize import material_key
from mattercli.regions import region_table
from mattercli.snapshot import GitSnapshot, Snapshot, parse_matter
from mattercli.yamlio import DEFAULT_MAX_BYTES, load_bytes

CHUNK = 200
WORKTREE_LABEL = "工作区"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an export comes from: a commit (with its date) or the work tree (commit and date None)."""

    commit: str | None
    date: str | None

    @property
    def label(self) -> str:
        return self.commit if self.commit else WORKTREE_LABEL

    def to_dict(self) -> dict[str, str | None]:
        return {"label": self.label, "commit": self.commit, "date": self.date}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A matter file left out of every list because it cannot be read or fails the schema."""

    file: str
    reason: str


@dataclass
class Catalogue:
    matters: list[Matter]
    registries: Registries
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bases: dict[str, BaseEntry] = {m.basic_code: m for m in self.matters if isinstance(m, BaseEntry)}
        self.department_rank = {d.name: i for i, d in enumerate(self.registries.departments)}
        self._proof_modes = {
            material_key(p.name, self.registries.synonyms): p.mode.value for p in self.registries.proof_list or []
        }

    def region_name(self, code: str) -> str:
        known = self.registries.region_by_code.get(code)
        if known is not None:
            return known.name
        region = region_table().get(code)
        return region.name if region is not None else ""

    def base_of(self, matter: Matter) -> BaseEntry | None:
        return self.bases.get(matter.basic_code) if isinstance(matter, ImplementationEntry) else None

    def proof_list_mode(self, material_name: str) -> str:
        """How the published 证明事项清单 handles this proof (办理方式), or 未列入清单."""
        return self._proof_modes.get(material_key(material_name, self.registries.synonyms), "未列入清单")


def source_of(snapshot: Snapshot) -> Source:
    if isinstance(snapshot, GitSnapshot) and snapshot.commit:
        return Source(snapshot.commit, snapshot.repo.commit(snapshot.commit).date)
    return Source(None, None)


def _parse_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[tuple[str, Matter | None, str]]:
    out: list[tuple[str, Matter | None, str]] = []
    for rel, raw in chunk:
        doc = load_bytes(raw, rel, DEFAULT_MAX_BYTES)
        matter = parse_matter(doc)
        reason = ""
        if matter is None:
            reason = ", ".join(sorted({p.rule for p in doc.problems})) or "schema"
        out.append((rel, matter, reason))
    return out


def _read_all(snapshot: Snapshot) -> Iterator[tuple[str, bytes]]:
    for rel in snapshot.matter_files():
        raw = snapshot.read(rel)
        if raw is not None:
            yield rel, raw


def _chunks(items: Iterable[tuple[str, bytes]], size: int) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_catalogue(snapshot: Snapshot, jobs: int = 1) -> Catalogue:
    """Every matter of the snapshot, parsed in `jobs` worker processes (files are read here, in order)."""
    files = list(_read_all(snapshot))
    results: list[tuple[str, Matter | None, str]] = []
    if jobs <= 1 or len(files) < CHUNK * 2:
        for chunk in _chunks(files, CHUNK):
            results.extend(_parse_chunk(chunk))
    else:
        context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for batch in pool.map(_parse_chunk, _chunks(files, CHUNK)):
                results.extend(batch)
    matters: list[Matter] = []
    skipped: list[Skipped] = []
    first_file: dict[str, str] = {}
    for rel, matter, reason in results:
        if matter is None:
            skipped.append(Skipped(rel, reason))
        elif matter.code in first_file:  # 事项同码: one code, one matter; validate reports duplicate-code
            skipped.append(Skipped(rel, f"duplicate-code ({first_file[matter.code]})"))
        else:
            first_file[matter.code] = rel
            matters.append(matter)
    return Catalogue(matters, snapshot.registries(), skipped)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def close_snapshot(snapshot: Snapshot) -> None:
    repo = getattr(snapshot, "repo", None)
    if isinstance(repo, GitRepo):
        repo.close()
