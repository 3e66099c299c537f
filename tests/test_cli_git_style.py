"""Issue 22 conventions: `diff A..B`, `A...B` and `-- PATHS` as git users type them; `rules --format json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import LICENCE_FILE, CatalogRepo, impl_yaml
from mattercli.cli import app

runner = CliRunner()


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CatalogRepo:
    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("template")
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(告知承诺)"))
    repo.edit("base/000204001000.yaml", "事项名称: ", "事项名称: 新")
    repo.commit("two renames")
    monkeypatch.chdir(repo.catalog)
    return repo


def changes(*args: str) -> list[str]:
    result = runner.invoke(app, ["diff", "-q", "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return sorted(r["file"] for c in json.loads(result.stdout)["changes"] for r in c["new"])


def test_revision_ranges_as_git_writes_them(repo: CatalogRepo) -> None:
    both = changes("HEAD~1", "HEAD")
    assert len(both) == 2
    assert changes("HEAD~1..HEAD") == both
    assert changes("HEAD~1..") == both
    assert changes("HEAD~1...HEAD") == both


def test_paths_after_a_double_dash(repo: CatalogRepo) -> None:
    assert changes("HEAD~1", "HEAD", "--", "impl") == [LICENCE_FILE]
    assert changes("HEAD~1..HEAD", "--", "base/000204001000.yaml") == ["base/000204001000.yaml"]
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(再改)"))
    assert changes("HEAD", "--", "impl") == [LICENCE_FILE]  # HEAD against the work tree, impl/ only


def test_rules_format_json() -> None:
    result = runner.invoke(app, ["rules", "--format", "json"])
    rows = json.loads(result.stdout)
    assert result.exit_code == 0 and {"id", "severity", "title"} <= set(rows[0])
    assert runner.invoke(app, ["rules", "--json"]).stdout == result.stdout
