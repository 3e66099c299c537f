"""Inline suppressions (with and without a reason, line and whole file, unused, unknown rule) and baselines
(adopt the existing findings, then only new ones fail; edits elsewhere keep them baselined)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mattercli.check.suppress import parse_suppressions
from validate_ci_helpers import F_BASE, F_IMPL, P_BASE, copy_mini, edit, invoke, json_report


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini catalogue with the time-limit error (F_IMPL:26) and the result-type warning (F_BASE:31)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = copy_mini(tmp_path / "catalog")
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    edit(root, F_BASE, "结果类型: 出证办结", "结果类型: 审批办结")
    return root


def test_suppression_on_the_offending_line_with_a_reason(catalog: Path) -> None:
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 25  # mattercli: disable=time-limit 经省政务办批准延长\n")
    code, doc = json_report("catalog", "--no-cache")
    assert code == 0
    assert [f["rule"] for f in doc["findings"]] == ["result-type"]
    assert doc["summary"]["suppressed"] == 1 and doc["suppressed"][0]["rule"] == "time-limit"
    text = invoke("validate", "catalog", "--no-cache").stdout
    assert "已抑制 1 个" in text


def test_suppression_without_a_reason_is_a_warning(catalog: Path) -> None:
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 25  # mattercli: disable=time-limit\n")
    code, doc = json_report("catalog", "--no-cache")
    assert code == 0  # the error is silenced; the missing reason is a warning
    rules = {(f["rule"], f["severity"], f["line"]) for f in doc["findings"]}
    assert ("suppression-reason", "warning", 26) in rules
    assert invoke("validate", "catalog", "--no-cache", "--fail-on", "warning").exit_code == 1


def test_whole_file_suppression_in_the_header(catalog: Path) -> None:
    edit(
        catalog,
        F_BASE,
        "# 食品经营许可\n",
        "# 食品经营许可\n# mattercli: disable=result-type,time-limit 待国家目录更新\n",
    )
    _, doc = json_report("catalog", "--no-cache")
    by_rule = {f["rule"]: f for f in doc["findings"]}
    assert "result-type" not in by_rule
    # time-limit is not found in that file: that part of the suppression is unused
    assert by_rule["suppression-unused"]["file"] == F_BASE and by_rule["suppression-unused"]["line"] == 2
    assert "time-limit" in by_rule["suppression-unused"]["message"]


def test_suppression_elsewhere_in_the_file_does_not_cover_other_lines(catalog: Path) -> None:
    edit(catalog, F_IMPL, "办件类型: 承诺件\n", "办件类型: 承诺件  # mattercli: disable=time-limit 不在这一行\n")
    _, doc = json_report("catalog", "--no-cache")
    rules = sorted(f["rule"] for f in doc["findings"])
    assert rules == ["result-type", "suppression-unused", "time-limit"]


def test_unknown_rule_in_a_suppression(catalog: Path) -> None:
    edit(
        catalog, P_BASE, '基本编码: "000204001000"', '基本编码: "000204001000"  # mattercli: disable=no-such-rule 试试'
    )
    _, doc = json_report("catalog", "--no-cache")
    (finding,) = [f for f in doc["findings"] if f["rule"] == "suppression-unused"]
    assert "no-such-rule" in finding["message"] and finding["severity"] == "info"


def test_suppression_rules_can_be_configured(catalog: Path) -> None:
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 25  # mattercli: disable=time-limit\n")
    (catalog / "mattercli.toml").write_text('[severity]\nsuppression-reason = "error"\n', encoding="utf-8")
    assert invoke("validate", "catalog", "--no-cache").exit_code == 1


def test_a_comment_inside_a_quoted_value_is_not_a_suppression() -> None:
    text = '事项名称: "名称 # mattercli: disable=file-name 不是注释"\n'
    assert parse_suppressions(text) == ()
    assert parse_suppressions("a: 1  # mattercli: disable=x,y 理由\n")[0].rules == ("x", "y")


def test_suppressions_survive_the_cache(catalog: Path) -> None:
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 25  # mattercli: disable=time-limit 经批准\n")
    first = json_report("catalog")[1]
    second = json_report("catalog")[1]
    assert second["cache"]["hits"] == 4
    assert first["findings"] == second["findings"] and first["suppressed"] == second["suppressed"]


# ---- baseline ---------------------------------------------------------------------------------------------------


def test_adopt_then_only_new_findings_fail(catalog: Path) -> None:
    result = invoke("validate", "catalog", "--write-baseline", "--baseline", "baseline.json")
    assert result.exit_code == 0 and "写入基线" in result.stderr
    doc = json.loads((catalog.parent / "baseline.json").read_text(encoding="utf-8"))
    assert sorted(e["rule"] for e in doc["findings"]) == ["result-type", "time-limit"]
    assert all("line" not in e for e in doc["findings"])

    code, report = json_report("catalog", "--baseline", "baseline.json")
    assert code == 0 and report["findings"] == [] and report["summary"]["baselined"] == 2

    # edits elsewhere in the files move the findings down: still baselined
    edit(catalog, F_IMPL, "# 食品经营许可(西湖区)\n", "# 食品经营许可(西湖区)\n# 说明:第二行\n\n")
    edit(catalog, F_BASE, "# 食品经营许可\n", "# 食品经营许可\n# 补充说明\n")
    code, report = json_report("catalog", "--baseline", "baseline.json")
    assert code == 0 and report["summary"]["baselined"] == 2

    # a new problem fails, and only it is reported
    edit(catalog, P_BASE, "事项类型: 行政处罚", "事项类型: 行政许可")
    code, report = json_report("catalog", "--baseline", "baseline.json")
    assert code == 1
    assert {f["file"] for f in report["findings"]} == {P_BASE, "impl/330106/1133010600250001784000204001000.yaml"}
    assert report["summary"]["baselined"] == 2


def test_fixed_baseline_entries_are_counted(catalog: Path) -> None:
    invoke("validate", "catalog", "--write-baseline", "--baseline", "b.json")
    edit(catalog, F_IMPL, "  时限: 25\n", "  时限: 5\n")
    code, report = json_report("catalog", "--baseline", "b.json")
    assert code == 0 and report["summary"]["baseline_fixed"] == 1
    assert "基线中已修复 1 个" in invoke("validate", "catalog", "--baseline", "b.json").stdout


def test_a_new_problem_in_a_baselined_file_fails(catalog: Path) -> None:
    invoke("validate", "catalog", "--write-baseline", "--baseline", "b.json")
    impl = catalog / F_IMPL
    text = impl.read_text(encoding="utf-8")
    impl.write_text(
        text.replace("申请材料:\n", "申请材料:\n  - 材料名称: 房产证\n    材料类别: 证照\n"), encoding="utf-8"
    )
    code, first = json_report("catalog", "--baseline", "b.json")
    assert code == 1 and [f["rule"] for f in first["findings"]] == ["only-reduce"]


def test_baseline_from_the_config_and_the_default_file(catalog: Path) -> None:
    (catalog / "mattercli.toml").write_text('baseline = "legacy.json"\n', encoding="utf-8")
    assert invoke("validate", "catalog", "--write-baseline").exit_code == 0
    assert (catalog / "legacy.json").is_file()
    assert invoke("validate", "catalog").exit_code == 0
    (catalog / "mattercli.toml").unlink()
    assert invoke("validate", "catalog", "--write-baseline").exit_code == 0
    assert (catalog / "mattercli-baseline.json").is_file()


def test_missing_or_broken_baseline_exits_2(catalog: Path) -> None:
    result = invoke("validate", "catalog", "--baseline", "nope.json")
    assert result.exit_code == 2 and "nope.json" in result.output
    (catalog.parent / "bad.json").write_text("{not json", encoding="utf-8")
    assert invoke("validate", "catalog", "--baseline", "bad.json").exit_code == 2
    (catalog.parent / "other.json").write_text('{"kind": "something"}', encoding="utf-8")
    assert invoke("validate", "catalog", "--baseline", "other.json").exit_code == 2


def test_writing_a_baseline_for_some_files_keeps_the_others(catalog: Path) -> None:
    invoke("validate", "catalog", "--write-baseline", "--baseline", "b.json")
    invoke("validate", f"catalog/{F_IMPL}", "--write-baseline", "--baseline", "b.json")
    doc = json.loads((catalog.parent / "b.json").read_text(encoding="utf-8"))
    assert sorted(e["file"] for e in doc["findings"]) == [F_BASE, F_IMPL]
