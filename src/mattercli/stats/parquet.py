"""The catalogue's matter and material tables as Parquet files, for a roll-up of many catalogues (a province's
catalogues, a national one) queried with DuckDB on one machine and with Spark or Trino beyond it.

The rows are the records `stats` reads through the catalogue store (mattercli.stats.records.MatterRecord, one per
schema-valid matter file), so the Parquet tables and the statistics are computed from the same values. Columns of
`matters.parquet` are the record's fields in order (a field added to MatterRecord becomes a column, its type
inferred) plus `material_count`; `materials.parquet` has one row per 申请材料. docs/parquet.md lists them. Files are
written with zstd compression, to a temporary name and renamed (readers see the old file or the new one).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from mattercli.catalogue.fsutil import atomic_write_bytes
from mattercli.stats.records import MatterRecord

MATTERS_FILE = "matters.parquet"
MATERIALS_FILE = "materials.parquet"
#: Written into each file's key-value metadata.
TABLE_VERSION = "1"


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed (it is the `parquet` extra: pip install 'mattercli[parquet]')."""


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParquetUnavailable(
            "写 Parquet 需要 pyarrow: pip install 'mattercli[parquet]' / Parquet output needs pyarrow"
        ) from exc
    return pa, pq


def _column_types(pa: Any) -> dict[str, Any]:
    text = pa.string()
    texts = pa.list_(pa.string())
    return {
        "file": text,
        "kind": text,
        "code": text,
        "basic_code": text,
        "name": text,
        "type": text,
        "status": text,
        "department": text,
        "region": text,
        "levels": texts,
        "legal_days": pa.float64(),
        "promised_days": pa.float64(),
        "immediate": pa.bool_(),
        "visits": pa.int64(),
        "full_online": pa.bool_(),
        "charges_fee": pa.bool_(),
        "merged_from": texts,
        "previous_codes": texts,
        "split_from": text,
        "nature": text,
        "unsuitable": texts,
        "volumes": pa.list_(pa.struct([("year", pa.int32()), ("count", pa.int64())])),
    }


def _cell(name: str, value: Any) -> Any:
    if name == "volumes":
        return [{"year": year, "count": count} for year, count in value]
    return list(value) if isinstance(value, tuple) else value


def matter_columns() -> list[str]:
    """The columns of matters.parquet, in order."""
    return [f.name for f in fields(MatterRecord) if f.name != "materials"] + ["material_count"]


def tables(records: Sequence[MatterRecord], source: dict[str, str | None]) -> tuple[Any, Any]:
    """The matter and material tables (pyarrow Tables) of `records`; `source` goes into the metadata."""
    pa, _ = _pyarrow()
    types = _column_types(pa)
    names = [f.name for f in fields(MatterRecord) if f.name != "materials"]
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for record in records:
        for name in names:
            columns[name].append(_cell(name, getattr(record, name)))
    arrays = [pa.array(columns[name], type=types.get(name)) for name in names]
    arrays.append(pa.array([len(r.materials) for r in records], type=pa.int32()))
    metadata = {b"mattercli.table_version": TABLE_VERSION.encode()} | {
        f"mattercli.{k}".encode(): (v or "").encode() for k, v in source.items()
    }
    matters = pa.Table.from_arrays(arrays, names=[*names, "material_count"]).replace_schema_metadata(metadata)
    files, codes, indexes, keys, proofs = [], [], [], [], []
    for record in records:
        for index, material in enumerate(record.materials):
            files.append(record.file)
            codes.append(record.code)
            indexes.append(index)
            keys.append(material.key)
            proofs.append(material.is_proof)
    materials = pa.Table.from_arrays(
        [
            pa.array(files, pa.string()),
            pa.array(codes, pa.string()),
            pa.array(indexes, pa.int32()),
            pa.array(keys, pa.string()),
            pa.array(proofs, pa.bool_()),
        ],
        names=["file", "code", "index", "key", "is_proof"],
    ).replace_schema_metadata(metadata)
    return matters, materials


def write_tables(records: Sequence[MatterRecord], folder: Path, source: dict[str, str | None]) -> list[Path]:
    """Write matters.parquet and materials.parquet into `folder`; returns their paths."""
    _, pq = _pyarrow()
    written = []
    for table, name in zip(tables(records, source), (MATTERS_FILE, MATERIALS_FILE), strict=True):
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        atomic_write_bytes(folder / name, buffer.getvalue())
        written.append(folder / name)
    return written
