"""The catalogue store's trust and place (issue 25 item 1, issue 23 item 1): a forged, committed, foreign or
outdated store is never believed; CI can keep the store outside the checkout; a store is created only inside a
catalogue; readers and a writer share it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mattercli.catalogue import store as store_module
from mattercli.catalogue.store import ENV_DIR, KEY_FILE, STORE_DIR, STORE_FILE, Store, blob_id, catalogue_id, locate
from validate_ci_helpers import F_IMPL, copy_mini, edit, invoke, json_report

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def init_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "clean")
    return root


def as_user(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Run the next commands as another user would: another user cache folder, so another store key."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))


def errors(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["severity"] == "error"]


BROKEN = ("  时限: 5\n", "  时限: 25\n")  # promised time longer than the legal one: an error


def forge(root: Path) -> None:
    """What an attacker with their own mattercli does: fill the store on the clean catalogue, then rewrite the row
    of F_IMPL to claim the broken content's blob id — MACed with the attacker's own key, as any checksum
    computable from the row alone could be."""
    json_report(str(root))
    broken = (root / F_IMPL).read_text(encoding="utf-8").replace(*BROKEN, 1).encode("utf-8")
    store = Store(root)
    db = store.path
    assert db is not None and db.is_file()
    with sqlite3.connect(db) as conn:
        (ns, kind, code, basic, parent, full, summary, materials, extra) = conn.execute(
            "SELECT ns, kind, code, basic_code, parent, full, summary, materials, extra FROM checked WHERE path=?",
            (F_IMPL,),
        ).fetchone()
        blob = blob_id(broken)
        mac = store.mac("checked", ns, F_IMPL, blob, kind, code, basic, parent, full, summary, materials, extra)
        conn.execute("UPDATE checked SET blob=?, mac=?, size=NULL, stat_mac=NULL WHERE path=?", (blob, mac, F_IMPL))
        conn.execute("DELETE FROM runs")
    store.close()


def test_a_forged_committed_store_does_not_hide_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 25 item 1: a pull request that force-adds a forged store made `validate --changed-since` pass."""
    monkeypatch.chdir(tmp_path)
    origin = init_repo(copy_mini(tmp_path / "origin"))
    as_user(monkeypatch, tmp_path / "attacker")
    forge(origin)
    edit(origin, F_IMPL, *BROKEN)
    git(origin, "add", "-A")
    git(origin, "add", "-f", STORE_DIR)
    git(origin, "commit", "-q", "-m", "a change, and a store that says it is fine")
    assert f"{STORE_DIR}/{STORE_FILE}" in git(origin, "ls-files", STORE_DIR)

    as_user(monkeypatch, tmp_path / "ci")
    git(tmp_path, "clone", "-q", str(origin), "checkout")
    checkout = tmp_path / "checkout"
    code, doc = json_report(str(checkout), "--changed-since", "HEAD~1")
    assert code == 1 and any("25工作日" in f["message"] for f in errors(doc)), doc["findings"]
    _, uncached = json_report(str(checkout), "--changed-since", "HEAD~1", "--no-cache")
    assert errors(doc) == errors(uncached)
    assert "git" in doc["cache"]["note"] and STORE_DIR not in doc["cache"]["location"]
    assert git(checkout, "status", "--porcelain") == ""  # the tracked store was not written to
    code, full = json_report(str(checkout))
    assert code == 1 and errors(full) == errors(json_report(str(checkout), "--no-cache")[1])


def test_a_forged_untracked_store_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same forged store dropped into the folder (not committed): made with another key, so rebuilt."""
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    as_user(monkeypatch, tmp_path / "attacker")
    forge(root)
    edit(root, F_IMPL, *BROKEN)
    as_user(monkeypatch, tmp_path / "victim")
    code, doc = json_report(str(root))
    assert code == 1 and any("25工作日" in f["message"] for f in errors(doc))
    assert doc["cache"]["hits"] == 0 and "key" in (doc["cache"]["problem"] or "")
    _, warm = json_report(str(root))
    assert warm["cache"]["misses"] == 0 and errors(warm) == errors(doc)


def test_a_row_moved_to_another_content_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row is bound to its content: the same user's own valid row, relabelled with another blob id, is refused."""
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    json_report(str(root))
    edit(root, F_IMPL, *BROKEN)
    (db,) = (root / STORE_DIR).glob(STORE_FILE)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE checked SET blob=?, size=NULL WHERE path=?", (blob_id((root / F_IMPL).read_bytes()), F_IMPL)
        )
        conn.execute("DELETE FROM runs")
    code, doc = json_report(str(root))
    assert code == 1 and any("25工作日" in f["message"] for f in errors(doc))
    assert doc["cache"]["rejected"] >= 1


def test_tampered_stat_data_makes_the_file_be_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    json_report(str(root))
    (db,) = (root / STORE_DIR).glob(STORE_FILE)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE checked SET recorded_ns = recorded_ns + 1")
        conn.execute("DELETE FROM runs")
    _, doc = json_report(str(root))
    assert doc["cache"]["hashed"] == doc["cache"]["hits"] > 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root")
def test_a_store_of_another_user_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    json_report(str(root))
    folder = root / STORE_DIR
    os.chown(folder / STORE_FILE, 4242, 4242)
    location = locate(root)
    assert location.folder != folder and "owned" in (location.note or "")
    _, doc = json_report(str(root))
    assert doc["cache"]["hits"] == 0 and "owned" in doc["cache"]["note"]
    os.chown(folder / STORE_FILE, 0, 0)
    os.chown(folder, 4242, 4242)
    assert locate(root).folder != folder


