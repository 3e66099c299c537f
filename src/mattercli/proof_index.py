"""Every material (申请材料) of every matter in a snapshot, as compact occurrence records for the proof analyses.

Parsing YAML is the cost, so files are parsed in worker processes, which send back plain tuples; the main process
reads the bytes (a git snapshot's one `cat-file --batch` process is never shared) and normalises names (a few
thousand distinct ones, cached). With a `RecordCache`, a file whose bytes were seen before is not parsed again.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import TYPE_CHECKING, NamedTuple

from mattercli.models import ImplementationEntry, Material, matter_class_for
from mattercli.normalize import normalise
from mattercli.schema import validator_for
from mattercli.snapshot import Snapshot
from mattercli.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes

if TYPE_CHECKING:
    from mattercli.proof_cache import RecordCache

#: Files per work unit sent to a worker process; big enough that pickling overhead does not matter.
CHUNK = 256
#: Below this many files (to parse) the work is done in-process: starting workers costs more than it saves.
PARALLEL_MIN_FILES = 2 * CHUNK

ProgressFn = Callable[[int, int], None]

_NAME_LINE_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?材料名称[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


class Occurrence(NamedTuple):
    """One material asked for by one matter file (a tuple: 300,000 of them must stay small and cheap to build)."""

    file: str
    line: int | None
    matter_code: str  # 实施编码 of an implementation entry, 基本编码 of a base entry
    basic_code: str
    matter_name: str
    department: str  # 实施主体 of an implementation entry, 主管部门 of a base entry
    implementation: bool
    position: int  # position in 申请材料 (0-based)
    name: str  # the material name as written
    key: str  # normalised identity (before dictionary synonyms)
    qualifiers: tuple[str, ...]
    kind: str  # 材料类别 label
    source: str  # 来源渠道 label
    issuer: str | None  # 出具单位
    has_basis: bool  # the material states a 设定依据

    @property
    def material(self) -> str:
        return self.name


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
    """Occurrences of every material, the matters read, and the files skipped — in file order."""

    occurrences: list[Occurrence]
    matters: list[MatterInfo]
    skipped: list[Skipped]


# -- one file -> a plain record (what workers send and the cache stores) -----------------------------------------

#: (name, 材料类别, 来源渠道, 出具单位, has 设定依据, line)
MaterialRecord = tuple[str, str, str, "str | None", bool, "int | None"]
#: (matter code, 基本编码, 事项名称, department, is implementation, materials) or, for a skipped file, (reason,)
FileRecord = tuple[str, str, str, str, bool, list[MaterialRecord]] | tuple[str]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def material_lines(doc: Document, names: Sequence[str]) -> list[int | None]:
    """1-based line of each material's 材料名称 (`names`: the materials' names in order).

    A plain scan of the text finds them in block-style files (the common case, ~100x cheaper than composing the
    node graph); when the scan does not account for exactly these names in this order, `Document.locate` decides.
    """
    if not names:
        return []
    text = doc.text or ""
    found: list[tuple[int, str]] = []
    line, pos = 1, 0
    for match in _NAME_LINE_RE.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        found.append((line, _unquote(match.group(1))))
    if len(found) == len(names) and all(value == name for (_, value), name in zip(found, names, strict=True)):
        return [line for line, _ in found]
    return [doc.locate(("申请材料", i, "材料名称"))[0] for i in range(len(names))]


_KIND_DEFAULT = Material.model_fields["kind"].default.value
_SOURCE_DEFAULT = Material.model_fields["source"].default.value


def file_record(rel: str, raw: bytes) -> FileRecord:
    """The matter and its materials from one file's bytes, or the reason it cannot be read as a valid matter.

    Valid means what `snapshot.parse_matter` means: the national schema (generated from the models, with the same
    constraints). The elements needed are then read from the checked data, with the models' defaults: building the
    whole pydantic model would cost a fifth of the time per file and is not needed for six elements.
    """
    doc = load_bytes(raw, rel, DEFAULT_MAX_BYTES)
    data = doc.data
    if data is None:
        return (doc.problems[0].rule if doc.problems else "unreadable",)
    cls = matter_class_for(data)
    if validator_for(cls.KIND).errors(data):
        return ("schema",)
    impl = cls is ImplementationEntry
    department = data["实施主体"]["名称"] if impl else data["主管部门"]
    items = data.get("申请材料") or []
    lines = material_lines(doc, [m["材料名称"] for m in items])
    materials: list[MaterialRecord] = [
        (
            m["材料名称"],
            m.get("材料类别", _KIND_DEFAULT),
            m.get("来源渠道", _SOURCE_DEFAULT),
            m.get("出具单位"),
            bool(m.get("设定依据")),
            lines[i],
        )
        for i, m in enumerate(items)
    ]
    code = data["实施编码"] if impl else data["基本编码"]
    return (code, data["基本编码"], data["事项名称"], department, impl, materials)


def _records(chunk: Sequence[tuple[str, bytes]]) -> list[FileRecord]:
    return [file_record(rel, raw) for rel, raw in chunk]


# -- the whole snapshot ----------------------------------------------------------------------------------------


def _chunks(items: Iterable[tuple[str, bytes]], size: int) -> Iterator[list[tuple[str, bytes]]]:
    chunk: list[tuple[str, bytes]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parsed(chunks: Iterable[list[tuple[str, bytes]]], jobs: int, many: bool) -> Iterator[list[FileRecord]]:
    """Records of each chunk, in order; in `jobs` worker processes when there are many files."""
    if jobs <= 1 or not many:
        yield from map(_records, chunks)
        return
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # A bounded number of chunks in flight, so the bytes of a huge catalogue are never all in memory.
        pending = []
        for chunk in chunks:
            pending.append(pool.submit(_records, chunk))
            if len(pending) >= 4 * jobs:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


class _Builder:
    """Turns records into the index: normalises names and shares repeated strings (a third less memory)."""

    def __init__(self) -> None:
        self.index = MaterialIndex([], [], [])

    def add(self, rel: str, record: FileRecord) -> None:
        if len(record) == 1:
            self.index.skipped.append(Skipped(rel, record[0]))
            return
        code, basic, name, department, impl, materials = record
        si = sys.intern
        rel, code, basic, name, department = si(rel), si(code), si(basic), si(name), si(department)
        self.index.matters.append(MatterInfo(rel, code, basic, name, impl))
        for i, (material, kind, source, issuer, has_basis, line) in enumerate(materials):
            ident = normalise(material)
            self.index.occurrences.append(
                Occurrence(
                    rel,
                    line,
                    code,
                    basic,
                    name,
                    department,
                    impl,
                    i,
                    si(material),
                    si(ident.key),
                    ident.qualifiers,
                    si(kind),
                    si(source),
                    si(issuer) if issuer is not None else None,
                    has_basis,
                )
            )


def build_index(
    snapshot: Snapshot,
    jobs: int = 1,
    progress: ProgressFn | None = None,
    cache: RecordCache | None = None,
) -> MaterialIndex:
    """Read every matter file of the snapshot into a MaterialIndex, in file order."""
    files = snapshot.matter_files()
    builder = _Builder()
    done = 0
    cached: dict[str, FileRecord] = {}
    if cache is not None:
        raw_of = {rel: raw for rel in files if (raw := snapshot.read(rel)) is not None}
        cached = cache.get_many(raw_of)
        to_parse: Iterable[tuple[str, bytes]] = ((rel, raw) for rel, raw in raw_of.items() if rel not in cached)
        count = len(raw_of) - len(cached)
    else:
        to_parse = ((rel, raw) for rel in files if (raw := snapshot.read(rel)) is not None)
        count = len(files)
    parsed: dict[str, FileRecord] = {}
    chunks = _chunks(to_parse, CHUNK)
    for batch_files, records in _zip_chunks(chunks, jobs, count >= PARALLEL_MIN_FILES):
        for (rel, raw), record in zip(batch_files, records, strict=True):
            parsed[rel] = record
            if cache is not None:
                cache.put(raw, record)
        done += len(records)
        if progress:
            progress(done + len(cached), len(files))
    if cache is not None:
        cache.commit()
    for rel in files:
        if rel in cached:
            builder.add(rel, cached.pop(rel))
        elif rel in parsed:
            builder.add(rel, parsed.pop(rel))
    return builder.index


def _zip_chunks(
    chunks: Iterator[list[tuple[str, bytes]]], jobs: int, many: bool
) -> Iterator[tuple[list[tuple[str, bytes]], list[FileRecord]]]:
    """Each chunk with its records; the chunks are remembered only while their records are being computed."""
    seen: list[list[tuple[str, bytes]]] = []

    def tee() -> Iterator[list[tuple[str, bytes]]]:
        for chunk in chunks:
            seen.append(chunk)
            yield chunk

    for records in _parsed(tee(), jobs, many):
        yield seen.pop(0), records
