"""A content-addressed cache of what `mattercli proofs` reads from each matter file, so that a second run over a
large catalogue (or over a git revision whose blobs were seen before) parses only the files that changed.

Records are keyed by a hash of the file's bytes together with a fingerprint of everything that decides what is
read from them (mattercli's version, the matter schema, the record format), stored as JSON — never pickle — in
SQLite under `<catalogue>/.mattercli-cache/` (git-ignored, skipped by discovery). Any problem with the cache makes
it step aside: a run never fails because of it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from mattercli import __version__
from mattercli.fsutil import make_cache_dir
from mattercli.proof_index import FileRecord

CACHE_DIR = ".mattercli-cache"
CACHE_FILE = "proofs.sqlite3"
#: Bump when the record layout in proof_index.file_record changes.
RECORD_FORMAT = 1
#: Rows beyond this many times the files of the current run are pruned (old revisions, deleted files).
KEEP_FACTOR = 3
#: Keys per lookup query (SQLite allows 32,766 host parameters).
_BATCH = 500


@cache
def fingerprint() -> bytes:
    """What the records depend on besides the bytes: version, record format, and the matter schema itself."""
    from mattercli.schema import matter_schema, render

    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}\0{RECORD_FORMAT}\0".encode())
    digest.update(render(matter_schema()).encode("utf-8"))
    return digest.digest()


class RecordCache:
    """File records by content. `get`/`put` never raise; `commit` writes what was added and prunes old rows."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self._db: sqlite3.Connection | None = None
        self._new: list[tuple[bytes, str]] = []
        self._used: set[bytes] = set()
        self.hits = 0
        self.misses = 0
        try:
            make_cache_dir(directory)
            self._db = self._open()
        except sqlite3.DatabaseError:
            # Not a database (or a damaged one): it is only a cache, so start it afresh.
            try:
                self.path.unlink()
                self._db = self._open()
            except (OSError, sqlite3.Error):
                self._db = None
        except (OSError, sqlite3.Error):
            self._db = None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS records (key BLOB PRIMARY KEY, record TEXT NOT NULL)")
        except sqlite3.Error:
            db.close()
            raise
        return db

    @property
    def active(self) -> bool:
        return self._db is not None

    def key(self, raw: bytes) -> bytes:
        """The cache key of a file's bytes."""
        return hashlib.blake2b(raw, digest_size=20, key=fingerprint()).digest()

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, FileRecord]:
        """The records the cache holds for these keys, looked up in one query per batch."""
        if self._db is None:
            return {}
        self._used.update(keys)
        rows: list[tuple[bytes, str]] = []
        wanted = list(set(keys))
        try:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows += self._db.execute(f"SELECT key, record FROM records WHERE key IN ({marks})", batch).fetchall()
        except sqlite3.Error:
            return {}
        out: dict[bytes, FileRecord] = {}
        for key, text in rows:
            try:
                out[key] = _decode(json.loads(text))
            except (ValueError, TypeError):
                continue
        self.hits += sum(1 for k in keys if k in out)
        self.misses += sum(1 for k in keys if k not in out)
        return out

    def put(self, key: bytes, record: FileRecord) -> None:
        if self._db is not None:
            self._used.add(key)
            self._new.append((key, json.dumps(record, ensure_ascii=False)))

    def commit(self) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)", self._new)
                total = self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
                if total > KEEP_FACTOR * max(1, len(self._used)):
                    self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
                    self._db.execute("DELETE FROM used")
                    self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self._used))
                    self._db.execute("DELETE FROM records WHERE key NOT IN (SELECT key FROM used)")
        except sqlite3.Error:
            pass
        self._new = []

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _decode(data: Any) -> FileRecord:
    """A record as JSON gave it back (lists for tuples), checked for shape."""
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
        return (data[0],)
    code, basic, name, department, impl, materials = data
    if not all(isinstance(x, str) for x in (code, basic, name, department)) or not isinstance(impl, bool):
        raise TypeError("bad record")
    out = []
    for material, kind, source, issuer, has_basis, line in materials:
        if not (isinstance(material, str) and isinstance(kind, str) and isinstance(source, str)):
            raise TypeError("bad material")
        out.append((material, kind, source, issuer, bool(has_basis), line))
    return (code, basic, name, department, impl, out)
