"""Reform statistics of a catalogue (精简比例、最多跑一次占比、时限压缩……), each pinned to the commit it comes from.

`FIGURES` is the one table of definitions: id, names, the population counted, the formula as text and the code
that computes it, side by side, so an auditor can check one against the other. `docs/stats.md` is generated from it
(`python -m mattercli.stats_docs docs/stats.md`; a test fails when the page is stale).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mattercli.regions import region_table
from mattercli.snapshot import GitSnapshot, Snapshot, open_snapshot
from mattercli.stats_model import (
    DIMENSIONS,
    Change,
    Filter,
    Population,
    StatsError,
    apply_filters,
    classify_changes,
    group_keys,
    parse_filters,
    partition,
)
from mattercli.stats_records import MatterRecord, SourceInfo, load_records, source_of

Number = int | float


class Unit(StrEnum):
    COUNT = "count"  # 项 / 种 / 件
    RATIO = "ratio"  # numerator ÷ denominator, shown as a percentage
    DAYS = "days"  # working days (7 自然日 = 5 工作日, 24 小时 = 1 自然日)
    MEAN = "mean"  # per matter


@dataclass(frozen=True, slots=True)
class Measure:
    """A computed figure: `value`, and for ratios and means the numerator and denominator it was divided from."""

    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None


def _count(n: int) -> Measure:
    return Measure(n)


def _ratio(numerator: Number, denominator: Number) -> Measure:
    return Measure(numerator / denominator if denominator else None, numerator, denominator)


def _one_minus(m: Measure) -> Measure:
    return Measure(None if m.value is None else 1 - m.value, m.numerator, m.denominator)


@dataclass(frozen=True, slots=True)
class Comparison:
    """What a change figure sees: the selected baseline and current populations and how every baseline entry of the
    whole catalogue changed."""

    baseline: Population
    current: Population
    changes: dict[str, Change]
    baseline_codes: frozenset[str]  # codes active at the baseline, whole catalogue


# Population descriptions (shown with every figure).
IMPL = "实施清单事项(事项状态为在用)"
BASE = "基本目录事项(事项状态为在用)"
IMPL_BEFORE = "基准版本中在用的实施清单事项"
BASE_BEFORE = "基准版本中在用的基本目录事项"
IMPL_TIMED = "在用的实施清单事项中,有法定办结时限且有承诺时限(承诺办结时限,或即办件 = 0)者"
IMPL_BOTH = "两版均在用(实施编码相同)的实施清单事项"
IMPL_PROOFS = f"{IMPL_BEFORE};当前在用的实施清单事项"
#: The populations in English, for --lang en (the definitions themselves are Chinese, like the element names).
POPULATION_EN = {
    IMPL: "implementation entries (status 在用)",
    BASE: "base entries (status 在用)",
    IMPL_BEFORE: "implementation entries 在用 at the baseline",
    BASE_BEFORE: "base entries 在用 at the baseline",
    IMPL_TIMED: "implementation entries 在用 with a legal and a promised limit (即办件 = 0)",
    IMPL_BOTH: "implementation entries 在用 in both versions (same code)",
    IMPL_PROOFS: "implementation entries 在用 at the baseline; those 在用 now",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One statistic. A state figure (`state`) is computed on one snapshot (and again on the baseline when there is
    one); a change figure (`change`) compares the baseline with the current snapshot."""

    id: str
    name_zh: str
    name_en: str
    kind: str  # the population's entries: "implementation" or "base"
    population: str
    formula: str
    unit: Unit
    state: Callable[[Population], Measure] | None = None
    change: Callable[[Comparison], Measure] | None = None

    @property
    def needs_baseline(self) -> bool:
        return self.change is not None


def _materials(p: Population) -> int:
    return sum(len(r.materials) for r in p.impl)


def _proofs(records: Iterable[MatterRecord]) -> set[str]:
    return {m.key for r in records for m in r.materials if m.is_proof}


def _timed(p: Population) -> list[MatterRecord]:
    return [r for r in p.impl if r.legal_days is not None and r.promised_days is not None]


def _legal_total(p: Population) -> float:
    return sum(r.legal_days or 0.0 for r in _timed(p))


def _promised_total(p: Population) -> float:
    return sum(r.promised_days or 0.0 for r in _timed(p))


def _changed(kind: str, change: Change) -> Callable[[Comparison], Measure]:
    def compute(c: Comparison) -> Measure:
        return _count(sum(1 for r in c.baseline.of_kind(kind) if c.changes.get(r.code) is change))

    return compute


