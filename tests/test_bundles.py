"""一件事 on the embedded catalogue: the planted problem is found, and every figure of the three 西湖区 bundles is the
hand-computed value of catalog/README.md (一件事)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mattercli.catalogue.bundles import bundle_report, load_bundles
from mattercli.catalogue.snapshot import open_snapshot
from mattercli.check.engine import validate
from mattercli.model.bundle import Bundle

CATALOG = Path(__file__).parent.parent / "catalog"

#: code -> (members resolved, 减环节, 减材料, 减时限, 减跑动, 减表单), computed by hand from the member files:
#: steps (办理流程), distinct materials, promised working days, visits and 申请表 of each 西湖区 entry.
EXPECTED = {
    # 出生登记 (2 steps; 出生医学证明 居民身份证 户口簿 结婚证; 即办, 0 visits) + 预防接种证办理 (2 steps;
    # 出生医学证明 居民身份证; 即办, 1 visit) -> bundle: 2 steps, 2 materials, 0 days, 0 visits, no form
    "330106-YJS-001": (2, 4 - 2, 4 - 2, 0.0, 1, 0),
    # 企业设立登记 (2 steps, 6 materials incl. 申请书, 即办) + 参保登记 (2 steps, 登记表 居民身份证 营业执照, 即办):
    # 8 distinct (居民身份证 shared) -> 3 steps, 5 materials + 1 form, 1 day (the planted problem), 1 form
    "330106-YJS-002": (2, 4 - 3, 8 - 6, 0.0 - 1.0, 0, 2 - 1),
    # 关系转移接续 (5 steps, 10 days, form) + 参保证明打印 (2 steps, 即办) + 待遇申领 (5 steps, 10 days, form):
    # 5 distinct materials -> 5 steps, 2 materials + 1 form, 15 days, 1 form
    "330106-YJS-003": (3, 12 - 5, 5 - 3, 20.0 - 15.0, 0, 2 - 1),
}


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    snapshot = open_snapshot(CATALOG)
    return bundle_report(snapshot, snapshot.registries().synonyms)


def test_the_embedded_bundles_are_valid_files() -> None:
    loaded = load_bundles(open_snapshot(CATALOG))
    assert [b.file for b in loaded] == [f"bundles/{code}.yaml" for code in EXPECTED]
    assert all(isinstance(b.bundle, Bundle) for b in loaded)
    names = [b.bundle.name for b in loaded if b.bundle]
    assert names == ["新生儿出生一件事", "企业开办一件事", "退休一件事"]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_figures_match_the_hand_computed_values(report, code: str) -> None:  # type: ignore[no-untyped-def]
    figures = report.by_code()[code]
    resolved, steps, materials, days, visits, forms = EXPECTED[code]
    assert figures.resolved == resolved == len(figures.members) and figures.complete
    assert figures.reductions() == {
        "减环节": steps,
        "减材料": materials,
        "减时限": days,
        "减跑动": visits,
        "减表单": forms,
    }


def test_totals(report) -> None:  # type: ignore[no-untyped-def]
    assert report.totals.as_dict() == {
        "一件事数": 3,
        "涉及事项数": 7,
        "涉及不同事项数": 7,
        "减环节": 2 + 1 + 7,
        "减材料": 2 + 2 + 2,
        "减时限": 0.0 - 1.0 + 5.0,
        "减跑动": 1,
        "减表单": 0 + 1 + 1,
    }


def test_members_resolve_to_the_district_entries(report) -> None:  # type: ignore[no-untyped-def]
    members = report.by_code()["330106-YJS-003"].members
    assert members == (
        ("002003002000", "城镇职工基本养老保险关系转移接续", "11330106003045458J4002003002000"),
        ("333103002000", "个人参保证明打印", "11330106003045458J4333103002000"),
        ("002003003000", "城镇职工基本养老保险待遇申领", "11330106003045458J4002003003000"),
    )


def test_shared_materials_are_the_ones_the_bundle_asks_once(report) -> None:  # type: ignore[no-untyped-def]
    shared = {code: [(name, members) for _key, name, members in f.shared] for code, f in report.by_code().items()}
    assert shared["330106-YJS-001"] == [
        ("出生医学证明", ("000701001000", "002009002000")),
        ("居民身份证", ("000701001000", "002009002000")),
    ]
    # 企业设立登记 writes 居民身份证复印件: the proof normaliser makes it the same material
    assert shared["330106-YJS-002"] == [("居民身份证复印件", ("000111003000", "002003001000"))]


def test_the_planted_bundle_problem_is_found() -> None:
    report = validate([CATALOG])
    found = [f for f in report.findings if f.rule.startswith("bundle-")]
    assert [(f.rule, f.file, f.line) for f in found] == [("bundle-time-limit", "bundles/330106-YJS-002.yaml", 38)]
    assert "1工作日" in found[0].message and "0 个工作日" in found[0].message
    assert found[0].code == "330106-YJS-002" and found[0].name == "企业开办一件事"
    readme = (CATALOG / "README.md").read_text(encoding="utf-8")
    assert "bundles/330106-YJS-002.yaml" in readme and "bundle-time-limit" in readme
