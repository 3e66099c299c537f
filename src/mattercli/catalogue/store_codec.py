"""How validate's per-file results are encoded in the catalogue store (mattercli.catalogue.store): one compact payload per
file (plain text and lists: nothing in the store is ever executed), with the summary's materials as ids into a table of materials that every file
shares — catalogues repeat the same materials over thousands of files (the 156,000 materials of a 20,000-matter
catalogue are 19,000 distinct ones), so a warm run parses and builds each one once."""

from __future__ import annotations

import json
import os
from array import array
from dataclasses import dataclass, fields
from typing import Any, NamedTuple, cast

from mattercli.check.findings import Finding, Severity
from mattercli.check.index import BasisRef, LimitRef, MaterialRef, MatterSummary
from mattercli.check.suppress import Suppression


class FileStat(NamedTuple):
    """What a file's stat says of its content: compared as a tuple with what was recorded when it was hashed."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(slots=True)
class FileResult:
    """One file's per-file results, fresh or from the store; findings None for a summary-only result (the quick
    summary pass of --changed-since)."""

    file: str
    findings: list[Finding] | None
    summary: MatterSummary | None
    blob: str = ""
    stat: FileStat | None = None
    suppressions: tuple[Suppression, ...] = ()
    department: str | None = None


_new = object.__new__
# The slot descriptors' setters (a frozen dataclass only guards __setattr__, not its slots).
_SET_KEY = vars(MaterialRef)["key"].__set__
_SET_NAME = vars(MaterialRef)["name"].__set__
_SET_INDEX = vars(MaterialRef)["index"].__set__
_SUMMARY_SETTERS = tuple(vars(MatterSummary)[f.name].__set__ for f in fields(MatterSummary))


def new_material(key: str, name: str, index: int) -> MaterialRef:
    """A MaterialRef built without the frozen dataclass __init__ (twice as fast); for checked values only."""
    material = _new(MaterialRef)
    _SET_KEY(material, key)
    _SET_NAME(material, name)
    _SET_INDEX(material, index)
    return cast(MaterialRef, material)


class MaterialTable:
    """Materials by id (as stored) and ids by material; MaterialRef is frozen, so one object serves every file."""

    def __init__(self) -> None:
        self.by_id: dict[int, MaterialRef] = {}
        self.ids: dict[tuple[str, str, int], int] = {}

    def add(self, material_id: int, key: str, name: str, index: int) -> None:
        self.by_id[material_id] = new_material(key, name, index)
        self.ids[(key, name, index)] = material_id


def finding_row(f: Finding) -> list[Any]:
    return [f.rule, f.severity.value, f.line, f.column, f.code, f.name, f.message, f.message_en, f.ident]


#: A stored row: (summary text, material ids, extra), MACed by the store. The summary's scalar fields are one text split by SEP (C
#: speed, no JSON); its materials an array of uint32 ids; findings and suppressions JSON, or a one-byte marker for
#: the common case of none.
SEP, LEVEL_SEP, PART_SEP, NONE = "\x1f", "\x1e", "\x1d", "\x00"
_FULL_EMPTY, _SUMMARY_ONLY_EMPTY = b"F", b"S"
_LIMITS: dict[tuple[str, str, str], LimitRef] = {}
_LEVELS: dict[str, tuple[str, ...]] = {}


def _text(value: str | None) -> str:
    if value is None:
        return NONE
    if SEP in value or value == NONE:
        raise ValueError("separator in a value")
    return value


def _clean(value: str) -> str:
    if LEVEL_SEP in value or PART_SEP in value or SEP in value or value == NONE:
        raise ValueError("separator in a value")
    return value


def _joined(values: tuple[str, ...]) -> str:
    return LEVEL_SEP.join(_clean(v) for v in values)


def _bases_text(bases: tuple[BasisRef, ...]) -> str:
    return LEVEL_SEP.join(
        PART_SEP.join((_clean(b.law), _clean(b.article) if b.article else NONE, str(b.index), b.element)) for b in bases
    )


def _bases(text: str) -> tuple[BasisRef, ...]:
    if not text:
        return ()
    out = []
    for part in text.split(LEVEL_SEP):
        law, article, index, element = part.split(PART_SEP)
        out.append(BasisRef(law, _none(article), int(index), element))
    return tuple(out)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(LEVEL_SEP)) if text else ()


def encode(item: FileResult, table: MaterialTable) -> tuple[str, bytes, bytes]:
    """A file's stored form (every material of its summary must already have an id in `table`); raises
    ValueError for a value holding the separator, which the caller then does not store."""
    s = item.summary
    if s is None:
        text = "-" + SEP + _text(item.department)
        materials = b""
    else:
        limit = s.legal_limit
        if any(LEVEL_SEP in level for level in s.levels):
            raise ValueError("separator in a value")
        fields_ = [
            "+",
            item.department,
            s.kind,
            s.code,
            s.basic_code,
            s.name,
            s.type,
            s.status,
            LEVEL_SEP.join(s.levels),
            str(limit.value) if limit else None,
            limit.unit if limit else None,
            repr(limit.working_days) if limit else None,
            "1" if s.charges_fee else "0",
            s.region,
            "1" if s.complete else "0",
            _joined(s.aliases),
            _bases_text(s.bases),
            _joined(s.not_claimed),
            _limit_text(s.promised_limit),
        ]
        text = SEP.join(_text(f) for f in fields_)
        materials = array("I", [table.ids[(m.key, m.name, m.index)] for m in s.materials]).tobytes()
    if not item.findings and not item.suppressions:
        extra = _FULL_EMPTY if item.findings is not None else _SUMMARY_ONLY_EMPTY
    else:
        doc = {
            "f": None if item.findings is None else [finding_row(f) for f in item.findings],
            "x": [x.to_tuple() for x in item.suppressions],
        }
        extra = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return text, materials, extra


def _none(value: str) -> str | None:
    return None if value == NONE else value


def _limit_text(limit: LimitRef | None) -> str | None:
    """A time limit in one field: value, unit and working days joined by the level separator."""
    return None if limit is None else LEVEL_SEP.join((str(limit.value), limit.unit, repr(limit.working_days)))


def _limit(value: str, unit: str, days: str) -> LimitRef | None:
    if value == NONE:
        return None
    limit = _LIMITS.get((value, unit, days))
    if limit is None:
        limit = _LIMITS[(value, unit, days)] = LimitRef(int(value), unit, float(days))
    return limit


def _summary(path: str, parts: list[str], materials: bytes, table: MaterialTable) -> MatterSummary:
    # Rows are MACed and written only by encode(), so the values are what a summary held: no type checks.
    (
        kind,
        code,
        basic,
        name,
        type_,
        status,
        levels,
        value,
        unit,
        days,
        fee,
        region,
        complete,
        aliases,
        bases,
        unclaimed,
        promised,
    ) = parts
    limit = _limit(value, unit, days)
    level_tuple = _LEVELS.get(levels)
    if level_tuple is None:
        level_tuple = _LEVELS[levels] = tuple(levels.split(LEVEL_SEP)) if levels else ()
    ids = array("I")
    ids.frombytes(materials)
    get = table.by_id.__getitem__  # KeyError: a material the table lost (a corrupt row)
    summary = _new(MatterSummary)
    (
        set_file,
        set_kind,
        set_code,
        set_basic,
        set_name,
        set_type,
        set_status,
        set_levels,
        set_materials,
        set_limit,
        set_fee,
        set_region,
        set_complete,
        set_aliases,
        set_bases,
        set_not_claimed,
        set_promised,
    ) = _SUMMARY_SETTERS
    set_file(summary, path)
    set_kind(summary, kind)
    set_code(summary, code)
    set_basic(summary, basic)
    set_name(summary, name)
    set_type(summary, type_)
    set_status(summary, status)
    set_levels(summary, level_tuple)
    set_materials(summary, tuple(map(get, ids)))
    set_limit(summary, limit)
    set_fee(summary, fee == "1")
    set_region(summary, _none(region))
    set_complete(summary, complete == "1")
    set_aliases(summary, _split(aliases))
    set_bases(summary, _bases(bases))
    set_not_claimed(summary, _split(unclaimed))
    set_promised(summary, _limit(*promised.split(LEVEL_SEP)) if promised != NONE else None)
    return cast(MatterSummary, summary)


def material_ids(materials: bytes) -> list[int]:
    ids = array("I")
    ids.frombytes(materials)
    return ids.tolist()


def decode(path: str, blob: str, text: str, materials: bytes, extra: bytes, table: MaterialTable) -> FileResult:
    """Rebuild a stored result; raises ValueError/TypeError/KeyError/IndexError on anything malformed."""
    parts = text.split(SEP)
    flag, department = parts[0], _none(parts[1])
    summary = _summary(path, parts[2:], materials, table) if flag == "+" else None
    if flag not in "+-" or (flag == "-" and len(parts) != 2):
        raise ValueError("row")
    if extra == _FULL_EMPTY:
        return FileResult(path, [], summary, blob, None, (), department)
    if extra == _SUMMARY_ONLY_EMPTY:
        return FileResult(path, None, summary, blob, None, (), department)
    doc = json.loads(extra)
    findings = None
    if doc["f"] is not None:
        findings = [
            Finding(str(r), Severity(sev), path, line, col, code, name, str(zh), str(en), ident)
            for r, sev, line, col, code, name, zh, en, ident in doc["f"]
        ]
    suppressions = tuple(Suppression.from_tuple(x) for x in doc["x"])
    return FileResult(path, findings, summary, blob, None, suppressions, department)