def _added(kind: str) -> Callable[[Comparison], Measure]:
    def compute(c: Comparison) -> Measure:
        return _count(sum(1 for r in c.current.of_kind(kind) if r.code not in c.baseline_codes))

    return compute


def _reduction(kind: str) -> Callable[[Comparison], Measure]:
    def compute(c: Comparison) -> Measure:
        before = c.baseline.of_kind(kind)
        return _ratio(sum(1 for r in before if c.changes.get(r.code) is Change.CANCELLED), len(before))

    return compute


def _kept_materials(c: Comparison) -> tuple[int, int]:
    """Materials of entries 在用 in both versions: (baseline total, current total) over those entries."""
    now = {r.code: len(r.materials) for r in c.current.impl}
    before = after = 0
    for r in c.baseline.impl:
        if c.changes.get(r.code) is Change.KEPT and r.code in now:
            before += len(r.materials)
            after += now[r.code]
    return before, after


def _materials_reduced(c: Comparison) -> Measure:
    before, after = _kept_materials(c)
    return _count(before - after)


def _materials_reduction(c: Comparison) -> Measure:
    before, after = _kept_materials(c)
    return _ratio(before - after, before)


def _impl_ratio(keep: Callable[[MatterRecord], bool]) -> Callable[[Population], Measure]:
    return lambda p: _ratio(sum(1 for r in p.impl if keep(r)), len(p.impl))


_I, _B = "implementation", "base"

