"""A cache of `MatterRecord`s by git blob id, so `stats` reads each distinct file content once — across the two
snapshots of one run, and across runs.

Runs share records through SQLite under `<catalogue>/.mattercli-cache/` (git-ignored, skipped by discovery), one
database per namespace: mattercli's own code, the library versions and the synonym table all go into the name, so
any change there starts afresh. Payloads are plain JSON (nothing in a cache file is ever executed); a row that does
not decode, or a database that cannot be opened, counts as a miss — never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields, replace
from importlib import metadata
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from mattercli.snapshot import GitSnapshot, Snapshot
from mattercli.stats_records import (
    LoadedRecords,
    MaterialFact,
    MatterRecord,
    default_jobs,
    init_worker,
    matter_files,
    records_of_chunk,
)

CACHE_DIR = ".mattercli-cache"
FORMAT_VERSION = 1
KEEP = 3  # stats databases kept per catalogue
_BATCH = 500
#: Below this many files to parse the work stays in this process (starting workers costs more than it saves).
PARALLEL_MIN_FILES = 400
CHUNK = 200
_FIELDS = [f.name for f in fields(MatterRecord) if f.name != "file"]


def blob_id(data: bytes) -> str:
    """The git blob id of `data`: a work-tree file and the same content in a commit share one key."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _code_fingerprint() -> str:
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".tsv", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in ("pydantic", "pydantic-core", "PyYAML", "jsonschema-rs", "opencc"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
    return digest.hexdigest()


def namespace(synonyms: Mapping[str, str]) -> str:
    digest = hashlib.sha256(f"stats-format={FORMAT_VERSION}\0{_code_fingerprint()}\0".encode())
    digest.update(json.dumps(sorted(synonyms.items()), ensure_ascii=False).encode())
    return digest.hexdigest()


def _encode(record: MatterRecord | None) -> str:
    if record is None:
        return "null"
    values = [getattr(record, name) for name in _FIELDS]
    values[_FIELDS.index("materials")] = [[m.key, m.is_proof] for m in record.materials]
    return json.dumps(values, ensure_ascii=False)


def _decode(payload: str) -> MatterRecord | None:
    """The record (None: a file that fails the schema); ValueError/TypeError for a payload that does not fit."""
    values: Any = json.loads(payload)
    if values is None:
        return None
    if not isinstance(values, list) or len(values) != len(_FIELDS):
        raise ValueError("payload shape")
    data = dict(zip(_FIELDS, values, strict=True))
    data["materials"] = tuple(MaterialFact(str(k), bool(p)) for k, p in data["materials"])
    for name in ("levels", "merged_from", "previous_codes"):
        data[name] = tuple(data[name])
    return MatterRecord(file="", **data)


class RecordCache:
    """Records by blob id: in memory for the run, and in SQLite under `root` unless root is None."""

    def __init__(self, root: Path | None, synonyms: Mapping[str, str]) -> None:
        self.memory: dict[str, MatterRecord | None] = {}
        self.path: Path | None = None
        self.problem: str | None = None
        self.conn: sqlite3.Connection | None = None
        if root is not None:
            self._open(root, namespace(synonyms))

    def _open(self, root: Path, name: str) -> None:
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# mattercli cache: never commit\n*\n", encoding="utf-8")
            self.path = folder / f"stats-{name[:24]}.sqlite3"
            self.conn = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("CREATE TABLE IF NOT EXISTS records (blob TEXT PRIMARY KEY, payload TEXT NOT NULL)")
            self._prune(folder)
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            if self.path is not None:
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        Path(str(self.path) + suffix).unlink()

    def _prune(self, folder: Path) -> None:
        assert self.path is not None
        with contextlib.suppress(OSError):
            self.path.touch()
            found = sorted(folder.glob("stats-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in found[KEEP:]:
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        Path(str(old) + suffix).unlink()

    def _fail(self, exc: Exception) -> None:
        self.problem = f"{type(exc).__name__}: {exc}"
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
        self.conn = None

    def lookup(self, blobs: Sequence[str]) -> dict[str, MatterRecord | None]:
        """The records known for `blobs` (a blob absent from the answer must be read)."""
        found = {b: self.memory[b] for b in blobs if b in self.memory}
        wanted = [b for b in dict.fromkeys(blobs) if b not in found]
        if self.conn is None or not wanted:
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                for blob, payload in self.conn.execute(
                    f"SELECT blob, payload FROM records WHERE blob IN ({marks})", batch
                ):
                    with contextlib.suppress(ValueError, TypeError, KeyError):
                        found[blob] = self.memory[blob] = _decode(payload)
        except sqlite3.Error as exc:
            self._fail(exc)
        return found

    def store(self, items: Iterable[tuple[str, MatterRecord | None]]) -> None:
        rows = []
        for blob, record in items:
            self.memory[blob] = record
            rows.append((blob, _encode(record)))
        if self.conn is None or not rows:
            return
        try:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)", rows)
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None


def _chunks(items: Sequence[tuple[str, bytes]]) -> Iterator[Sequence[tuple[str, bytes]]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _parse(
    items: Sequence[tuple[str, bytes]], synonyms: Mapping[str, str], jobs: int, parallel_from: int
) -> list[tuple[str, MatterRecord | None]]:
    if jobs <= 1 or len(items) < parallel_from:
        init_worker(synonyms)
        return records_of_chunk(items)
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    out: list[tuple[str, MatterRecord | None]] = []
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=init_worker, initargs=(dict(synonyms),)
    ) as pool:
        for batch in pool.map(records_of_chunk, _chunks(items)):
            out.extend(batch)
    return out


def load_records(
    snapshot: Snapshot,
    synonyms: Mapping[str, str],
    cache: RecordCache,
    jobs: int = 0,
    parallel_from: int = PARALLEL_MIN_FILES,
) -> LoadedRecords:
    """Every matter of `snapshot` as a record, in file order. Each distinct content (blob id) is parsed once: what
    `cache` knows is reused, the rest is parsed — in `jobs` worker processes (0 = one per CPU) once there are
    `parallel_from` files or more to parse — and stored in the cache. `synonyms` must be the cache's table."""
    files = matter_files(snapshot)
    blobs: dict[str, str] = {}
    raw: dict[str, bytes] = {}
    for rel in files:
        if isinstance(snapshot, GitSnapshot):
            blob = snapshot.blob(rel)
            if blob is not None:
                blobs[rel] = blob
        elif (data := snapshot.read(rel)) is not None:
            blobs[rel] = blob_id(data)
            raw[rel] = data
    known = cache.lookup(list(blobs.values()))
    first: dict[str, str] = {}  # blob -> the first file holding it, for the blobs to parse
    for rel, blob in blobs.items():
        if blob not in known:
            first.setdefault(blob, rel)
    todo = [(rel, data) for rel in first.values() if (data := raw.get(rel) or snapshot.read(rel)) is not None]
    parsed = _parse(todo, synonyms, jobs or default_jobs(), parallel_from)
    cache.store((blobs[rel], record) for rel, record in parsed)
    records: list[MatterRecord] = []
    skipped: list[str] = []
    for rel in files:
        record = cache.memory.get(blobs[rel]) if rel in blobs else None
        if record is None:
            skipped.append(rel)
        else:
            records.append(record if record.file == rel else replace(record, file=rel))
    return LoadedRecords(tuple(records), tuple(skipped))
