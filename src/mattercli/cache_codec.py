"""How per-file results are stored in the validate cache: one compact JSON payload per file (plain lists: nothing
in a cache file is ever executed), with the summary's materials as ids into a table of materials that every file
shares — catalogues repeat the same materials over thousands of files (the 156,000 materials of a 20,000-matter
catalogue are 19,000 distinct ones), so a warm run parses and builds each one once."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from typing import Any, cast

from mattercli.findings import Finding, Severity
from mattercli.index import LimitRef, MaterialRef, MatterSummary
from mattercli.suppress import Suppression


@dataclass(frozen=True, slots=True)
class FileStat:
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(slots=True)
class FileResult:
    """One file's per-file results, fresh or from the cache; findings None for a summary-only result (the quick
    summary pass of --changed-since)."""

    file: str
    findings: list[Finding] | None
    summary: MatterSummary | None
    blob: str = ""
    stat: FileStat | None = None
    suppressions: tuple[Suppression, ...] = ()
    department: str | None = None


def checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


def material_checksum(key: str, name: str, index: int) -> bytes:
    return checksum(f"{key}\0{name}\0{index}".encode())


_new = object.__new__
_SET_KEY = MaterialRef.key.__set__  # type: ignore[attr-defined]
_SET_NAME = MaterialRef.name.__set__  # type: ignore[attr-defined]
_SET_INDEX = MaterialRef.index.__set__  # type: ignore[attr-defined]
_SUMMARY_SETTERS = tuple(getattr(MatterSummary, f.name).__set__ for f in fields(MatterSummary))


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


def _finding_row(f: Finding) -> list[Any]:
    return [f.rule, f.severity.value, f.line, f.column, f.code, f.name, f.message, f.message_en, f.ident]


def _summary_row(s: MatterSummary, table: MaterialTable) -> list[Any]:
    limit = s.legal_limit
    return [
        s.kind,
        s.code,
        s.basic_code,
        s.name,
        s.type,
        s.status,
        list(s.levels),
        [table.ids[(m.key, m.name, m.index)] for m in s.materials],
        [limit.value, limit.unit, limit.working_days] if limit else None,
        s.charges_fee,
        s.region,
        s.complete,
    ]


def encode(item: FileResult, table: MaterialTable) -> bytes:
    """The payload of one file (every material of its summary must already have an id in `table`)."""
    doc = {
        "f": None if item.findings is None else [_finding_row(f) for f in item.findings],
        "s": None if item.summary is None else _summary_row(item.summary, table),
        "x": [s.to_tuple() for s in item.suppressions],
        "d": item.department,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _summary(path: str, row: list[Any], table: MaterialTable) -> MatterSummary:
    kind, code, basic, name, type_, status, levels, materials, limit, fee, region, complete = row
    for text in (kind, code, basic, name, type_, status):
        if not isinstance(text, str):
            raise TypeError("summary")
    by_id = table.by_id
    values = (
        path,
        kind,
        code,
        basic,
        name,
        type_,
        status,
        tuple([str(level) for level in levels]),
        tuple([by_id[i] for i in materials]),  # KeyError: a material the table lost (a corrupt row)
        LimitRef(int(limit[0]), str(limit[1]), float(limit[2])) if limit else None,
        bool(fee),
        None if region is None else str(region),
        bool(complete),
    )
    summary = _new(MatterSummary)
    for setter, value in zip(_SUMMARY_SETTERS, values, strict=True):
        setter(summary, value)
    return cast(MatterSummary, summary)


def parse_payload(payload: bytes) -> dict[str, Any]:
    """The JSON of a payload; raises ValueError when it is not a JSON object."""
    doc = json.loads(payload)
    if not isinstance(doc, dict):
        raise ValueError("payload")
    return doc


def material_ids(doc: dict[str, Any]) -> list[int]:
    """The material ids a parsed payload refers to (none when it is malformed: decode will say so)."""
    row = doc.get("s")
    if isinstance(row, list) and len(row) > 7 and isinstance(row[7], list):
        return [i for i in row[7] if isinstance(i, int)]
    return []


def decode(path: str, blob: str, doc: dict[str, Any], table: MaterialTable) -> FileResult:
    """Rebuild a cached result from its parsed payload; raises ValueError/TypeError/KeyError/IndexError on
    anything malformed."""
    findings = None
    if doc["f"] is not None:
        findings = [
            Finding(str(r), Severity(sev), path, line, col, code, name, str(zh), str(en), ident)
            for r, sev, line, col, code, name, zh, en, ident in doc["f"]
        ]
    summary = None if doc["s"] is None else _summary(path, doc["s"], table)
    suppressions = tuple(Suppression.from_tuple(s) for s in doc["x"]) if doc["x"] else ()
    department = doc["d"]
    if department is not None and not isinstance(department, str):
        raise TypeError("department")
    return FileResult(path, findings, summary, blob, None, suppressions, department)
