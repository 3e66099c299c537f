"""The one table of figure definitions (`FIGURES`): id, names, the population counted, the formula as text and the
code that computes it, side by side, so an auditor can check one against the other. docs/stats.md is generated
from it (`python -m mattercli.stats_docs docs/stats.md`; a test fails when the page is stale).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from mattercli.stats_model import Change, Population
from mattercli.stats_records import MatterRecord

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


class Counted:
    """A change figure that counts matters: calling it gives the count, `members` the matters counted (what
    `stats --explain FIGURE` and the JSON `members` list)."""

    def __init__(self, pick: Callable[[Comparison], Iterable[MatterRecord]]) -> None:
        self.pick = pick

    def __call__(self, c: Comparison) -> Measure:
        return _count(sum(1 for _ in self.pick(c)))

    def members(self, c: Comparison) -> list[MatterRecord]:
        return sorted(self.pick(c), key=lambda r: r.code)


def _changed(kind: str, change: Change) -> Counted:
    return Counted(lambda c: (r for r in c.baseline.of_kind(kind) if c.changes.get(r.code) is change))


def _added(kind: str) -> Counted:
    return Counted(lambda c: (r for r in c.current.of_kind(kind) if r.code not in c.baseline_codes))


def members_of(figure: Figure, c: Comparison) -> list[MatterRecord] | None:
    """The matters a counting change figure counted, or None for a figure that is not such a count."""
    return figure.change.members(c) if isinstance(figure.change, Counted) else None


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
           "现已不存在或为已取消,且不属于合并、拆分、下放、改码、暂停", Unit.COUNT,
           change=_changed(_I, Change.CANCELLED)),
    Figure("impl_delegated", "下放事项数", "delegated implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且同一基本编码现由更低行使层级、区划在其内的在用实施清单事项实施(该事项在原事项编码中列出它,"
           "或为基准版本中未在用的新编码)", Unit.COUNT, change=_changed(_I, Change.DELEGATED)),
    Figure("impl_merged", "合并事项数(实施清单)", "merged implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且某在用实施清单事项在合并自中列出其实施编码;或其基本编码被并入另一基本编码(合并自),"
           "同一区划现实施该基本编码", Unit.COUNT, change=_changed(_I, Change.MERGED)),
    Figure("impl_split", "拆分事项数(实施清单)", "split implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且某在用实施清单事项在拆分自中列出其实施编码;或其基本编码被拆分(拆分自),"
           "同一区划现实施拆分所得的基本编码", Unit.COUNT, change=_changed(_I, Change.SPLIT)),
    Figure("impl_renumbered", "改码事项数(实施清单)", "renumbered implementation entries", _I, IMPL_BEFORE,
           "现已不在用,且某在用实施清单事项在原事项编码中列出它(同级或更高层级)", Unit.COUNT,
           change=_changed(_I, Change.RENUMBERED)),
    Figure("impl_suspended", "暂停事项数(实施清单)", "suspended implementation entries", _I, IMPL_BEFORE,
           "同一实施编码现为暂停", Unit.COUNT, change=_changed(_I, Change.SUSPENDED)),
    Figure("impl_added", "新增事项数(实施清单)", "added implementation entries", _I, IMPL,
           "实施编码在基准版本中不是在用事项(含下放、合并、拆分、改码后的新编码)", Unit.COUNT, change=_added(_I)),
    Figure("impl_reduction_ratio", "精简比例(实施清单)", "reduction ratio (implementation entries)", _I,
           IMPL_BEFORE, "取消事项数(实施清单) ÷ 基准版本实施清单事项数", Unit.RATIO, change=_reduction(_I)),
    # -- what changed since the baseline (base entries) ---------------------------------------------------------------
    Figure("base_cancelled", "取消事项数(基本目录)", "cancelled base entries", _B, BASE_BEFORE,
           "现已不存在或为已取消,且不属于合并、拆分、改码、暂停", Unit.COUNT, change=_changed(_B, Change.CANCELLED)),
    Figure("base_merged", "合并事项数(基本目录)", "merged base entries", _B, BASE_BEFORE,
           "现已不在用,且某在用基本目录事项在合并自中列出其基本编码", Unit.COUNT, change=_changed(_B, Change.MERGED)),
    Figure("base_split", "拆分事项数(基本目录)", "split base entries", _B, BASE_BEFORE,
           "现已不在用,且某在用基本目录事项在拆分自中列出其基本编码", Unit.COUNT, change=_changed(_B, Change.SPLIT)),
    Figure("base_renumbered", "改码事项数(基本目录)", "renumbered base entries", _B, BASE_BEFORE,
           "现已不在用,且某在用基本目录事项在原事项编码中列出它", Unit.COUNT,
           change=_changed(_B, Change.RENUMBERED)),
    Figure("base_suspended", "暂停事项数(基本目录)", "suspended base entries", _B, BASE_BEFORE,
           "同一基本编码现为暂停", Unit.COUNT, change=_changed(_B, Change.SUSPENDED)),
    Figure("base_added", "新增事项数(基本目录)", "added base entries", _B, BASE,
           "基本编码在基准版本中不是在用事项(含合并、拆分、改码后的新编码)", Unit.COUNT, change=_added(_B)),
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
