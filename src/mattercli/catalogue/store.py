"""The catalogue store: ONE SQLite database per catalogue that every command reads through, keyed by file content.

Where it lives (`locate`): `$MATTERCLI_CACHE_DIR/<catalogue id>/` when that variable is set (CI keeps it outside
the checkout), else `.mattercli-cache/` at the catalogue root, else — when that folder cannot be trusted — the
user's cache folder (`$XDG_CACHE_HOME/mattercli/stores/<catalogue id>/`, default `~/.cache`). It is created only
for a real catalogue (a folder with `registry/` or `mattercli.toml`), never in the current folder or `/`.

What it holds, per file content (the git blob id, so a work-tree file and its committed blob share a key):
- `records`: what each command derives from a document (proofs' material occurrences, stats' records …), one
  *view* per command and code version (the view's name carries a fingerprint of the code that derives it, so a
  change to a record type anywhere starts that view afresh — no change to the store);
- `checked`, `materials`, `runs`: validate's per-file results (findings, the summary cross-file rules use,
  suppressions) under a namespace of the configuration and registries, and the last whole run's result.

Trust (issue 25): every row carries a MAC — BLAKE2b keyed with a secret of the running user, kept outside the
checkout (`store-key` in the user's cache folder, or in `$MATTERCLI_CACHE_DIR`) — over the row's key (namespace,
path, blob id) and its payload, and is used only when the content it was computed from is the content read now.
A store folder that is tracked by git, is a symbolic link, or is not owned by the running user is never read;
a database made with another key, another store format or another mattercli version is rebuilt. SQLite in WAL
mode: readers never block and see the last committed state; a writer that finds the database busy skips its
write (a cache is best effort); a killed run leaves the previous commit. Any failure degrades to an in-memory
store for the run, never to an error. `--no-cache` opens the in-memory store: nothing is read or written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat as stat_module
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from mattercli import __version__
from mattercli.catalogue.catalog import is_catalogue
from mattercli.catalogue.fsutil import make_cache_dir
from mattercli.catalogue.store_codec import (
    FileResult,
    FileStat,
    MaterialTable,
    decode,
    encode,
    material_ids,
)
from mattercli.catalogue.yamlio import Document, FileProblem
from mattercli.model.identifiers import parse_basic_code

STORE_DIR = ".mattercli-cache"
STORE_FILE = "store.sqlite3"
KEY_FILE = "store-key"
ENV_DIR = "MATTERCLI_CACHE_DIR"
#: Bump when a table's layout or a row's encoding changes: an older database is rebuilt.
STORE_FORMAT = 1
#: Namespaces (validate configurations) and views (per command) kept: pre-commit with one config, CI with another.
KEEP = 4
#: A file whose content was hashed less than this long after it was last modified is hashed again next time even
#: if its size and times still match (a same-size edit within one timestamp tick would otherwise go unseen).
RACY_NS = 2_000_000_000
#: Rows encoded and inserted per executemany call when storing results.
_PUT_ROWS = 5000
#: Seconds a write waits for another mattercli's write to finish before it is skipped.
BUSY_TIMEOUT = 10.0
#: SQLite's default limit on host parameters in one statement is 999 on old builds.
_BATCH = 500


def blob_id(data: bytes) -> str:
    """The git blob id of `data` (so a store key equals what `git ls-tree` says of an unchanged file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


# ---- code fingerprints: results computed by other code are never reused ------------------------------------------

#: mattercli's own files and packages (relative to src/mattercli) that validate's per-file results depend on: what
#: mattercli.check.engine imports (a test checks the list covers it). Other stages are left out, so editing diff/,
#: stats/, export/ … keeps validate's results.
RESULT_SOURCES = (
    "__init__.py",
    "catalogue/",
    "check/",
    "data/",
    "model/",
)

_FINGERPRINTS: dict[tuple[str, ...], str] = {}
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "yaml-rs", "jsonschema-rs", "opencc")


