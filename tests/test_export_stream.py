"""How export keeps memory bounded: matter files read lazily and parsed in worker processes with a bounded number
of chunks in flight, results taken in file order, rows and page bodies kept in record files — and the same bytes
with workers as in one process."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from export_helpers import LISTS, generated_catalogue, manifest, tree_bytes
from mattercli.catalogue.snapshot import open_snapshot
from mattercli.export import ExportOptions, export_catalog
from mattercli.export.catalogue import PARALLEL_FROM, Catalogue, load_catalogue
from mattercli.export.definitions import definitions_from_directory
from mattercli.export.formats import ExportFormat
from mattercli.export.formats.html import HtmlExporter
from mattercli.export.lists import ListBuilder, Row, list_specs
from mattercli.export.output import TreeWriter
from mattercli.export.records import LoadPlan, start_worker
from mattercli.export.spool import RecordSpool
from mattercli.export.workers import Workers


def _square_slowly(n: int) -> int:
    time.sleep(0.001 * (n % 4))  # later tasks often finish before earlier ones
    return n * n


def test_workers_give_results_in_order_and_take_items_only_when_there_is_room() -> None:
    taken = 0

    def items() -> Iterator[int]:
        nonlocal taken
        for n in range(80):
            taken += 1
            yield n

    ahead = []
    results = []
    with Workers(2) as workers:
        assert workers.parallel
        for received, result in enumerate(workers.map(_square_slowly, items(), per_worker=3)):
            ahead.append(taken - received)  # taken from `items` and not yet given back, this one included
            results.append(result)
    assert results == [n * n for n in range(80)]
    assert max(ahead) == 2 * 3  # it runs ahead (the workers stay busy), never further than 3 per worker


def test_record_spool_reads_back_in_order_and_by_position(tmp_path: Path) -> None:
    spool = RecordSpool(tmp_path)
    first = spool.append(7, b"abc")
    second = spool.append(9, "食品".encode())
    assert list(spool.records()) == [(7, b"abc"), (9, "食品".encode())]
    assert spool.read(second) == (9, "食品".encode())
    third = spool.append(11, b"")  # appending after reading goes to the end, not over what was read
    assert spool.read(first) == (7, b"abc")
    assert list(spool.records()) == [(7, b"abc"), (9, "食品".encode()), (11, b"")]
    assert spool.read(third) == (11, b"")
    spool.close()
    assert list(tmp_path.iterdir()) == []  # an unnamed file: nothing is left behind


def test_text_stream_writes_and_hashes_a_file_of_many_flushes(tmp_path: Path) -> None:
    out = TreeWriter(tmp_path)
    lines = [f"第{i}行,{'数据' * (i % 7)},😀" for i in range(150_000)]  # ≈ 2 M characters: several flushes
    with out.text_stream("md/big.md") as sink:
        sink.join("\r\n", lines)
        sink.write("\r\n")
    data = (tmp_path / "md" / "big.md").read_bytes()
    assert data == ("\r\n".join(lines) + "\r\n").encode("utf-8")
    assert out.hashes == {"md/big.md": hashlib.sha256(data).hexdigest()}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated catalogue with a second file for an early base entry's code and an unreadable file."""
    root = generated_catalogue(tmp_path_factory.mktemp("stream") / "catalog", 300)
    first_base = sorted((root / "base").glob("*.yaml"))[0]
    (root / "base" / "zz-copy.yaml").write_bytes(first_base.read_bytes())
    region = sorted((root / "impl").iterdir())[1]
    (region / "broken.yaml").write_text("事项名称: [\n", encoding="utf-8")
    return root


def _load(root: Path, jobs: int, chunk: int, spool: Path) -> tuple[Catalogue, list[list[Row]]]:
    snapshot = open_snapshot(root)
    definitions = definitions_from_directory(LISTS)
    plan = LoadPlan([d.definition for d in definitions], snapshot.registries(), [HtmlExporter.matter_body])
    with Workers(jobs, start_worker, (plan,)) as workers:
        catalogue = load_catalogue(snapshot, plan, workers, spool, chunk=chunk)
    rows = [x.rows for x in ListBuilder(catalogue).build(list_specs(definitions, catalogue))]
    return catalogue, rows


def test_parallel_load_keeps_file_order(planted: Path, tmp_path: Path) -> None:
    one, one_rows = _load(planted, 1, 200, tmp_path)
    many, many_rows = _load(planted, 2, 7, tmp_path)  # ~45 chunks, at most 6 in flight, finishing out of order
    with one, many:
        files = open_snapshot(planted).matter_files()
        assert len(one.entries) == len(files) - 2
        assert [e.code for e in many.entries] == [e.code for e in one.entries]
        assert many.skipped == one.skipped
        reasons = {s.file: s.reason for s in many.skipped}
        first_base = sorted(f for f in files if f.startswith("base/"))[0]
        assert reasons["base/zz-copy.yaml"] == f"duplicate-code ({first_base})"
        assert any(f.endswith("/broken.yaml") for f in reasons)
        assert many_rows == one_rows
        assert sum(map(len, many_rows)) > len(many.entries)
        assert [many.body(i) for i in range(0, len(many.entries), 37)] == [
            one.body(i) for i in range(0, len(one.entries), 37)
        ]


def test_export_with_workers_writes_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    root = generated_catalogue(tmp_path / "catalog", PARALLEL_FROM + 40)
    one, many = tmp_path / "one", tmp_path / "many"
    formats = (ExportFormat.csv, ExportFormat.json, ExportFormat.md, ExportFormat.html)  # XLSX: test_export.py
    export_catalog(ExportOptions(path=root, output=one, formats=formats, definitions=LISTS, jobs=1))
    export_catalog(ExportOptions(path=root, output=many, formats=formats, definitions=LISTS, jobs=2))
    assert tree_bytes(many) == tree_bytes(one)
    assert len(manifest(many)["lists"]) > 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "many", "one"]  # no record files left
