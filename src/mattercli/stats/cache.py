"""`stats` reads each distinct file content once — across the two snapshots of one run, and across runs — through
the catalogue store's stats view (mattercli.catalogue.store): `MatterRecord`s by git blob id, in memory for the run and in
the store for the next one. The view's version is a fingerprint of the code records depend on and of the synonym
table, so any change there starts it afresh; payloads are plain JSON (nothing in the store is ever executed); a
row that does not decode, or a store that cannot be opened, counts as a miss — never an error.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from itertools import chain, islice
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from types import TracebackType
from typing import Any

from mattercli.catalogue.snapshot import GitSnapshot, Snapshot
from mattercli.catalogue.store import JsonRecords, Store, blob_id
from mattercli.stats.records import (
    FIELDS,
    LoadedRecords,
    MatterRecord,
    RecordBuilder,
    RecordFields,
    default_jobs,
    fields_of,
    init_worker,
    matter_files,
    records_of_chunk,
)

#: Below this many files to parse the work stays in this process (starting workers costs more than it saves).
PARALLEL_MIN_FILES = 400
CHUNK = 200
#: Files read (and looked up in the store) per step: the bytes held at once are this batch and the chunks in flight.
READ_BATCH = 500
#: Chunks sent to the workers and not yet taken back, per worker: enough to keep them busy, few enough that the
#: files in flight stay a few megabytes whatever the size of the catalogue.
IN_FLIGHT_PER_JOB = 4
#: The package's files stats records depend on (the view of the store is keyed by their fingerprint).
RECORD_SOURCES = ("stats/records.py", "catalogue/snapshot.py", "catalogue/yamlio.py", "model/")


def _fields(values: Any) -> Any:
    """A stored payload's record fields (None: a file that fails the schema), checked for shape."""
    if values is None:
        return None
    if not isinstance(values, list) or len(values) != len(FIELDS):
        raise ValueError("payload shape")
    return values


