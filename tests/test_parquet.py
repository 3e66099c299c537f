"""`mattercli parquet`: the matter and material tables as Parquet, read back with DuckDB, reproduce stats figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app
from mattercli.stats.parquet import MATERIALS_FILE, MATTERS_FILE, matter_columns
from mattercli.stats.run import compute_stats
from stats_fixture import MINI

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

runner = CliRunner()


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns(".mattercli-cache"))
    return root


def write(catalogue: Path, out: Path, *args: str) -> None:
    result = runner.invoke(app, ["parquet", str(catalogue), "--output", str(out), *args])
    assert result.exit_code == 0, result.output


def test_duckdb_reproduces_stats_figures(catalogue: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(catalogue, out)
    report = compute_stats(catalogue)
    con = duckdb.connect()
    matters, materials = (str(out / MATTERS_FILE), str(out / MATERIALS_FILE))
    timed = (
        "FROM read_parquet(?) WHERE kind = 'implementation' AND status = '在用' "
        "AND legal_days IS NOT NULL AND promised_days IS NOT NULL"
    )
    (total,) = con.execute(f"SELECT sum(promised_days) {timed}", [matters]).fetchone()
    assert total == pytest.approx(report.value("promised_days_total").current.value)
    (mean,) = con.execute(f"SELECT avg(promised_days) {timed}", [matters]).fetchone()
    assert mean == pytest.approx(report.value("promised_days_mean").current.value)
    # every material of every matter, joined back to its matter
    (count, orphans) = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE m.code IS NULL) FROM read_parquet(?) a "
        "LEFT JOIN read_parquet(?) m ON a.file = m.file",
        [materials, matters],
    ).fetchone()
    assert orphans == 0
    assert count == con.execute("SELECT sum(material_count) FROM read_parquet(?)", [matters]).fetchone()[0] > 0


def test_the_documented_columns(catalogue: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(catalogue, out, "--no-cache")
    con = duckdb.connect()
    columns = [
        row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(out / MATTERS_FILE)]).fetchall()
    ]
    assert columns == matter_columns()
    doc = (Path(__file__).parents[1] / "docs" / "parquet.md").read_text(encoding="utf-8")
    for column in columns:
        assert f"| `{column}` |" in doc, column
    material_columns = [
        row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(out / MATERIALS_FILE)]).fetchall()
    ]
    assert material_columns == ["file", "code", "index", "key", "is_proof"]
    assert not (catalogue / ".mattercli-cache").exists()  # --no-cache: the store was neither read nor written


def test_the_tables_come_through_the_store(catalogue: Path, tmp_path: Path) -> None:
    write(catalogue, tmp_path / "a")
    assert (catalogue / ".mattercli-cache" / "store.sqlite3").is_file()
    write(catalogue, tmp_path / "b")
    for name in (MATTERS_FILE, MATERIALS_FILE):
        con = duckdb.connect()
        a, b = (
            con.execute(f"SELECT * FROM read_parquet('{tmp_path / d / name}') ORDER BY ALL").fetchall() for d in "ab"
        )
        assert a == b and a


def test_output_must_be_a_folder(catalogue: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["parquet", str(catalogue), "--output", str(tmp_path / "file")])
    assert result.exit_code == 2
