"""Rule configuration: [tool.mattercli] in pyproject.toml (catalogue root or git top level) or mattercli.toml —
rules off, severities, per-path overrides, presets, fail-on, max-file-size; mistakes reported at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mattercli.check.config import glob_regex, locate
from validate_ci_helpers import F_BASE, F_IMPL, broken_catalog, copy_mini, git_repo, invoke, json_report


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return broken_catalog(tmp_path / "catalog")


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_without_config_the_defaults_apply(catalog: Path) -> None:
    code, doc = json_report("catalog", "--no-cache")
    assert code == 1
    assert {f["rule"]: f["severity"] for f in doc["findings"]} == {
        "time-limit": "error",
        "result-type": "warning",
        "suppression-unused": "info",
    }


def test_disable_and_severity_in_mattercli_toml(catalog: Path) -> None:
    write(
        catalog,
        "mattercli.toml",
        'disable = ["time-limit"]\n[severity]\nresult-type = "error"\nsuppression-unused = "off"\n',
    )
    code, doc = json_report("catalog", "--no-cache")
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("result-type", "error")]


def test_pyproject_at_the_git_top_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    root = broken_catalog(repo / "catalog")
    write(
        repo,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.mattercli]\nfail-on = "never"\ndisable = ["result-type"]\n',
    )
    git_repo(repo)
    monkeypatch.chdir(tmp_path)
    code, doc = json_report(root, "--no-cache")
    assert code == 0  # fail-on never from the config
    assert "result-type" not in {f["rule"] for f in doc["findings"]}
    assert invoke("validate", root, "--no-cache", "--fail-on", "error").exit_code == 1  # the command line wins


def test_mattercli_toml_wins_over_pyproject(catalog: Path) -> None:
    write(catalog, "pyproject.toml", '[tool.mattercli]\ndisable = ["time-limit"]\n')
    write(catalog, "mattercli.toml", 'disable = ["result-type"]\n')
    _, doc = json_report("catalog", "--no-cache")
    assert {f["rule"] for f in doc["findings"]} == {"time-limit", "suppression-unused"}


def test_per_path_override(catalog: Path) -> None:
    write(
        catalog,
        "mattercli.toml",
        '[[overrides]]\npaths = ["impl/330106/**"]\nseverity = { time-limit = "warning" }\n\n'
        '[[overrides]]\npaths = ["base/*.yaml"]\ndisable = ["result-type"]\n',
    )
    code, doc = json_report("catalog", "--no-cache")
    assert code == 0
    assert {f["rule"]: f["severity"] for f in doc["findings"]} == {
        "time-limit": "warning",
        "suppression-unused": "info",
    }


def test_override_can_enable_a_rule_off_elsewhere(catalog: Path) -> None:
    write(
        catalog,
        "mattercli.toml",
        'disable = ["time-limit"]\n[[overrides]]\npaths = ["impl/**"]\nenable = ["time-limit"]\n',
    )
    _, doc = json_report("catalog", "--no-cache")
    assert "time-limit" in {f["rule"] for f in doc["findings"]}


def test_preset_strict_turns_warnings_into_errors(catalog: Path) -> None:
    (catalog / F_IMPL).write_text(
        (catalog / F_IMPL).read_text(encoding="utf-8").replace("  时限: 25\n", "  时限: 5\n"), encoding="utf-8"
    )
    assert invoke("validate", "catalog", "--no-cache").exit_code == 0  # a warning only
    write(catalog, "mattercli.toml", 'preset = "strict"\n')
    code, doc = json_report("catalog", "--no-cache")
    assert code == 1
    assert {f["rule"]: f["severity"] for f in doc["findings"]}["result-type"] == "error"
    (catalog / "mattercli.toml").unlink()
    assert invoke("validate", "catalog", "--no-cache", "--preset", "strict").exit_code == 1


def test_max_file_size(catalog: Path) -> None:
    write(catalog, "mattercli.toml", 'max-file-size = "1KB"\n')
    _, doc = json_report("catalog", "--no-cache")
    assert {f["rule"] for f in doc["findings"]} >= {"file-too-large"}


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ('disable = ["time-limit"]\nfail-on = "sometimes"\n', 2, "fail-on"),
        ('preset = "lenient"\n', 1, "preset"),
        ('\n\n[severity]\nresult-type = "loud"\n', 4, "severity.result-type"),
        (
            'disable = ["time-limit",\n]\n[[overrides]]\npaths = ["impl/**"]\ndisable = ["no-such-rule"]\n',
            5,
            "no-such-rule",
        ),
        ('[severity]\nno-such-rule = "error"\n', 2, "no-such-rule"),
        ('disable = ["a"\nfail-on = "x"\n', 2, "TOML"),
        ('colour = "red"\n', 1, "colour"),
        ('[[overrides]]\nseverity = { time-limit = "warning" }\n', 1, "paths"),
    ],
)
def test_broken_config_exits_2_with_file_and_line(catalog: Path, text: str, line: int, needle: str) -> None:
    path = write(catalog, "mattercli.toml", text)
    result = invoke("validate", "catalog", "--no-cache")
    assert result.exit_code == 2, result.output
    assert f"{path.resolve()}:{line}" in result.output or f"{path}:{line}" in result.output, result.output
    assert needle in result.output and "Traceback" not in result.output


def test_broken_pyproject_table_is_reported(catalog: Path) -> None:
    path = write(catalog, "pyproject.toml", '[tool.mattercli]\ndisable = "time-limit"\n')
    result = invoke("validate", "catalog", "--no-cache")
    assert result.exit_code == 2 and f"{path}:2" in result.output and "tool.mattercli" in result.output


def test_other_commands_tables_are_left_alone(catalog: Path) -> None:
    write(catalog, "mattercli.toml", '[fmt]\nindent = 2\n\n[severity]\nresult-type = "info"\n')
    _, doc = json_report("catalog", "--no-cache")
    assert {f["rule"]: f["severity"] for f in doc["findings"]}["result-type"] == "info"


def test_explicit_config_file(catalog: Path) -> None:
    write(catalog.parent, "ci.toml", 'disable = ["time-limit", "result-type", "suppression-unused"]\n')
    assert invoke("validate", "catalog", "--no-cache", "--config", "ci.toml").exit_code == 0
    assert invoke("validate", "catalog", "--config", "missing.toml").exit_code == 2


def test_config_changes_do_not_reuse_cached_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = copy_mini(tmp_path / "catalog")
    (root / F_BASE).write_text(
        (root / F_BASE).read_text(encoding="utf-8").replace("结果类型: 出证办结", "结果类型: 审批办结"),
        encoding="utf-8",
    )
    _, first = json_report("catalog")
    write(root, "mattercli.toml", '[severity]\nresult-type = "error"\n')
    _, second = json_report("catalog")
    assert first["findings"][0]["severity"] == "warning" and second["findings"][0]["severity"] == "error"


def test_glob_and_locate_helpers() -> None:
    assert glob_regex("impl/**").match("impl/330106/a.yaml")
    assert glob_regex("impl/*/a.yaml").match("impl/330106/a.yaml")
    assert not glob_regex("impl/*.yaml").match("impl/330106/a.yaml")
    assert glob_regex("**/a.yaml").match("a.yaml") and glob_regex("**/a.yaml").match("x/y/a.yaml")
    assert glob_regex("base/00[0-9]*.yaml").match("base/000104001000.yaml")
    text = '[tool.mattercli]\npreset = "strict"\n\n[[tool.mattercli.overrides]]\npaths = ["a"]\n\n[[tool.mattercli.overrides]]\nseverity = { x = "error" }\n'
    assert locate(text, ("tool", "mattercli", "preset")) == 2
    assert locate(text, ("tool", "mattercli", "overrides", 1, "severity", "x")) == 8
    assert locate(text, ("tool", "mattercli", "overrides", 1, "paths")) == 7


def test_naming_a_registry_file_checks_the_registries_not_a_matter(catalog: Path) -> None:
    code, doc = json_report("catalog/registry/laws.yaml", "--no-cache")
    assert code == 0 and doc["summary"]["files"] == 0
    assert "schema" not in {f["rule"] for f in doc["findings"]}