def fingerprint_of(sources: Sequence[str]) -> str:
    """A hash of the named files and folders of the mattercli package (`()`: all of it), Python's version and the
    versions of the libraries results depend on."""
    key = tuple(sources)
    if key not in _FINGERPRINTS:
        digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
        package = Path(__file__).resolve().parent.parent  # src/mattercli (this file is in catalogue/)
        found: list[Path] = []
        for source in key or ("",):
            where = package / source
            if not where.exists():  # a list entry left behind by a move would silently drop files from the key
                raise RuntimeError(f"fingerprint source {source!r} is not in {package}")
            found.extend(sorted(p for p in where.rglob("*") if p.is_file()) if where.is_dir() else [where])
        for path in found:
            if path.suffix in (".py", ".tsv", ".json", ".yaml") and "__pycache__" not in path.parts and path.is_file():
                digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        for dist in _LIBRARIES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        _FINGERPRINTS[key] = digest.hexdigest()
    return _FINGERPRINTS[key]


def code_fingerprint() -> str:
    """The fingerprint of the code validate's results depend on."""
    return fingerprint_of(RESULT_SOURCES)


def namespace_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(f"format={STORE_FORMAT}\0{code_fingerprint()}\0".encode())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


# ---- where the store lives, and whether it can be trusted ---------------------------------------------------------


def user_cache_home() -> Path:
    """`$XDG_CACHE_HOME/mattercli`, by default `~/.cache/mattercli`."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "mattercli"


def catalogue_id(root: Path) -> str:
    """A folder name for one catalogue in a shared cache folder: its name and a hash of its full path."""
    resolved = str(root.resolve())
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in root.resolve().name)[:40] or "root"
    return f"{name}-{hashlib.sha256(resolved.encode()).hexdigest()[:16]}"


def _untrusted_path(path: Path, *, folder: bool) -> str | None:
    """Why an existing store folder or file must not be used (None: it may)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if stat_module.S_ISLNK(st.st_mode):
        return f"{path} 是符号链接 / is a symbolic link"
    if folder and not stat_module.S_ISDIR(st.st_mode):
        return f"{path} 不是文件夹 / is not a folder"
    if not folder and not stat_module.S_ISREG(st.st_mode):
        return f"{path} 不是普通文件 / is not a regular file"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"{path} 不属于当前用户 / is not owned by the running user"
    return None


def _git_top(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def tracked_by_git(folder: Path) -> bool:
    """Whether any file under `folder` is in its git repository's index (a committed cache is never trusted)."""
    top = _git_top(folder.parent)
    if top is None:
        return False
    try:
        out = subprocess.run(
            ["git", "-C", str(top), "ls-files", "-z", "--", str(folder.resolve())],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell: do not trust it
    return out.returncode != 0 or bool(out.stdout)


@dataclass
class Location:
    """Where a catalogue's store is (folder None: in memory only, for `reason`), and the key its rows are MACed
    with. `note` says why the store is not where it would usually be."""

    folder: Path | None
    key: bytes | None = None
    reason: str | None = None
    note: str | None = None

    @property
    def path(self) -> Path | None:
        return self.folder / STORE_FILE if self.folder is not None else None


def _secret(home: Path) -> bytes:
    """The running user's store key (created on first use, readable by its owner only); OSError if it cannot be
    had or is not safe (another owner, readable or writable by others)."""
    path = home / KEY_FILE
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))
            handle.flush()
            os.fsync(handle.fileno())
    st = path.lstat()
    if not stat_module.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
        raise PermissionError(f"{path}: 不属于当前用户 / not owned by the running user")
    if st.st_mode & 0o077:
        raise PermissionError(f"{path}: 其他用户可读写 / readable or writable by others")
    key = path.read_bytes()
    if len(key) != 32:
        raise PermissionError(f"{path}: 长度不对 / wrong length")
    return key