def test_a_key_others_can_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    home = tmp_path / "home"
    as_user(monkeypatch, home)
    assert locate(root).key is not None
    key = home / "mattercli" / KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)
    location = locate(root)
    assert location.folder is None and "others" in (location.reason or "")
    _, doc = json_report(str(root))
    assert not doc["cache"]["persistent"] and not (root / STORE_DIR / STORE_FILE).exists()


def test_a_symlinked_store_folder_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / STORE_DIR).symlink_to(elsewhere)
    _, doc = json_report(str(root))
    assert "symbolic link" in doc["cache"]["note"] and not list(elsewhere.iterdir())


def test_the_store_can_live_outside_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    outside = tmp_path / "ci-cache"
    monkeypatch.setenv(ENV_DIR, str(outside))
    _, cold = json_report(str(root))
    assert not (root / STORE_DIR).exists()
    folder = outside / catalogue_id(root)
    assert (folder / STORE_FILE).is_file() and (outside / KEY_FILE).is_file()
    assert cold["cache"]["location"] == str(folder / STORE_FILE)
    _, warm = json_report(str(root))
    assert warm["cache"]["misses"] == 0 and warm["cache"]["hits"] == cold["cache"]["misses"] > 0
    # CI restores the folder on a new machine: another user cache folder, same key (it travels with the store)
    as_user(monkeypatch, tmp_path / "next-machine")
    _, again = json_report(str(root))
    assert again["cache"]["misses"] == 0


def test_a_distrusted_folder_falls_back_to_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = init_repo(copy_mini(tmp_path / "catalog"))
    (root / STORE_DIR).mkdir()
    (root / STORE_DIR / "README").write_text("committed\n", encoding="utf-8")
    git(root, "add", "-f", STORE_DIR)
    git(root, "commit", "-q", "-m", "a cache folder in git")
    location = locate(root)
    home = Path(os.environ["XDG_CACHE_HOME"])
    assert location.folder == home / "mattercli" / "stores" / catalogue_id(root)
    json_report(str(root))
    _, warm = json_report(str(root))
    assert warm["cache"]["misses"] == 0 and warm["cache"]["persistent"]
    assert sorted(p.name for p in (root / STORE_DIR).iterdir()) == ["README"]


def test_no_store_outside_a_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 23 item 1: `validate catalgo/` (a typo) or a file outside any catalogue never leaves a cache folder
    in the current folder (or, for /nonexistent, in /)."""
    monkeypatch.chdir(tmp_path)
    loose = tmp_path / "loose"
    loose.mkdir()
    shutil.copy(copy_mini(tmp_path / "c") / F_IMPL, loose / "x.yaml")
    shutil.rmtree(tmp_path / "c")
    invoke("validate", str(loose / "x.yaml"))  # refused (issue 22) or checked: either way no store here
    invoke("validate", str(loose / "x.yaml"), "--catalog", str(loose))
    assert invoke("validate", "catalgo/").exit_code == 2
    assert not list(tmp_path.rglob(STORE_DIR))
    assert locate(tmp_path).folder is None and locate(Path("/")).folder is None


@pytest.mark.parametrize("field", ["format", "version"])
def test_a_store_of_another_format_or_version_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    _, cold = json_report(str(root))
    (db,) = (root / STORE_DIR).glob(STORE_FILE)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value='0' WHERE key=?", (field,))
    _, again = json_report(str(root))
    assert again["cache"]["hits"] == 0 and again["findings"] == cold["findings"]
    _, warm = json_report(str(root))
    assert warm["cache"]["misses"] == 0


def test_a_busy_writer_does_not_stop_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another mattercli holding the write lock: this run reads the committed state and skips its own writes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.1)
    root = copy_mini(tmp_path / "catalog")
    _, cold = json_report(str(root))
    edit(root, F_IMPL, *BROKEN)
    (db,) = (root / STORE_DIR).glob(STORE_FILE)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE meta SET value=value WHERE key='format'")
    try:
        code, doc = json_report(str(root))
        assert code == 1 and any("25工作日" in f["message"] for f in errors(doc))
        assert doc["cache"]["hits"] == cold["cache"]["written"] - 1 and doc["cache"]["written"] == 0
        assert "locked" in (doc["cache"]["problem"] or "")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    _, after = json_report(str(root))
    assert after["cache"]["misses"] == 1 and after["findings"] == doc["findings"]


def test_every_command_shares_one_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    json_report(str(root))
    assert invoke("proofs", str(root), "--format", "json").exit_code in (0, 1)
    assert invoke("stats", str(root), "--format", "json").exit_code == 0
    assert sorted(p.name for p in (root / STORE_DIR).iterdir()) == [".gitignore", STORE_FILE, *_wal(root)]
    with sqlite3.connect(root / STORE_DIR / STORE_FILE) as conn:
        views = {row[0].split(":")[0] for row in conn.execute("SELECT DISTINCT view FROM records")}
        checked = conn.execute("SELECT count(*) FROM checked").fetchone()[0]
    assert views == {"proofs", "stats"} and checked == 4


def _wal(root: Path) -> list[str]:
    return sorted(p.name for p in (root / STORE_DIR).iterdir() if p.name.endswith(("-wal", "-shm")))


def test_a_forged_proofs_record_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The views of other commands are bound to content the same way: a rewritten record is a miss."""
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    before = invoke("proofs", str(root), "--format", "json", "--no-cache").stdout
    invoke("proofs", str(root), "--format", "json")
    with sqlite3.connect(root / STORE_DIR / STORE_FILE) as conn:
        conn.execute("UPDATE records SET payload = CAST('[\"schema\"]' AS BLOB) WHERE view LIKE 'proofs:%'")
    assert invoke("proofs", str(root), "--format", "json").stdout == before
