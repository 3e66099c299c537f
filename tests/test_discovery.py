"""One catalogue discovery for every command (issue 22 item 3, issue 23 item 1): --catalog, the paths given, the
config's `catalog = "…"`, the current folder, a single catalog/ below the repository root — never another
catalogue nested inside (tests/fixtures/); missing paths and empty input are exit 2 at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.diff_repo import MINI, CatalogRepo
from typer.testing import CliRunner

from mattercli.catalogue.locate import Found, locate_catalog
from mattercli.cli import app

runner = CliRunner()
EMBEDDED = Path(__file__).parent.parent / "catalog"
CODE = "000104001000"


@pytest.fixture()
def repo(tmp_path: Path) -> CatalogRepo:
    """A repository like this one: catalog/ at the top, test fixtures (catalogues of their own, and broken
    YAML) below tests/; two commits, the second renames a matter."""
    repo = CatalogRepo(tmp_path, EMBEDDED)
    shutil.copytree(MINI, repo.top / "tests" / "fixtures" / "mini")
    (repo.top / "tests" / "golden").mkdir(parents=True)
    (repo.top / "tests" / "golden" / "broken.yaml").write_text("事项名称: [\n", encoding="utf-8")
    repo.commit("fixtures")
    # the implementations keep the old name, which the base lists as 别名 (else name-drift reports them)
    repo.edit(
        f"base/{CODE}.yaml",
        "事项名称: 建设工程规划许可证核发",
        "事项名称: 建设工程规划许可\n别名: [建设工程规划许可证核发]",
    )
    repo.commit("rename")
    return repo


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def without_timing(doc: object) -> object:
    """A JSON report without what differs by design: timings, absolute roots, paths relative to the cwd."""
    if isinstance(doc, dict):
        return {k: without_timing(v) for k, v in doc.items() if k not in ("seconds", "root", "path")}
    if isinstance(doc, list):
        return [without_timing(v) for v in doc]
    return doc


COMMANDS = [
    ("validate", "--format", "json", "--no-cache"),
    ("stats", "--format", "json", "--no-cache", "--reproducible"),
    ("proofs", "--format", "json", "--no-cache"),
    ("diff", "HEAD~1", "HEAD", "--format", "json"),
    ("log", CODE, "--format", "json"),
    ("show", CODE),
    ("rules",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_readme_commands_give_the_same_answer_from_the_repository_root_and_inside_catalog(
    repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(repo.catalog)
    inside = run(*args)
    monkeypatch.chdir(repo.top)
    outside = run(*args)
    assert inside[0] == outside[0] and inside[0] in (0, 1), (inside, outside)
    if "json" in args:
        a, b = json.loads(inside[1]), json.loads(outside[1])
        assert without_timing(a) == without_timing(b)
    else:
        assert inside[1] == outside[1]
    if args[0] != "rules":
        assert "事项目录: catalog/(仓库根目录下的 catalog/)" in outside[2]  # says which catalogue was used
        assert "事项目录" not in inside[2]


def test_validate_from_the_repository_root_does_not_scan_the_fixtures(
    repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.top)
    for args in ((), (".",)):
        code, out, _err = run("validate", *args, "--format", "json", "--no-cache")
        doc = json.loads(out)
        assert doc["summary"]["files"] == 201, args
        assert not [f for f in doc["findings"] if "fixtures" in f["path"] or "golden" in f["path"]]
        assert code == 1  # the planted problems (catalog/README.md), nothing else
        assert doc["summary"]["by_rule"] == {
            "only-reduce": 1,
            "proof-basis-rank": 6,
            "proof-list-mismatch": 1,
            "community-proof": 1,
            "pledge-scope": 1,
            "bundle-time-limit": 1,
        }


def test_a_catalogue_never_walks_a_catalogue_nested_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    shutil.copytree(MINI, root / "tests" / "fixtures" / "mini")
    (root / "tests" / "fixtures" / "mini" / "base" / "000104001000.yaml").write_text("x: [\n", encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, _err = run("validate", "--format", "json", "--no-cache")
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["files"] == 4
    code, out, _err = run("stats", "--format", "json", "--no-cache")
    assert code == 0 and "fixtures" not in out


def test_the_config_names_the_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINI, tmp_path / "data" / "matters")
    shutil.copytree(MINI, tmp_path / "catalog")  # would be found without the config
    (tmp_path / "pyproject.toml").write_text('[tool.mattercli]\ncatalog = "data/matters"\n', encoding="utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    location = locate_catalog()
    assert location.root == (tmp_path / "data" / "matters").resolve() and location.found is Found.CONFIG
    code, _out, err = run("validate", "--no-cache")
    assert code == 0 and "pyproject.toml 的 catalog 设置指定" in err
    (tmp_path / "pyproject.toml").write_text('[tool.mattercli]\n\ncatalog = "nosuch"\n', encoding="utf-8")
    code, _out, err = run("validate", "--no-cache")
    assert code == 2 and "pyproject.toml:3" in err and "nosuch" in err


def test_the_current_folder_in_a_catalogue_is_that_catalogue(
    repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.top / "tests" / "fixtures" / "mini" / "base")
    assert locate_catalog().root == (repo.top / "tests" / "fixtures" / "mini").resolve()
    monkeypatch.chdir(repo.catalog / "impl")
    assert locate_catalog().root == repo.catalog.resolve()


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "/nonexistent/mattercli-nosuch"),
        ("validate", "catalgo/"),
        ("stats", "catalgo"),
        ("proofs", "catalgo"),
        ("export", "catalgo", "-o", "out"),
        ("diff", "--catalog", "catalgo"),
        ("log", CODE, "--catalog", "catalgo"),
        ("show", CODE, "--catalog", "catalgo"),
        ("new", "--catalog", "catalgo", "--type", "01", "--name", "x", "--dept", "x"),
        ("fmt", "catalgo"),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_a_path_that_does_not_exist_is_exit_2_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert "catalgo" in err or "nosuch" in err
    assert list(tmp_path.iterdir()) == []  # no cache, no export folder, nothing


def test_an_empty_folder_is_exit_2_not_all_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "stats", "proofs", "diff", "export -o out"):
        code, out, err = run(*command.split())
        assert code == 2 and "全部通过" not in out, command
        assert "--catalog" in err
    (tmp_path / "registry").mkdir()  # a catalogue with no matter files at all
    code, out, err = run("validate", "--no-cache")
    assert code == 2 and "没有事项文件" in err


def test_a_path_outside_the_catalogue_is_refused(repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.top / "docs").mkdir()
    monkeypatch.chdir(repo.top)
    code, _out, err = run("validate", "docs")
    assert code == 2 and "不在事项目录" in err
    code, _out, _err = run("validate", "tests/fixtures/mini", "--no-cache")  # a catalogue of its own, named
    assert code == 0


def test_quiet_silences_the_note(repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.top)
    code, _out, err = run("show", CODE, "-q")
    assert code == 0 and err == ""
    code, _out, err = run("show", CODE, "--catalog", "catalog", "-v")
    assert code == 0 and "事项目录: catalog/" in err


def test_validate_accepts_the_catalog_key_of_the_repository_config(
    repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo.top / "pyproject.toml").write_text(
        '[tool.mattercli]\ncatalog = "catalog"\nfail-on = "never"\n', encoding="utf-8"
    )
    for folder in (repo.top, repo.catalog / "impl"):
        monkeypatch.chdir(folder)
        code, _out, err = run("validate", "--no-cache")
        assert code == 0 and "错误" not in err, err  # fail-on = never from the same config


def test_config_errors_are_chinese_with_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINI, tmp_path / "cat")
    (tmp_path / "cat" / "mattercli.toml").write_text('fail-on = "never"\nprest = "strict"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "cat")
    code, _out, err = run("validate", "--no-cache")
    assert code == 2 and "mattercli.toml:2:" in err and "未知的设置项" in err
    (tmp_path / "cat" / "mattercli.toml").write_text('fail-on = "nope"\n', encoding="utf-8")
    code, _out, err = run("validate", "--no-cache")
    assert code == 2 and "mattercli.toml:1:" in err and "取值「nope」无效" in err