#: Every figure `mattercli stats` reports — the one place they are defined.
FIGURES: tuple[Figure, ...] = (
    # -- how many ---------------------------------------------------------------------------------------------------
    Figure("impl_count", "实施清单事项数", "implementation entries", _I, IMPL, "计数", Unit.COUNT,
           state=lambda p: _count(len(p.impl))),
    Figure("base_count", "基本目录事项数", "base entries", _B, BASE, "计数", Unit.COUNT,
           state=lambda p: _count(len(p.base))),
    # -- what changed since the baseline (implementation entries) ---------------------------------------------------
    Figure("impl_cancelled", "取消事项数(实施清单)", "cancelled implementation entries", _I, IMPL_BEFORE,
           "现已不存在或为已取消,且不属于合并、下放、改码、暂停", Unit.COUNT,
           change=_changed(_I, Change.CANCELLED)),
    Figure("impl_delegated", "下放事项数", "delegated implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且同一基本编码现由更低行使层级、区划在其内的在用实施清单事项实施(该事项在原事项编码中列出它,"
           "或为基准版本中未在用的新编码)", Unit.COUNT, change=_changed(_I, Change.DELEGATED)),
    Figure("impl_merged", "合并事项数(实施清单)", "merged implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且某在用实施清单事项在合并自中列出其实施编码;或其基本编码被并入另一基本编码(合并自),"
           "同一区划现实施该基本编码", Unit.COUNT, change=_changed(_I, Change.MERGED)),
    Figure("impl_renumbered", "改码事项数(实施清单)", "renumbered implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且某在用实施清单事项在原事项编码中列出它(同级或更高层级)", Unit.COUNT,
           change=_changed(_I, Change.RENUMBERED)),
    Figure("impl_suspended", "暂停事项数(实施清单)", "suspended implementation entries", _I, IMPL_BEFORE,
           "同一实施编码现为暂停", Unit.COUNT, change=_changed(_I, Change.SUSPENDED)),
    Figure("impl_added", "新增事项数(实施清单)", "added implementation entries", _I, IMPL,
           "实施编码在基准版本中不是在用事项(含下放、合并、改码后的新编码)", Unit.COUNT, change=_added(_I)),
    Figure("impl_reduction_ratio", "精简比例(实施清单)", "reduction ratio (implementation entries)", _I,
           IMPL_BEFORE, "取消事项数(实施清单) ÷ 基准版本实施清单事项数", Unit.RATIO, change=_reduction(_I)),
    # -- what changed since the baseline (base entries) ---------------------------------------------------------------
    Figure("base_cancelled", "取消事项数(基本目录)", "cancelled base entries", _B, BASE_BEFORE,
           "现已不存在或为已取消,且不属于合并、改码、暂停", Unit.COUNT, change=_changed(_B, Change.CANCELLED)),
    Figure("base_merged", "合并事项数(基本目录)", "merged base entries", _B, BASE_BEFORE,
           "现已不在用,且某在用基本目录事项在合并自中列出其基本编码", Unit.COUNT, change=_changed(_B, Change.MERGED)),
    Figure("base_renumbered", "改码事项数(基本目录)", "renumbered base entries", _B, BASE_BEFORE,
           "现已不在用,且某在用基本目录事项在原事项编码中列出它", Unit.COUNT,
           change=_changed(_B, Change.RENUMBERED)),
    Figure("base_suspended", "暂停事项数(基本目录)", "suspended base entries", _B, BASE_BEFORE,
           "同一基本编码现为暂停", Unit.COUNT, change=_changed(_B, Change.SUSPENDED)),
    Figure("base_added", "新增事项数(基本目录)", "added base entries", _B, BASE,
           "基本编码在基准版本中不是在用事项", Unit.COUNT, change=_added(_B)),
    Figure("base_reduction_ratio", "精简比例(基本目录)", "reduction ratio (base entries)", _B, BASE_BEFORE,
           "取消事项数(基本目录) ÷ 基准版本基本目录事项数", Unit.RATIO, change=_reduction(_B)),
    # -- materials --------------------------------------------------------------------------------------------------
    Figure("materials_total", "申请材料总数", "application materials", _I, IMPL, "各事项申请材料条数之和",
           Unit.COUNT, state=lambda p: _count(_materials(p))),
    Figure("materials_per_matter", "事项平均申请材料数", "materials per matter", _I, IMPL,
           "申请材料总数 ÷ 实施清单事项数", Unit.MEAN, state=lambda p: _ratio(_materials(p), len(p.impl))),
    Figure("materials_reduced", "减少申请材料数", "materials removed", _I, IMPL_BOTH,
           "Σ(基准版本材料条数 − 当前材料条数),净减少", Unit.COUNT, change=_materials_reduced),
    Figure("materials_reduction_ratio", "申请材料精简率", "material reduction ratio", _I, IMPL_BOTH,
           "减少申请材料数 ÷ 这些事项基准版本材料条数之和", Unit.RATIO,
           change=_materials_reduction),
    Figure("proofs_distinct", "证明材料种数", "distinct proofs", _I, IMPL,
           "材料类别为证明的申请材料按规范化名称(同义词归一)去重后的种数", Unit.COUNT,
           state=lambda p: _count(len(_proofs(p.impl)))),
    Figure("proofs_cancelled", "取消证明种数", "proofs cancelled", _I, IMPL_PROOFS,
           "基准版本所选事项要求、当前所选事项不再要求的证明种数(规范化名称)", Unit.COUNT,
           change=lambda c: _count(len(_proofs(c.baseline.impl) - _proofs(c.current.impl)))),
    # -- time limits ------------------------------------------------------------------------------------------------
    Figure("legal_days_total", "法定办结时限合计(工作日)", "legal time limits, total (working days)", _I,
           IMPL_TIMED, "Σ 法定办结时限,折算为工作日(7 自然日 = 5 工作日,24 小时 = 1 自然日)", Unit.DAYS,
           state=lambda p: Measure(_legal_total(p))),
    Figure("promised_days_total", "承诺办结时限合计(工作日)", "promised time limits, total (working days)", _I,
           IMPL_TIMED, "Σ 承诺办结时限,折算为工作日", Unit.DAYS, state=lambda p: Measure(_promised_total(p))),
    Figure("legal_days_mean", "平均法定办结时限(工作日)", "mean legal time limit (working days)", _I, IMPL_TIMED,
           "法定办结时限合计 ÷ 事项数", Unit.MEAN, state=lambda p: _ratio(_legal_total(p), len(_timed(p)))),
    Figure("promised_days_mean", "平均承诺办结时限(工作日)", "mean promised time limit (working days)", _I,
           IMPL_TIMED, "承诺办结时限合计 ÷ 事项数", Unit.MEAN,
           state=lambda p: _ratio(_promised_total(p), len(_timed(p)))),
    Figure("time_compression", "办理时限压缩比例", "time-limit compression", _I, IMPL_TIMED,
           "1 − 承诺办结时限合计 ÷ 法定办结时限合计", Unit.RATIO,
           state=lambda p: _one_minus(_ratio(_promised_total(p), _legal_total(p)))),
    # -- service ----------------------------------------------------------------------------------------------------
    Figure("immediate_share", "即办件占比", "immediate cases", _I, IMPL, "办件类型为即办件的事项数 ÷ 实施清单事项数",
           Unit.RATIO, state=_impl_ratio(lambda r: r.immediate)),
    Figure("zero_visit_share", "一次不跑占比", "zero-visit share", _I, IMPL,
           "到办事现场次数 = 0 的事项数 ÷ 实施清单事项数", Unit.RATIO, state=_impl_ratio(lambda r: r.visits == 0)),
    Figure("max_one_visit_share", "最多跑一次占比", "at-most-one-visit share", _I, IMPL,
           "到办事现场次数 ≤ 1 的事项数 ÷ 实施清单事项数", Unit.RATIO,
           state=_impl_ratio(lambda r: r.visits is not None and r.visits <= 1)),
    Figure("full_online_share", "全程网办占比", "fully-online share", _I, IMPL,
           "网上办理深度含办理的事项数 ÷ 实施清单事项数", Unit.RATIO, state=_impl_ratio(lambda r: r.full_online)),
    Figure("fee_count", "收费事项数", "fee-charging matters", _I, IMPL, "是否收费为是的事项数", Unit.COUNT,
           state=lambda p: _count(sum(1 for r in p.impl if r.charges_fee))),
    Figure("fee_share", "收费事项占比", "fee-charging share", _I, IMPL, "收费事项数 ÷ 实施清单事项数", Unit.RATIO,
           state=_impl_ratio(lambda r: r.charges_fee)),
)  # fmt: skip

