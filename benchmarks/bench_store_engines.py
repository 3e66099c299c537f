#!/usr/bin/env python3
"""Which engine holds the catalogue store: SQLite, DuckDB or Parquet files (pyarrow), measured on the store's own
operations with real payloads (the parsed documents of a generated catalogue, as the store keeps them).

    python benchmarks/bench_store_engines.py CATALOGUE [--rows 200000] [--changed 1000]

The payloads of the catalogue's files are repeated under distinct keys up to --rows. Operations timed, each in a
fresh connection (what one mattercli run does):

- fill: write every row (a cold run)
- read all: every row back as (key, bytes) (a warm run of a whole-catalogue command)
- lookup: --changed rows by key (validate --changed-since, diff)
- update: replace --changed rows (an incremental run), then commit
- concurrent: a second process reads while the first holds an open write transaction

DuckDB and pyarrow are optional here (the store does not need them): a missing one is reported as such.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mattercli.catalogue.catalog import iter_matter_files
from mattercli.catalogue.yamlio import load_bytes


def payloads(root: Path) -> list[bytes]:
    out = []
    for path in iter_matter_files(root):
        doc = load_bytes(path.read_bytes(), path.name)
        out.append(json.dumps(doc.data, ensure_ascii=False, separators=(",", ":")).encode())
    return out


def rows_of(base: list[bytes], n: int) -> list[tuple[str, bytes]]:
    return [(hashlib.sha1(str(i).encode()).hexdigest(), base[i % len(base)]) for i in range(n)]


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return sum(Path(str(path) + s).stat().st_size for s in ("", "-wal") if Path(str(path) + s).exists())


# ---- SQLite ----


def sqlite_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def sqlite_fill(path: Path, rows):
    conn = sqlite_connect(path)
    conn.execute("CREATE TABLE docs (blob TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


def sqlite_read_all(path: Path):
    conn = sqlite_connect(path)
    out = conn.execute("SELECT blob, data FROM docs").fetchall()
    conn.close()
    return len(out)


def sqlite_lookup(path: Path, keys):
    conn = sqlite_connect(path)
    found = 0
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found += len(
            conn.execute(f"SELECT blob, data FROM docs WHERE blob IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        )
    conn.close()
    return found


def sqlite_update(path: Path, rows):
    conn = sqlite_connect(path)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


def _sqlite_reader(path: str, queue) -> None:
    try:
        conn = sqlite3.connect(path, timeout=2)
        queue.put(("ok", conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]))
    except Exception as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def sqlite_concurrent(path: Path):
    conn = sqlite_connect(path)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT OR REPLACE INTO docs VALUES ('x', x'00')")
    result = _in_child(_sqlite_reader, str(path))
    conn.execute("ROLLBACK")
    conn.close()
    return result


# ---- DuckDB ----


def duck_fill(path: Path, rows):
    import duckdb
    import pyarrow as pa

    conn = duckdb.connect(str(path))
    table = pa.table({"blob": [r[0] for r in rows], "data": pa.array([r[1] for r in rows], pa.binary())})
    conn.register("incoming", table)
    conn.execute("CREATE TABLE docs AS SELECT * FROM incoming")
    conn.execute("CREATE UNIQUE INDEX docs_blob ON docs(blob)")
    conn.close()


def duck_read_all(path: Path):
    import duckdb

    conn = duckdb.connect(str(path), read_only=True)
    out = conn.execute("SELECT blob, data FROM docs").fetchall()
    conn.close()
    return len(out)


def duck_lookup(path: Path, keys):
    import duckdb

    conn = duckdb.connect(str(path), read_only=True)
    found = len(conn.execute("SELECT blob, data FROM docs WHERE blob IN (SELECT unnest(?))", [keys]).fetchall())
    conn.close()
    return found


def duck_update(path: Path, rows):
    import duckdb
    import pyarrow as pa

    conn = duckdb.connect(str(path))
    table = pa.table({"blob": [r[0] for r in rows], "data": pa.array([r[1] for r in rows], pa.binary())})
    conn.register("incoming", table)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM docs WHERE blob IN (SELECT blob FROM incoming)")
    conn.execute("INSERT INTO docs SELECT * FROM incoming")
    conn.execute("COMMIT")
    conn.close()


def _duck_reader(path: str, queue) -> None:
    try:
        import duckdb

        conn = duckdb.connect(path, read_only=True)
        queue.put(("ok", conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]))
    except Exception as exc:
        queue.put(("error", f"{type(exc).__name__}: {str(exc)[:120]}"))


def duck_concurrent(path: Path):
    import duckdb

    conn = duckdb.connect(str(path))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO docs VALUES ('x', '\\x00'::BLOB)")
    result = _in_child(_duck_reader, str(path))
    conn.execute("ROLLBACK")
    conn.close()
    return result


# ---- Parquet (pyarrow): one file, replaced atomically ----


def pq_fill(path: Path, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"blob": [r[0] for r in rows], "data": pa.array([r[1] for r in rows], pa.binary())})
    path.mkdir()
    pq.write_table(table, path / "docs.parquet.tmp", compression="zstd")
    os.replace(path / "docs.parquet.tmp", path / "docs.parquet")


def pq_read_all(path: Path):
    import pyarrow.parquet as pq

    table = pq.read_table(path / "docs.parquet")
    return len(list(zip(table.column("blob").to_pylist(), table.column("data").to_pylist(), strict=True)))


def pq_lookup(path: Path, keys):
    import pyarrow.parquet as pq

    table = pq.read_table(path / "docs.parquet", filters=[("blob", "in", keys)])
    return table.num_rows


def pq_update(path: Path, rows):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path / "docs.parquet")
    new = pa.table({"blob": [r[0] for r in rows], "data": pa.array([r[1] for r in rows], pa.binary())})
    keep = table.filter(pc.invert(pc.is_in(table.column("blob"), new.column("blob"))))
    pq.write_table(pa.concat_tables([keep, new]), path / "docs.parquet.tmp", compression="zstd")
    os.replace(path / "docs.parquet.tmp", path / "docs.parquet")


def _pq_reader(path: str, queue) -> None:
    try:
        import pyarrow.parquet as pq

        queue.put(("ok", pq.read_metadata(Path(path) / "docs.parquet").num_rows))
    except Exception as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def pq_concurrent(path: Path):
    return _in_child(_pq_reader, str(path))  # a writer writes a new file and renames it: readers see old or new


def _in_child(target, path: str) -> str:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(path, queue))
    proc.start()
    proc.join(30)
    status, value = queue.get(timeout=5)
    return f"reader {status}: {value}"


ENGINES = {
    "sqlite": (sqlite_fill, sqlite_read_all, sqlite_lookup, sqlite_update, sqlite_concurrent, ".sqlite3"),
    "duckdb": (duck_fill, duck_read_all, duck_lookup, duck_update, duck_concurrent, ".duckdb"),
    "parquet": (pq_fill, pq_read_all, pq_lookup, pq_update, pq_concurrent, ""),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,duckdb,parquet")
    args = parser.parse_args()
    base = payloads(args.catalogue)
    rows = rows_of(base, args.rows)
    changed = [(key, data + b" ") for key, data in rows[:: max(1, len(rows) // args.changed)][: args.changed]]
    keys = [key for key, _ in changed]
    payload_mb = sum(len(d) for _, d in rows) / 1e6
    print(f"{len(rows):,} rows, {payload_mb:.0f} MB of JSON payload ({len(base):,} distinct documents)")
    t_decode, _ = timed(lambda: sum(1 for _, d in rows if json.loads(d)))
    print(f"json.loads of every payload (common to every engine): {t_decode:.2f} s")
    print("| engine | fill s | read all s | lookup s | update s | size MB | concurrent reader |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name in args.engines.split(","):
        fill, read_all, lookup, update, concurrent, suffix = ENGINES[name]
        folder = Path(tempfile.mkdtemp(prefix=f"store-{name}-"))
        path = folder / f"store{suffix}"
        try:
            t_fill, _ = timed(fill, path, rows)
            t_read, n = timed(read_all, path)
            assert n == len(rows), (name, n)
            t_lookup, found = timed(lookup, path, keys)
            assert found == len(keys), (name, found)
            t_update, _ = timed(update, path, changed)
            size = size_of(path) / 1e6
            shared = concurrent(path)
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | | | |")
            continue
        finally:
            pass
        print(f"| {name} | {t_fill:.2f} | {t_read:.2f} | {t_lookup:.3f} | {t_update:.2f} | {size:.0f} | {shared} |")
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
