"""Every validate output format on a catalogue with known findings: golden files, SARIF against the official
schema, JUnit through a standard JUnit parser, GitHub annotation escaping and caps, output planning."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from mattercli.check.findings import Finding, Report, Severity
from mattercli.cli.ci_reporters import (
    GITHUB_LIMIT,
    SARIF_RESULT_LIMIT,
    SarifReporter,
    escape_data,
    escape_property,
)
from mattercli.cli.commands.validate import plan_outputs
from mattercli.cli.reporters import ReportFormat
from validate_ci_helpers import F_IMPL, HERE, P_BASE, broken_catalog, check_golden, edit, invoke, normalise

SARIF_SCHEMA = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("MATTERCLI_DOCS_URL", raising=False)
    monkeypatch.delenv("MATTERCLI_LINK_BASE", raising=False)
    return broken_catalog(tmp_path / "catalog")


@pytest.mark.parametrize(
    ("fmt", "lang", "golden"),
    [
        ("text", "zh", "text.txt"),
        ("text", "en", "text-en.txt"),
        ("json", "zh", "report.json"),
        ("sarif", "zh", "report.sarif"),
        ("junit", "zh", "junit.xml"),
        ("github", "zh", "github.txt"),
        ("github", "en", "github-en.txt"),
        ("markdown", "zh", "summary.md"),
        ("markdown", "en", "summary-en.md"),
    ],
)
def test_format_golden(catalog: Path, fmt: str, lang: str, golden: str) -> None:
    result = invoke("validate", "catalog", "--no-cache", "--format", fmt, "--lang", lang)
    assert result.exit_code == 1, result.output
    check_golden(golden, normalise(result.stdout, catalog))


def test_sarif_validates_against_the_official_schema(catalog: Path) -> None:
    result = invoke("validate", "catalog", "--no-cache", "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.Draft4Validator.check_schema(SARIF_SCHEMA)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["time-limit"]["properties"] == {
        "title_zh": "承诺时限超过法定时限",
        "title_en": rules["time-limit"]["properties"]["title_en"],
    }
    assert rules["time-limit"]["properties"]["title_en"].isascii()
    assert "suppression-reason" in rules and "only-reduce" in rules
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["time-limit"]["level"] == "error"
    assert by_rule["suppression-unused"]["level"] == "note"
    region = by_rule["time-limit"]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (26, 7)
    assert by_rule["file-name"]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    for result_ in run["results"]:
        assert run["tool"]["driver"]["rules"][result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["partialFingerprints"]["mattercliFinding/v1"]


def test_sarif_with_baseline_marks_states_and_still_validates(catalog: Path) -> None:
    assert invoke("validate", "catalog", "--write-baseline", "--baseline", "base.json").exit_code == 0
    from validate_ci_helpers import F_IMPL, edit

    edit(catalog, F_IMPL, "  时限: 20\n", "  时限: 15\n")  # the promised 25 days now also break a new limit
    result = invoke("validate", "catalog", "--baseline", "base.json", "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    states = sorted((r["ruleId"], r.get("baselineState")) for r in doc["runs"][0]["results"])
    assert ("result-type", "unchanged") in states
    assert ("time-limit", "new") in states  # the message changed (15 instead of 20 days): a new finding


def test_sarif_in_a_git_repo_uses_repository_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from validate_ci_helpers import git_repo

    repo = tmp_path / "repo"
    repo.mkdir()
    root = broken_catalog(repo / "catalog")
    git_repo(repo)
    monkeypatch.chdir(root)
    doc = json.loads(invoke("validate", ".", "--format", "sarif").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert "catalog/impl/330106/1133010600250001784000104001000.yaml" in uris
    # no absolute path: the base is the checkout, which code scanning knows (issue 23 item 8)
    assert "uri" not in doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    # JUnit names files the same way, whatever the working directory (it used to be relative to it)
    junit = invoke("validate", ".", "--format", "junit").stdout
    assert 'name="catalog/impl/330106/1133010600250001784000104001000.yaml"' in junit
    assert 'file="catalog/impl/330106/1133010600250001784000104001000.yaml"' in junit
    assert 'name="impl/330106/' not in junit


def test_sarif_regions_fingerprints_help_and_no_absolute_paths(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """endLine/endColumn of the value a finding is on; primaryLocationLineHash (numbered for identical problems in
    one file); a helpUri per rule into docs/rules.md; no absolute path anywhere, the baseline file's included."""
    shutil.copy(catalog / F_IMPL, catalog / "impl/330106/copy.yaml")  # the same code twice: identical problems
    assert invoke("validate", "catalog", "--write-baseline", "--baseline", "catalog/b.json").exit_code == 0
    edit(catalog, F_IMPL, "  时限: 20\n", "  时限: 15\n")  # a new problem beside the baselined ones
    monkeypatch.setenv("MATTERCLI_DOCS_URL", "https://example.org/mattercli/blob/v1/docs/")
    text = invoke("validate", "catalog", "--format", "sarif", "--baseline", "catalog/b.json").stdout
    doc = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    assert str(catalog.resolve()) not in text and str(catalog) not in text and "file://" not in text
    run = doc["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["helpUri"] == f"https://example.org/mattercli/blob/v1/docs/rules.md#{rule['id']}"
        assert rule["properties"]["title_zh"] in rule["help"]["markdown"]
    baselined = [r for r in run["results"] if r.get("baselineState") == "unchanged"]
    assert baselined and all(r["suppressions"][0]["justification"] == "baseline: b.json" for r in baselined)
    regions = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r["locations"][0][
            "physicalLocation"
        ]["region"]
        for r in run["results"]
        if r["locations"]
    }
    # `  时限: 25` on line 26 of the planted file: the value 25 spans columns 7–8
    limit = regions[("time-limit", "impl/330106/1133010600250001784000104001000.yaml")]
    assert (limit["startLine"], limit["startColumn"], limit["endLine"], limit["endColumn"]) == (26, 7, 26, 9)
    # result-type on 结果类型: 审批办结 (four characters from column 11)
    kind = regions[("result-type", "base/000104001000.yaml")]
    assert (kind["startColumn"], kind["endLine"], kind["endColumn"]) == (11, 31, 15)
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]
    assert len(hashes) == len(set(hashes))  # every result its own alert
    for r in run["results"]:
        fp = r["partialFingerprints"]
        assert fp["primaryLocationLineHash"].rsplit(":", 1)[0] == fp["mattercliFinding/v1"]
    # the two holders of one code: each a duplicate-code finding; same problem in two files, distinct hashes
    dup = [r for r in run["results"] if r["ruleId"] == "duplicate-code"]
    assert len(dup) == 2


