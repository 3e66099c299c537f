"""Every material (申请材料) of every matter in a snapshot, as compact occurrence records for the proof analyses.

Parsing YAML is the cost, so files are parsed in worker processes, which send back plain tuples; the main process
reads the bytes (a git snapshot's one `cat-file --batch` process is never shared) and normalises names (a few
thousand distinct ones, cached). With the catalogue store's proofs view (`record_cache`), a file whose bytes were
seen before is not parsed again.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain
from multiprocessing import get_all_start_methods, get_context
from typing import TYPE_CHECKING, Any, NamedTuple

from mattercli.catalogue.snapshot import Snapshot
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes
from mattercli.model import ImplementationEntry, Material, matter_class_for
from mattercli.model.normalize import normalise
from mattercli.model.schema import validator_for

if TYPE_CHECKING:
    from mattercli.catalogue.store import JsonRecords as RecordCache
    from mattercli.catalogue.store import Store

#: Files per work unit sent to a worker process; big enough that pickling overhead does not matter.
CHUNK = 256
#: Below this many files (to parse) the work is done in-process: starting workers costs more than it saves.
PARALLEL_MIN_FILES = 2 * CHUNK
#: Chunks sent to the workers and not yet taken back, per worker: enough to keep them busy, few enough that the
#: files in flight stay a few megabytes whatever the size of the catalogue.
IN_FLIGHT_PER_JOB = 4

ProgressFn = Callable[[int, int], None]

_NAME_LINE_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?材料名称[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class MatterInfo:
    """What the analyses need of a matter file besides its materials."""

    file: str
    code: str  # 实施编码 of an implementation entry, 基本编码 of a base entry
    basic_code: str
    name: str
    implementation: bool
    department: str  # 实施主体 of an implementation entry, 主管部门 of a base entry


@dataclass(frozen=True, slots=True)
class MaterialForm:
    """A material as written — name, category, source, issuer, basis — shared by every matter that writes it so
    (a catalogue asks for a few thousand of them, a million times)."""

    name: str  # the material name as written
    key: str  # normalised identity (before dictionary synonyms)
    qualifiers: tuple[str, ...]
    kind: str  # 材料类别 label
    source: str  # 来源渠道 label
    issuer: str | None  # 出具单位
    has_basis: bool  # the material states a 设定依据


class Occurrence(NamedTuple):
    """One material asked for by one matter file: the matter, the material as written, where. A tuple of four
    shared parts (72 bytes; a province's catalogue has millions of them), read through the properties below."""

    matter: MatterInfo
    form: MaterialForm
    line: int | None
    position: int  # position in 申请材料 (0-based)

    @property
    def file(self) -> str:
        return self.matter.file

    @property
    def matter_code(self) -> str:
        return self.matter.code

    @property
    def basic_code(self) -> str:
        return self.matter.basic_code

    @property
    def matter_name(self) -> str:
        return self.matter.name

    @property
    def department(self) -> str:
        return self.matter.department

    @property
    def implementation(self) -> bool:
        return self.matter.implementation

    @property
    def name(self) -> str:
        return self.form.name

    @property
    def material(self) -> str:
        return self.form.name

    @property
    def key(self) -> str:
        return self.form.key

    @property
    def qualifiers(self) -> tuple[str, ...]:
        return self.form.qualifiers

    @property
    def kind(self) -> str:
        return self.form.kind

    @property
    def source(self) -> str:
        return self.form.source

    @property
    def issuer(self) -> str | None:
        return self.form.issuer

    @property
    def has_basis(self) -> bool:
        return self.form.has_basis


@dataclass(frozen=True, slots=True)
class Skipped:
    """A matter file that could not be read as a valid matter; `mattercli validate` says why in detail."""

    file: str
    reason: str  # rule id of the first file problem, or "schema"


@dataclass
class MaterialIndex:
    """Occurrences of every material, the matters read, and the files skipped (in no particular order)."""

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


#: What the records depend on besides the bytes (the view of the store is keyed by their fingerprint); bump
#: RECORD_FORMAT when the layout of file_record changes without a change to these files.
RECORD_SOURCES = ("proofs/index.py", "catalogue/yamlio.py", "model/")
RECORD_FORMAT = 2


def decode_record(data: Any) -> FileRecord:
    """A record as the store gave it back (JSON: lists for tuples), checked for shape."""
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
        return (data[0],)
    code, basic, name, department, impl, materials = data
    if not all(isinstance(x, str) for x in (code, basic, name, department)) or not isinstance(impl, bool):
        raise TypeError("bad record")
    out: list[MaterialRecord] = []
    for material, kind, source, issuer, has_basis, line in materials:
        if not (isinstance(material, str) and isinstance(kind, str) and isinstance(source, str)):
            raise TypeError("bad material")
        if not (issuer is None or isinstance(issuer, str)) or not (line is None or isinstance(line, int)):
            raise TypeError("bad material")
        out.append((material, kind, source, issuer, bool(has_basis), line))
    return (code, basic, name, department, impl, out)


def record_cache(store: Store) -> RecordCache:
    """proofs' view of the catalogue store: each file content's FileRecord."""
    from mattercli.catalogue.store import JsonRecords

    return JsonRecords(store, "proofs", RECORD_SOURCES, decode_record, extra=str(RECORD_FORMAT))


# -- the whole snapshot ----------------------------------------------------------------------------------------

#: Files looked up in the cache per query.
LOOKUP_BATCH = 512

_Source = tuple[str, bytes, str | None]  # (path, bytes, store key: the blob id)


def _chunks(items: Iterable[_Source], size: int) -> Iterator[list[_Source]]:
    chunk: list[_Source] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _records_of(chunk: Sequence[_Source]) -> list[FileRecord]:
    return [file_record(rel, raw) for rel, raw, _ in chunk]


def _parsed(chunks: Iterator[list[_Source]], jobs: int) -> Iterator[tuple[list[_Source], list[FileRecord]]]:
    """Each chunk with its records, in order: in `jobs` worker processes once there turn out to be many files
    (a warm cache leaves a handful to parse, not worth starting workers for)."""
    head: list[list[_Source]] = []
    for chunk in chunks:
        head.append(chunk)
        if sum(map(len, head)) >= PARALLEL_MIN_FILES:
            break
    # chain, never [*head, *chunks]: that would read every remaining file before the first is parsed.
    rest = chain(head, chunks)
    if jobs <= 1 or sum(map(len, head)) < PARALLEL_MIN_FILES:
        for chunk in rest:
            yield chunk, _records_of(chunk)
        return
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # A bounded number of chunks in flight, so the bytes of a huge catalogue are never all in memory; the
        # workers are forked here, while this process holds little more than the file list.
        pending: deque[tuple[list[_Source], Future[list[FileRecord]]]] = deque()
        for chunk in rest:
            pending.append((chunk, pool.submit(_records_of, chunk)))
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


class _Builder:
    """Turns records into the index: normalises names, and shares each matter's and each written material's parts
    among all their occurrences, and repeated strings among matters."""

    def __init__(self) -> None:
        self.index = MaterialIndex([], [], [])
        self._forms: dict[tuple[str, str, str, str | None, bool], MaterialForm] = {}

    def _form(self, name: str, kind: str, source: str, issuer: str | None, has_basis: bool) -> MaterialForm:
        found = self._forms.get((name, kind, source, issuer, has_basis))
        if found is None:
            ident = normalise(name)
            si = sys.intern
            found = MaterialForm(
                si(name),
                si(ident.key),
                ident.qualifiers,
                si(kind),
                si(source),
                si(issuer) if issuer is not None else None,
                has_basis,
            )
            self._forms[(name, kind, source, issuer, has_basis)] = found
        return found

    def add(self, rel: str, record: FileRecord) -> None:
        if len(record) == 1:
            self.index.skipped.append(Skipped(rel, record[0]))
            return
        code, basic, name, department, impl, materials = record
        si = sys.intern
        matter = MatterInfo(rel, code, si(basic), si(name), impl, si(department))
        self.index.matters.append(matter)
        form, append = self._form, self.index.occurrences.append
        for i, (material, kind, source, issuer, has_basis, line) in enumerate(materials):
            append(Occurrence(matter, form(material, kind, source, issuer, has_basis), line, i))


def build_index(
    snapshot: Snapshot,
    jobs: int = 1,
    progress: ProgressFn | None = None,
    cache: RecordCache | None = None,
) -> MaterialIndex:
    """Read every matter file of the snapshot into a MaterialIndex (files found in `cache` are not parsed).

    One pass: files are read and looked up in batches; the ones to parse stream to the workers while the main
    process adds what comes back, so nothing waits for the whole catalogue. The order of the index is therefore
    unspecified (cached files come first); every analysis sorts what it reports.
    """
    files = snapshot.matter_files()
    builder = _Builder()
    counted = 0

    def tick(n: int) -> None:
        nonlocal counted
        counted += n
        if progress:
            progress(counted, len(files))

    def looked_up(batch: list[tuple[str, bytes]]) -> Iterator[_Source]:
        if cache is None:
            yield from ((rel, raw, None) for rel, raw in batch)
            return
        keys = [cache.key(raw) for _, raw in batch]
        found = cache.get_many(keys)
        for (rel, raw), key in zip(batch, keys, strict=True):
            if key in found:
                builder.add(rel, found[key])
                tick(1)
            else:
                yield rel, raw, key

    def to_parse() -> Iterator[_Source]:
        batch: list[tuple[str, bytes]] = []
        for rel in files:
            raw = snapshot.read(rel)
            if raw is not None:
                batch.append((rel, raw))
            if len(batch) >= LOOKUP_BATCH:
                yield from looked_up(batch)
                batch = []
        yield from looked_up(batch)

    for chunk, records in _parsed(_chunks(to_parse(), CHUNK), jobs):
        for (rel, _, key), record in zip(chunk, records, strict=True):
            builder.add(rel, record)
            if cache is not None and key is not None:
                cache.put(key, record)
        tick(len(records))
    if cache is not None:
        cache.commit()
    return builder.index