FIGURE_BY_ID: dict[str, Figure] = {f.id: f for f in FIGURES}
assert len(FIGURE_BY_ID) == len(FIGURES), "duplicate figure id"

#: Figures each group of the default breakdowns shows (all figures for a dimension named with --by).
COUNT_FIGURES = ("impl_count", "base_count")
#: Figures the tables of a --by breakdown show (JSON and CSV carry every figure).
TABLE_FIGURES = (
    "impl_count",
    "impl_cancelled",
    "impl_delegated",
    "impl_added",
    "impl_reduction_ratio",
    "materials_per_matter",
    "time_compression",
    "zero_visit_share",
    "max_one_visit_share",
    "full_online_share",
)


# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureValue:
    """A figure's value now (`current`; for a change figure, the comparison) and at the baseline (state figures
    only), each with the snapshot labels it was computed from."""

    figure: Figure
    current: Measure | None
    baseline: Measure | None
    current_from: tuple[str, ...]
    baseline_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str
    values: tuple[FigureValue, ...]

    def value(self, figure_id: str) -> FigureValue | None:
        return next((v for v in self.values if v.figure.id == figure_id), None)


@dataclass(frozen=True, slots=True)
class Breakdown:
    dimension: str
    figure_ids: tuple[str, ...]
    groups: tuple[Group, ...]
    full: bool  # named with --by: every figure per group


@dataclass(frozen=True, slots=True)
class StatsReport:
    current: SourceInfo
    baseline: SourceInfo | None
    filters: tuple[Filter, ...]
    figures: tuple[FigureValue, ...]
    breakdowns: tuple[Breakdown, ...]
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "current"/"baseline" -> files

    def value(self, figure_id: str) -> FigureValue:
        return next(v for v in self.figures if v.figure.id == figure_id)


@dataclass(frozen=True, slots=True)
class StatsInputs:
    """Everything loaded from the snapshots; reports with different breakdowns are built from it cheaply."""

    current: SourceInfo
    baseline: SourceInfo | None
    current_records: tuple[MatterRecord, ...]
    baseline_records: tuple[MatterRecord, ...] | None
    changes: dict[str, Change]
    filters: tuple[Filter, ...]
    region_names: dict[str, str]
    skipped: dict[str, tuple[str, ...]]


def _close(snapshot: Snapshot) -> None:
    if isinstance(snapshot, GitSnapshot):
        snapshot.repo.close()


