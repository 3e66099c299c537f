"""The catalogue on disk: where its root is, which files are matters and which are registries, and the
registries loaded into lookup tables that every command shares."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mattercli.catalogue.yamlio import Document, load_file
from mattercli.model import (
    CancelledProof,
    CancelledProofList,
    CaseVolumeRegistry,
    Department,
    DepartmentRegistry,
    KeptProof,
    KeptProofList,
    Law,
    LawRegistry,
    LicenseList,
    LicenseListEntry,
    LocalCodeTable,
    PledgeCatalog,
    PledgeEntry,
    ProofDictionary,
    ProofDictionaryEntry,
    RegionRegistry,
)
from mattercli.model.codes import CodedEnum
from mattercli.model.normalize import normalise
from mattercli.model.registry import REGISTRY_MODELS, CaseVolumeRecord, CatalogRegion, LocalCode

REGISTRY_DIR = "registry"
LISTS_DIR = "lists"
#: 一件事 files (bundles/<编码>.yaml, docs/bundles.md): not matter files.
BUNDLES_DIR = "bundles"
#: Top-level folders whose YAML files are not matters.
NON_MATTER_DIRS = (REGISTRY_DIR, LISTS_DIR, BUNDLES_DIR)
CONFIG_FILE = "mattercli.toml"
YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = frozenset({".git", ".mattercli-cache", "__pycache__", "node_modules"})


class CatalogError(Exception):
    """The catalogue cannot be read at all (no such path, not a catalogue). `en`: the message in English (shown
    with --lang en), when the raiser gives one."""

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message)
        self.en = en


def is_catalogue(folder: Path) -> bool:
    """Whether `folder` is a catalogue root: it holds registry/, or a mattercli.toml that does not name another
    folder as the catalogue (`catalog = "…"`, see locate.py)."""
    if (folder / REGISTRY_DIR).is_dir():
        return True
    config = folder / CONFIG_FILE
    if not config.is_file():
        return False
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return re.search(r"(?m)^\s*catalog\s*=", text) is None


def is_nested_catalogue(folder: Path) -> bool:
    """A folder below a catalogue root that is a catalogue of its own (walks never enter it)."""
    return (folder / REGISTRY_DIR).is_dir() or (folder / CONFIG_FILE).is_file()


def in_nested_catalogue(root: Path) -> Callable[[str], bool]:
    """A test for catalogue-relative paths: is this file inside a nested catalogue under `root` (on disk)?"""

    @functools.cache
    def nested(folder: str) -> bool:
        return bool(folder) and (is_nested_catalogue(root / folder) or nested(folder.rpartition("/")[0]))

    def test(rel: str) -> bool:
        return nested(rel.rpartition("/")[0])

    return test


def find_root(start: Path) -> Path:
    """The catalogue root that holds `start`: the nearest directory that is a catalogue (`is_catalogue`); the
    folder itself when none is (commands find their catalogue with `locate.locate_catalog` first)."""
    if start.is_symlink():  # where the link is, not where it leads (links are reported, never followed)
        here = start.parent.resolve()
    else:
        start = start.resolve()
        here = start if start.is_dir() else start.parent
    for candidate in (here, *here.parents):
        if is_catalogue(candidate):
            return candidate
    return here


def relpath(path: Path, root: Path) -> str:
    """`path` relative to the (resolved) catalogue root, as a POSIX string; resolving only when needed."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def iter_matter_files(root: Path) -> Iterator[Path]:
    """Every matter YAML file under root in a stable order (registries and list definitions excluded)."""
    root = root.resolve()
    top_skip = set(NON_MATTER_DIRS)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError:
            continue
        dirs = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIP_DIRS:
                continue
            if entry.is_symlink():
                continue  # never followed: out of the catalogue, or a loop (validate reports it)
            if entry.is_dir():
                if not (folder == root and entry.name in top_skip) and not is_nested_catalogue(entry):
                    dirs.append(entry)
            elif entry.suffix in YAML_SUFFIXES and entry.is_file():
                yield entry
        stack.extend(reversed(dirs))


def select_files(root: Path, paths: Iterable[Path], all_files: list[Path] | None = None) -> list[Path]:
    """Matter files named by the user: files as given, directories walked; in catalogue order.

    `all_files` (from iter_matter_files(root)) can be passed in to avoid walking the tree twice.
    """
    files = list(iter_matter_files(root)) if all_files is None else all_files
    root = root.resolve()
    rel_of = {f: relpath(f, root) for f in files}
    chosen: set[str] = set()
    extra: list[Path] = []
    for path in paths:
        resolved = path.resolve()
        if resolved.is_dir():
            prefix = relpath(resolved, root)
            if prefix in (".", ""):
                return files
            chosen.update(r for r in rel_of.values() if r.startswith(prefix + "/"))
        elif resolved.is_file():
            rel = relpath(resolved, root)
            if rel in rel_of.values():
                chosen.add(rel)
            else:
                extra.append(resolved)
        else:
            raise CatalogError(f"路径不存在: {path}")
    return [f for f in files if rel_of[f] in chosen] + sorted(extra)


