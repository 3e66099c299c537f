"""`mattercli proofs` on the embedded catalogue finds exactly the problems planted there (catalog/README.md, sections
1–4): every one of them, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.catalogue.snapshot import open_snapshot
from mattercli.cli import app
from mattercli.proofs.run import DuplicateKind, ProofOptions, ProofReport, Section, analyse

CATALOG = Path(__file__).parent.parent / "catalog"
runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> ProofReport:
    return analyse(open_snapshot(CATALOG), ProofOptions(jobs=1))


def test_every_file_is_read(report: ProofReport) -> None:
    assert report.skipped == []
    assert report.notes == []
    assert report.matters == report.files >= 200


# -- 1. 重复证明 ------------------------------------------------------------------------------------------------

#: (standard name, the name as written, file) for every planted variant; the README's list, verbatim.
PLANTED_VARIANTS = {
    ("居民身份证", "居民身份證", "impl/330106/11330106003042839L4002001002000.yaml"),
    ("居民身份证", "居民身份证复印件", "impl/330106/11330106003041529B4000111003000.yaml"),
    ("居民身份证", "身份证", "base/002002001000.yaml"),
    ("居民身份证", "身份证", "impl/330106/1133010600304414894002002001000.yaml"),
    ("营业执照", "工商营业执照", "base/000110002000.yaml"),
    ("营业执照", "工商营业执照", "impl/330000/11330000001055791H2000110002000.yaml"),
    ("营业执照", "营业执照(原件)", "impl/330106/1133010600305331954000110001000.yaml"),
    ("营业执照", "营业执照副本复印件", "impl/330106/11330106003052009U4000109001000.yaml"),
    ("户口簿", "【户口簿】", "impl/330106/1133010600304414894000702001000.yaml"),
    ("户口簿", "户口本", "base/002008002000.yaml"),
    ("户口簿", "户口本", "impl/330106/11330106003050695C4002008002000.yaml"),
    ("户口簿", "户口簿（复印件）", "impl/330106/11330106003055939P5000502001000.yaml"),
    ("户口簿", "户口薄", "base/000502002000.yaml"),  # only similarity finds it: not a synonym
}


def test_duplicates_are_exactly_the_planted_clusters(report: ProofReport) -> None:
    assert [c.canonical for c in report.duplicates] == ["居民身份证", "营业执照", "户口簿"]
    assert all(c.in_dictionary for c in report.duplicates)
    assert all(DuplicateKind.NAME_VARIANCE in c.kinds for c in report.duplicates)
    assert not any(c.repeated_in for c in report.duplicates)


def test_duplicates_list_every_planted_variant_and_no_other(report: ProofReport) -> None:
    found = {(c.canonical, r.material, r.file) for c in report.duplicates for r in c.refs}
    assert found == PLANTED_VARIANTS


def test_reverse_synonym_is_in_the_business_licence_cluster(report: ProofReport) -> None:
    # The implementation writes the standard name where its base writes the synonym 工商营业执照.
    licence = next(c for c in report.duplicates if c.canonical == "营业执照")
    places = {(r.file, r.material) for r in licence.places}
    assert ("impl/330100/11330100002054555J3000110002000.yaml", "营业执照") in places
    assert ("base/000110002000.yaml", "工商营业执照") in places
    # Only the synonym is a place to fix: the implementation already writes the standard name.
    assert ("base/000110002000.yaml", "工商营业执照") in {(r.file, r.material) for r in licence.refs}
    assert all(r.material != "营业执照" for r in licence.refs)


def test_the_misspelt_household_register_is_joined_by_similarity(report: ProofReport) -> None:
    register = next(c for c in report.duplicates if c.canonical == "户口簿")
    assert {s.b for s in register.similar} == {"户口薄"}
    assert all(s.rule.value == "one-character" for s in register.similar)


def test_proofs_asked_by_several_matters_under_one_name_only_on_request() -> None:
    wide = analyse(open_snapshot(CATALOG), ProofOptions(sections=frozenset({Section.duplicates}), several_matters=2))
    names = {c.canonical for c in wide.duplicates}
    assert {"居民身份证", "营业执照", "户口簿"} < names
    uniform = [c for c in wide.duplicates if DuplicateKind.NAME_VARIANCE not in c.kinds]
    assert uniform and all(c.kinds == (DuplicateKind.SEVERAL_MATTERS,) for c in uniform)


# -- 2. 循环证明 ------------------------------------------------------------------------------------------------


def test_exactly_one_cycle(report: ProofReport) -> None:
    assert len(report.cycles) == 1
    cycle = report.cycles[0]
    assert cycle.matters == ("002001001000", "333101001000")
    assert [(s.matter, s.proof, s.issued_by) for s in cycle.steps] == [
        ("002001001000", "居住证明", "333101001000"),
        ("333101001000", "无犯罪记录证明", "002001001000"),
    ]
    assert cycle.path() == (
        "002001001000「无犯罪记录证明开具」 —居住证明→ 333101001000「居住证明开具」 —无犯罪记录证明→ "
        "002001001000「无犯罪记录证明开具」"
    )
    files = {r.file for s in cycle.steps for r in s.refs}
    assert files == {
        "base/002001001000.yaml",
        "impl/330106/11330106003042839L4002001001000.yaml",
        "base/333101001000.yaml",
        "impl/330106/11330106003042839L4333101001000.yaml",
    }


# -- 3. 可共享证明 ----------------------------------------------------------------------------------------------

PLANTED_SHAREABLE = {
    ("杭州市公安局西湖区分局", "居住证明", "impl/330106/11330106003042839L4002001001000.yaml"),
    ("杭州市公安局西湖区分局", "户口簿", "impl/330106/11330106003042839L4002001003000.yaml"),
    ("杭州市公安局西湖区分局", "无犯罪记录证明", "impl/330106/11330106003042839L4333101001000.yaml"),
    ("杭州市公安局西湖区分局", "户口簿", "impl/330106/1133010600304414894000502001000.yaml"),
    ("杭州市公安局西湖区分局", "【户口簿】", "impl/330106/1133010600304414894000702001000.yaml"),
    ("杭州市公安局西湖区分局", "户口注销证明", "impl/330106/11330106003045458J4002003005000.yaml"),
    ("杭州市公安局西湖区分局", "户口簿", "impl/330106/11330106003049387R4002006001000.yaml"),
    ("杭州市公安局西湖区分局", "无犯罪记录证明", "impl/330106/1133010600305331954000110001000.yaml"),
    ("杭州市市场监督管理局", "营业执照", "impl/330100/11330100002041455F3000111001000.yaml"),
    ("杭州市市场监督管理局", "营业执照", "impl/330100/11330100002041455F3000112001000.yaml"),
    ("杭州市市场监督管理局", "营业执照", "impl/330100/11330100002050626B3000107001000.yaml"),
    ("杭州市西湖区人力资源和社会保障局", "失业登记证明", "impl/330106/11330106003045458J4000503001000.yaml"),
    ("杭州市西湖区市场监督管理局", "营业执照", "impl/330106/11330106003041529B4000111001000.yaml"),
    ("杭州市西湖区市场监督管理局", "营业执照副本复印件", "impl/330106/11330106003052009U4000109001000.yaml"),
    ("杭州市西湖区民政局", "结婚证", "impl/330106/11330106003042839L4000101002000.yaml"),
    ("杭州市西湖区民政局", "结婚证", "impl/330106/11330106003042839L4000701001000.yaml"),
    ("杭州市规划和自然资源局", "不动产权证书", "impl/330100/1133010000204669403000104001000.yaml"),
    ("杭州市规划和自然资源局", "建设工程规划许可证", "impl/330100/11330100002049318Q3000106001000.yaml"),
    ("杭州市规划和自然资源局西湖分局", "不动产权证书", "impl/330106/11330106003046768U4000104001000.yaml"),
    ("杭州市规划和自然资源局西湖分局", "建设工程规划许可证", "impl/330106/11330106003049387R4000106001000.yaml"),
}


def test_shareable_proofs_are_exactly_the_planted_ones_grouped_by_issuer(report: ProofReport) -> None:
    found = {(g.issuer, r.material, r.file) for g in report.shareable for p in g.proofs for r in p.refs}
    assert found == PLANTED_SHAREABLE
    assert all(g.department_kind == "政府部门" for g in report.shareable)
    assert len({g.issuer for g in report.shareable}) == len(report.shareable)  # one group per issuing body


def test_shareable_proofs_show_how_the_proof_list_handles_them(report: ProofReport) -> None:
    modes = {p.name: p.list_mode for g in report.shareable for p in g.proofs}
    assert modes["居住证明"] == "告知承诺"  # kept, and on the 告知承诺目录
    assert modes["无犯罪记录证明"] == "保留"
    assert modes["户口注销证明"] == "数据共享"  # cancelled, replaced by data sharing
    assert modes["户口簿"] is None  # a certificate, on none of the proof lists


# -- 4. 无依据证明 ----------------------------------------------------------------------------------------------


def test_baseless_proofs_are_exactly_the_two_planted(report: ProofReport) -> None:
    found = {(b.name, o.ref.file, o.ref.matter_name) for b in report.baseless for o in b.occurrences}
    assert found == {
        ("亲属关系证明", "base/002003005000.yaml", "参保人员因病或者非因工死亡丧葬补助金、抚恤金申领"),
        ("无房产证明", "base/002006001000.yaml", "公共租赁住房保障资格申请"),
    }
    assert all({r.value for r in b.reasons} == {"no-basis", "not-listed"} for b in report.baseless)


# -- the command ------------------------------------------------------------------------------------------------


def test_command_json_counts_match_the_readme() -> None:
    result = runner.invoke(app, ["proofs", str(CATALOG), "--format", "json", "--jobs", "1", "--no-cache"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output)["summary"]
    assert (summary["duplicates"], summary["cycles"], summary["shareable"], summary["baseless"]) == (3, 1, 12, 2)


def test_readme_names_every_file_the_findings_name(report: ProofReport) -> None:
    readme = (CATALOG / "README.md").read_text(encoding="utf-8")
    for _, _, file in PLANTED_VARIANTS | PLANTED_SHAREABLE:
        assert file in readme


# -- 5. 证明事项审查 ------------------------------------------------------------------------------------------------


REVIEW_RULES = {"proof-basis-rank", "proof-list-mismatch", "community-proof", "pledge-scope"}


def test_review_shows_what_validate_finds_with_every_place(report: ProofReport) -> None:
    """The review section and the four rules decide alike: same (rule, file, severity) and as many places on the
    embedded catalogue (catalog/README.md, 6); a place's line is its material's 材料名称 (validate points at the
    element at fault: 设定依据, 出具单位 …)."""
    from mattercli.check.engine import ValidateOptions, validate

    found = validate([CATALOG], ValidateOptions(cache=False))
    expected = sorted((f.rule, f.file, f.severity.value) for f in found.findings if f.rule in REVIEW_RULES)
    got = sorted((r.rule, ref.file, r.severity) for r in report.review for ref in r.refs)
    assert got == expected
    assert all(ref.line for r in report.review for ref in r.refs)
    assert report.count(Section.review) == 5  # grouped by problem
    rank = next(r for r in report.review if r.rule == "proof-basis-rank" and r.severity == "error")
    assert rank.proof == "无犯罪记录证明" and len(rank.refs) == 5 and "规范性文件" in rank.message
    mismatch = next(r for r in report.review if r.rule == "proof-list-mismatch")
    (ref,) = mismatch.refs
    assert ref.matter_code == "11330100002045384N3002003005000" and ref.material == "户口注销证明"


def test_review_alone_from_the_command_line() -> None:
    result = runner.invoke(app, ["proofs", str(CATALOG), "--kind", "review", "--format", "json", "--no-cache"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["review"] == 5 and doc["baseless"] is None
    assert {r["rule"] for r in doc["review"]} == REVIEW_RULES