def load_inputs(
    path: Path,
    rev: str | None = None,
    baseline: str | None = None,
    where: Sequence[str] = (),
    jobs: int = 0,
    with_head: bool = True,
) -> StatsInputs:
    """Read the catalogue holding `path` at `rev` (None: the work tree) and, if given, at `baseline`."""
    filters = parse_filters(where)
    snapshots: list[Snapshot] = []
    try:
        now = open_snapshot(path, rev)
        snapshots.append(now)
        before = open_snapshot(path, baseline) if baseline is not None else None
        if before is not None:
            snapshots.append(before)
        registries = now.registries()
        # One synonym table for both versions, so a proof is one identity on both sides (the current one wins).
        synonyms = {**before.registries().synonyms, **registries.synonyms} if before else registries.synonyms
        current = load_records(now, synonyms, jobs)
        previous = load_records(before, synonyms, jobs) if before else None
        sources = (source_of(now, with_head), source_of(before, with_head) if before else None)
    finally:
        for snapshot in snapshots:
            _close(snapshot)
    names = {r.code: r.name for r in region_table()}
    names.update({r.code: r.name for r in registries.regions})
    return StatsInputs(
        current=sources[0],
        baseline=sources[1],
        current_records=current.records,
        baseline_records=previous.records if previous else None,
        changes=classify_changes(previous.records, current.records) if previous else {},
        filters=filters,
        region_names=names,
        skipped={"current": current.skipped, **({"baseline": previous.skipped} if previous else {})},
    )


def _values(
    inputs: StatsInputs, now: Population, before: Population | None, ids: Sequence[str]
) -> tuple[FigureValue, ...]:
    out = []
    cur_from = (inputs.current.label,)
    base_from = (inputs.baseline.label,) if inputs.baseline else ()
    comparison = None
    if before is not None:
        active = frozenset(r.code for r in inputs.baseline_records or () if r.active)
        comparison = Comparison(before, now, inputs.changes, active)
    for figure_id in ids:
        figure = FIGURE_BY_ID[figure_id]
        if figure.state is not None:
            then = figure.state(before) if before is not None else None
            out.append(FigureValue(figure, figure.state(now), then, cur_from, base_from if then is not None else ()))
        elif figure.change is not None and comparison is not None:
            out.append(FigureValue(figure, figure.change(comparison), None, base_from + cur_from))
    return tuple(out)


def _group_label(inputs: StatsInputs, dimension: str, key: str) -> str:
    if dimension == "region":
        return inputs.region_names.get(key, key)
    return key


def build_report(inputs: StatsInputs, by: Sequence[str] = ()) -> StatsReport:
    """Figures for the selection, and a breakdown per dimension: counts for each, every figure for those in `by`."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise StatsError(f"未知分组维度: {', '.join(unknown)}(可用: {', '.join(DIMENSIONS)})")
    now = apply_filters(Population.of(inputs.current_records), inputs.filters)
    before = None
    if inputs.baseline_records is not None:
        before = apply_filters(Population.of(inputs.baseline_records), inputs.filters)
    ids = [f.id for f in FIGURES if f.state is not None or before is not None]
    breakdowns = []
    for dim_id, dimension in DIMENSIONS.items():
        full = dim_id in by
        group_ids = [
            i for i in (ids if full else COUNT_FIGURES) if dim_id != "region" or FIGURE_BY_ID[i].kind != "base"
        ]
        now_parts = partition(now, dimension)
        before_parts = partition(before, dimension) if before is not None else None
        groups = tuple(
            Group(key, _group_label(inputs, dim_id, key),
                  _values(inputs, now_parts[key], before_parts[key] if before_parts is not None else None, group_ids))
            for key in group_keys(dimension, [p for p in (now, before) if p is not None])
        )  # fmt: skip
        breakdowns.append(Breakdown(dim_id, tuple(group_ids), groups, full))
    return StatsReport(
        current=inputs.current,
        baseline=inputs.baseline,
        filters=inputs.filters,
        figures=_values(inputs, now, before, ids),
        breakdowns=tuple(breakdowns),
        skipped=inputs.skipped,
    )


def compute_stats(
    path: Path,
    rev: str | None = None,
    baseline: str | None = None,
    where: Sequence[str] = (),
    by: Sequence[str] = (),
    jobs: int = 0,
    with_head: bool = True,
) -> StatsReport:
    """The statistics of the catalogue holding `path` (see `load_inputs` and `build_report`)."""
    return build_report(load_inputs(path, rev, baseline, where, jobs, with_head), by)


__all__ = [
    "FIGURES",
    "FIGURE_BY_ID",
    "Breakdown",
    "Change",
    "Figure",
    "FigureValue",
    "Group",
    "Measure",
    "StatsError",
    "StatsInputs",
    "StatsReport",
    "Unit",
    "build_report",
    "compute_stats",
    "load_inputs",
]
