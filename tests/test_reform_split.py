"""Issue 22 items 1–2: stats and diff agree on what a change is. A 拆分 (one base → two, its implementation entry →
two, with 拆分自) is 拆分 in stats as in diff — never 取消 — so 精简比例 counts only the real cancellation; a merge
into a matter that keeps its code is 合并, not 合并+调整; stats lists the matters behind each count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import (
    LICENCE,
    LICENCE_FILE,
    PENALTY_FILE,
    STREET_OFFICE,
    XIHU_BUREAU,
    CatalogRepo,
    impl_code,
    impl_yaml,
)
from mattercli.cli import app
from mattercli.diff.compare import diff_revisions, summary_text
from mattercli.diff.reform import ReformAction
from mattercli.stats.run import compute_stats

runner = CliRunner()
BASE = "000104001000"
PARTS = ("000104002000", "000104003000")


@pytest.fixture()
def split_repo(tmp_path: Path) -> CatalogRepo:
    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("template")
    repo.git("tag", "v1")
    base_text = repo.read(f"base/{BASE}.yaml")
    repo.delete(f"base/{BASE}.yaml")
    repo.delete(LICENCE_FILE)
    for code, suffix, name in zip(PARTS, "EF", ("食品经营许可(食品销售)", "食品经营许可(餐饮服务)"), strict=True):
        text = base_text.replace(f'基本编码: "{BASE}"', f'基本编码: "{code}"\n拆分自: "{BASE}"')
        repo.write(f"base/{code}.yaml", text.replace("事项名称: 食品经营许可", f"事项名称: {name}"))
        body = (f"杭州市西湖区{name}办事处", XIHU_BUREAU[1][:-1] + suffix)
        impl = impl_code(body, "区县级", code)
        repo.write(f"impl/330106/{impl}.yaml", impl_yaml(name=name, body=body, basic=code, split_from=LICENCE))
    repo.delete(PENALTY_FILE)  # and one real cancellation
    repo.commit("拆分食品经营许可,取消一项处罚")
    return repo


def value(report, figure: str):  # type: ignore[no-untyped-def]
    measure = report.value(figure).current
    return measure.value if measure.numerator is None else (measure.numerator, measure.denominator)


def test_stats_counts_a_split_as_split_not_cancelled(split_repo: CatalogRepo) -> None:
    report = compute_stats(split_repo.catalog, baseline="v1", use_cache=False)
    assert value(report, "impl_split") == 1 and value(report, "impl_cancelled") == 1
    assert value(report, "impl_reduction_ratio") == (1, 2)  # only the penalty; before the fix 2/2
    assert value(report, "base_split") == 1 and value(report, "base_cancelled") == 0
    assert [r.code for r in report.members["impl_split"]] == [LICENCE]
    assert [r.code for r in report.members["base_split"]] == [BASE]


def test_diff_and_stats_name_the_same_matters_split(split_repo: CatalogRepo) -> None:
    diff = diff_revisions(split_repo.catalog, "v1", "HEAD")
    split_sources = sorted(
        r.code for c in diff.changes if ReformAction.SPLIT in c.actions for r in c.old if r.code is not None
    )
    cancelled = sorted(r.code for c in diff.changes if c.actions == (ReformAction.CANCELLED,) for r in c.old)
    report = compute_stats(split_repo.catalog, baseline="v1", use_cache=False)
    stats_split = sorted(r.code for f in ("impl_split", "base_split") for r in report.members[f])
    stats_cancelled = sorted(r.code for f in ("impl_cancelled", "base_cancelled") for r in report.members[f])
    assert split_sources == stats_split == sorted([BASE, LICENCE])
    assert cancelled == stats_cancelled
    assert "拆分 2 项为 4 项" in summary_text(diff.summary)


def test_stats_explain_lists_the_matters_and_json_carries_them(
    split_repo: CatalogRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(split_repo.catalog)
    result = runner.invoke(app, ["stats", "--baseline", "v1", "--no-cache", "--explain", "impl_reduction_ratio"])
    assert result.exit_code == 0, result.output
    assert "计入的事项 (impl_cancelled): 1" in result.stdout and "impl/330106/" in result.stdout
    result = runner.invoke(app, ["stats", "--baseline", "v1", "--no-cache", "--explain", "impl_splt"])
    assert result.exit_code == 2 and "impl_split" in result.stderr
    result = runner.invoke(app, ["stats", "--no-cache", "--explain", "impl_split"])
    assert result.exit_code == 2 and "--baseline" in result.stderr
    result = runner.invoke(app, ["stats", "--baseline", "v1", "--no-cache", "-f", "json"])
    figures = {f["id"]: f for f in json.loads(result.stdout)["figures"]}
    assert [m["code"] for m in figures["impl_split"]["members"]] == [LICENCE]
    assert "members" not in figures["impl_count"]


def test_a_merge_into_a_matter_that_keeps_its_code_is_only_a_merge(tmp_path: Path) -> None:
    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    body = ("杭州市西湖区另一办事处", XIHU_BUREAU[1][:-1] + "H")
    other = impl_code(body, "区县级")
    repo.write(f"impl/330106/{other}.yaml", impl_yaml(body=body))
    repo.commit("two")
    repo.delete(f"impl/330106/{other}.yaml")
    repo.write(LICENCE_FILE, impl_yaml(merged_from=[other]))
    repo.commit("并入")
    (change,) = diff_revisions(repo.catalog, "HEAD~1", "HEAD").changes
    assert change.actions == (ReformAction.MERGED,)  # before: 合并 + 调整 (the 合并自 element)


# --- one classification (mattercli.diff.actions) for diff and stats: the cases they used to disagree on ---------


def _members(report, *figures: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.code for f in figures for r in report.members[f])


def _sources(diff, action: ReformAction) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.code for c in diff.changes if action in c.actions for r in c.old)


def test_a_split_whose_entries_do_not_say_so_is_a_split_in_diff_too(tmp_path: Path) -> None:
    """The implementation entries of a split base, replaced by entries of the products without 拆分自: stats
    counted 拆分 (its region implements a product), diff said 取消 + 新增 ×2 — now both 拆分, the same matters."""
    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("template")
    repo.git("tag", "v1")
    base_text = repo.read(f"base/{BASE}.yaml")
    repo.delete(f"base/{BASE}.yaml")
    repo.delete(LICENCE_FILE)
    for code, suffix, name in zip(PARTS, "EF", ("食品经营许可(食品销售)", "食品经营许可(餐饮服务)"), strict=True):
        text = base_text.replace(f'基本编码: "{BASE}"', f'基本编码: "{code}"\n拆分自: "{BASE}"')
        repo.write(f"base/{code}.yaml", text.replace("事项名称: 食品经营许可", f"事项名称: {name}"))
        body = (f"杭州市西湖区{name}办事处", XIHU_BUREAU[1][:-1] + suffix)
        repo.write(f"impl/330106/{impl_code(body, '区县级', code)}.yaml", impl_yaml(name=name, body=body, basic=code))
    repo.commit("拆分,实施清单未写拆分自")
    diff = diff_revisions(repo.catalog, "v1", "HEAD")
    report = compute_stats(repo.catalog, baseline="v1", use_cache=False)
    assert _sources(diff, ReformAction.SPLIT) == _members(report, "impl_split", "base_split") == sorted([BASE, LICENCE])
    assert not any(ReformAction.ADDED in c.actions or ReformAction.CANCELLED in c.actions for c in diff.changes)
    (impl_split,) = [c for c in diff.changes if c.old[0].code == LICENCE]
    assert len(impl_split.new) == 2  # both products' implementation entries, not 新增


def test_an_entry_of_a_merged_base_is_merged_where_its_region_implements_the_target(tmp_path: Path) -> None:
    """Base A merged into base B (B names A in 合并自); 西湖区's entry of A deleted, its entry of B unchanged: stats
    counted 合并, diff said 取消 (it saw only the deleted file) — now 合并 into the unchanged entry of B."""
    repo = CatalogRepo(tmp_path)
    target = PARTS[0]
    repo.write(LICENCE_FILE, impl_yaml())
    base_text = repo.read(f"base/{BASE}.yaml")
    repo.write(f"base/{target}.yaml", base_text.replace(f'基本编码: "{BASE}"', f'基本编码: "{target}"'))
    body = ("杭州市西湖区另一办事处", XIHU_BUREAU[1][:-1] + "H")
    kept = f"impl/330106/{impl_code(body, '区县级', target)}.yaml"
    repo.write(kept, impl_yaml(body=body, basic=target))
    repo.commit("two bases")
    repo.git("tag", "v1")
    repo.delete(f"base/{BASE}.yaml")
    repo.delete(LICENCE_FILE)
    text = repo.read(f"base/{target}.yaml").replace(
        f'基本编码: "{target}"', f'基本编码: "{target}"\n合并自: ["{BASE}"]'
    )
    repo.write(f"base/{target}.yaml", text)
    repo.commit("合并")
    diff = diff_revisions(repo.catalog, "v1", "HEAD")
    report = compute_stats(repo.catalog, baseline="v1", use_cache=False)
    merged = _members(report, "impl_merged", "base_merged")
    assert merged == sorted([BASE, LICENCE])
    assert sorted(set(_sources(diff, ReformAction.MERGED)) - {target}) == merged  # B itself is the group's survivor
    (impl_merge,) = [c for c in diff.changes if c.old[0].code == LICENCE]
    assert impl_merge.actions == (ReformAction.MERGED,) and impl_merge.new[0].file == kept
    assert _sources(diff, ReformAction.CANCELLED) == _members(report, "impl_cancelled", "base_cancelled") == []


def test_a_delegation_to_a_new_code_is_a_delegation_in_diff_too(tmp_path: Path) -> None:
    """西湖区's entry handed to a 街道 under a new code, no 原事项编码, renamed and rewritten (so neither git's rename
    detection nor a similar name pairs the files): stats said 下放, diff 取消 + 新增 — now 下放 in both."""
    repo = CatalogRepo(tmp_path)
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("county")
    repo.git("tag", "v1")
    repo.delete(LICENCE_FILE)
    street = impl_code(STREET_OFFICE, "乡镇(街道)级")
    repo.write(
        f"impl/330106/{street}.yaml",
        impl_yaml(
            name="街道食品经营许可(小店)",
            body=STREET_OFFICE,
            level="乡镇(街道)级",
            materials=[(f"街道核验材料第{i}项", "申请表") for i in range(1, 16)],
            bases=[("食品经营许可和备案管理办法", f"第{i}条") for i in range(2, 9)],
            promised=(3, "工作日"),
        ),
    )
    repo.commit("下放到街道")
    diff = diff_revisions(repo.catalog, "v1", "HEAD")
    report = compute_stats(repo.catalog, baseline="v1", use_cache=False)
    assert _members(report, "impl_delegated") == [LICENCE] == _sources(diff, ReformAction.DELEGATED)
    (change,) = diff.changes
    assert change.actions[0] is ReformAction.DELEGATED and change.new[0].code == street