def locate(root: Path) -> Location:
    """Where the store of the catalogue at `root` goes, and its key; never raises."""
    if not is_catalogue(root):
        return Location(None, reason=f"{root} 不是目录库 / not a catalogue (no registry/, no mattercli.toml)")
    env = os.environ.get(ENV_DIR)
    note = None
    if env:
        base = Path(env).expanduser()
        if not base.is_absolute():
            base = Path.cwd() / base
        candidates: list[tuple[Path, Path | None]] = [(base / catalogue_id(root), base)]
    else:
        candidates = [(root / STORE_DIR, user_cache_home()), (user_cache_home() / "stores" / catalogue_id(root), None)]
    for folder, key_home in candidates:
        why = _untrusted_path(folder, folder=True) or _untrusted_path(folder / STORE_FILE, folder=False)
        if why is None and folder.is_dir() and tracked_by_git(folder):
            why = f"{folder} 已被 git 跟踪 / is tracked by git"
        if why is not None:
            note = (note + "; " if note else "") + why
            continue
        try:
            key = _secret(key_home or user_cache_home())
            make_cache_dir(folder)
        except OSError as exc:
            note = (note + "; " if note else "") + f"{folder}: {exc.strerror or exc}"
            continue
        return Location(folder, key, note=note)
    return Location(None, reason=note)