def test_identical_problems_in_one_file_are_numbered(tmp_path: Path) -> None:
    same = [_finding(1, Severity.ERROR), _finding(1, Severity.ERROR)]
    run = json.loads(SarifReporter().render(Report(str(tmp_path), findings=same, files=1)))["runs"][0]
    assert [r["partialFingerprints"]["primaryLocationLineHash"][-2:] for r in run["results"]] == [":1", ":2"]


def test_rules_reference_is_up_to_date_and_has_every_rule() -> None:
    """docs/rules.md (SARIF's helpUri target) is generated from the registry: `python scripts/gen_rule_docs.py`."""
    from mattercli.check.engine import full_registry
    from mattercli.check.rule_docs import rules_markdown

    path = HERE.parent / "docs" / "rules.md"
    expected = rules_markdown(full_registry())
    assert path.read_text(encoding="utf-8") == expected, "docs/rules.md is stale: run scripts/gen_rule_docs.py"
    for rule in full_registry():
        assert f"\n## {rule.id}\n" in expected


def test_junit_loads_in_a_junit_parser(catalog: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    result = invoke("validate", "catalog", "--no-cache", "--output", "out/report.xml")
    assert result.exit_code == 1 and result.stdout == ""
    xml = junitparser.JUnitXml.fromfile(str(catalog.parent / "out" / "report.xml"))
    suites = {suite.name: suite for suite in xml}
    assert suites["mattercli"].failures == 1
    impl = suites["catalog/impl/330106/1133010600250001784000104001000.yaml"]
    (case,) = list(impl)
    assert case.name == "[time-limit] 26:7"
    assert [type(r).__name__ for r in case.result] == ["Failure"]
    assert "25工作日" in case.result[0].message
    base = suites["catalog/base/000104001000.yaml"]
    (warning,) = list(base)
    assert warning.result == []  # below --fail-on error: a passing case that says what it found
    assert xml.tests == 4 and xml.failures == 2


def test_junit_fail_on_warning_turns_warnings_into_failures(catalog: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    invoke("validate", "catalog", "--fail-on", "warning", "--output", "r.xml")
    xml = junitparser.JUnitXml.fromfile(str(catalog.parent / "r.xml"))
    assert xml.failures == 3


def test_several_formats_in_one_run(catalog: Path) -> None:
    result = invoke(
        "validate",
        "catalog",
        "--format",
        "sarif",
        "--output",
        "out.sarif",
        "--format",
        "text",
        "-f",
        "markdown",
        "-o",
        "summary.md",
    )
    assert result.exit_code == 1
    assert "[time-limit]" in result.stdout and "共检查 4 个文件" in result.stdout
    assert json.loads((catalog.parent / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert (catalog.parent / "summary.md").read_text(encoding="utf-8").startswith("## ❌")


def test_github_format_is_chosen_in_github_actions(catalog: Path) -> None:
    result = invoke("validate", "catalog", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout.startswith("::") and "::error file=catalog/impl/330106/" in result.stdout
    explicit = invoke("validate", "catalog", "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert not explicit.stdout.startswith("::")


def test_github_annotations_are_capped_without_changing_the_exit_status(catalog: Path) -> None:
    """GitHub shows 10 annotations of each kind per step and drops the rest silently: print 10 of each, one
    notice that counts what was left out exactly, and every finding left out as a plain log line."""
    for i in range(GITHUB_LIMIT + 5):  # each copy: a duplicate-code error, a file-name warning, an unused suppression
        shutil.copy(catalog / P_BASE, catalog / "base" / f"copy-{i:02d}.yaml")
    result = invoke("validate", "catalog", "--format", "github", "--fail-on", "never")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert GITHUB_LIMIT == 10
    assert sum(1 for line in lines if line.startswith("::error ")) == 10
    assert sum(1 for line in lines if line.startswith("::warning ")) == 10
    assert sum(1 for line in lines if line.startswith("::notice ")) == 10  # 9 infos + the summary notice
    doc = json.loads(invoke("validate", "catalog", "--format", "json", "--fail-on", "never").stdout)
    total = {s: sum(1 for f in doc["findings"] if f["severity"] == s) for s in ("error", "warning", "info")}
    # 16 holders of one code (15 copies and the original) + the planted time-limit; 15 + 1 file-name / result-type
    assert total == {"error": 17, "warning": 16, "info": 16}
    (notice,) = [line for line in lines if line.startswith("::notice title=mattercli::")]
    left = total["error"] - 10 + total["warning"] - 10 + total["info"] - 9
    assert f"另有 {left} 个问题未标注(错误 7 个,警告 6 个,提示 7 个" in notice
    start, end = lines.index(next(x for x in lines if x.startswith("::group::"))), lines.index("::endgroup::")
    assert end - start - 1 == left and not any(x.startswith("::") for x in lines[start + 1 : end])
    assert invoke("validate", "catalog", "--format", "github").exit_code == 1


def test_github_annotations_most_serious_first_under_the_cap(catalog: Path) -> None:
    for i in range(12):
        shutil.copy(catalog / P_BASE, catalog / "base" / f"copy-{i:02d}.yaml")
    lines = invoke("validate", "catalog", "--format", "github").stdout.splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::") and not line.startswith("::notice title")]
    assert kinds[:10] == ["::error"] * 10


def test_github_escaping() -> None:
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z%\n") == "x%3Ay%2Cz%25%0A"


@pytest.mark.parametrize(
    ("formats", "outputs", "actions", "expected"),
    [
        ([], [], False, [("text", None)]),
        ([], [], True, [("github", None)]),
        (["json"], ["out/report.json"], False, [("json", "out/report.json")]),
        (
            [],
            ["a.sarif", "b.xml", "c.md", "d.json"],
            False,
            [("sarif", "a.sarif"), ("junit", "b.xml"), ("markdown", "c.md"), ("json", "d.json")],
        ),
        (["sarif", "text"], ["out.sarif"], False, [("sarif", "out.sarif"), ("text", None)]),
        (["text", "sarif"], ["out.sarif"], True, [("sarif", "out.sarif"), ("text", None)]),
        (["junit"], ["report.out"], False, [("junit", "report.out")]),
        ([], ["report.out"], False, [("text", "report.out")]),
        # in GitHub Actions the annotations are never dropped for files (issue 23 item 7)
        ([], ["x.sarif"], True, [("sarif", "x.sarif"), ("github", None)]),
        (["sarif"], ["x.sarif"], True, [("sarif", "x.sarif"), ("github", None)]),
        (
            ["sarif", "markdown"],
            ["x.sarif", "s.md"],
            True,
            [("sarif", "x.sarif"), ("markdown", "s.md"), ("github", None)],
        ),
        (["github"], ["g.txt"], True, [("github", "g.txt")]),
        (["sarif"], ["r.json"], False, [("sarif", "r.json")]),
        ([], ["x.sarif"], False, [("sarif", "x.sarif")]),
    ],
)
def test_output_planning(
    formats: list[str], outputs: list[str], actions: bool, expected: list[tuple[str, str | None]]
) -> None:
    plan = plan_outputs([ReportFormat(f) for f in formats], [Path(o) for o in outputs], actions)
    assert [(f.value, str(o) if o else None) for f, o in plan] == expected


@pytest.mark.parametrize(
    "args",
    [
        ["-f", "json", "-o", "r.sarif"],
        ["-f", "sarif", "-o", "a.sarif", "-o", "b.sarif"],
        ["-f", "junit", "-o", "r.md"],
        ["-f", "junit", "-o", "r.json"],
        ["-f", "text", "-f", "json", "-o", "r.json", "-o", "s.xml"],
    ],
)
def test_a_suffix_that_contradicts_the_format_is_a_usage_error(catalog: Path, args: list[str]) -> None:
    """`-f json -o r.sarif` used to write JSON into r.sarif; now it is refused and nothing is written."""
    result = invoke("validate", "catalog", *args)
    assert result.exit_code == 2, result.output
    assert "后缀" in result.output and "Traceback" not in result.output
    assert not list(catalog.parent.glob("r.*")) and not list(catalog.parent.glob("?.sarif"))


def test_github_actions_with_an_output_file_still_annotates(catalog: Path) -> None:
    """`GITHUB_ACTIONS=true mattercli validate . -o x.sarif` writes the SARIF and prints the annotations (it used
    to print nothing and exit 1)."""
    result = invoke("validate", "catalog", "-o", "x.sarif", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert json.loads((catalog.parent / "x.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "::error file=catalog/impl/330106/1133010600250001784000104001000.yaml,line=26" in result.stdout


def test_two_formats_for_stdout_is_a_usage_error(catalog: Path) -> None:
    result = invoke("validate", "catalog", "--format", "json", "--format", "text")
    assert result.exit_code == 2 and "标准输出" in result.output


def _finding(i: int, severity: Severity, rule: str = "time-limit") -> Finding:
    return Finding(rule, severity, f"impl/{i:05d}.yaml", 3, 5, f"c{i}", f"事项{i}", "消息", "message", f"k|{i}")


def test_sarif_results_are_capped_for_code_scanning(tmp_path: Path) -> None:
    """Code scanning rejects a run with more than 25,000 results, baselined and suppressed ones included: cap
    it, keep what fails the run first (most serious first), and say exactly what was left out."""
    assert SARIF_RESULT_LIMIT == 25_000
    errors = [_finding(i, Severity.ERROR) for i in range(20_000)]
    warnings = [_finding(i, Severity.WARNING, "result-type") for i in range(20_000, 25_050)]
    report = Report(str(tmp_path), findings=[*warnings, *errors], files=25_050)
    report.baselined = [_finding(i, Severity.ERROR) for i in range(30_000, 30_052)]
    report.details["baseline"] = "b.json"
    doc = json.loads(SarifReporter().render(report))
    run = doc["runs"][0]
    assert len(run["results"]) == 25_000
    levels = Counter(r["level"] for r in run["results"])
    assert levels == {"error": 20_000, "warning": 5_000}
    assert not any(r.get("baselineState") == "unchanged" for r in run["results"])
    props = run["invocations"][0]["properties"]
    assert props["omitted"] == {
        "limit": 25_000,
        "results": 102,
        "findings": {"error": 0, "warning": 50, "info": 0},
        "suppressed": 0,
        "baselined": 52,
    }
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "102" in note["message"]["text"] and "基线内 52 个" in note["message"]["text"]
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate({**doc, "runs": [{**run, "results": run["results"][:3]}]})
    # under the limit nothing is left out, and baselined results stay
    small = Report(str(tmp_path), findings=errors[:5], files=5)
    small.baselined = report.baselined[:2]
    run = json.loads(SarifReporter().render(small))["runs"][0]
    assert len(run["results"]) == 7 and "omitted" not in run["invocations"][0]["properties"]
    assert "toolExecutionNotifications" not in run["invocations"][0]


def test_markdown_links_are_absolute_in_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job summary has no folder for relative links: in Actions they point at the commit on the web pages
    (or at $MATTERCLI_LINK_BASE, e.g. GitLab's blob URL)."""
    from validate_ci_helpers import git_repo

    monkeypatch.delenv("MATTERCLI_LINK_BASE", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    broken_catalog(repo / "catalog")
    git_repo(repo)
    monkeypatch.chdir(repo)
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "zj/catalogue",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
    }
    assert invoke("validate", "catalog", "-f", "github", "-f", "markdown", "-o", "s.md", env=env).exit_code == 1
    summary = (repo / "s.md").read_text(encoding="utf-8")
    link = (
        "(https://github.com/zj/catalogue/blob/0123456789abcdef0123456789abcdef01234567/"
        "catalog/impl/330106/1133010600250001784000104001000.yaml#L26)"
    )
    assert link in summary
    gitlab = {"MATTERCLI_LINK_BASE": "https://gitlab.example/zj/catalogue/-/blob/abc/"}
    assert invoke("validate", "catalog", "-o", "g.md", env=gitlab).exit_code == 1
    text = (repo / "g.md").read_text(encoding="utf-8")
    assert "(https://gitlab.example/zj/catalogue/-/blob/abc/catalog/impl/330106/" in text
    assert invoke("validate", "catalog", "-o", "r.md").exit_code == 1  # elsewhere: relative to the file
    assert "](catalog/impl/330106/1133010600250001784000104001000.yaml#L26)" in (repo / "r.md").read_text("utf-8")
