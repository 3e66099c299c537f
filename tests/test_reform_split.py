"""Issue 22 items 1–2: stats and diff agree on what a change is. A 拆分 (one base → two, its implementation entry →
two, with 拆分自) is 拆分 in stats as in diff — never 取消 — so 精简比例 counts only the real cancellation; a merge
into a matter that keeps its code is 合并, not 合并+调整; stats lists the matters behind each count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import LICENCE, LICENCE_FILE, PENALTY_FILE, XIHU_BUREAU, CatalogRepo, impl_code, impl_yaml
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
