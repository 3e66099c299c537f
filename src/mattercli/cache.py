"""The validate cache: per-file results (findings, the MatterSummary, suppressions) by file path and content hash,
in one SQLite database per configuration under `.mattercli-cache/` at the catalogue root.

A database is named after its namespace (tool and schema version, mattercli's own code, the registries, the
effective rule config), so any change there starts a fresh one. Rows carry a checksum of their payload; a row that
does not match, or a database that cannot be read, is ignored (a cold run), never trusted. SQLite commits are
atomic. Without a cache directory (`--no-cache`) the same store lives in memory for the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mattercli.cache_codec import (
    FileResult,
    FileStat,
    MaterialTable,
    checksum,
    decode,
    encode,
    material_checksum,
    material_ids,
    row_checksum,
)
from mattercli.fsutil import make_cache_dir
from mattercli.identifiers import parse_basic_code
from mattercli.yamlio import Document, FileProblem

CACHE_DIR = ".mattercli-cache"
FORMAT_VERSION = 3
#: Databases kept per catalogue (one per configuration: pre-commit with one config, CI with another …).
KEEP = 4
#: A file whose content was hashed less than this long after it was last modified is hashed again next time even
#: if its size and times still match (a same-size edit within one timestamp tick would otherwise go unseen).
RACY_NS = 2_000_000_000
#: Rows encoded and inserted per executemany call when storing results.
_PUT_ROWS = 5000


def blob_id(data: bytes) -> str:
    """The git blob id of `data` (so a cache key equals what `git ls-tree` says of an unchanged file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


# ---- the namespace ------------------------------------------------------------------------------------------------

#: mattercli's own files that per-file results depend on: what mattercli.validation imports (a test checks the list
#: covers it). Other commands' modules are left out, so editing them keeps the cache.
RESULT_SOURCES = (
    "__init__.py",
    "baseline.py",
    "cache.py",
    "cache_codec.py",
    "catalog.py",
    "changed.py",
    "codes.py",
    "config.py",
    "findings.py",
    "fsutil.py",
    "gitio.py",
    "identifiers.py",
    "index.py",
    "leftovers.py",
    "limits.py",
    "normalize.py",
    "proof_review.py",
    "regions.py",
    "schema.py",
    "suppress.py",
    "validation.py",
    "walk.py",
    "yamlio.py",
    "data/",
    "models/",
    "rules/",
)

_CODE_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """A hash of mattercli's result-bearing files and the versions of the libraries results depend on: results
    computed by other code (another checkout, an edit while developing mattercli) are never reused."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
        package = Path(__file__).resolve().parent
        for source in RESULT_SOURCES:
            found = (
                sorted(p for p in (package / source).rglob("*") if p.is_file())
                if source.endswith("/")
                else [package / source]
            )
            for path in found:
                if path.suffix in (".py", ".tsv", ".json", ".yaml") and "__pycache__" not in path.parts:
                    digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        for dist in ("pydantic", "pydantic-core", "PyYAML", "jsonschema-rs", "opencc"):
            with contextlib.suppress(metadata.PackageNotFoundError):
                digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        _CODE_FINGERPRINT = digest.hexdigest()
    return _CODE_FINGERPRINT


def namespace_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(f"format={FORMAT_VERSION}\0{code_fingerprint()}\0".encode())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


# ---- the store ----------------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY, blob TEXT NOT NULL,
  size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, ino INTEGER, recorded_ns INTEGER,
  kind TEXT, code TEXT, basic_code TEXT, parent TEXT, full INTEGER NOT NULL,
  summary TEXT NOT NULL, materials BLOB NOT NULL, extra BLOB NOT NULL, checksum BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS materials (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, idx INTEGER NOT NULL, checksum BLOB NOT NULL,
  UNIQUE (key, name, idx)
);
CREATE INDEX IF NOT EXISTS files_code ON files(code);
CREATE INDEX IF NOT EXISTS files_basic ON files(basic_code);
CREATE INDEX IF NOT EXISTS files_parent ON files(parent);
"""

#: SQLite's default limit on host parameters in one statement is 999 on old builds.
_BATCH = 500


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    rejected: int = 0
    hashed: int = 0
    written: int = 0
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "rejected": self.rejected,
            "hashed": self.hashed,
            "written": self.written,
            "problem": self.problem,
        }