# ---- the store ----------------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS namespaces (ns TEXT PRIMARY KEY, kind TEXT NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS records (
  view TEXT NOT NULL, blob TEXT NOT NULL, payload BLOB NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (view, blob)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checked (
  ns TEXT NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL,
  size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, ino INTEGER, recorded_ns INTEGER, stat_mac BLOB,
  kind TEXT, code TEXT, basic_code TEXT, parent TEXT, full INTEGER NOT NULL,
  summary TEXT NOT NULL, materials BLOB NOT NULL, extra BLOB NOT NULL, mac BLOB NOT NULL,
  PRIMARY KEY (ns, path)
);
CREATE INDEX IF NOT EXISTS checked_code ON checked(ns, code);
CREATE INDEX IF NOT EXISTS checked_basic ON checked(ns, basic_code);
CREATE INDEX IF NOT EXISTS checked_parent ON checked(ns, parent);
CREATE TABLE IF NOT EXISTS materials (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, idx INTEGER NOT NULL, mac BLOB NOT NULL,
  UNIQUE (key, name, idx)
);
CREATE TABLE IF NOT EXISTS runs (
  kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (kind, key)
);
"""


def _part(value: Any) -> bytes:
    if value is None:
        return b"\xff"
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return len(data).to_bytes(4, "little") + data


@dataclass
class StoreStats:
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


@dataclass
class _State:
    materials: MaterialTable | None = None
    materials_complete: bool = False
    seen: set[str] = field(default_factory=set)


class Store:
    """One catalogue's store (see the module docstring). Every failure of the database degrades to an empty
    in-memory store for the rest of the run."""

    def __init__(self, root: Path | None) -> None:
        """The store of the catalogue at `root`; None (`--no-cache`): an in-memory store that nothing outlives."""
        self.stats = StoreStats()
        self.disabled = root is None
        self.location = locate(root) if root is not None else Location(None, reason="--no-cache")
        self.key = self.location.key or os.urandom(32)
        self.path = self.location.path
        self.persistent = False
        self.note = self.location.note
        self._state = _State()
        self.conn = self._open()

    # -- opening, rebuilding --

    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            for _attempt in range(2):  # a garbage, truncated, foreign or outdated database is made afresh once
                try:
                    conn = self._connect(self.path)
                    self.persistent = True
                    return conn
                except (OSError, sqlite3.Error) as exc:
                    self.stats.problem = f"{type(exc).__name__}: {exc}"
                    self._discard()
        return self._connect(None)

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            if path is not None:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            expected = {"format": str(STORE_FORMAT), "version": __version__, "key": self.mac("key").hex()}
            found = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if not found:
                conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(expected.items()))
            elif any(found.get(k) != v for k, v in expected.items()):
                raise sqlite3.DatabaseError("another store format, mattercli version or key: rebuilt")
        except BaseException:
            conn.close()
            raise
        return conn

    def _discard(self) -> None:
        """Remove a database that failed so the next open starts clean."""
        if self.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(str(self.path) + suffix).unlink()

    def _fail(self, exc: Exception) -> None:
        """The database broke mid-run: go on with an empty in-memory store."""
        self.stats.problem = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self.persistent:
            self._discard()
        self.persistent = False
        self._state = _State()
        self.conn = self._connect(None)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def describe(self) -> dict[str, Any]:
        """What a report says of the store: counts, whether it outlives the run, and — when there is something to
        say — where it is and why it is not persistent or not where it usually is."""
        out = self.stats.as_dict() | {"persistent": self.persistent}
        if self.persistent and self.path is not None:
            out["location"] = str(self.path)
        note = self.note or (self.location.reason if self.location.folder is None and not self.disabled else None)
        if note:
            out["note"] = note
        return out

    # -- MACs --

    def mac(self, *parts: Any) -> bytes:
        """The keyed hash of `parts`: what binds a row to its key, content hash and payload."""
        return hashlib.blake2b(b"".join(map(_part, parts)), key=self.key, digest_size=16).digest()

    # -- low-level access --

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return []

    def query_in(self, sql: str, values: Sequence[Any], args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """`sql` with `{marks}` for a list of values, run in batches."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), _BATCH):
            chunk = list(values[start : start + _BATCH])
            out.extend(self.query(sql.format(marks=",".join("?" * len(chunk))), [*args, *chunk]))
        return out

    def write(self, sql: str, rows: Iterable[Sequence[Any]], *more: tuple[str, Iterable[Sequence[Any]]]) -> bool:
        """Run `sql` over `rows` (then each (sql, rows) of `more`) in one transaction; False when skipped."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(sql, rows)
            for extra_sql, extra_rows in more:
                self.conn.executemany(extra_sql, extra_rows)
            self.conn.execute("COMMIT")
            return True
        except sqlite3.OperationalError as exc:  # busy (another mattercli writing): skip, the store is best effort
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            self.stats.problem = f"{type(exc).__name__}: {exc}"
            self._state.materials, self._state.materials_complete = None, False
            return False
        except sqlite3.Error as exc:
            self._fail(exc)
            return False

    def use_namespace(self, ns: str, kind: str) -> None:
        """Mark `ns` (of `kind`: validate, a view …) used now; drop the rows of the least recently used beyond KEEP."""
        if ns in self._state.seen or not self.persistent:
            self._state.seen.add(ns)
            return
        self._state.seen.add(ns)
        now = time.time_ns()
        self.write("INSERT OR REPLACE INTO namespaces VALUES (?, ?, ?)", [(ns, kind, now)])
        old = [r[0] for r in self.query("SELECT ns FROM namespaces WHERE kind=? ORDER BY used DESC", (kind,))][KEEP:]
        if old:
            rows = [(n,) for n in old]
            self.write(
                "DELETE FROM namespaces WHERE ns=?",
                rows,
                ("DELETE FROM checked WHERE ns=?", rows),
                ("DELETE FROM records WHERE view=?", rows),
                ("DELETE FROM runs WHERE kind=?", [(f"run:{n}",) for n in old]),
            )

    # -- JSON values (registry documents, whole runs) --

    def get_value(self, kind: str, key: str) -> Any:
        """The JSON value put under (kind, key); None when absent or its MAC does not match (counted as rejected)."""
        rows = self.query("SELECT value, mac FROM runs WHERE kind=? AND key=?", (kind, key))
        if not rows:
            return None
        text, mac = rows[0]
        if not isinstance(text, str) or mac != self.mac("value", kind, key, text):
            self.stats.rejected += 1
            return None
        try:
            return json.loads(text)
        except ValueError:
            self.stats.rejected += 1
            return None

    def put_value(self, kind: str, key: str, value: Any) -> None:
        """Keep a JSON value under (kind, key), replacing every other value of that kind."""
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):  # data JSON cannot hold (cannot happen with YAML 1.2 plain data)
            return
        self.write(
            "DELETE FROM runs WHERE kind=?",
            [(kind,)],
            (
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)",
                [(kind, key, text, self.mac("value", kind, key, text))],
            ),
        )

    # -- per-command records by content --

    def view(self, name: str, version: str) -> RecordView:
        """The records command `name` derives from file contents, for the code `version` that derives them."""
        return RecordView(self, f"{name}:{version}")


class RecordView:
    """Payloads (bytes) by blob id for one view of the store; a payload whose MAC does not match is a miss."""

    def __init__(self, store: Store, view: str) -> None:
        self.store = store
        self.view = view
        self.hits = 0
        self.misses = 0
        self._rows: list[tuple[str, str, bytes, bytes]] = []
        store.use_namespace(view, view.split(":", 1)[0])

    @property
    def persistent(self) -> bool:
        return self.store.persistent

    def get_many(self, blobs: Sequence[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(blobs))
        rows = self.store.query_in(
            "SELECT blob, payload, mac FROM records WHERE view=? AND blob IN ({marks})", wanted, (self.view,)
        )
        mac = self.store.mac
        out: dict[str, bytes] = {}
        for blob, payload, check in rows:
            if isinstance(payload, bytes) and check == mac("record", self.view, blob, payload):
                out[blob] = payload
            else:
                self.store.stats.rejected += 1
        self.hits += len(out)
        self.misses += len(wanted) - len(out)
        return out

    def put(self, blob: str, payload: bytes) -> None:
        if self.store.persistent:
            self._rows.append((self.view, blob, payload, self.store.mac("record", self.view, blob, payload)))
            if len(self._rows) >= _PUT_ROWS:
                self.flush()

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        if rows and self.store.write("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", rows):
            self.store.stats.written += len(rows)


# ---- validate's results -------------------------------------------------------------------------------------------


class ResultCache:
    """validate's per-file results for one namespace (configuration, registries, code), in the catalogue store."""

    def __init__(self, root: Path | None, namespace: str) -> None:
        self.store = Store(root)
        self.namespace = namespace
        self.stats = self.store.stats
        self.store.use_namespace(namespace, "validate")

    @property
    def persistent(self) -> bool:
        return self.store.persistent

    @property
    def path(self) -> Path | None:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def describe(self) -> dict[str, Any]:
        return self.store.describe()

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.store.query(sql, args)

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.store.write(sql, rows)

    # -- reading --

    _KNOWN = "SELECT path, blob, size, mtime_ns, ctime_ns, ino, recorded_ns, full, stat_mac"
    _DATA = ", kind, code, basic_code, parent, summary, materials, extra, mac"

    def _stat_ok(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """(blob, size, mtime_ns, ctime_ns, ino, recorded_ns, full, …data) with the stat data dropped (None) when
        its MAC does not match: the content is then hashed, never assumed."""
        path, blob, size, mtime, ctime, ino, recorded, full, stat_mac = row[:9]
        if stat_mac != self.store.mac("stat", self.namespace, path, blob, size, mtime, ctime, ino, recorded):
            size = mtime = ctime = ino = recorded = None
        return (blob, size, mtime, ctime, ino, recorded, full, *row[9:])

    def known(self, paths: Sequence[str] | None = None, with_data: bool = False) -> dict[str, tuple[Any, ...]]:
        """path -> (blob, size, mtime_ns, ctime_ns, ino, recorded_ns, full) of the stored files (all, or `paths`);
        with_data: followed by the stored result, for decode_known."""
        columns = self._KNOWN + (self._DATA if with_data else "") + " FROM checked WHERE ns=?"
        if paths is None:
            rows = self._query(columns, (self.namespace,))
        else:
            rows = self.store.query_in(columns + " AND path IN ({marks})", list(paths), (self.namespace,))
        return {r[0]: self._stat_ok(r) for r in rows}

    def blobs(self) -> dict[str, str]:
        """path -> blob of every stored file (what --changed-since needs to see which summaries it has)."""
        return dict(self._query("SELECT path, blob FROM checked WHERE ns=?", (self.namespace,)))

    def _check_materials(self, rows: Iterable[tuple[Any, ...]], table: MaterialTable) -> None:
        bad = []
        mac = self.store.mac
        for material_id, key, name, index, check in rows:
            if (
                isinstance(key, str)
                and isinstance(name, str)
                and isinstance(index, int)
                and check == mac("material", material_id, key, name, index)
            ):
                table.add(material_id, key, name, index)
            else:
                bad.append((material_id,))
                self.stats.rejected += 1
        if bad:  # dropped, and with them (KeyError in decode) every file that refers to them
            self._write("DELETE FROM materials WHERE id=?", bad)

    def _material_table(self, needed: set[int] | None = None) -> MaterialTable:
        """The stored materials: all of them (once per run), or at least the `needed` ids."""
        state = self.store._state
        if state.materials is None:
            state.materials = MaterialTable()
        table = state.materials
        if needed is None:
            if not state.materials_complete:
                self._check_materials(self._query("SELECT id, key, name, idx, mac FROM materials"), table)
                state.materials_complete = True
            return table
        wanted = sorted(needed - table.by_id.keys())
        self._check_materials(
            self.store.query_in("SELECT id, key, name, idx, mac FROM materials WHERE id IN ({marks})", wanted), table
        )
        return table

    def _row_mac(
        self, path: str, blob: str, kind: Any, code: Any, basic: Any, parent: Any, full: Any, *data: Any
    ) -> bytes:
        return self.store.mac("checked", self.namespace, path, blob, kind, code, basic, parent, full, *data)

    def _decode_rows(self, rows: Sequence[tuple[Any, ...]]) -> Iterator[FileResult]:
        """Rows of (path, blob, full, kind, code, basic, parent, summary, materials, extra, mac) as results; rows
        whose MAC does not bind them to this namespace, path and content are counted and skipped."""
        good = []
        for row in rows:
            path, blob, full, kind, code, basic, parent, text, materials, extra, check = row
            if (
                isinstance(text, str)
                and self._row_mac(path, blob, kind, code, basic, parent, full, text, materials, extra) == check
            ):
                good.append(row)
            else:
                self.stats.rejected += 1
        if len(good) > 2000:
            table = self._material_table()
        else:
            table = self._material_table({i for row in good for i in material_ids(row[8])})
        for path, blob, _full, _k, _c, _b, _p, text, materials, extra, _ in good:
            try:
                yield decode(path, blob, text, materials, extra, table)
            except (ValueError, TypeError, KeyError, IndexError):
                self.stats.rejected += 1

    def decode_known(self, known: dict[str, tuple[Any, ...]], paths: Iterable[str]) -> dict[str, FileResult]:
        """Results of `paths` from rows read by known(with_data=True): one query for a whole catalogue."""
        rows = [(path, entry[0], entry[6], *entry[7:15]) for path in paths if (entry := known[path])]
        return {r.file: r for r in self._decode_rows(rows)}

    def load(self, wanted: dict[str, str], full: bool = True) -> dict[str, FileResult]:
        """Entries for `wanted` (path -> blob) whose blob matches; full results only unless full=False."""
        if not wanted:
            return {}
        columns = (
            "SELECT path, blob, full, kind, code, basic_code, parent, summary, materials, extra, mac FROM checked "
            "WHERE ns=?" + (" AND full=1" if full else "")
        )
        if len(wanted) > 4 * _BATCH:
            rows = self._query(columns, (self.namespace,))
        else:
            rows = self.store.query_in(columns + " AND path IN ({marks})", list(wanted), (self.namespace,))
        return {r.file: r for r in self._decode_rows([r for r in rows if wanted.get(r[0]) == r[1]])}

    def paths_where(self, column: str, values: Iterable[str]) -> set[str]:
        """Paths of stored files whose `column` (code, basic_code or parent) is one of `values` (the rows' MACs
        are checked when their results are loaded)."""
        assert column in ("code", "basic_code", "parent")
        rows = self.store.query_in(
            f"SELECT path FROM checked WHERE ns=? AND {column} IN ({{marks}})", sorted(set(values)), (self.namespace,)
        )
        return {r[0] for r in rows}

    def get_documents(self, key: str) -> list[Document] | None:
        """Parsed documents stored under `key` by put_documents (None when absent or damaged)."""
        rows = self.store.get_value("registries", key)
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
        return self.store.get_value(f"run:{self.namespace}", digest)

    # -- writing --

    def put_documents(self, key: str, documents: Sequence[Document]) -> None:
        """Keep parsed documents (text, data, problems) under `key`: the registries, keyed by their bytes."""
        rows = [[d.path, d.text, d.data, [[p.rule, p.line, p.column, p.args] for p in d.problems]] for d in documents]
        self.store.put_value("registries", key, rows)

    def put_run(self, digest: str, payload: Any) -> None:
        """Keep a whole-catalogue result under the digest of every file's path and blob (only the latest one)."""
        self.store.put_value(f"run:{self.namespace}", digest, payload)

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
        conn = self.store.conn
        mac = self.store.mac
        try:
            conn.execute("BEGIN IMMEDIATE")
            added = []
            for key, name, index in new:
                row = conn.execute(
                    "SELECT id FROM materials WHERE key=? AND name=? AND idx=?", (key, name, index)
                ).fetchone()
                if row is None:
                    cursor = conn.execute(
                        "INSERT INTO materials (key, name, idx, mac) VALUES (?,?,?,x'')", (key, name, index)
                    )
                    material_id = cursor.lastrowid
                    conn.execute(
                        "UPDATE materials SET mac=? WHERE id=?",
                        (mac("material", material_id, key, name, index), material_id),
                    )
                    row = (material_id,)
                added.append((row[0], key, name, index))
            for material_id, key, name, index in added:
                table.add(material_id, key, name, index)
            written = 0
            for start in range(0, len(batch), _PUT_ROWS):  # encoded a slice at a time: bounded memory
                rows = [row for item, stat in batch[start : start + _PUT_ROWS] if (row := self._row(item, stat, table))]
                conn.executemany("INSERT OR REPLACE INTO checked VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
                written += len(rows)
            conn.execute("COMMIT")
            self.stats.written += written
        except sqlite3.OperationalError as exc:  # busy (another mattercli writing): skip, the store is best effort
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            state = self.store._state
            state.materials, state.materials_complete = None, False  # ids of the rolled-back transaction are gone
            self.stats.problem = f"{type(exc).__name__}: {exc}"
        except sqlite3.Error as exc:
            self.store._fail(exc)

    def _stat_columns(self, path: str, blob: str, stat: FileStat | None, now: int) -> tuple[Any, ...]:
        if stat is None:
            return (None, None, None, None, None, None)
        values = (stat.size, stat.mtime_ns, stat.ctime_ns, stat.ino, now)
        return (*values, self.store.mac("stat", self.namespace, path, blob, *values))

    def _row(self, item: FileResult, stat: FileStat | None, table: MaterialTable) -> tuple[Any, ...] | None:
        try:
            text, materials, extra = encode(item, table)
        except ValueError:  # a value holding the field separator: not stored, checked again next time
            return None
        s = item.summary
        parent = None
        if s is not None and s.kind == "base" and (parsed := parse_basic_code(s.code)) and parsed.is_sub_item:
            parent = parsed.parent_text
        kind = s.kind if s else None
        code = s.code if s else None
        basic = s.basic_code if s and s.kind == "implementation" else None
        full = 0 if item.findings is None else 1
        return (
            self.namespace,
            item.file,
            item.blob,
            *self._stat_columns(item.file, item.blob, stat, time.time_ns()),
            kind,
            code,
            basic,
            parent,
            full,
            text,
            materials,
            extra,
            self._row_mac(item.file, item.blob, kind, code, basic, parent, full, text, materials, extra),
        )

    def touch(self, updates: Iterable[tuple[str, str, FileStat]]) -> None:
        """Record new stat data for files (path, blob) whose content was hashed again and found unchanged."""
        now = time.time_ns()
        rows = [(*self._stat_columns(path, blob, s, now), self.namespace, path, blob) for path, blob, s in updates]
        if rows:
            self._write(
                "UPDATE checked SET size=?, mtime_ns=?, ctime_ns=?, ino=?, recorded_ns=?, stat_mac=? "
                "WHERE ns=? AND path=? AND blob=?",
                rows,
            )

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the entries of files that no longer exist (found by a full run)."""
        gone = [(self.namespace, p) for p in sorted(paths)]
        if gone:
            self._write("DELETE FROM checked WHERE ns=? AND path=?", gone)

    def stat_blob(self, known: tuple[Any, ...] | None, stat: FileStat) -> str | None:
        """The stored blob id of a file whose size, times and inode match what was recorded (None: hash it)."""
        if known is None:
            return None
        if known[1:5] != stat:
            return None
        recorded_ns = known[5]
        if recorded_ns is None or recorded_ns - stat.mtime_ns < RACY_NS:
            return None
        return str(known[0])


# ---- per-command records as JSON --------------------------------------------------------------------------------


class JsonRecords:
    """A command's records (plain JSON values) by file content, read and written through one view of the store:
    what proofs and stats keep of each file. `decode` checks a value's shape (raising ValueError, TypeError,
    KeyError or IndexError for one that does not fit: a miss); the view's version is the fingerprint of the code
    that derives the records (`sources`) and of `extra`, so changing that code starts the view afresh."""

    def __init__(
        self,
        store: Store,
        name: str,
        sources: Sequence[str],
        decode: Callable[[Any], Any],
        extra: str = "",
        owns_store: bool = True,
    ) -> None:
        self.store = store
        self.owns_store = owns_store
        version = hashlib.sha256(f"{STORE_FORMAT}\0{fingerprint_of(sources)}\0{extra}".encode()).hexdigest()[:32]
        self.view = store.view(name, version)
        self.decode = decode
        self._used: set[str] = set()

    @property
    def active(self) -> bool:
        return self.store.persistent

    @property
    def hits(self) -> int:
        return self.view.hits

    @property
    def misses(self) -> int:
        return self.view.misses

    @staticmethod
    def key(raw: bytes) -> str:
        return blob_id(raw)

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """The records the store holds for these blob ids (a key absent from the answer must be parsed)."""
        self._used.update(keys)
        out: dict[str, Any] = {}
        for key, payload in self.view.get_many(keys).items():
            try:
                out[key] = self.decode(json.loads(payload))
            except (ValueError, TypeError, KeyError, IndexError):
                self.store.stats.rejected += 1
                self.view.hits -= 1
                self.view.misses += 1
        return out

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        try:
            payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):
            return
        self.view.put(key, payload)

    def commit(self, prune: bool = True) -> None:
        """Write what was put; with prune, drop the view's rows of contents not used by this run once they
        outnumber the used ones three to one (old revisions, deleted files)."""
        self.view.flush()
        if not prune or not self.store.persistent or not self._used:
            return
        rows = self.store.query("SELECT COUNT(*) FROM records WHERE view=?", (self.view.view,))
        if rows and rows[0][0] > 3 * len(self._used):
            try:
                conn = self.store.conn
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS used (blob TEXT PRIMARY KEY)")
                conn.execute("DELETE FROM used")
                conn.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self._used))
                conn.execute(
                    "DELETE FROM records WHERE view=? AND blob NOT IN (SELECT blob FROM used)", (self.view.view,)
                )
                conn.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    self.store.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.commit()
        if self.owns_store:
            self.store.close()