class RecordCache:
    """Records by blob id: in memory for the run, and in the catalogue store of `root` unless root is None.
    `builder` makes every record of the run, so that the two snapshots' records share their equal parts too."""

    def __init__(self, root: Path | None, synonyms: Mapping[str, str]) -> None:
        self.memory: dict[str, MatterRecord | None] = {}
        self.builder = RecordBuilder()
        self.view: JsonRecords | None = None
        self.problem: str | None = None
        if root is not None:
            store = Store(root)
            if store.persistent:
                extra = json.dumps(sorted(synonyms.items()), ensure_ascii=False)
                self.view = JsonRecords(store, "stats", RECORD_SOURCES, _fields, extra=extra)
            else:
                self.problem = store.stats.problem or store.note
                store.close()

    @property
    def path(self) -> Path | None:
        return self.view.store.path if self.view is not None else None

    def lookup(self, blobs: Sequence[str]) -> dict[str, MatterRecord | None]:
        """The records known for `blobs` (a blob absent from the answer must be read)."""
        found = {b: self.memory[b] for b in blobs if b in self.memory}
        wanted = [b for b in dict.fromkeys(blobs) if b not in found]
        if self.view is None or not wanted:
            return found
        for blob, values in self.view.get_many(wanted).items():
            try:
                record = None if values is None else self.builder.record("", values)
            except (ValueError, TypeError, KeyError, IndexError):
                continue
            found[blob] = self.memory[blob] = record
        return found

    def store(self, items: Iterable[tuple[str, MatterRecord | None]]) -> None:
        """Keep records for the run and, with a store, write them (in batches; `flush` writes the rest)."""
        for blob, record in items:
            self.memory[blob] = record
            if self.view is not None:
                self.view.put(blob, None if record is None else list(fields_of(record)))

    def flush(self) -> None:
        if self.view is not None:
            self.view.commit(prune=False)

    def close(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view = None


_Item = tuple[str, bytes]  # (path, bytes) of a file to parse


def _chunks(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Parser:
    """Parses matter files into record fields, in this process or in `jobs` worker processes (0 = one per CPU).

    Files stream through: `parse` takes them chunk by chunk as it goes and keeps a bounded number of chunks in
    flight, so no more than a few megabytes of file bytes are ever held. The workers start on the first load with
    `parallel_from` files or more to parse, and serve every later load through the same parser (a run's baseline
    after its current version): they are forked once, while this process is still small.
    """

    def __init__(self, synonyms: Mapping[str, str], jobs: int = 0, parallel_from: int = PARALLEL_MIN_FILES) -> None:
        self.synonyms = dict(synonyms)
        self.jobs = jobs or default_jobs()
        self.parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def parse(self, chunks: Iterable[list[_Item]]) -> Iterator[tuple[list[_Item], list[RecordFields | None]]]:
        """Each chunk with its files' record fields (None: fails the schema), in the order given."""
        chunks = iter(chunks)
        head: list[list[_Item]] = []
        if self._pool is None and self.jobs > 1:
            for chunk in chunks:
                head.append(chunk)
                if sum(map(len, head)) >= self.parallel_from:
                    break
        rest = chain(head, chunks)  # never [*head, *chunks]: that would read every file before parsing one
        if self._pool is None and (self.jobs <= 1 or not head or sum(map(len, head)) < self.parallel_from):
            init_worker(self.synonyms)
            for chunk in rest:
                yield chunk, records_of_chunk(chunk)
            return
        pending: deque[tuple[list[_Item], Future[list[RecordFields | None]]]] = deque()
        for chunk in rest:
            pending.append((chunk, self._submit(chunk)))
            if len(pending) >= IN_FLIGHT_PER_JOB * self.jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def _submit(self, chunk: list[_Item]) -> Future[list[RecordFields | None]]:
        if self._pool is not None:
            return self._pool.submit(records_of_chunk, chunk)
        context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
        self._pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=context, initializer=init_worker, initargs=(self.synonyms,)
        )
        # The first submit forks the workers. Objects that exist now are left out of the workers' garbage
        # collections, which would otherwise write to every one of them and so copy this process's pages.
        gc.freeze()
        try:
            return self._pool.submit(records_of_chunk, chunk)
        finally:
            gc.unfreeze()


def load_records(
    snapshot: Snapshot,
    synonyms: Mapping[str, str],
    cache: RecordCache,
    jobs: int = 0,
    parallel_from: int = PARALLEL_MIN_FILES,
    parser: Parser | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadedRecords:
    """Every matter of `snapshot` as a record, in file order. Each distinct content (blob id) is parsed once: what
    `cache` knows is reused, the rest is parsed — by `parser`, or in `jobs` worker processes (0 = one per CPU) once
    there are `parallel_from` files or more to parse — and stored in the cache. `synonyms` must be the cache's table.

    Files are read, looked up and parsed in batches as they go: only the bytes of the files in flight are held.
    `progress(done, total)` is called as files are resolved (found in the cache or parsed)."""
    files = matter_files(snapshot)
    blobs: dict[str, str] = {}  # path -> blob id, for every file that can be read
    sent: set[str] = set()  # blobs given to the parser (each from the first file holding it)
    resolved = 0  # files whose record is known or on its way (a second file with a parsed content)

    def report(count: int) -> None:
        nonlocal resolved
        resolved += count
        if progress is not None:
            progress(resolved, len(files))

    def to_parse() -> Iterator[_Item]:
        for start in range(0, len(files), READ_BATCH):
            batch: list[tuple[str, str, bytes | None]] = []
            for rel in files[start : start + READ_BATCH]:
                if isinstance(snapshot, GitSnapshot):
                    if (blob := snapshot.blob(rel)) is not None:
                        batch.append((rel, blob, None))  # read only if it must be parsed
                elif (data := snapshot.read(rel)) is not None:
                    batch.append((rel, blob_id(data), data))
            known = cache.lookup([blob for _, blob, _ in batch])
            hits = len(files[start : start + READ_BATCH]) - len(batch)  # unreadable files count as done
            for rel, blob, data in batch:
                blobs[rel] = blob
                if blob in known or blob in sent:
                    hits += 1
                    continue
                sent.add(blob)
                if data is None:
                    data = snapshot.read(rel)
                if data is not None:
                    yield rel, data
                else:
                    hits += 1
            if hits:
                report(hits)

    with contextlib.ExitStack() as stack:
        if parser is None:
            parser = stack.enter_context(Parser(synonyms, jobs, parallel_from))
        build = cache.builder.record
        for chunk, parsed in parser.parse(_chunks(to_parse(), CHUNK)):
            cache.store(
                (blobs[rel], None if values is None else build(rel, values))
                for (rel, _), values in zip(chunk, parsed, strict=True)
            )
            report(len(chunk))
    cache.flush()
    records: list[MatterRecord] = []
    skipped: list[str] = []
    for rel in files:
        record = cache.memory.get(blobs[rel]) if rel in blobs else None
        if record is None:
            skipped.append(rel)
        else:
            records.append(record if record.file == rel else replace(record, file=rel))
    return LoadedRecords(tuple(records), tuple(skipped))