class ResultCache:
    """Per-file results for one namespace. Every failure of the database degrades to an empty cache."""

    def __init__(self, root: Path | None, namespace: str) -> None:
        self.namespace = namespace
        self.stats = CacheStats()
        self.path: Path | None = None
        self.persistent = root is not None
        self._materials: MaterialTable | None = None
        self._materials_complete = False
        self.conn = self._open(root)

    def _open(self, root: Path | None) -> sqlite3.Connection:
        if root is not None:
            folder = root / CACHE_DIR
            try:
                make_cache_dir(folder)
                self.path = folder / f"validate-{self.namespace[:24]}.sqlite3"
            except OSError as exc:
                self.stats.problem = f"{type(exc).__name__}: {exc}"
            else:
                for _attempt in range(2):  # a garbage or truncated database is removed and made afresh once
                    try:
                        conn = self._connect(self.path)
                        _prune(folder, keep=self.path)
                        return conn
                    except (OSError, sqlite3.Error) as exc:
                        self.stats.problem = f"{type(exc).__name__}: {exc}"
                        self._discard()
        self.persistent = False
        return self._connect(None)

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=10, isolation_level=None)
        try:
            if path is not None:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='namespace'").fetchone()
            if row is None:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('namespace', ?)", (self.namespace,))
            elif row[0] != self.namespace:
                raise sqlite3.DatabaseError("namespace mismatch")
        except BaseException:
            conn.close()
            raise
        return conn

    def _discard(self) -> None:
        """Remove a database that failed (garbage, truncated, another format) so the next run starts clean."""
        if self.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(str(self.path) + suffix).unlink()

    def _fail(self, exc: Exception) -> None:
        """The database broke mid-run: go on with an empty in-memory store."""
        self.stats.problem = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self._discard()
        self.persistent = False
        self._materials = None
        self._materials_complete = False
        self.conn = self._connect(None)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    # -- reading --

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return []

    def known(self, paths: Sequence[str] | None = None, with_data: bool = False) -> dict[str, tuple[Any, ...]]:
        """path -> (blob, size, mtime_ns, ctime_ns, ino, recorded_ns, full) of the cached files (all, or `paths`);
        with_data: followed by the stored result (summary, materials, extra, checksum), for decode_known."""
        data = ", summary, materials, extra, checksum" if with_data else ""
        columns = f"SELECT path, blob, size, mtime_ns, ctime_ns, ino, recorded_ns, full{data} FROM files"
        if paths is None:
            return {r[0]: r[1:] for r in self._query(columns)}
        out: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(paths), _BATCH):
            chunk = list(paths[start : start + _BATCH])
            rows = self._query(f"{columns} WHERE path IN ({','.join('?' * len(chunk))})", chunk)
            out.update((r[0], r[1:]) for r in rows)
        return out

    def blobs(self) -> dict[str, str]:
        """path -> blob of every cached file (what --changed-since needs to see which summaries it has)."""
        return {path: blob for path, blob in self._query("SELECT path, blob FROM files")}

    def _check_materials(self, rows: Iterable[tuple[Any, ...]], table: MaterialTable) -> None:
        bad = []
        for material_id, key, name, index, check in rows:
            if (
                isinstance(key, str)
                and isinstance(name, str)
                and isinstance(index, int)
                and check == (material_checksum(key, name, index))
            ):
                table.add(material_id, key, name, index)
            else:
                bad.append((material_id,))
                self.stats.rejected += 1
        if bad:  # dropped, and with them (KeyError in decode) every file that refers to them
            self._write("DELETE FROM materials WHERE id=?", bad)

    def _material_table(self, needed: set[int] | None = None) -> MaterialTable:
        """The stored materials: all of them (once per run), or at least the `needed` ids."""
        if self._materials is None:
            self._materials = MaterialTable()
        table = self._materials
        if needed is None:
            if not self._materials_complete:
                columns = "SELECT id, key, name, idx, checksum FROM materials"
                self._check_materials(self._query(columns), table)
                self._materials_complete = True
            return table
        wanted = sorted(needed - table.by_id.keys())
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            rows = self._query(
                f"SELECT id, key, name, idx, checksum FROM materials WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            self._check_materials(rows, table)
        return table

    def _decode_rows(self, rows: Sequence[tuple[Any, ...]]) -> Iterator[FileResult]:
        """Rows of (path, blob, summary, materials, extra, checksum) as results; bad rows are counted, skipped."""
        good = []
        for row in rows:
            path, blob, text, materials, extra, check = row
            if isinstance(text, str) and row_checksum(text, materials, extra) == check:
                good.append(row)
            else:
                self.stats.rejected += 1
        if len(good) > 2000:
            table = self._material_table()
        else:
            table = self._material_table({i for row in good for i in material_ids(row[3])})
        for path, blob, text, materials, extra, _ in good:
            try:
                yield decode(path, blob, text, materials, extra, table)
            except (ValueError, TypeError, KeyError, IndexError):
                self.stats.rejected += 1

    def decode_known(self, known: dict[str, tuple[Any, ...]], paths: Iterable[str]) -> dict[str, FileResult]:
        """Results of `paths` from rows read by known(with_data=True): one query for a whole catalogue."""
        rows = [(path, entry[0], *entry[7:11]) for path in paths if (entry := known[path])]
        return {r.file: r for r in self._decode_rows(rows)}

    def load(self, wanted: dict[str, str], full: bool = True) -> dict[str, FileResult]:
        """Entries for `wanted` (path -> blob) whose blob matches; full results only unless full=False."""
        if not wanted:
            return {}
        columns = "SELECT path, blob, summary, materials, extra, checksum FROM files"
        if len(wanted) > 4 * _BATCH:
            rows = self._query(columns + (" WHERE full=1" if full else ""))
            rows = [r for r in rows if wanted.get(r[0]) == r[1]]
        else:
            rows = []
            paths = list(wanted)
            for start in range(0, len(paths), _BATCH):
                chunk = paths[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                found = self._query(f"{columns} WHERE path IN ({marks})" + (" AND full=1" if full else ""), chunk)
                rows.extend(r for r in found if wanted.get(r[0]) == r[1])
        return {r.file: r for r in self._decode_rows(rows)}

    def paths_where(self, column: str, values: Iterable[str]) -> set[str]:
        """Paths of cached files whose `column` (code, basic_code or parent) is one of `values`."""
        assert column in ("code", "basic_code", "parent")
        wanted = sorted(set(values))
        out: set[str] = set()
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self._query(f"SELECT path FROM files WHERE {column} IN ({marks})", chunk))
        return out

    def _get_json(self, kind: str, key: str) -> Any:
        """The JSON value stored by _put_json under kind:key; None when absent or damaged (counted as rejected)."""
        rows = self._query("SELECT value FROM meta WHERE key=?", (f"{kind}:{key}",))
        if not rows:
            return None
        check, _, text = str(rows[0][0]).partition(":")
        if checksum(text.encode("utf-8")).hex() != check:
            self.stats.rejected += 1
            return None
        try:
            return json.loads(text)
        except ValueError:
            self.stats.rejected += 1
            return None

    def get_documents(self, key: str) -> list[Document] | None:
        """Parsed documents stored under `key` by put_documents (None when absent or damaged)."""
        rows = self._get_json("documents", key)
        if rows is None:
            return None
        try:
            return [
                Document(path, doc_text, data, [FileProblem(p[0], p[1], p[2], p[3]) for p in problems])
                for path, doc_text, data, problems in rows
            ]
        except (ValueError, TypeError, IndexError):
            self.stats.rejected += 1
            return None

    def get_run(self, digest: str) -> Any:
        """The whole-catalogue result stored by put_run for this exact set of file contents (None: absent, damaged)."""
        return self._get_json("run", digest)

    # -- writing --

    def _put_json(self, kind: str, key: str, value: Any) -> None:
        """Keep a JSON value, checksummed, under kind:key, replacing every other value of that kind."""
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):  # data JSON cannot hold (cannot happen with YAML 1.2 plain data)
            return
        self._write(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [(f"{kind}:{key}", checksum(text.encode("utf-8")).hex() + ":" + text)],
        )
        self._write(f"DELETE FROM meta WHERE key LIKE '{kind}:%' AND key != ?", [(f"{kind}:{key}",)])

    def put_documents(self, key: str, documents: Sequence[Document]) -> None:
        """Keep parsed documents (text, data, problems) under `key`: the registries, keyed by their bytes."""
        rows = [[d.path, d.text, d.data, [[p.rule, p.line, p.column, p.args] for p in d.problems]] for d in documents]
        self._put_json("documents", key, rows)

    def put_run(self, digest: str, payload: Any) -> None:
        """Keep a whole-catalogue result under the digest of every file's path and blob (only the latest one)."""
        self._put_json("run", digest, payload)

    def put(self, items: Iterable[tuple[FileResult, FileStat | None]]) -> None:
        """Store results (one transaction: new materials, then the files that refer to them)."""
        batch = list(items)
        if not batch:
            return
        table = self._material_table()
        new = sorted(
            {(m.key, m.name, m.index) for item, _ in batch if item.summary for m in item.summary.materials}
            - table.ids.keys()
        )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            added = []
            for key, name, index in new:
                self.conn.execute(
                    "INSERT OR IGNORE INTO materials (key, name, idx, checksum) VALUES (?,?,?,?)",
                    (key, name, index, material_checksum(key, name, index)),
                )
                row = self.conn.execute(
                    "SELECT id FROM materials WHERE key=? AND name=? AND idx=?", (key, name, index)
                ).fetchone()
                added.append((row[0], key, name, index))
            for material_id, key, name, index in added:
                table.add(material_id, key, name, index)
            written = 0
            for start in range(0, len(batch), _PUT_ROWS):  # encoded a slice at a time: bounded memory
                rows = [row for item, stat in batch[start : start + _PUT_ROWS] if (row := self._row(item, stat, table))]
                self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
                written += len(rows)
            self.conn.execute("COMMIT")
            self.stats.written += written
        except sqlite3.OperationalError as exc:  # busy (another mattercli writing): skip, the cache is best effort
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            self._materials, self._materials_complete = None, False  # ids of the rolled-back transaction are gone
            self.stats.problem = f"{type(exc).__name__}: {exc}"
        except sqlite3.Error as exc:
            self._fail(exc)

    @staticmethod
    def _row(item: FileResult, stat: FileStat | None, table: MaterialTable) -> tuple[Any, ...] | None:
        try:
            text, materials, extra = encode(item, table)
        except ValueError:  # a value holding the field separator: not cached, checked again next time
            return None
        s = item.summary
        parent = None
        if s is not None and s.kind == "base" and (parsed := parse_basic_code(s.code)) and parsed.is_sub_item:
            parent = parsed.parent_text
        return (
            item.file,
            item.blob,
            stat.size if stat else None,
            stat.mtime_ns if stat else None,
            stat.ctime_ns if stat else None,
            stat.ino if stat else None,
            time.time_ns() if stat else None,
            s.kind if s else None,
            s.code if s else None,
            s.basic_code if s and s.kind == "implementation" else None,
            parent,
            0 if item.findings is None else 1,
            text,
            materials,
            extra,
            row_checksum(text, materials, extra),
        )

    def touch(self, updates: Iterable[tuple[str, FileStat]]) -> None:
        """Record new stat data for files whose content was hashed again and found unchanged."""
        now = time.time_ns()
        rows = [(s.size, s.mtime_ns, s.ctime_ns, s.ino, now, path) for path, s in updates]
        if rows:
            self._write("UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, ino=?, recorded_ns=? WHERE path=?", rows)

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the entries of files that no longer exist (found by a full run)."""
        gone = [(p,) for p in sorted(paths)]
        if gone:
            self._write("DELETE FROM files WHERE path=?", gone)

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(sql, rows)
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # busy (another mattercli writing): skip, the cache is best effort
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            self.stats.problem = f"{type(exc).__name__}: {exc}"
        except sqlite3.Error as exc:
            self._fail(exc)

    def stat_blob(self, known: tuple[Any, ...] | None, stat: FileStat) -> str | None:
        """The cached blob id of a file whose size, times and inode match what was recorded (None: hash it)."""
        if known is None:
            return None
        if known[1:5] != stat:
            return None
        recorded_ns = known[5]
        if recorded_ns is None or recorded_ns - stat.mtime_ns < RACY_NS:
            return None
        return str(known[0])


def _prune(folder: Path, keep: Path) -> None:
    """Keep the KEEP most recently used databases."""
    with contextlib.suppress(OSError):
        os.utime(keep) if keep.exists() else None
    found = sorted(folder.glob("validate-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[KEEP:]:
        if old != keep:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(str(old) + suffix).unlink()
