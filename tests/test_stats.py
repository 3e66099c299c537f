"""Every stats figure on the hand-made two-commit catalogue of stats_fixture.py, with the expected numbers worked
out by hand from the table in that module's docstring (wd = working days; 90 自然日 = 450/7 wd)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from mattercli.catalogue.snapshot import GitSnapshot, WorktreeSnapshot, open_snapshot
from mattercli.diff.actions import fates
from mattercli.stats import cache as stats_cache
from mattercli.stats.cache import RecordCache, load_records
from mattercli.stats.model import Change, StatsError, parse_filters, region_prefix
from mattercli.stats.records import IMPLEMENTATION, MatterRecord
from mattercli.stats.run import FIGURES, Measure, StatsReport, build_report, compute_stats, load_inputs
from stats_fixture import B1, B2, MINI, C, M, P, S, git, impl_code, make_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("stats") / "catalog")


@pytest.fixture(scope="module")
def report(repo: Path) -> StatsReport:
    return compute_stats(repo, baseline="v1")


def now(report: StatsReport, figure: str) -> float | int | None:
    measure = report.value(figure).current
    assert measure is not None
    return measure.value


def then(report: StatsReport, figure: str) -> float | int | None:
    measure = report.value(figure).baseline
    assert measure is not None
    return measure.value


def test_counts_now_and_at_baseline(report: StatsReport) -> None:
    # v2: I1 I2 I6 I7 I9 (I10 暂停, broken.yaml fails the schema); v1: I1 I2 I3 I4 I5 I8 I10 (I11 已取消)
    assert (now(report, "impl_count"), then(report, "impl_count")) == (5, 7)
    # v2: B1 B5 B8 (B2 暂停); v1: B1 B2 B3 B4 B6 (B9 已取消)
    assert (now(report, "base_count"), then(report, "base_count")) == (3, 5)


def test_what_became_of_each_baseline_entry(report: StatsReport) -> None:
    # I3 cancelled, I4 delegated (地市级 330100 -> I6 区县级 330108), I5 merged (B4 -> B5, I7 in 330106),
    # I8 renumbered (I9 原事项编码), I10 suspended; I6 I7 I9 added.
    impl = {
        f: now(report, f"impl_{f}") for f in ("cancelled", "delegated", "merged", "renumbered", "suspended", "added")
    }
    assert impl == {"cancelled": 1, "delegated": 1, "merged": 1, "renumbered": 1, "suspended": 1, "added": 3}
    assert now(report, "impl_reduction_ratio") == pytest.approx(1 / 7)
    base = {f: now(report, f"base_{f}") for f in ("cancelled", "merged", "renumbered", "suspended", "added")}
    assert base == {"cancelled": 1, "merged": 1, "renumbered": 1, "suspended": 1, "added": 2}
    assert now(report, "base_reduction_ratio") == pytest.approx(1 / 5)
    ratio = report.value("impl_reduction_ratio").current
    assert ratio is not None and (ratio.numerator, ratio.denominator) == (1, 7)


@pytest.mark.parametrize("kind", ["impl", "base"])
def test_baseline_minus_gone_plus_added_is_current(report: StatsReport, kind: str) -> None:
    gone = sum(
        now(report, f"{kind}_{c}") or 0
        for c in ("cancelled", "delegated", "merged", "split", "renumbered", "suspended")
        if f"{kind}_{c}" in {v.figure.id for v in report.figures}
    )
    assert then(report, f"{kind}_count") - gone + now(report, f"{kind}_added") == now(report, f"{kind}_count")  # type: ignore[operator]


def test_materials(report: StatsReport) -> None:
    # v2: I1 1 + I2 0 + I6 2 + I7 2 + I9 0 = 5; v1: 3 + 0 + 2 + 2 + 1 + 0 + 1 = 9
    assert (now(report, "materials_total"), then(report, "materials_total")) == (5, 9)
    assert now(report, "materials_per_matter") == pytest.approx(5 / 5)
    assert then(report, "materials_per_matter") == pytest.approx(9 / 7)
    # kept entries I1 (3 -> 1) and I2 (0 -> 0): 2 fewer of 3
    assert now(report, "materials_reduced") == 2
    assert now(report, "materials_reduction_ratio") == pytest.approx(2 / 3)


def test_proofs(report: StatsReport) -> None:
    # v1 asks 从业人员健康证明 (I1), 无犯罪记录证明 (I3), 居住证明 (I10); v2 only 居住证明 (I7)
    assert (now(report, "proofs_distinct"), then(report, "proofs_distinct")) == (1, 3)
    assert now(report, "proofs_cancelled") == 2


def measure(report: StatsReport, figure: str, side: str = "current") -> Measure:
    value = getattr(report.value(figure), side)
    assert value is not None
    return value


def fraction(report: StatsReport, figure: str, side: str = "current") -> tuple[object, object]:
    m = measure(report, figure, side)
    return (m.numerator, m.denominator)


def test_time_limits(report: StatsReport) -> None:
    # Only 依申请 entries are timed (I2 and I10 are 行政处罚: no 承诺办结时限).
    # v2: I1 20/1, I6 20/0 (即办), I7 20/10 -> legal 60, promised 11 over 3
    assert now(report, "legal_days_total") == pytest.approx(60)
    assert now(report, "promised_days_total") == pytest.approx(11)
    assert now(report, "legal_days_mean") == pytest.approx(20)
    assert now(report, "promised_days_mean") == pytest.approx(11 / 3)
    assert now(report, "time_compression") == pytest.approx(1 - 11 / 60)
    assert fraction(report, "time_compression") == (pytest.approx(11), pytest.approx(60))
    # mean of per-matter ratios: (1 − 1/20) + (1 − 0/20) + (1 − 10/20) = 0.95 + 1 + 0.5 = 2.45 over 3
    assert fraction(report, "time_compression_mean") == (pytest.approx(2.45), 3)
    assert now(report, "time_compression_mean") == pytest.approx(2.45 / 3)
    # v1: I1 20/5, I3 20/10, I4 20/0, I5 30/15 -> legal 90, promised 30 (I8 has no limits)
    assert then(report, "legal_days_total") == pytest.approx(90)
    assert then(report, "promised_days_total") == pytest.approx(30)
    assert then(report, "time_compression") == pytest.approx(2 / 3)
    # 0.75 + 0.5 + 1 + 0.5 = 2.75 over 4: the two ways give 66.7% and 68.75%
    assert fraction(report, "time_compression_mean", "baseline") == (pytest.approx(2.75), 4)
    assert measure(report, "legal_days_mean", "baseline").denominator == 4


def test_service_shares_count_only_matters_applied_for(report: StatsReport) -> None:
    # v2 依申请: I1 I6 I7 (I2 行政处罚, I9 行政检查 are 依职权); v1: I1 I3 I4 I5 (I2 I10 处罚, I8 检查)
    assert (now(report, "apply_count"), then(report, "apply_count")) == (3, 4)
    assert (now(report, "ex_officio_count"), then(report, "ex_officio_count")) == (2, 3)
    assert fraction(report, "immediate_share") == (1, 3)  # I6
    assert fraction(report, "immediate_share", "baseline") == (1, 4)  # I4
    assert fraction(report, "zero_visit_share") == (2, 3)  # I1 I6 (I2 has no 到办事现场次数 now)
    assert fraction(report, "zero_visit_share", "baseline") == (2, 4)  # I1 I4
    assert fraction(report, "max_one_visit_share") == (3, 3)
    assert fraction(report, "max_one_visit_share", "baseline") == (3, 4)  # all but I3 (2 visits)
    assert fraction(report, "full_online_share") == (2, 3)  # I1 I6
    assert fraction(report, "full_online_share", "baseline") == (2, 4)  # I1 I4
    for figure in ("immediate_share", "zero_visit_share", "max_one_visit_share", "full_online_share"):
        assert report.value(figure).figure.population == "依申请的实施清单事项(事项状态为在用)"
    assert (now(report, "fee_count"), then(report, "fee_count")) == (1, 1)  # I6; I4
    assert fraction(report, "fee_share") == (1, 5)  # over every implementation entry


def test_controllable_shares_leave_out_the_declared_unsuitable(report: StatsReport) -> None:
    # I7 declares 跑零次 and 网上办理 unsuitable: the 可控事项 are I1 I6 for those two, all three for 即办
    assert fraction(report, "zero_visit_share_controllable") == (2, 2)
    assert fraction(report, "full_online_share_controllable") == (2, 2)
    assert fraction(report, "immediate_share_controllable") == (1, 3)
    assert fraction(report, "zero_visit_share_controllable", "baseline") == (2, 4)  # v1 declares nothing


def test_case_volume_weighted_shares(report: StatsReport) -> None:
    # 2025 (the latest year): I1 300 (file), I6 100 (file), I7 50 (registry) -> 450, coverage 3/3
    assert report.volume_basis.year == 2025
    assert now(report, "volume_total") == 450
    assert fraction(report, "volume_coverage") == (3, 3)
    assert fraction(report, "immediate_share_weighted") == (100, 450)  # I6
    assert fraction(report, "zero_visit_share_weighted") == (400, 450)  # I1 I6
    assert fraction(report, "max_one_visit_share_weighted") == (450, 450)
    assert fraction(report, "full_online_share_weighted") == (400, 450)  # I1 I6
    assert now(report, "zero_visit_share_weighted") == pytest.approx(400 / 450)
    # v1 has no 办件量 for 2025: withheld, with the reason
    old = measure(report, "zero_visit_share_weighted", "baseline")
    assert old.value is None and old.note is not None and "0/4" in old.note


def test_weighted_shares_are_withheld_when_volumes_cover_too_few(repo: Path) -> None:
    # 2024: only I7 (registry) has a volume: 1 of 3 依申请 entries < 80%
    report = compute_stats(repo, volume_year=2024)
    m = measure(report, "zero_visit_share_weighted")
    assert m.value is None and (m.numerator, m.denominator) == (0, 40)
    assert m.note == "2024 年度办件量只覆盖 1/3 项依申请事项,不足 80%,不给出加权比例"
    assert fraction(report, "volume_coverage") == (1, 3)
    # a lower bar gives the number: I7 has a visit, so 0 of 40 cases were zero-visit
    lenient = compute_stats(repo, volume_year=2024, min_volume_coverage=0.3)
    assert now(lenient, "zero_visit_share_weighted") == 0
    with pytest.raises(StatsError, match="没有 2023 年度的办件量"):
        compute_stats(repo, volume_year=2023)


def test_net_and_streamlined_reduction(report: StatsReport) -> None:
    # implementation: 7 在用 at v1 (I1 I2 I3 I4 I5 I8 I10), 5 now (I1 I2 I6 I7 I9) -> net (7 − 5) / 7
    assert fraction(report, "impl_net_reduction_ratio") == (2, 7)
    # 取消 I3 + 下放 I4 + 合并 I5 = 3 of 7 (改码 I8 and 暂停 I10 are not reductions of this kind)
    assert fraction(report, "impl_streamlined_ratio") == (3, 7)
    assert fraction(report, "impl_reduction_ratio") == (1, 7)
    # base: 5 在用 at v1 (B1 B2 B3 B4 B6), 3 now (B1 B5 B8) -> net 2/5; 取消 B3 + 合并 B4 = 2/5
    assert fraction(report, "base_net_reduction_ratio") == (2, 5)
    assert fraction(report, "base_streamlined_ratio") == (2, 5)


def test_breakdown_by_handling_nature(repo: Path) -> None:
    report = compute_stats(repo, baseline="v1", by=["办理性质"])
    (nature,) = [b for b in report.breakdowns if b.dimension == "nature"]
    assert nature.full and [g.key for g in nature.groups] == ["依申请", "依职权"]
    applied, ex_officio = nature.groups
    assert applied.value("impl_count").current.value == 3  # type: ignore[union-attr]
    assert ex_officio.value("impl_count").current.value == 2  # type: ignore[union-attr]
    assert ex_officio.value("zero_visit_share").current.value is None  # type: ignore[union-attr]
    assert compute_stats(repo, where=["办理性质=依职权"]).value("impl_count").current.value == 2  # type: ignore[union-attr]


def test_every_figure_is_computed_and_says_where_from(report: StatsReport, repo: Path) -> None:
    v1 = git(repo, "rev-parse", "v1")
    assert {v.figure.id for v in report.figures} == {f.id for f in FIGURES}
    assert report.baseline is not None and report.baseline.commit == v1
    assert report.baseline.label == f"v1({v1[:10]})"
    assert report.current.label == "工作区" and report.current.commit is None
    assert report.current.head == git(repo, "rev-parse", "HEAD")
    for v in report.figures:
        if v.figure.needs_baseline:
            assert v.current_from == (report.baseline.label, "工作区") and v.baseline is None
        else:
            assert v.current_from == ("工作区",) and v.baseline_from == (report.baseline.label,)


def test_without_baseline_only_state_figures(repo: Path) -> None:
    report = compute_stats(repo)
    assert report.baseline is None
    assert {v.figure.id for v in report.figures} == {f.id for f in FIGURES if not f.needs_baseline}
    assert all(v.baseline is None for v in report.figures)


def test_rev_reads_a_commit_without_checkout(repo: Path, report: StatsReport) -> None:
    old = compute_stats(repo, rev="v1")
    v1 = git(repo, "rev-parse", "v1")
    assert old.current.commit == v1 and old.current.label == f"v1({v1[:10]})" and old.current.head is None
    for v in old.figures:
        then = report.value(v.figure.id).baseline
        if v.figure.id.endswith("_weighted"):  # v1 has no 办件量: withheld either way (the notes name the year)
            assert then is not None and v.current is not None and then.value is None and v.current.value is None
        elif v.figure.id not in ("volume_total", "volume_coverage"):
            assert v.current == then, v.figure.id


def test_reproducible_drops_the_head(repo: Path) -> None:
    assert compute_stats(repo, with_head=False).current.head is None


def test_schema_failures_are_left_out_and_listed(report: StatsReport) -> None:
    assert report.skipped == {"current": ("impl/330106/broken.yaml",), "baseline": ()}


def test_where_department(repo: Path) -> None:
    report = compute_stats(repo, baseline="v1", where=["部门=杭州市西湖区市场监督管理局"])
    # M: v1 I1 I2 I5, v2 I1 I2 I7; I5 merged, I7 added; no base entry has M as 主管部门
    assert (now(report, "impl_count"), then(report, "impl_count")) == (3, 3)
    assert (now(report, "impl_merged"), now(report, "impl_added"), now(report, "impl_cancelled")) == (1, 1, 0)
    assert (now(report, "base_count"), then(report, "base_count")) == (0, 0)
    assert now(report, "base_reduction_ratio") is None  # no baseline base entries: undefined, not 0


def test_where_region_matches_regions_inside(repo: Path) -> None:
    city = compute_stats(repo, baseline="v1", where=["区划=330100"])
    # 330100 covers 330106 and 330108 too: all implementation entries
    assert (now(city, "impl_count"), then(city, "impl_count")) == (5, 7)
    assert (now(city, "base_count"), then(city, "base_count")) == (0, 0)  # base entries have no region
    county = compute_stats(repo, baseline="v1", where=["行政区划代码=330108"])
    assert (now(county, "impl_count"), then(county, "impl_count"), now(county, "impl_added")) == (1, 0, 1)


def test_where_type_and_level_combine(repo: Path) -> None:
    licences = compute_stats(repo, baseline="v1", where=["事项类型=行政许可"])
    assert (now(licences, "impl_count"), then(licences, "impl_count")) == (3, 4)  # I1 I6 I7; I1 I3 I4 I5
    assert (now(licences, "base_count"), then(licences, "base_count")) == (2, 3)  # B1 B5; B1 B3 B4
    city_licences = compute_stats(repo, baseline="v1", where=["类型=01", "层级=地市级"])
    # I3 (cancelled) and I4 (delegated); bases listing 地市级: B1 and B3
    assert then(city_licences, "impl_count") == 2 and now(city_licences, "impl_count") == 0
    assert (now(city_licences, "impl_cancelled"), now(city_licences, "impl_delegated")) == (1, 1)
    assert (now(city_licences, "base_count"), then(city_licences, "base_count")) == (1, 2)
    both = compute_stats(repo, where=["区划=330108", "区划=330100"])
    assert now(both, "impl_count") == 5


@pytest.mark.parametrize(
    "expression", ["部门", "颜色=红", "事项类型=许可", "层级=5级", "区划=3301", "区划=杭州", "部门="]
)
def test_bad_filters_are_refused(expression: str) -> None:
    with pytest.raises(StatsError):
        parse_filters([expression])


def test_breakdown_by_region_carries_every_figure(repo: Path) -> None:
    report = build_report(load_inputs(repo, baseline="v1"), by=["region"])
    region = next(b for b in report.breakdowns if b.dimension == "region")
    assert region.full and [g.key for g in region.groups] == ["330106", "330100", "330108"]
    city = region.groups[1]
    assert city.label == "杭州市"
    values = {v.figure.id: v for v in city.values}
    assert values["impl_count"].current.value == 0 and values["impl_count"].baseline.value == 3  # type: ignore[union-attr]
    for figure, expected in (("impl_cancelled", 1), ("impl_delegated", 1), ("impl_suspended", 1)):
        assert values[figure].current.value == expected  # type: ignore[union-attr]
    assert "base_count" not in values  # base entries have no region
    others = {b.dimension: b for b in report.breakdowns if b.dimension != "region"}
    assert all(not b.full and b.figure_ids == ("impl_count", "base_count") for b in others.values())


def test_breakdown_by_level_counts_a_base_entry_once_per_level(repo: Path) -> None:
    report = compute_stats(repo)
    level = next(b for b in report.breakdowns if b.dimension == "level")
    counts = {g.key: (g.value("impl_count").current.value, g.value("base_count").current.value) for g in level.groups}  # type: ignore[union-attr]
    # B1 lists 地市级 and 区县级, B5 and B8 区县级; every v2 implementation entry is 区县级
    assert counts == {"地市级": (0, 1), "区县级": (5, 3)}


def test_unknown_dimension_is_refused(repo: Path) -> None:
    with pytest.raises(StatsError):
        compute_stats(repo, by=["colour"])


# -- the classification on its own ----------------------------------------------------------------------------


def record(code: str, basic: str, level: str, region: str, **extra: object) -> MatterRecord:
    fields: dict[str, object] = {
        "file": f"{code}.yaml", "kind": IMPLEMENTATION, "code": code, "basic_code": basic, "name": code,
        "type": "行政许可", "status": "在用", "department": "d", "region": region, "levels": (level,),
        "materials": (), "legal_days": None, "promised_days": None, "immediate": False, "visits": 0,
        "full_online": False, "charges_fee": False, "merged_from": (), "previous_codes": (),
    }  # fmt: skip
    fields.update(extra)
    return MatterRecord(**fields)  # type: ignore[arg-type]


def test_delegation_needs_a_lower_level_inside_the_region() -> None:
    city = record(impl_code(C, "地市级", B1), B1, "地市级", "330100")
    kept_county = record(impl_code(M, "区县级", B1), B1, "区县级", "330106")
    elsewhere = record(impl_code(S, "区县级", B1), B1, "区县级", "330206")  # 宁波: not inside 杭州
    same_level = record(impl_code(P, "地市级", B1), B1, "地市级", "330100")
    assert fates([city, kept_county], [kept_county, elsewhere])[city.code] is Change.CANCELLED
    assert fates([city], [same_level])[city.code] is Change.CANCELLED
    # An existing county entry that names the city entry in 原事项编码 takes it over: delegated
    takes_over = record(kept_county.code, B1, "区县级", "330106", previous_codes=(city.code,))
    assert fates([city, kept_county], [takes_over])[city.code] is Change.DELEGATED
    # The same at the same level is a renumbering
    renumbered = record(same_level.code, B1, "地市级", "330100", previous_codes=(city.code,))
    assert fates([city], [renumbered])[city.code] is Change.RENUMBERED


def test_merge_named_in_the_implementation_entry() -> None:
    old = record(impl_code(M, "区县级", B1), B1, "区县级", "330106")
    new = record(impl_code(M, "区县级", B2), B2, "区县级", "330106", merged_from=(old.code,))
    cancelled = record(old.code, B1, "区县级", "330106", status="已取消")
    assert fates([old], [new, cancelled]) == {old.code: Change.MERGED}


def test_region_prefix() -> None:
    assert [region_prefix(c) for c in ("330000", "330100", "330106")] == ["33", "3301", "330106"]


@pytest.mark.parametrize("rev", [None, "v1"])
def test_worker_processes_read_the_same_records(repo: Path, rev: str | None) -> None:
    snapshot = open_snapshot(repo, rev)
    try:
        synonyms = snapshot.registries().synonyms
        alone = load_records(snapshot, synonyms, RecordCache(None, synonyms), jobs=1)
        workers = load_records(snapshot, synonyms, RecordCache(None, synonyms), jobs=2, parallel_from=0)
    finally:
        if isinstance(snapshot, GitSnapshot):
            snapshot.repo.close()
    assert workers == alone and len(alone.records) >= 10


def test_records_share_their_equal_parts(repo: Path) -> None:
    inputs = load_inputs(repo, baseline="v1", use_cache=False)
    records = [*inputs.current_records, *(inputs.baseline_records or ())]
    parts = [p for r in records for p in (r.name, r.department, r.type, r.status, r.levels, *r.materials)]
    assert len(parts) > 50
    for part in parts:
        assert all(other is part for other in parts if type(other) is type(part) and other == part)


class ReadCountingSnapshot(WorktreeSnapshot):
    """The work tree, counting the files read so far."""

    reads = 0

    def read(self, rel: str) -> bytes | None:
        self.reads += 1
        return super().read(rel)


class StoreWatchingCache(RecordCache):
    """A cache (no database) noting, each time parsed records arrive, how many files have been read beyond them."""

    def __init__(self, snapshot: ReadCountingSnapshot) -> None:
        super().__init__(None, {})
        self.snapshot = snapshot
        self.stored = 0
        self.ahead: list[int] = []

    def store(self, items: Iterable[tuple[str, MatterRecord | None]]) -> None:
        batch = list(items)
        self.stored += len(batch)
        self.ahead.append(self.snapshot.reads - self.stored)
        super().store(batch)


def test_files_stream_through_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small batches, so that a few hundred files show what a province's catalogue would: files are read only a
    # bounded number of chunks ahead of the parsed ones — never the whole catalogue before the first is parsed.
    monkeypatch.setattr(stats_cache, "CHUNK", 8)
    monkeypatch.setattr(stats_cache, "READ_BATCH", 16)
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    folder = root / "impl" / "330106"
    raw = (folder / "1133010600250001784000104001000.yaml").read_bytes()
    for i in range(300):  # each a content of its own: a blob is parsed once
        (folder / f"copy-{i:03d}.yaml").write_bytes(raw + f"# copy {i}\n".encode())
    snapshot = ReadCountingSnapshot(root)
    cache = StoreWatchingCache(snapshot)
    loaded = load_records(snapshot, {}, cache, jobs=2, parallel_from=16)
    assert len(loaded.records) == 304 and not loaded.skipped and snapshot.reads == cache.stored == 304
    assert len(cache.ahead) == 38  # one store per chunk parsed
    assert max(cache.ahead) <= 16 + (stats_cache.IN_FLIGHT_PER_JOB * 2 + 1) * 8


def test_the_cache_gives_the_same_figures_and_survives_garbage(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "catalog")
    cold = compute_stats(repo, baseline="v1")
    databases = list((repo / ".mattercli-cache").glob("store.sqlite3"))
    assert len(databases) == 1
    warm = compute_stats(repo, baseline="v1")
    assert warm == cold
    # the same content under another name is found by content, and each record names its own file
    original = next(r.file for r in load_inputs(repo).current_records if r.code == impl_code(S, "区县级", B1))
    copy = repo / "impl/330108/copy.yaml"
    copy.write_bytes((repo / original).read_bytes())
    (repo / "impl/330106/broken-copy.yaml").write_bytes((repo / "impl/330106/broken.yaml").read_bytes())
    inputs = load_inputs(repo)
    assert {r.file for r in inputs.current_records if r.code == impl_code(S, "区县级", B1)} == {
        original,
        "impl/330108/copy.yaml",
    }
    assert inputs.skipped["current"] == ("impl/330106/broken-copy.yaml", "impl/330106/broken.yaml")
    copy.unlink()
    (repo / "impl/330106/broken-copy.yaml").unlink()
    for database in databases:
        database.write_bytes(b"not a database" * 100)
    assert compute_stats(repo, baseline="v1") == cold
    uncached = tmp_path / "plain"
    make_repo(uncached)
    assert compute_stats(uncached, baseline="v1", use_cache=False).figures == cold.figures
    assert not (uncached / ".mattercli-cache").exists()


def test_cache_rows_that_do_not_decode_are_misses(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "catalog")
    cold = compute_stats(repo)
    (database,) = (repo / ".mattercli-cache").glob("store.sqlite3")
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE records SET payload = '[1, 2]'")
    conn.close()
    assert compute_stats(repo) == cold
