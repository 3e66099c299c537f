"""The embedded catalogue passes every check except the problems planted in its README: one 只减不增 error and the
证明事项 review (proof-basis-rank, proof-list-mismatch, community-proof, pledge-scope) and one 一件事 problem."""

from __future__ import annotations

from pathlib import Path

from mattercli.check.engine import validate

CATALOG = Path(__file__).parent.parent / "catalog"
PLANTED_FILE = "impl/330106/11330106003041529B4000111001000.yaml"


#: (rule, file, severity) of every planted proof-review finding (catalog/README.md, 6).
PLANTED_PROOF_REVIEW = {
    ("proof-basis-rank", "base/000110001000.yaml", "error"),
    ("proof-basis-rank", "base/333101001000.yaml", "error"),
    ("proof-basis-rank", "impl/330106/11330106003042839L4333101001000.yaml", "error"),
    ("proof-basis-rank", "impl/330106/1133010600305331954000110001000.yaml", "error"),
    ("proof-basis-rank", "registry/proofs-kept.yaml", "error"),
    ("proof-basis-rank", "registry/proofs-kept.yaml", "warning"),
    ("proof-list-mismatch", "impl/330100/11330100002045384N3002003005000.yaml", "error"),
    ("community-proof", "base/002003005000.yaml", "error"),
    ("pledge-scope", "impl/330106/11330106003042839L4002001001000.yaml", "warning"),
}


#: The planted 一件事 problem (catalog/README.md, 7): 企业开办一件事 promises 1 工作日, its two 即办件 members 0.
PLANTED_BUNDLE = {("bundle-time-limit", "bundles/330106-YJS-002.yaml", "error")}


def test_only_the_planted_problems() -> None:
    report = validate([CATALOG])
    readme = (CATALOG / "README.md").read_text(encoding="utf-8")
    only_reduce = [f for f in report.findings if f.rule == "only-reduce"]
    assert [(f.rule, f.file) for f in only_reduce] == [("only-reduce", PLANTED_FILE)]
    assert "经营场所房屋租赁合同" in only_reduce[0].message
    assert PLANTED_FILE in readme
    others = [f for f in report.findings if f.rule != "only-reduce"]
    assert {(f.rule, f.file, f.severity.value) for f in others} == PLANTED_PROOF_REVIEW | PLANTED_BUNDLE
    assert len(others) == len(PLANTED_PROOF_REVIEW) + len(PLANTED_BUNDLE)
    for _, file, _ in PLANTED_PROOF_REVIEW | PLANTED_BUNDLE:
        assert file in readme


def test_the_issue_examples_are_found() -> None:
    """Issue 17: 无犯罪记录证明 kept on a 规范性文件; 户口注销证明 数据共享 yet 申请人自备 and 必要."""
    report = validate([CATALOG])
    rank = [f for f in report.findings if f.rule == "proof-basis-rank" and f.file == "registry/proofs-kept.yaml"]
    assert any("无犯罪记录证明" in f.message and "规范性文件" in f.message for f in rank)
    (mismatch,) = [f for f in report.findings if f.rule == "proof-list-mismatch"]
    assert "户口注销证明" in mismatch.message and "数据共享" in mismatch.message
    assert mismatch.file == "impl/330100/11330100002045384N3002003005000.yaml" and mismatch.line == 38


def test_catalogue_size_and_coverage() -> None:
    report = validate([CATALOG])
    assert report.matters >= 120
    impl_regions = {p.name for p in (CATALOG / "impl").iterdir() if p.is_dir()}
    assert impl_regions == {"330000", "330100", "330106"}
