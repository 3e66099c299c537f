"""Matter files with their stat data in one pass (os.scandir), the same files `catalog.iter_matter_files` yields;
and the same test for a single catalogue-relative path, for file lists that come from git."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mattercli.catalogue import leftovers
from mattercli.catalogue.catalog import (
    NON_MATTER_DIRS,
    SKIP_DIRS,
    YAML_SUFFIXES,
    CatalogError,
    is_nested_catalogue,
    relpath,
)
from mattercli.catalogue.store_codec import FileStat


@dataclass(frozen=True, slots=True)
class MatterFile:
    """A matter file: catalogue-relative POSIX path, full path (a str: 200,000 Path objects cost a second), stat."""

    rel: str
    path: str
    stat: FileStat | None


def scan_matter_files(root: Path) -> list[MatterFile]:
    """Every matter file under `root`, in iter_matter_files order, with size/times/inode from the same walk."""
    root = root.resolve()
    out: list[MatterFile] = []
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        dirs: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name in SKIP_DIRS:
                if name.endswith(".tmp"):  # a killed fmt/import/new left it: removed if its process is gone
                    leftovers.remove([entry.path])
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_link:
                # never followed (it may lead out of the catalogue or round a loop): the loader reports it
                if name.endswith(YAML_SUFFIXES) or _links_to_folder(entry.path):
                    out.append(MatterFile(prefix + name, entry.path, None))
            elif is_dir:
                top_only = prefix == "" and name in NON_MATTER_DIRS
                if not top_only and not is_nested_catalogue(Path(entry.path)):
                    dirs.append((entry.path, f"{prefix}{name}/"))
            elif name.endswith(YAML_SUFFIXES):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                # a FIFO or device is listed without stat data; the loader reports it without opening it
                out.append(MatterFile(prefix + name, entry.path, FileStat.of(st) if stat.S_ISREG(st.st_mode) else None))
        stack.extend(reversed(dirs))
    return out


def _links_to_folder(path: str) -> bool:
    """A link that resolves to a folder (or loops, or dangles): worth reporting; a link to some other file is not
    a catalogue file at all."""
    try:
        return os.path.isdir(path) or not os.path.exists(path)
    except OSError:
        return True


def is_matter_path(rel: str) -> bool:
    """Whether a catalogue-relative POSIX path names a matter file (not a registry, list definition or hidden file)."""
    if not rel.endswith(YAML_SUFFIXES) or rel.startswith(".") or "/." in rel:
        return False
    head, sep, _ = rel.partition("/")
    if sep and head in NON_MATTER_DIRS:
        return False
    return not any(d in rel for d in _PLAIN_SKIP) or not any(p in _PLAIN_SKIP for p in rel.split("/"))


#: Skipped folder names that do not start with a dot (those are skipped anyway).
_PLAIN_SKIP = tuple(d for d in SKIP_DIRS if not d.startswith("."))


def select(root: Path, paths: Iterable[Path], files: Sequence[MatterFile]) -> tuple[bool, set[str], list[MatterFile]]:
    """What the user named, as catalog.select_files decides it but on relative paths: (whole catalogue?,
    chosen relative paths, named files the walk does not include)."""
    root = root.resolve()
    rels = {f.rel for f in files}
    chosen: set[str] = set()
    extra: list[MatterFile] = []
    for path in paths:
        link = path.is_symlink()  # a link named on the command line is reported, not followed
        resolved = path.parent.resolve() / path.name if link else path.resolve()
        if link:
            rel = relpath(resolved, root)
            if rel not in chosen:
                chosen.add(rel)
                if rel not in rels:
                    extra.append(MatterFile(rel, str(resolved), None))
        elif resolved.is_dir():
            prefix = relpath(resolved, root)
            if prefix in (".", ""):
                return True, rels, []
            chosen.update(r for r in rels if r.startswith(prefix + "/"))
        elif resolved.exists():  # a file, or a FIFO or device: the loader says what it is, without opening it
            rel = relpath(resolved, root)
            if rel in rels:
                chosen.add(rel)
            elif rel.startswith(tuple(d + "/" for d in NON_MATTER_DIRS)):
                continue  # registries and bundles are checked in every run; list definitions are not validate's
            elif rel not in chosen:
                chosen.add(rel)
                extra.append(MatterFile(rel, str(resolved), None))
        else:
            raise CatalogError(f"路径不存在: {path}")
    return len(chosen) == len(rels) and not extra, chosen, extra
