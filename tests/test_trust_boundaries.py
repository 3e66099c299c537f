"""Issue 25 items 2-9: what a hostile or broken catalogue must not achieve (read outside the catalogue, pass with
a registry missing, exhaust memory, crash, leave debris)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"
MATTERCLI = str(Path(sys.executable).parent / "mattercli")


def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    return root


def run(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [MATTERCLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "internal error" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done


def findings(cwd: Path, *args: str) -> list[dict]:
    done = run(cwd, "validate", *args, "-f", "json", "--no-cache")
    return json.loads(done.stdout)["findings"]


# ---- item 3: a missing registry -------------------------------------------------------------------------------


def test_missing_registry_is_an_error_finding(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "registry" / "laws.yaml").unlink()
    matter = root / "base" / "000104001000.yaml"
    matter.write_text(
        matter.read_text(encoding="utf-8").replace("中华人民共和国食品安全法\n", "不存在的法\n", 1), "utf-8"
    )
    found = findings(root, ".")
    missing = [f for f in found if f["rule"] == "registry-missing"]
    assert len(missing) == 1 and missing[0]["severity"] == "error" and missing[0]["file"] == "registry/laws.yaml"
    assert "registry/laws.yaml" in missing[0]["message"]
    assert run(root, "validate", ".").returncode == 1


def test_optional_proof_list_may_be_absent(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    for name in ("proofs-kept.yaml", "proofs-cancelled.yaml", "pledge-catalog.yaml"):
        (root / "registry" / name).unlink(missing_ok=True)
    assert not [f for f in findings(root, ".") if f["rule"] == "registry-missing"]


# ---- item 9: smaller ------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def repo(tmp_path: Path) -> Path:
    root = catalogue(tmp_path)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    return root


@pytest.mark.parametrize("key", ["? [a, b]\n: 1", "{a: 1}: 2"])
def test_no_parser_node_repr_in_messages(tmp_path: Path, key: str) -> None:
    root = catalogue(tmp_path)
    (root / "base" / "k.yaml").write_text(f"事项名称: x\n{key}\n", encoding="utf-8")
    for args in (("validate", "base/k.yaml", "--no-cache"), ("fmt", "base/k.yaml")):
        out = run(root, *args).stdout
        assert "yaml-key-type" in out and "Node" not in out and "tag:yaml.org" not in out, out


def test_show_rev_on_a_corrupt_object_says_so(tmp_path: Path) -> None:
    root = repo(tmp_path)
    blob = _git(root, "rev-parse", "HEAD:base/000104001000.yaml").strip()
    loose = root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a zlib stream")
    done = run(root, "show", "000104001000", "--rev", "HEAD")
    assert done.returncode == 2
    assert "损坏" in done.stderr and "git fsck" in done.stderr
    assert "没有编码" not in done.stderr and "no matter" not in done.stderr
    assert "inflate" not in done.stderr  # git's own chatter is not passed through


def test_log_in_a_shallow_clone_says_the_history_is_truncated(tmp_path: Path) -> None:
    origin = repo(tmp_path)
    matter = origin / "base" / "000104001000.yaml"
    for days in ("15", "10"):
        text = (
            matter.read_text(encoding="utf-8")
            .replace("  时限: 20\n", f"  时限: {days}\n")
            .replace("  时限: 15\n", f"  时限: {days}\n")
        )
        matter.write_text(text, encoding="utf-8")
        _git(origin, "commit", "-qam", f"limit {days}")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "2", origin.as_uri(), str(clone))
    out = run(clone, "log", "000104001000").stdout
    assert "新增" not in out, out
    assert "截断" in out and "浅克隆" in out
    doc = json.loads(run(clone, "log", "000104001000", "-f", "json").stdout)
    assert doc["truncated_at"] == _git(clone, "rev-parse", "HEAD~1").strip()
    assert len(doc["entries"]) == 1
    full = json.loads(run(origin, "log", "000104001000", "-f", "json").stdout)
    assert full["truncated_at"] is None and len(full["entries"]) == 3


# ---- item 2: symbolic links; item 5: FIFOs ------------------------------------------------------------------


def _outside_matter(tmp_path: Path, root: Path) -> Path:
    """A valid matter outside the catalogue, with a name that must never reach an export."""
    outside = tmp_path / "outside.yaml"
    text = (root / "base" / "000104001000.yaml").read_text(encoding="utf-8")
    outside.write_text(
        text.replace("000104001000", "000104007000").replace("事项名称: 食品经营许可", "事项名称: 外部机密事项"),
        encoding="utf-8",
    )
    return outside


def test_links_are_reported_never_followed(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "base" / "000104007000.yaml").symlink_to(_outside_matter(tmp_path, root))
    (root / "base" / "dirloop").symlink_to(".")
    (root / "impl" / "elsewhere").symlink_to(tmp_path)
    found = findings(root, ".")
    links = sorted(f["file"] for f in found if f["rule"] == "symlink")
    assert links == ["base/000104007000.yaml", "base/dirloop", "impl/elsewhere"]
    assert not [f for f in found if f["rule"] not in ("symlink",)], found
    doc = json.loads(run(root, "validate", ".", "-f", "json", "--no-cache").stdout)
    assert doc["summary"]["matters"] == 4  # the loop did not multiply the catalogue, the outside matter not read
    named = findings(root, "base/000104007000.yaml")  # named on the command line: still the link, in this catalogue
    assert [(f["rule"], f["file"]) for f in named if f["rule"] != "registry-missing"] == [
        ("symlink", "base/000104007000.yaml")
    ]


def test_export_never_publishes_content_from_outside(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    shutil.copytree(Path(__file__).parent.parent / "catalog" / "lists", root / "lists")
    (root / "base" / "000104007000.yaml").symlink_to(_outside_matter(tmp_path, root))
    (root / "base" / "dirloop").symlink_to(".")
    out = tmp_path / "out"
    run(root, "export", ".", "-o", str(out), "-f", "csv")
    exported = "".join(p.read_text(encoding="utf-8-sig") for p in out.rglob("*.csv"))
    assert "食品经营许可" in exported
    assert "外部机密事项" not in exported and "000104007000" not in exported


def test_fmt_on_a_link_neither_replaces_it_nor_names_another_file(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    target = root / "base" / "000104001000.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("行使层级: [地市级, 区县级]", "行使层级: [地市级,   区县级]")
    )
    before = target.read_bytes()
    link = root / "base" / "link.yaml"
    link.symlink_to(target.name)
    done = run(root, "fmt", "base/link.yaml")
    assert link.is_symlink() and target.read_bytes() == before
    assert done.stdout.startswith("base/link.yaml: ") and "[symlink]" in done.stdout
    assert "base/000104001000.yaml" not in done.stdout
    assert done.returncode == 1


def test_fifos_never_block_and_are_not_regular_files(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    fifo = root / "base" / "fifo.yaml"
    os.mkfifo(fifo)
    found = findings(root, ".")
    assert [(f["rule"], f["file"]) for f in found] == [("not-regular-file", "base/fifo.yaml")]
    assert "FIFO" in found[0]["message"]
    fmt = run(root, "fmt", "base/fifo.yaml", timeout=30)
    assert "not-regular-file" in fmt.stdout and fmt.returncode == 1
    fifo_baseline = tmp_path / "baseline"
    os.mkfifo(fifo_baseline)
    done = run(root, "validate", ".", "--baseline", str(fifo_baseline), timeout=30)
    assert done.returncode == 2 and "not a regular file" in done.stderr and "不存在" not in done.stderr


# ---- item 5: odd values -------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["", "libyaml"])
@pytest.mark.parametrize(("old", "new"), [("事项名称: 食品经营许可", "事项名称: 9"), ("  时限: 20", "  时限: -9")])
def test_an_integer_longer_than_python_converts_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, old: str, new: str
) -> None:
    monkeypatch.setenv("MATTERCLI_YAML", engine)
    root = catalogue(tmp_path)
    matter = root / "base" / "000104001000.yaml"
    matter.write_text(matter.read_text(encoding="utf-8").replace(old, new + "9" * 4300), encoding="utf-8")
    found = [f for f in findings(root, ".") if f["file"] == "base/000104001000.yaml"]
    assert [f["rule"] for f in found] == ["number-too-long"]
    assert "4301" in found[0]["message"]
    fmt = run(root, "fmt", "base/000104001000.yaml")
    assert fmt.stdout.startswith("base/000104001000.yaml:") and "number-too-long" in fmt.stdout


def test_a_control_character_in_a_name_does_not_break_the_xlsx_export(tmp_path: Path) -> None:
    import openpyxl

    root = catalogue(tmp_path)
    shutil.copytree(Path(__file__).parent.parent / "catalog" / "lists", root / "lists")
    for matter in [root / "base" / "000104001000.yaml", *sorted((root / "impl").rglob("*04001000.yaml"))]:
        text = matter.read_text(encoding="utf-8")
        matter.write_text(text.replace("事项名称: 食品经营许可", '事项名称: "食品\\e[31m经营许可"'), encoding="utf-8")
    assert not [f for f in findings(root, ".") if f["rule"] != "symlink"]
    out = tmp_path / "out"
    done = run(root, "export", ".", "-o", str(out), "-f", "xlsx")
    assert done.returncode == 0, done.stderr
    values = [
        v
        for path in (out / "xlsx").glob("*.xlsx")
        for ws in openpyxl.load_workbook(path)
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ]
    assert "食品\\x1b[31m经营许可" in values


# ---- item 4: resource limits, each refused with a message naming the file ----------------------------------


def _import(root: Path, sheet: Path) -> subprocess.CompletedProcess[str]:
    return run(root, "import", str(sheet), "-m", "national", "--catalog", str(root), "--dry-run", timeout=60)


def _limits(root: Path, **values: int) -> None:
    lines = ["[limits]", *(f"{k.replace('_', '-')} = {v}" for k, v in values.items())]
    (root / "mattercli.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_cell_at_the_last_column_and_row_is_refused(tmp_path: Path) -> None:
    import openpyxl

    root = catalogue(tmp_path)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "TASK_CODE"
    workbook.active["XFD1048576"] = "x"
    sheet = tmp_path / "far.xlsx"
    workbook.save(sheet)
    assert sheet.stat().st_size < 10_000
    done = _import(root, sheet)
    assert done.returncode == 2
    assert "far.xlsx" in done.stderr and "sheet-rows" in done.stderr and "1,048,576" in done.stderr


def test_a_zip_bomb_and_a_huge_shared_string_table_are_refused(tmp_path: Path) -> None:
    import zipfile

    import openpyxl

    root = catalogue(tmp_path)
    strings = tmp_path / "strings.xlsx"
    openpyxl.Workbook().save(strings)
    table = "".join(f"<si><t>文本{i}</t></si>" for i in range(300))
    with zipfile.ZipFile(strings, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="300">{table}</sst>',
        )
    _limits(root, xlsx_shared_strings=100)
    done = _import(root, strings)
    assert done.returncode == 2 and "strings.xlsx" in done.stderr and "xlsx-shared-strings" in done.stderr

    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(strings, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 3_000_000)
    assert bomb.stat().st_size < 100_000
    _limits(root, xlsx_uncompressed_bytes=1_000_000)
    done = _import(root, bomb)
    assert done.returncode == 2 and "bomb.xlsx" in done.stderr and "xlsx-uncompressed-bytes" in done.stderr


def test_a_csv_cell_longer_than_the_limit_is_refused_by_name(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    sheet = tmp_path / "long.csv"
    sheet.write_text("TASK_CODE,TASK_NAME\n1," + "长" * 140_000 + "\n", encoding="utf-8")
    done = _import(root, sheet)
    assert done.returncode == 2
    assert "long.csv" in done.stderr and "第 2 行" in done.stderr and "cell-chars" in done.stderr


def test_a_mapping_with_too_many_keys_is_refused_quickly(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "base" / "big.yaml").write_text(
        "事项名称: x\n" + "".join(f"k{i}: 1\n" for i in range(2_000)), encoding="utf-8"
    )
    _limits(root, yaml_keys_per_mapping=1_000)
    found = [f for f in findings(root, ".") if f["file"] == "base/big.yaml"]
    assert [(f["rule"], f["line"]) for f in found] == [("too-many-keys", 1001)]
    assert "1000" in found[0]["message"]


def test_a_wrong_limit_in_the_config_names_the_line(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    (root / "mattercli.toml").write_text("[limits]\nsheet-rows = 10\ncell-char = 5\n", encoding="utf-8")
    done = run(root, "validate", ".")
    assert done.returncode == 2 and "mattercli.toml:3" in done.stderr and "cell-char" in done.stderr
