"""A catalogue as of one revision — a git commit read straight from blobs (no checkout), or the work tree —
behind one interface, so diff, proofs, stats and export read both the same way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from mattercli.catalogue.catalog import (
    CONFIG_FILE,
    NON_MATTER_DIRS,
    REGISTRY_DIR,
    REGISTRY_FILES,
    SKIP_DIRS,
    YAML_SUFFIXES,
    LoadedRegistry,
    Registries,
    build_registries,
    find_root,
    iter_matter_files,
    relpath,
)
from mattercli.catalogue.fsutil import read_inside
from mattercli.catalogue.gitio import GitError, GitRepo
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes
from mattercli.model import BaseEntry, ImplementationEntry, matter_class_for
from mattercli.model.schema import validator_for

Matter = BaseEntry | ImplementationEntry


@dataclass(frozen=True, slots=True)
class LoadedMatter:
    """One matter file: its catalogue-relative path, the document, and the model when the file is valid."""

    file: str
    document: Document
    matter: Matter | None


def is_matter_path(rel: str) -> bool:
    """Whether a catalogue-relative path names a matter file (not a registry or list definition)."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).suffix not in YAML_SUFFIXES:
        return False
    if parts[0] in NON_MATTER_DIRS and len(parts) > 1:
        return False
    return not any(p.startswith(".") or p in SKIP_DIRS for p in parts)


def nested_catalogue_prefixes(rels: Iterable[str]) -> tuple[str, ...]:
    """Folders (with a trailing /) of a file listing that are catalogues of their own: they hold registry/ files or a
    mattercli.toml below the top. Their files belong to that catalogue, never to this one."""
    found = set()
    for rel in rels:
        parts = rel.split("/")
        for i, part in enumerate(parts[1:], 1):
            if (part == REGISTRY_DIR and i < len(parts) - 1) or (part == CONFIG_FILE and i == len(parts) - 1):
                found.add("/".join(parts[:i]) + "/")
                break
    return tuple(sorted(found))


def outside_nested(rels: Iterable[str]) -> list[str]:
    """The matter files of a listing that are not inside a nested catalogue, sorted."""
    rels = list(rels)
    nested = nested_catalogue_prefixes(rels)
    return sorted(rel for rel in rels if is_matter_path(rel) and not rel.startswith(nested or ("\0",)))


def parse_matter(doc: Document) -> Matter | None:
    """The model of a matter document, or None when it is unreadable or fails the schema."""
    if doc.data is None:
        return None
    cls = matter_class_for(doc.data)
    if validator_for(cls.KIND).errors(doc.data):
        return None
    try:
        return cls.model_validate(doc.data)
    except ValidationError:
        return None


class Snapshot:
    """Files of a catalogue at one revision. `label` names it for reports; `commit` is None for the work tree."""

    label: str
    commit: str | None

    def matter_files(self) -> list[str]:
        raise NotImplementedError

    def read(self, rel: str) -> bytes | None:
        raise NotImplementedError

    def exists(self, rel: str) -> bool:
        return self.read(rel) is not None

    def files_under(self, prefix: str) -> list[str]:
        raise NotImplementedError

    def document(self, rel: str) -> Document | None:
        raw = self.read(rel)
        return None if raw is None else load_bytes(raw, rel, DEFAULT_MAX_BYTES)

    def registries(self) -> Registries:
        loaded = []
        for file_name, model in REGISTRY_FILES.items():
            doc = self.document(f"{REGISTRY_DIR}/{file_name}")
            if doc is None:
                continue
            item = LoadedRegistry(file_name, doc)
            if doc.data is not None and not validator_for(file_name).errors(doc.data):
                with contextlib.suppress(ValidationError):
                    item.model = model.model_validate(doc.data)
            loaded.append(item)
        return build_registries(loaded)

    def matters(self) -> Iterator[LoadedMatter]:
        for rel in self.matter_files():
            doc = self.document(rel)
            if doc is not None:
                yield LoadedMatter(rel, doc, parse_matter(doc))


class WorktreeSnapshot(Snapshot):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = "工作区"
        self.commit = None

    def matter_files(self) -> list[str]:
        return [relpath(p, self.root) for p in iter_matter_files(self.root)]

    def read(self, rel: str) -> bytes | None:
        try:  # never through a link out of the catalogue, never a FIFO (validate reports both)
            return read_inside(self.root, rel)
        except OSError:
            return None

    def files_under(self, prefix: str) -> list[str]:
        base = self.root / prefix
        if not base.is_dir():
            return []
        return sorted(relpath(p, self.root) for p in base.rglob("*") if p.is_file() and not p.is_symlink())


class GitSnapshot(Snapshot):
    """The catalogue at `rev`, read from git blobs; `subdir` is the catalogue root relative to the repo top."""

    def __init__(self, repo: GitRepo, rev: str, subdir: str) -> None:
        self.repo = repo
        self.commit = repo.resolve(rev)
        self.label = f"{rev}({self.commit[:10]})" if rev != self.commit else self.commit[:10]
        self.subdir = subdir
        prefix = f"{subdir}/" if subdir else ""
        self._tree = {path[len(prefix) :]: sha for path, sha in repo.ls_tree(self.commit, subdir).items()}

    def matter_files(self) -> list[str]:
        return outside_nested(self._tree)

    def read(self, rel: str) -> bytes | None:
        sha = self._tree.get(rel)
        return None if sha is None else self.repo.read_blob(sha)

    def blob(self, rel: str) -> str | None:
        return self._tree.get(rel)

    def files_under(self, prefix: str) -> list[str]:
        prefix = prefix.rstrip("/") + "/"
        return sorted(rel for rel in self._tree if rel.startswith(prefix))


def open_snapshot(path: Path, rev: str | None = None) -> Snapshot:
    """The catalogue holding `path`, in the work tree (rev None) or at git revision `rev`."""
    root = find_root(path)
    if rev is None:
        return WorktreeSnapshot(root)
    repo = GitRepo(root)
    try:
        return GitSnapshot(repo, rev, repo.relative(root))
    except GitError:
        repo.close()
        raise


def snapshot_info(snapshot: Snapshot) -> dict[str, Any]:
    """What reports say about their source: label and commit."""
    return {"label": snapshot.label, "commit": snapshot.commit}