@dataclass
class Registries:
    """Lookup tables built from registry/*.yaml; `present` names the registry files that were read cleanly."""

    departments: list[Department] = field(default_factory=list)
    laws: list[Law] = field(default_factory=list)
    proofs: list[ProofDictionaryEntry] = field(default_factory=list)
    #: The three 司法局 lists; None when the catalogue does not keep that file (or it is broken).
    kept_proofs: list[KeptProof] | None = None
    cancelled_proofs: list[CancelledProof] | None = None
    pledge_catalog: list[PledgeEntry] | None = None
    regions: list[CatalogRegion] = field(default_factory=list)
    #: registry/license-list.yaml: None when the catalogue has no reference 行政许可事项清单 (its rules are skipped)
    license_list: list[LicenseListEntry] | None = None
    local_codes: list[LocalCode] = field(default_factory=list)
    case_volumes: list[CaseVolumeRecord] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    #: Registry files that do not exist at all (a broken file is neither present nor absent).
    absent: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # The first registration wins, so a duplicate (reported by registry-duplicate) does not cascade.
        self.department_by_name: dict[str, Department] = {}
        self.department_by_uscc: dict[str, Department] = {}
        for d in self.departments:
            self.department_by_name.setdefault(d.name, d)
            if d.uscc:
                self.department_by_uscc.setdefault(d.uscc, d)
        self.law_by_name = {law.name: law for law in self.laws}
        self.region_by_code = {r.code: r for r in self.regions}
        self.synonyms = self._synonym_table()
        self.licenses_by_code: dict[str, list[LicenseListEntry]] = {}
        for licence in self.license_list or ():
            if licence.basic_code:
                self.licenses_by_code.setdefault(licence.basic_code, []).append(licence)
        self.local_code_by_label: dict[tuple[str, str], str] = {(c.table, c.label): c.code for c in self.local_codes}
        #: table title (审批结果类型) -> code as written in exchange data -> label, for import
        self.codes_by_table: dict[str, dict[str, str]] = {}
        for entry in self.local_codes:
            table = self.codes_by_table.setdefault(entry.table, {})
            for code in (entry.code, *entry.also):
                table.setdefault(code, entry.label)

    def code_of(self, member: CodedEnum) -> str | None:
        """The member's national code, else the code registry/local-codes.yaml gives it (None: not configured)."""
        if member.has_national_code:
            return member.code
        title = (type(member).__doc__ or "").split(".")[0].strip()
        return self.local_code_by_label.get((title, member.value))

    def case_volumes_by_code(self) -> dict[str, dict[int, int]]:
        """实施编码 -> {年度: 件数} from registry/case-volumes.yaml (a later line for the same year wins)."""
        out: dict[str, dict[int, int]] = {}
        for record in self.case_volumes:
            years = out.setdefault(record.implementation_code, {})
            for volume in record.volumes:
                years[volume.year] = volume.count
        return out

    def _synonym_table(self) -> dict[str, str]:
        """Normalised name or synonym -> normalised standard name, from the proof dictionary."""
        table: dict[str, str] = {}
        for entry in self.proofs:
            standard = normalise(entry.name).key
            table[standard] = standard
            for alias in entry.synonyms:
                table.setdefault(normalise(alias).key, standard)
        return table

    def has(self, file_name: str) -> bool:
        return file_name in self.present

    @property
    def keeps_proof_lists(self) -> bool:
        """The catalogue publishes at least one of the three proof lists (保留 / 取消 / 告知承诺目录)."""
        return any(x is not None for x in (self.kept_proofs, self.cancelled_proofs, self.pledge_catalog))


REGISTRY_FILES: dict[str, type[BaseModel]] = dict(REGISTRY_MODELS)


@dataclass
class LoadedRegistry:
    """One registry file as read: the document (for locating findings) and the model, if it is valid."""

    file_name: str
    document: Document
    model: Any = None


def load_registry_documents(root: Path) -> list[LoadedRegistry]:
    out = []
    for file_name in REGISTRY_FILES:
        path = root / REGISTRY_DIR / file_name
        if path.is_file():
            out.append(LoadedRegistry(file_name, load_file(path, relpath(path, root))))
    return out


def build_registries(loaded: Iterable[LoadedRegistry]) -> Registries:
    """Registries from the files that are valid; a broken registry counts as absent (its checks are skipped)."""
    parts: dict[str, Any] = {}
    present = set()
    loaded = list(loaded)
    absent = frozenset(REGISTRY_FILES) - {item.file_name for item in loaded}
    for item in loaded:
        if item.model is None:
            continue
        present.add(item.file_name)
        parts[item.file_name] = item.model.entries
    return Registries(
        departments=parts.get(DepartmentRegistry.FILE, []),
        laws=parts.get(LawRegistry.FILE, []),
        proofs=parts.get(ProofDictionary.FILE, []),
        kept_proofs=parts.get(KeptProofList.FILE),
        cancelled_proofs=parts.get(CancelledProofList.FILE),
        pledge_catalog=parts.get(PledgeCatalog.FILE),
        regions=parts.get(RegionRegistry.FILE, []),
        license_list=parts.get(LicenseList.FILE),
        local_codes=parts.get(LocalCodeTable.FILE, []),
        case_volumes=parts.get(CaseVolumeRegistry.FILE, []),
        present=frozenset(present),
        absent=absent,
    )
