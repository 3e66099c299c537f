"""The pre-commit hooks and CI examples: well-formed, and their mattercli command lines work as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from validate_ci_helpers import F_BASE, F_IMPL, P_IMPL, copy_mini, edit, git, git_repo, invoke

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


# -- the hooks under the real pre-commit (issue 23 items 2, 3) --

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
MATTERCLI = shutil.which("mattercli", path=str(Path(sys.executable).parent)) or shutil.which("mattercli")
needs_pre_commit = pytest.mark.skipif(PRE_COMMIT is None or MATTERCLI is None, reason="pre-commit not installed")


def _local_config(repo: Path, ids: tuple[str, ...] = ("mattercli-validate", "mattercli-validate-all")) -> None:
    """A .pre-commit-config.yaml running this repository's hooks exactly as defined (entry, pass_filenames,
    files, always_run …), as `repo: local` hooks on the installed mattercli instead of an environment pre-commit
    would build from the package index."""
    hooks = []
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        if hook["id"] not in ids:
            continue
        entry = shlex.split(hook["entry"])
        hooks.append({**hook, "entry": shlex.join([str(MATTERCLI), *entry[1:]]), "language": "unsupported"})
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env |= {"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_COLOR": "1"}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(
        [str(PRE_COMMIT), *args, "--color", "never"] if args[0] == "run" else [str(PRE_COMMIT), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    """`git commit` with the installed pre-commit hook (as a user would)."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env |= {"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            message,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@needs_pre_commit
