"""`validate --changed-since REV` on real git repositories: added, modified, renamed and deleted matters, and the
cross-file checks a change reaches in files it did not touch."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from validate_ci_helpers import (
    F_BASE,
    F_IMPL,
    P_BASE,
    P_IMPL,
    commit_all,
    copy_mini,
    edit,
    git,
    git_repo,
    invoke,
    json_report,
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose catalogue/ (the mini catalogue, clean) is committed; cwd is the repository."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    copy_mini(tmp_path / "catalogue")
    git_repo(tmp_path)
    return tmp_path


ROOT = "catalogue"


def changed(*extra: str) -> tuple[int, dict[str, Any]]:
    return json_report(ROOT, "--changed-since", "HEAD", *extra)


def full_findings(*extra: str) -> list[tuple[str, str, int | None]]:
    return sorted((f["rule"], f["file"], f["line"]) for f in json_report(ROOT, "--no-cache", *extra)[1]["findings"])


def found(doc: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    return sorted((f["rule"], f["file"], f["line"]) for f in doc["findings"])


@pytest.mark.parametrize("cache", [True, False])
def test_nothing_changed(repo: Path, cache: bool) -> None:
    code, doc = changed(*([] if cache else ["--no-cache"]))
    assert code == 0 and doc["summary"]["files"] == 0
    assert doc["changed_since"]["modified"] == [] and doc["changed_since"]["checked"] == []


@pytest.mark.parametrize("warm", [True, False])
def test_a_modified_matter_is_checked_alone(repo: Path, warm: bool) -> None:
    if warm:
        json_report(ROOT)  # fill the cache
    edit(repo / ROOT, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    code, doc = changed()
    assert code == 1
    assert found(doc) == [("time-limit", F_IMPL, 26)]
    assert doc["changed_since"]["modified"] == [F_IMPL] and doc["summary"]["files"] == 1
    assert doc["changed_since"]["summarised"] == (0 if warm else 3)


def test_an_added_file_that_breaks_uniqueness_in_an_untouched_file(repo: Path) -> None:
    json_report(ROOT)
    shutil.copy(repo / ROOT / P_BASE, repo / ROOT / "base" / "000204001000-copy.yaml")  # untracked
    code, doc = changed()
    assert code == 1
    assert doc["changed_since"]["added"] == ["base/000204001000-copy.yaml"]
    rules = found(doc)
    assert ("duplicate-code", P_BASE, 2) in rules  # reported in the file the change did not touch
    assert ("duplicate-code", "base/000204001000-copy.yaml", 2) in rules
    assert ("file-name", "base/000204001000-copy.yaml", 2) in rules
    assert P_BASE in doc["changed_since"]["affected"]
    assert found(doc) == [f for f in full_findings() if f[1] in {P_BASE, "base/000204001000-copy.yaml"}]


def test_a_changed_base_that_breaks_an_untouched_implementation(repo: Path) -> None:
    json_report(ROOT)
    edit(repo / ROOT, F_BASE, "行使层级: [地市级, 区县级]", "行使层级: [地市级]")
    edit(repo / ROOT, F_BASE, "  - 材料名称: 居民身份证\n    材料类别: 证照\n", "")
    code, doc = changed()
    assert code == 1
    assert doc["changed_since"]["modified"] == [F_BASE] and doc["changed_since"]["affected"] == [F_IMPL]
    rules = {(r, f) for r, f, _ in found(doc)}
    assert rules == {("base-reference", F_IMPL), ("only-reduce", F_IMPL)}
    assert found(doc) == full_findings()


def test_a_deleted_base_breaks_its_implementations(repo: Path) -> None:
    json_report(ROOT)
    git(repo, "rm", "-q", f"{ROOT}/{P_BASE}")
    code, doc = changed()
    assert code == 1
    assert doc["changed_since"]["deleted"] == [P_BASE]
    assert found(doc) == [("base-reference", P_IMPL, 3)]
    assert doc["summary"]["files"] == 0


def test_a_rename_is_not_an_add_and_a_delete(repo: Path) -> None:
    json_report(ROOT)
    (repo / ROOT / "impl" / "330100").mkdir()
    moved = P_IMPL.replace("330106", "330100", 1)
    git(repo, "mv", f"{ROOT}/{P_IMPL}", f"{ROOT}/{moved}")
    code, doc = changed()
    assert code == 0
    assert doc["changed_since"]["renamed"] == [[P_IMPL, moved]]
    assert doc["changed_since"]["added"] == [] and doc["changed_since"]["deleted"] == []
    assert doc["changed_since"]["checked"] == [moved] and found(doc) == []


def test_a_plain_mv_is_a_rename_too(repo: Path) -> None:
    """Moved without `git mv`: git sees a deleted and an untracked file; the same content makes it a rename."""
    json_report(ROOT)
    moved = "impl/330106/moved.yaml"
    (repo / ROOT / P_IMPL).rename(repo / ROOT / moved)
    _, doc = changed()
    assert doc["changed_since"]["renamed"] == [[P_IMPL, moved]]
    assert found(doc) == [("file-name", moved, 2)]


def test_rename_modify_add_delete_together_match_a_full_run(repo: Path) -> None:
    root = repo / ROOT
    json_report(ROOT)
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25\n")  # modify
    shutil.copy(root / F_IMPL, root / "impl" / "330106" / "copy.yaml")  # add (duplicate code)
    git(repo, "mv", f"{ROOT}/{P_BASE}", f"{ROOT}/base/renamed.yaml")  # rename
    git(repo, "rm", "-q", f"{ROOT}/{P_IMPL}")  # delete
    code, doc = changed()
    assert code == 1
    scope = doc["changed_since"]
    assert (scope["added"], scope["modified"], scope["deleted"]) == (["impl/330106/copy.yaml"], [F_IMPL], [P_IMPL])
    assert scope["renamed"] == [[P_BASE, "base/renamed.yaml"]]
    reported = {F_IMPL, "impl/330106/copy.yaml", "base/renamed.yaml", *scope["affected"]}
    assert found(doc) == [f for f in full_findings() if f[1] in reported]
    _, cold = changed("--no-cache")
    assert found(cold) == found(doc)


def test_since_an_older_commit(repo: Path) -> None:
    edit(repo / ROOT, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    commit_all(repo, "延长承诺时限")
    assert invoke("validate", ROOT, "--changed-since", "HEAD").exit_code == 0
    code, doc = json_report(ROOT, "--changed-since", "HEAD~1")
    assert code == 1 and found(doc) == [("time-limit", F_IMPL, 26)]


def test_a_registry_change_means_a_full_run(repo: Path) -> None:
    edit(repo / ROOT, "registry/laws.yaml", "中华人民共和国食品安全法", "中华人民共和国食品安全法(修订)")
    code, doc = changed()
    assert code == 1
    assert "registry/laws.yaml" in doc["changed_since"]["full_run"]
    assert doc["summary"]["files"] == 4
    assert found(doc) == full_findings()
    assert "整个目录" in invoke("validate", ROOT, "--changed-since", "HEAD").stdout


def test_a_catalogue_in_a_subfolder_ignores_changes_outside_it(repo: Path) -> None:
    (repo / "README.md").write_text("说明\n", encoding="utf-8")
    (repo / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    code, doc = changed()
    assert code == 0 and doc["summary"]["files"] == 0


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    result = invoke("validate", ROOT, "--changed-since", "no-such-branch")
    assert result.exit_code == 2 and "no-such-branch" in result.output and "Traceback" not in result.output


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy_mini(tmp_path / "cat")
    result = invoke("validate", "cat", "--changed-since", "HEAD")
    assert result.exit_code == 2 and "git" in result.output


def test_suppressions_and_baseline_in_a_changed_run(repo: Path) -> None:
    root = repo / ROOT
    edit(root, F_BASE, "结果类型: 出证办结", "结果类型: 审批办结")
    commit_all(repo, "legacy problem")
    invoke("validate", ROOT, "--write-baseline", "--baseline", "b.json")
    edit(root, F_BASE, "# 食品经营许可\n", "# 食品经营许可\n# 新注释\n")  # touch the file: the warning moves a line
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25  # mattercli: disable=time-limit 试点延长\n")
    code, doc = json_report(ROOT, "--changed-since", "HEAD", "--baseline", "b.json", "--fail-on", "warning")
    assert code == 0 and doc["findings"] == []
    assert doc["summary"]["baselined"] == 1 and doc["summary"]["suppressed"] == 1


def test_the_first_commit_of_a_new_repository_is_not_blocked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEAD yet (git init, files staged): everything is new, so everything is checked, and nothing is an
    unknown revision (issue 23 item 3)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    copy_mini(tmp_path / ROOT)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    code, doc = changed()
    assert code == 0, doc
    assert doc["changed_since"]["commit"] is None
    assert len(doc["changed_since"]["added"]) == doc["summary"]["files"] == 4
    edit(tmp_path / ROOT, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    code, doc = changed()
    assert code == 1 and found(doc) == [("time-limit", F_IMPL, 26)]
    # another revision that does not exist is still a usage error
    assert invoke("validate", ROOT, "--changed-since", "main~3").exit_code == 2


def test_changed_since_compares_with_the_merge_base(repo: Path) -> None:
    """A branch made before main fixed an error is not blamed for it: like `git diff main...HEAD`, the change is
    what the branch did since it left main (issue 23 item 4)."""
    root = repo / ROOT
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    commit_all(repo, "an error on main")
    git(repo, "checkout", "-q", "-b", "feature")
    edit(root, F_BASE, "# 食品经营许可\n", "# 食品经营许可\n# 分支的修改\n")
    commit_all(repo, "the branch touches the base")
    git(repo, "checkout", "-q", "main")
    edit(root, F_IMPL, "  时限: 25\n", "  时限: 5\n")
    commit_all(repo, "main fixes the error")
    git(repo, "checkout", "-q", "feature")
    code, doc = json_report(ROOT, "--changed-since", "main")
    scope = doc["changed_since"]
    assert scope["modified"] == [F_BASE], scope  # not F_IMPL: main changed it, the branch did not
    assert scope["merge_base"] == git(repo, "merge-base", "main", "HEAD")
    assert scope["commit"] == git(repo, "rev-parse", "main")
    # the branch still has the error main fixed, in a file it did not touch: not the branch's finding
    assert [f for f in doc["findings"] if f["rule"] == "time-limit"] == []
    # and what the branch did break is reported
    edit(root, F_IMPL, "  时限: 25\n", "  时限: 26\n")
    code, doc = json_report(ROOT, "--changed-since", "main")
    assert code == 1 and [f["rule"] for f in doc["findings"]] == ["time-limit"]


def test_changed_since_unrelated_history_is_a_usage_error(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "other")
    git(repo, "commit", "-q", "-m", "unrelated")
    git(repo, "checkout", "-q", "main")
    result = invoke("validate", ROOT, "--changed-since", "other")
    assert result.exit_code == 2 and "other" in result.output and "Traceback" not in result.output
