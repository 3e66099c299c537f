"""The per-file cache: a warm run gives the same findings without re-checking files; a corrupt, truncated or
tampered cache is ignored (a cold run), never trusted; edits, even same-size ones, are seen."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mattercli.catalogue.catalog import iter_matter_files
from mattercli.catalogue.store import RESULT_SOURCES, STORE_DIR, STORE_FILE, Store
from mattercli.catalogue.walk import is_matter_path, scan_matter_files
from mattercli.check import engine as validation
from mattercli.check.baseline import DEFAULT_FILE
from validate_ci_helpers import F_IMPL, HERE, broken_catalog, copy_mini, edit, json_report


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return broken_catalog(tmp_path / "catalog")


def stable(doc: dict[str, Any]) -> dict[str, Any]:
    return {"findings": doc["findings"], "suppressed": doc["suppressed"], "summary": {**doc["summary"], "seconds": 0}}


CACHE_DIR = STORE_DIR


def databases(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob(STORE_FILE))


def reseal(root: Path, sql: str, *args: Any) -> None:
    """Run `sql` on the store as someone holding the key would not: no MAC is recomputed."""
    (db,) = databases(root)
    with sqlite3.connect(db) as conn:
        conn.execute(sql, args)


def test_warm_run_gives_identical_findings_from_the_cache(catalog: Path) -> None:
    _, cold = json_report("catalog")
    assert cold["cache"]["misses"] == 4 and cold["cache"]["written"] == 4
    _, warm = json_report("catalog")
    assert warm["cache"]["hits"] == 4 and warm["cache"]["misses"] == 0
    assert stable(warm) == stable(cold)
    _, uncached = json_report("catalog", "--no-cache")
    assert stable(uncached) == stable(cold) and not uncached["cache"]["persistent"]
    assert (catalog / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    json_report("catalog", "--no-cache")
    assert not (root / CACHE_DIR).exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupt_database_is_ignored_and_rebuilt(catalog: Path, damage: str) -> None:
    _, cold = json_report("catalog")
    (db,) = databases(catalog)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    data = db.read_bytes()
    db.write_bytes({"garbage": os.urandom(len(data)), "truncated": data[: len(data) // 3], "empty": b""}[damage])
    code, again = json_report("catalog")
    assert code == 1 and stable(again) == stable(cold)
    assert again["cache"]["hits"] == 0 or damage == "empty"
    _, warm = json_report("catalog")
    assert warm["cache"]["hits"] == 4 and stable(warm) == stable(cold)


def test_a_tampered_row_is_rejected(catalog: Path) -> None:
    _, cold = json_report("catalog")
    (db,) = databases(catalog)
    conn = sqlite3.connect(db)
    extra = conn.execute("SELECT extra FROM checked WHERE path=?", (F_IMPL,)).fetchone()[0]
    assert "25工作日".encode() in extra  # the time-limit finding
    conn.execute("UPDATE checked SET extra=? WHERE path=?", (extra.replace(b"25", b"26"), F_IMPL))
    conn.execute("UPDATE materials SET name=name || 'x' WHERE id=(SELECT min(id) FROM materials)")
    conn.commit()
    conn.close()
    _, again = json_report("catalog")
    assert again["cache"]["rejected"] >= 2 and again["cache"]["misses"] >= 1
    assert stable(again) == stable(cold)


def test_an_edit_is_a_miss_for_that_file_only(catalog: Path) -> None:
    json_report("catalog")
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 30\n")
    _, doc = json_report("catalog")
    assert (doc["cache"]["hits"], doc["cache"]["misses"]) == (3, 1)
    assert any("30工作日" in f["message"] for f in doc["findings"])


def test_a_same_size_edit_that_keeps_the_mtime_is_seen(catalog: Path) -> None:
    json_report("catalog")
    path = catalog / F_IMPL
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("时限: 25", "时限: 26"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    _, doc = json_report("catalog")
    assert doc["cache"]["misses"] == 1
    assert any("26工作日" in f["message"] for f in doc["findings"])


def test_worker_processes_with_the_cache(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "PARALLEL_MIN_FILES", 1)
    _, cold = json_report("catalog", "--jobs", "2")
    _, warm = json_report("catalog", "--jobs", "2")
    assert cold["cache"]["written"] == 4 and warm["cache"]["hits"] == 4
    assert stable(cold) == stable(warm) == stable(json_report("catalog", "--jobs", "1", "--no-cache")[1])


def test_the_walk_finds_what_iter_matter_files_finds(tmp_path: Path) -> None:
    root = copy_mini(tmp_path / "c")
    for rel in (
        "lists/a.yaml",
        ".hidden/b.yaml",
        "impl/.x/c.yaml",
        "node_modules/d.yaml",
        "impl/e.yml",
        "f.yaml",
        "impl/g.txt",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("a: 1\n", encoding="utf-8")
    catalog = HERE.parent / "catalog"
    for where in (root, catalog):
        expected = [p.relative_to(where.resolve()).as_posix() for p in iter_matter_files(where)]
        assert [f.rel for f in scan_matter_files(where)] == expected
        assert all(is_matter_path(rel) for rel in expected)
    for rel in (
        "lists/a.yaml",
        ".hidden/b.yaml",
        "impl/.x/c.yaml",
        "node_modules/d.yaml",
        "impl/g.txt",
        "registry/laws.yaml",
    ):
        assert not is_matter_path(rel)


def test_the_cache_key_covers_every_module_results_depend_on() -> None:
    code = "import sys, mattercli.check.engine, mattercli.check.changed; print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('mattercli')))"
    files = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    package = Path(validation.__file__).resolve().parent.parent
    for file in files:
        rel = Path(file).resolve().relative_to(package).as_posix()
        assert any(rel == s or (s.endswith("/") and rel.startswith(s)) for s in RESULT_SOURCES), rel


def test_stats_in_json(catalog: Path) -> None:
    _, doc = json_report("catalog")
    assert set(doc["cache"]) >= {"hits", "misses", "rejected", "written", "persistent"}
    assert json.dumps(doc["cache"])


def test_deleted_files_leave_the_cache(catalog: Path) -> None:
    json_report("catalog")
    (catalog / F_IMPL).unlink()
    json_report("catalog")
    (db,) = databases(catalog)
    conn = sqlite3.connect(db)
    paths = {row[0] for row in conn.execute("SELECT path FROM checked")}
    conn.close()
    assert F_IMPL not in paths and len(paths) == 3


# -- the whole run, reused while no file changes ---------------------------------------------------------------


def age(root: Path) -> None:
    """Date every file 10 s back: older than the racy window, so their stat data alone proves them unchanged."""
    past = time.time_ns() - 10 * 10**9
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def stored_runs(root: Path) -> list[tuple[str, str, str]]:
    (db,) = databases(root)
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT kind, key, value FROM runs WHERE kind LIKE 'run:%'"))


def rewrite_run(root: Path, change: Any, fix_checksum: bool = True) -> None:
    """Change the stored whole run; with fix_checksum, MAC it again with the user's key (what only this user's
    own mattercli can do)."""
    (db,) = databases(root)
    ((kind, key, text),) = stored_runs(root)
    text = change(text)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET value=? WHERE kind=? AND key=?", (text, kind, key))
        if fix_checksum:
            store = Store(root)
            mac = store.mac("value", kind, key, text)
            store.close()
            conn.execute("UPDATE runs SET mac=? WHERE kind=? AND key=?", (mac, kind, key))


def whole(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "cache"} | {"summary": {**doc["summary"], "seconds": 0}}


def test_an_unchanged_catalogue_reuses_the_last_whole_run(catalog: Path) -> None:
    age(catalog)
    json_report("catalog")
    assert len(stored_runs(catalog)) == 1

    def plant(text: str) -> str:  # a finding only the stored run knows of: seen only if the run is reused
        payload = json.loads(text)
        fake = list(payload["findings"][0])
        fake[7] = "只在保存的结果里的发现"
        payload["findings"].append(fake)
        return json.dumps(payload, ensure_ascii=False)

    rewrite_run(catalog, plant)
    _, warm = json_report("catalog")
    assert any(f["message"] == "只在保存的结果里的发现" for f in warm["findings"])
    assert (warm["cache"]["hits"], warm["cache"]["misses"], warm["cache"]["hashed"]) == (4, 0, 0)

    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 30\n")  # any edit: the run is computed afresh
    _, after = json_report("catalog")
    assert not any(f["message"] == "只在保存的结果里的发现" for f in after["findings"])
    assert any("30工作日" in f["message"] for f in after["findings"])
    assert len(stored_runs(catalog)) == 1  # only the latest run is kept


def test_a_reused_run_reports_exactly_what_a_fresh_run_does(catalog: Path) -> None:
    age(catalog)
    _, fresh = json_report("catalog", "--no-cache")
    json_report("catalog")
    _, reused = json_report("catalog")
    assert reused["cache"]["hashed"] == 0 and stored_runs(catalog)
    assert whole(reused) == whole(fresh)
    assert reused["suppressed"] and reused["findings"]  # suppressions and the unused-suppression audit included
    # the baseline is applied afresh on every run, also to a reused one
    json_report("catalog", "--write-baseline")
    baseline = str(catalog / DEFAULT_FILE)
    _, base_fresh = json_report("catalog", "--no-cache", "--baseline", baseline)
    _, base_reused = json_report("catalog", "--baseline", baseline)
    assert whole(base_reused) == whole(base_fresh)
    assert base_reused["summary"]["baselined"] > 0


def test_a_tampered_run_is_rejected(catalog: Path) -> None:
    age(catalog)
    _, cold = json_report("catalog")
    rewrite_run(catalog, lambda text: text.replace("25工作日", "26工作日"), fix_checksum=False)
    _, again = json_report("catalog")
    assert again["cache"]["rejected"] >= 1
    assert whole(again) == whole(cold)


def test_a_new_file_is_not_hidden_by_the_stored_run(catalog: Path) -> None:
    age(catalog)
    json_report("catalog")
    (catalog / "impl" / "330106" / "新文件.yaml").write_text("事项名称: [\n", encoding="utf-8")
    _, doc = json_report("catalog")
    assert any(f["file"] == "impl/330106/新文件.yaml" for f in doc["findings"])
