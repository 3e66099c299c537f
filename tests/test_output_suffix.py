"""Issue 22 item 7: every command with --output (validate's own rules are issue 23's) writes what the file's suffix
says — `proofs -o p.xlsx` an XLSX workbook, `stats -o s.csv` CSV — or refuses (exit 2); never terminal text."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import CatalogRepo
from mattercli.cli import app

runner = CliRunner()
CODE = "000104001000"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CatalogRepo:
    repo = CatalogRepo(tmp_path)
    repo.edit(f"base/{CODE}.yaml", "事项名称: 食品经营许可", "事项名称: 食品经营许可(新办)")
    monkeypatch.chdir(repo.catalog)
    return repo


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "-q"])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "name", "check"),
    [
        (("stats", "--no-cache"), "s.csv", lambda b: b.startswith(b"dimension,group_key")),
        (("stats", "--no-cache"), "s.json", lambda b: json.loads(b)["command"] == "stats"),
        (("stats", "--no-cache"), "s.md", lambda b: b.startswith(b"# ")),
        (("stats", "--no-cache"), "s.html", lambda b: b.lstrip().lower().startswith(b"<!doctype html")),
        (("proofs", "--no-cache"), "p.xlsx", lambda b: zipfile.is_zipfile(__import__("io").BytesIO(b))),
        (("proofs", "--no-cache"), "p.json", lambda b: json.loads(b)["command"] == "proofs"),
        (("proofs", "--no-cache"), "p.csv", lambda b: b"," in b.splitlines()[0]),
        (("diff",), "d.json", lambda b: "changes" in json.loads(b)),
        (("diff",), "d.md", lambda b: b.startswith(b"#")),
        (("log", CODE), "l.json", lambda b: isinstance(json.loads(b), dict)),
        (("show", CODE), "m.yaml", lambda b: "基本编码".encode() in b),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_the_suffix_chooses_the_format(
    repo: CatalogRepo, tmp_path: Path, args: tuple[str, ...], name: str, check
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / name
    code, out = run(*args, "-o", str(target))
    assert code in (0, 1), out
    assert check(target.read_bytes()), target.read_bytes()[:200]


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "-o", "s.xlsx"),  # stats has no XLSX
        ("stats", "-f", "json", "-o", "s.csv"),  # a contradiction
        ("diff", "-o", "d.csv"),
        ("log", CODE, "-f", "text", "-o", "l.json"),
        ("show", CODE, "-o", "m.json"),
        ("proofs", "-f", "csv", "-o", "p.xlsx"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_suffix_the_command_cannot_write_is_refused(repo: CatalogRepo, tmp_path: Path, args: tuple[str, ...]) -> None:
    *head, last = args
    code, out = run(*head, str(tmp_path / last))
    assert code == 2, out
    assert not (tmp_path / last).exists()


def test_an_unknown_suffix_keeps_the_default_format(repo: CatalogRepo, tmp_path: Path) -> None:
    code, _out = run("diff", "-o", str(tmp_path / "d.txt"))
    assert code == 0 and "事项目录比对" in (tmp_path / "d.txt").read_text(encoding="utf-8")
