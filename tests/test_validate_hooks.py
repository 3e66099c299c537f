"""The pre-commit hooks and CI examples: well-formed, and their mattercli command lines work as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from validate_ci_helpers import F_IMPL, copy_mini, edit, git_repo, invoke

REPO = Path(__file__).resolve().parent.parent


def test_pre_commit_hooks_are_well_formed() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"mattercli-validate", "mattercli-validate-all", "mattercli-fmt-check"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys() and hook["language"] == "python"
        assert hook["entry"].startswith("mattercli ")
        if "files" in hook:
            re.compile(hook["files"])


def test_the_validate_hook_runs_as_pre_commit_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit runs `entry` in the repository root without file names; a staged breaking edit fails it."""
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    repo = copy_mini(tmp_path / "repo")
    git_repo(repo)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    argv = shlex.split(hooks["mattercli-validate"]["entry"])[1:]
    assert invoke(*argv).exit_code == 0
    edit(repo, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    result = invoke(*argv)
    assert result.exit_code == 1 and "[time-limit]" in result.stdout
    assert invoke(*shlex.split(hooks["mattercli-validate-all"]["entry"])[1:]).exit_code == 1
    fmt = invoke(*shlex.split(hooks["mattercli-fmt-check"]["entry"])[1:], F_IMPL)
    assert fmt.exit_code in (0, 1) and "Traceback" not in fmt.output


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_parse_and_name_real_options(name: str) -> None:
    text = (REPO / "docs" / "ci" / name).read_text(encoding="utf-8")
    yaml.safe_load(text)
    help_text = invoke("validate", "--help").output
    for option in set(re.findall(r"--[a-z][a-z-]+", text)):
        if option in ("--quiet",):  # git's
            continue
        assert option in help_text, option
