"""Every material (申请材料) of every matter in a snapshot, as compact occurrence records for the proof analyses.

Files are parsed in worker processes (YAML parsing is the cost); the main process reads the bytes, so a git
snapshot's single `cat-file --batch` process is never shared across processes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context

from mattercli.models import ImplementationEntry
from mattercli.normalize import normalise
from mattercli.snapshot import Matter, Snapshot, parse_matter
from mattercli.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes

#: Files per work unit sent to a worker process; big enough that pickling overhead does not matter.
CHUNK = 256
#: Below this many files the work is done in-process (starting workers costs more than it saves).
PARALLEL_MIN_FILES = 2 * CHUNK

ProgressFn = Callable[[int, int], None]

_NAME_LINE_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?材料名称[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One material asked for by one matter file."""

    file: str
    line: int | None
    matter_code: str  # 实施编码 of an implementation entry, 基本编码 of a base entry
    basic_code: str
    matter_name: str
    department: str  # 实施主体 of an implementation entry, 主管部门 of a base entry
    implementation: bool
    index: int  # position in 申请材料 (0-based)
    name: str  # the material name as written
    key: str  # normalised identity (before dictionary synonyms)
    qualifiers: tuple[str, ...]
    kind: str  # 材料类别 label
    source: str  # 来源渠道 label
    issuer: str | None  # 出具单位
    has_basis: bool  # the material states a 设定依据


@dataclass(frozen=True, slots=True)
class MatterInfo:
    """What the analyses need of a matter file besides its materials."""

    file: str
    code: str
    basic_code: str
    name: str
    implementation: bool


@dataclass(frozen=True, slots=True)
class Skipped:
    """A matter file that could not be read as a valid matter; `mattercli validate` says why in detail."""

    file: str
    reason: str  # rule id of the first file problem, or "schema"


@dataclass
class MaterialIndex:
    """Occurrences of every material, the matters read, and the files skipped."""

    occurrences: list[Occurrence]
    matters: list[MatterInfo]
    skipped: list[Skipped]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def material_lines(doc: Document, matter: Matter) -> list[int | None]:
    """1-based line of each material's 材料名称.

    A plain scan of the text finds them in block-style files (the common case, ~100x cheaper than composing the
    node graph); when the scan does not account for exactly these names in this order, `Document.locate` decides.
    """
    names = [m.name for m in matter.materials]
    if not names:
        return []
    text = doc.text or ""
    found = [(text.count("\n", 0, m.start()) + 1, _unquote(m.group(1))) for m in _NAME_LINE_RE.finditer(text)]
    if len(found) == len(names) and all(value == name for (_, value), name in zip(found, names, strict=True)):
        return [line for line, _ in found]
    return [doc.locate(("申请材料", i, "材料名称"))[0] for i in range(len(names))]


def _department(matter: Matter) -> str:
    if isinstance(matter, ImplementationEntry):
        return matter.body.name
    return matter.guiding_department


def extract(rel: str, raw: bytes) -> tuple[MatterInfo | None, list[Occurrence], Skipped | None]:
    """The matter and its material occurrences from one file's bytes."""
    doc = load_bytes(raw, rel, DEFAULT_MAX_BYTES)
    if doc.data is None:
        reason = doc.problems[0].rule if doc.problems else "unreadable"
        return None, [], Skipped(rel, reason)
    matter = parse_matter(doc)
    if matter is None:
        return None, [], Skipped(rel, "schema")
    impl = isinstance(matter, ImplementationEntry)
    info = MatterInfo(rel, matter.code, matter.basic_code, matter.name, impl)
    department = _department(matter)
    lines = material_lines(doc, matter)
    occurrences = []
    for i, material in enumerate(matter.materials):
        ident = normalise(material.name)
        occurrences.append(
            Occurrence(
                file=rel,
                line=lines[i],
                matter_code=matter.code,
                basic_code=matter.basic_code,
                matter_name=matter.name,
                department=department,
                implementation=impl,
                index=i,
                name=material.name,
                key=ident.key,
                qualifiers=ident.qualifiers,
                kind=material.kind.value,
                source=material.source.value,
                issuer=material.issuer,
                has_basis=bool(material.legal_basis),
            )
        )
    return info, occurrences, None


_Result = tuple[list[MatterInfo], list[Occurrence], list[Skipped]]


def _extract_chunk(chunk: Sequence[tuple[str, bytes]]) -> _Result:
    infos: list[MatterInfo] = []
    occurrences: list[Occurrence] = []
    skipped: list[Skipped] = []
    for rel, raw in chunk:
        info, occ, skip = extract(rel, raw)
        if info is not None:
            infos.append(info)
        occurrences.extend(occ)
        if skip is not None:
            skipped.append(skip)
    return infos, occurrences, skipped


def _read_chunks(snapshot: Snapshot, files: Sequence[str]) -> Iterator[list[tuple[str, bytes]]]:
    chunk: list[tuple[str, bytes]] = []
    for rel in files:
        raw = snapshot.read(rel)
        if raw is None:
            continue
        chunk.append((rel, raw))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _intern(occ: Occurrence) -> Occurrence:
    """The same strings recur across hundreds of thousands of records: share them (about a third less memory)."""
    si = sys.intern
    return Occurrence(
        si(occ.file),
        occ.line,
        si(occ.matter_code),
        si(occ.basic_code),
        si(occ.matter_name),
        si(occ.department),
        occ.implementation,
        occ.index,
        si(occ.name),
        si(occ.key),
        tuple(si(q) for q in occ.qualifiers),
        si(occ.kind),
        si(occ.source),
        si(occ.issuer) if occ.issuer is not None else None,
        occ.has_basis,
    )


def _results(snapshot: Snapshot, files: Sequence[str], jobs: int) -> Iterable[_Result]:
    chunks = _read_chunks(snapshot, files)
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        yield from map(_extract_chunk, chunks)
        return
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # Keep a bounded number of chunks in flight so the bytes of a huge catalogue are never all in memory.
        pending = []
        for chunk in chunks:
            pending.append(pool.submit(_extract_chunk, chunk))
            if len(pending) >= 4 * jobs:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def build_index(snapshot: Snapshot, jobs: int = 1, progress: ProgressFn | None = None) -> MaterialIndex:
    """Read every matter file of the snapshot (in `jobs` processes) into a MaterialIndex, in file order."""
    files = snapshot.matter_files()
    index = MaterialIndex([], [], [])
    done = 0
    for infos, occurrences, skipped in _results(snapshot, files, jobs):
        index.matters.extend(infos)
        index.occurrences.extend(_intern(o) for o in occurrences)
        index.skipped.extend(skipped)
        done += len(infos) + len(skipped)
        if progress:
            progress(done, len(files))
    return index