def test_pre_commit_all_files_fails_on_a_committed_error(tmp_path: Path) -> None:
    """`pre-commit run --all-files` checks the whole catalogue: an error committed earlier fails it (the hook
    used to check only what changed since HEAD, and passed)."""
    repo = copy_mini(tmp_path / "repo")
    edit(repo, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    git_repo(repo)  # the error is committed
    _local_config(repo)
    result = _pre_commit(repo, "run", "--all-files", "mattercli-validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[time-limit]" in result.stdout and F_IMPL in result.stdout
    # a file named with --files is checked even though it did not change since HEAD
    named = _pre_commit(repo, "run", "mattercli-validate", "--files", F_IMPL)
    assert named.returncode == 1 and "[time-limit]" in named.stdout
    # and another, clean file is checked alone: the committed error elsewhere is not its finding
    other = _pre_commit(repo, "run", "mattercli-validate", "--files", P_IMPL)
    assert other.returncode == 0, other.stdout


@needs_pre_commit
def test_pre_commit_on_commit_checks_the_staged_files_and_what_they_reach(tmp_path: Path) -> None:
    repo = copy_mini(tmp_path / "repo")
    git_repo(repo)
    _local_config(repo)
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "hooks")
    assert _pre_commit(repo, "install").returncode == 0
    # a breaking edit, staged: the commit is refused
    edit(repo, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    git(repo, "add", F_IMPL)
    refused = _commit(repo, "延长时限")
    assert refused.returncode != 0 and "[time-limit]" in refused.stdout + refused.stderr
    git(repo, "checkout", "-q", "HEAD", "--", F_IMPL)
    # a commit that only deletes a base: the untouched implementation it breaks is reported
    git(repo, "rm", "-q", F_BASE)
    refused = _commit(repo, "删除基本目录事项")
    assert refused.returncode != 0 and "[base-reference]" in refused.stdout + refused.stderr
    git(repo, "reset", "-q", "--hard")
    # an unstaged breaking edit does not block a clean staged one (pre-commit stashes it)
    edit(repo, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    edit(repo, F_BASE, "# 食品经营许可\n", "# 食品经营许可\n# 注释\n")
    git(repo, "add", F_BASE)
    done = _commit(repo, "注释")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_pre_commit
def test_the_first_commit_of_a_repository_passes_the_hook(tmp_path: Path) -> None:
    """No HEAD yet: everything is new, so the hook checks everything and lets a clean first commit through."""
    repo = copy_mini(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    _local_config(repo)
    assert _pre_commit(repo, "install").returncode == 0
    git(repo, "add", "-A")
    done = _commit(repo, "目录")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "找不到修订版本" not in done.stdout + done.stderr
    # and a first commit with an error is refused for the error
    other = copy_mini(tmp_path / "other")
    edit(other, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    git(other, "init", "-q", "-b", "main")
    _local_config(other)
    assert _pre_commit(other, "install").returncode == 0
    git(other, "add", "-A")
    refused = _commit(other, "目录")
    assert refused.returncode != 0 and "[time-limit]" in refused.stdout + refused.stderr


@needs_pre_commit
def test_pre_commit_with_the_catalogue_in_a_subfolder(tmp_path: Path) -> None:
    """The catalogue in catalog/ below the repository root: found without args; YAML files outside it (the
    pre-commit config itself) are passed by pre-commit and left alone."""
    repo = tmp_path / "repo"
    copy_mini(repo / "catalog")
    edit(repo / "catalog", F_IMPL, "  时限: 5\n", "  时限: 25\n")
    (repo / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    _local_config(repo)
    git_repo(repo)
    result = _pre_commit(repo, "run", "--all-files", "mattercli-validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[time-limit]" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert _pre_commit(repo, "run", "mattercli-validate", "--files", "other.yaml").returncode == 0


# -- the CI examples in docs/ci/ (issue 23 item 9) --

GITHUB_EXAMPLE = REPO / "docs" / "ci" / "github-actions.yml"
GITLAB_EXAMPLE = REPO / "docs" / "ci" / "gitlab-ci.yml"
_BARE_INSTALL = re.compile(r"pip install\s+['\"]?mattercli(\[[a-z,]+\])?(['\"]|\s*$|\s+(?!@))", re.MULTILINE)


def _install_requirements(text: str) -> list[str]:
    """The requirement each `pip install` line of an example installs mattercli with (variables expanded)."""
    data = yaml.safe_load(text)
    env: dict[str, str] = {}
    if "env" in data:
        env.update(data["env"])
    for job in data.values():
        if isinstance(job, dict) and isinstance(job.get("variables"), dict):
            env.update(job["variables"])
    out = []
    for match in re.finditer(r"pip install (\"[^\"]+\"|'[^']+')", text):
        requirement = match.group(1)[1:-1]
        for name, value in env.items():
            requirement = requirement.replace(f"${{{name}}}", str(value)).replace(f"${name}", str(value))
        out.append(requirement)
    return out


@pytest.mark.parametrize("example", [GITHUB_EXAMPLE, GITLAB_EXAMPLE], ids=["github", "gitlab"])
def test_ci_examples_install_mattercli_from_a_pinned_repository(example: Path) -> None:
    """`pip install mattercli` names a package that is not on the package index (and an unclaimed name is a
    supply-chain risk): the examples install from the repository at a tag or commit."""
    from packaging.requirements import Requirement

    text = example.read_text(encoding="utf-8")
    assert not _BARE_INSTALL.search(text), "installs an unpinned package named mattercli from the index"
    (requirement,) = _install_requirements(text)
    parsed = Requirement(requirement)
    assert parsed.name == "mattercli" and parsed.url is not None and parsed.url.startswith("git+https://")
    ref = parsed.url.rsplit("@", 1)[1]
    assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", ref), ref
    assert not parsed.extras, "the validate job needs no extra (charts are optional)"


def test_github_example_is_pinned_permitted_cached_and_categorised() -> None:
    text = GITHUB_EXAMPLE.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    steps = workflow["jobs"]["validate"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses, "no actions used?"
    for line in text.splitlines():  # each action at a full commit id, with the tag it was as a comment
        if "uses:" in line:
            assert re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line
    by_use = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert "actions/cache" not in by_use, "actions/cache saves only on success: restore and save separately"
    assert by_use["actions/cache/save"]["if"] == "always()"
    assert by_use["actions/cache/restore"]["with"]["key"] == by_use["actions/cache/save"]["with"]["key"]
    upload = by_use["github/codeql-action/upload-sarif"]
    assert upload["if"].startswith("always()")
    category = upload["with"]["category"]
    assert "pull_request" in category and "mattercli-pull-request" in category and "'mattercli'" in category
    assert steps.index(by_use["actions/cache/save"]) == len(steps) - 1  # after everything that may fail
    validate = [s["run"] for s in steps if "run" in s and "mattercli validate" in s["run"]]
    assert len(validate) == 2 and all("--format github" in r and "mattercli.sarif" in r for r in validate)
    assert workflow["jobs"]["validate"]["steps"][0]["with"]["fetch-depth"] == 0


def test_gitlab_example_keeps_the_cache_of_failing_pipelines() -> None:
    job = yaml.safe_load(GITLAB_EXAMPLE.read_text(encoding="utf-8"))["mattercli-validate"]
    assert job["cache"]["when"] == "always" and job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "mattercli-junit.xml"
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert "CI_COMMIT_SHA" in job["variables"]["MATTERCLI_LINK_BASE"]


ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is not installed (the structure tests above still run)")
def test_github_example_passes_actionlint() -> None:
    result = subprocess.run([str(ACTIONLINT), "-no-color", str(GITHUB_EXAMPLE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
