"""The one table of figure definitions (`FIGURES`): id, names, the population counted, the formula as text and the
code that computes it, side by side, so an auditor can check one against the other. docs/stats.md is generated
from it (`python -m mattercli.stats.docs docs/stats.md`; a test fails when the page is stale).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from mattercli.model.codes import UnsuitableMode
from mattercli.stats.model import Change, Population
from mattercli.stats.records import MatterRecord

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
    #: Why there is no value although there are matters (a weighted share whose 办件量 cover too few matters).
    note: str | None = None


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
APPLY = "依申请的实施清单事项(事项状态为在用)"
EX_OFFICIO = "依职权的实施清单事项(事项状态为在用)"
APPLY_TIMED = "依申请的在用实施清单事项中,有法定办结时限且有承诺时限(承诺办结时限,或即办件 = 0)者"
APPLY_TIMED_POSITIVE = "依申请的在用实施清单事项中,法定办结时限大于 0 且有承诺时限者"
CONTROLLABLE_ZERO_VISIT = "依申请的在用实施清单事项,除去声明不适宜跑零次者(可控事项)"
CONTROLLABLE_ONLINE = "依申请的在用实施清单事项,除去声明不适宜网上办理者(可控事项)"
CONTROLLABLE_IMMEDIATE = "依申请的在用实施清单事项,除去声明不适宜即办者(可控事项)"
APPLY_VOLUME = "依申请的在用实施清单事项中,有所选年度办件量者(按办件量加权)"
#: The populations in English, for --lang en (the definitions themselves are Chinese, like the element names).
POPULATION_EN = {
    IMPL: "implementation entries (status 在用)",
    BASE: "base entries (status 在用)",
    IMPL_BEFORE: "implementation entries 在用 at the baseline",
    BASE_BEFORE: "base entries 在用 at the baseline",
    IMPL_TIMED: "implementation entries 在用 with a legal and a promised limit (即办件 = 0)",
    IMPL_BOTH: "implementation entries 在用 in both versions (same code)",
    IMPL_PROOFS: "implementation entries 在用 at the baseline; those 在用 now",
    APPLY: "implementation entries 在用 that are applied for (依申请)",
    EX_OFFICIO: "implementation entries 在用 exercised ex officio (依职权)",
    APPLY_TIMED: "依申请 implementation entries 在用 with a legal and a promised limit (即办件 = 0)",
    APPLY_TIMED_POSITIVE: "依申请 implementation entries 在用 with a legal limit > 0 and a promised limit",
    CONTROLLABLE_ZERO_VISIT: "依申请 entries 在用, less those declared unsuitable for zero visits (可控事项)",
    CONTROLLABLE_ONLINE: "依申请 entries 在用, less those declared unsuitable for online handling (可控事项)",
    CONTROLLABLE_IMMEDIATE: "依申请 entries 在用, less those declared unsuitable for immediate handling (可控事项)",
    APPLY_VOLUME: "依申请 entries 在用 with a case volume for the year (weighted by 办件量)",
}

#: Each population in one Chinese sentence, for the Markdown and HTML reports (统计范围说明).
POPULATION_NOTES = {
    IMPL: "本目录中事项状态为在用的全部实施清单事项,依申请与依职权事项都在内。",
    BASE: "本目录中事项状态为在用的全部基本目录事项。",
    IMPL_BEFORE: "基准版本中事项状态为在用的实施清单事项,取消、下放、合并等都以它们为分母。",
    BASE_BEFORE: "基准版本中事项状态为在用的基本目录事项。",
    IMPL_TIMED: "在用实施清单事项中同时有法定办结时限和承诺时限者,缺任一时限的事项不计入。",
    IMPL_BOTH: "两个版本中都在用且实施编码相同的实施清单事项,用于比较同一事项的材料增减。",
    IMPL_PROOFS: "基准版本与当前版本各自在用的实施清单事项,比较两者要求的证明种类。",
    APPLY: "依申请办理的在用实施清单事项:行政处罚、行政强制、行政检查、行政征收及写明依职权的事项不经申请,不计入。",
    EX_OFFICIO: "依职权行使的在用实施清单事项(行政处罚、行政强制、行政检查、行政征收及写明依职权者),不计入服务类比例。",
    APPLY_TIMED: "依申请的在用实施清单事项中同时有法定办结时限和承诺时限者(即办件承诺 0 日)。",
    APPLY_TIMED_POSITIVE: "依申请且法定办结时限大于 0、有承诺时限的在用实施清单事项,逐项计算压缩比例后取平均。",
    CONTROLLABLE_ZERO_VISIT: "依申请的在用实施清单事项,除去声明不适宜跑零次(并写明理由)者,即报告中的「可控事项」。",
    CONTROLLABLE_ONLINE: "依申请的在用实施清单事项,除去声明不适宜网上办理(并写明理由)者,即报告中的「可控事项」。",
    CONTROLLABLE_IMMEDIATE: "依申请的在用实施清单事项,除去声明不适宜即办(并写明理由)者,即报告中的「可控事项」。",
    APPLY_VOLUME: "依申请的在用实施清单事项中有所选年度办件量者,每项按其办件量计权;覆盖事项不足时不给出数值。",
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

    @property
    def practice(self) -> str:
        """The report practice the definition follows (PRACTICE.md), for docs/stats.md."""
        return PRACTICE.get(self.id, "")


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


def _applied(p: Population) -> list[MatterRecord]:
    return [r for r in p.impl if r.on_application]


def _apply_ratio(keep: Callable[[MatterRecord], bool], exempt: str | None = None) -> Callable[[Population], Measure]:
    """Share of 依申请 entries meeting `keep`; with `exempt` (a 不适宜.方式) over the 可控事项: those not declared
    unsuitable for it."""

    def compute(p: Population) -> Measure:
        pool = [r for r in _applied(p) if exempt is None or exempt not in r.unsuitable]
        return _ratio(sum(1 for r in pool if keep(r)), len(pool))

    return compute


def _weighted(keep: Callable[[MatterRecord], bool]) -> Callable[[Population], Measure]:
    """Share of the year's 办件量 handled by 依申请 entries meeting `keep`: Σ 办件量(meeting) ÷ Σ 办件量(all with one).
    Withheld (value None, a note why) when no year is chosen or the entries with a volume are fewer than the
    basis's coverage of the 依申请 entries."""

    def compute(p: Population) -> Measure:
        year, minimum = p.basis.year, p.basis.min_coverage
        pool = _applied(p)
        if year is None:
            return Measure(None, None, None, "未记录办件量" if pool else None)
        weighed = [(r, r.volume(year)) for r in pool]
        known = [(r, v) for r, v in weighed if v is not None]
        total = sum(v for _, v in known)
        met = sum(v for r, v in known if keep(r))
        if pool and len(known) < minimum * len(pool):
            note = f"{year} 年度办件量只覆盖 {len(known)}/{len(pool)} 项依申请事项,不足 {minimum:.0%},不给出加权比例"
            return Measure(None, met, total, note)
        return _ratio(met, total)

    return compute


def _volume_coverage(p: Population) -> Measure:
    pool = _applied(p)
    year = p.basis.year
    return _ratio(sum(1 for r in pool if year is not None and r.volume(year) is not None), len(pool))


def _volume_total(p: Population) -> Measure:
    year = p.basis.year
    return _count(sum((r.volume(year) or 0) for r in _applied(p)) if year is not None else 0)


def _applied_timed(p: Population) -> list[MatterRecord]:
    return [r for r in _timed(p) if r.on_application]


def _compression_of_sums(p: Population) -> Measure:
    timed = _applied_timed(p)
    legal = sum(r.legal_days or 0.0 for r in timed)
    promised = sum(r.promised_days or 0.0 for r in timed)
    return _one_minus(_ratio(promised, legal))


def _compression_mean(p: Population) -> Measure:
    """Mean over matters of 1 − 承诺 ÷ 法定 (those with 法定办结时限 > 0): numerator Σ per-matter ratios."""
    ratios = [1 - (r.promised_days or 0.0) / r.legal_days for r in _applied_timed(p) if r.legal_days]
    return _ratio(sum(ratios), len(ratios))


def _net_reduction(kind: str) -> Callable[[Comparison], Measure]:
    def compute(c: Comparison) -> Measure:
        before, now = len(c.baseline.of_kind(kind)), len(c.current.of_kind(kind))
        return _ratio(before - now, before)

    return compute


def _streamlined(kind: str, changes: tuple[Change, ...]) -> Callable[[Comparison], Measure]:
    def compute(c: Comparison) -> Measure:
        before = c.baseline.of_kind(kind)
        return _ratio(sum(1 for r in before if c.changes.get(r.code) in changes), len(before))

    return compute


_STREAMLINED_IMPL = (Change.CANCELLED, Change.DELEGATED, Change.MERGED)
_STREAMLINED_BASE = (Change.CANCELLED, Change.MERGED)


_I, _B = "implementation", "base"

#: Every figure `mattercli stats` reports — the one place they are defined.
FIGURES: tuple[Figure, ...] = (
    # -- how many ---------------------------------------------------------------------------------------------------
    Figure("impl_count", "实施清单事项数", "implementation entries", _I, IMPL, "计数", Unit.COUNT,
           state=lambda p: _count(len(p.impl))),
    Figure("base_count", "基本目录事项数", "base entries", _B, BASE, "计数", Unit.COUNT,
           state=lambda p: _count(len(p.base))),
    Figure("apply_count", "依申请事项数", "entries applied for", _I, APPLY,
           "办理性质为依申请(写明,或按事项类型推定)的实施清单事项数", Unit.COUNT,
           state=lambda p: _count(len(_applied(p)))),
    Figure("ex_officio_count", "依职权事项数", "entries exercised ex officio", _I, EX_OFFICIO,
           "办理性质为依职权的实施清单事项数", Unit.COUNT,
           state=lambda p: _count(sum(1 for r in p.impl if not r.on_application))),
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
    Figure("impl_net_reduction_ratio", "净精简比例(实施清单)", "net reduction ratio (implementation entries)", _I,
           IMPL_BEFORE, "(基准版本在用实施清单事项数 − 当前在用实施清单事项数) ÷ 基准版本在用实施清单事项数",
           Unit.RATIO, change=_net_reduction(_I)),
    Figure("impl_streamlined_ratio", "取消下放合并比例(实施清单)", "cancelled+delegated+merged ratio (implementation)",
           _I, IMPL_BEFORE, "(取消事项数 + 下放事项数 + 合并事项数)(实施清单) ÷ 基准版本在用实施清单事项数",
           Unit.RATIO, change=_streamlined(_I, _STREAMLINED_IMPL)),
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
    Figure("base_net_reduction_ratio", "净精简比例(基本目录)", "net reduction ratio (base entries)", _B, BASE_BEFORE,
           "(基准版本在用基本目录事项数 − 当前在用基本目录事项数) ÷ 基准版本在用基本目录事项数", Unit.RATIO,
           change=_net_reduction(_B)),
    Figure("base_streamlined_ratio", "取消合并比例(基本目录)", "cancelled+merged ratio (base entries)", _B,
           BASE_BEFORE, "(取消事项数 + 合并事项数)(基本目录) ÷ 基准版本在用基本目录事项数(基本目录事项无下放)",
           Unit.RATIO, change=_streamlined(_B, _STREAMLINED_BASE)),
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
           APPLY_TIMED, "Σ 法定办结时限,折算为工作日(7 自然日 = 5 工作日,24 小时 = 1 自然日)", Unit.DAYS,
           state=lambda p: Measure(sum(r.legal_days or 0.0 for r in _applied_timed(p)))),
    Figure("promised_days_total", "承诺办结时限合计(工作日)", "promised time limits, total (working days)", _I,
           APPLY_TIMED, "Σ 承诺办结时限,折算为工作日", Unit.DAYS,
           state=lambda p: Measure(sum(r.promised_days or 0.0 for r in _applied_timed(p)))),
    Figure("legal_days_mean", "平均法定办结时限(工作日)", "mean legal time limit (working days)", _I, APPLY_TIMED,
           "法定办结时限合计 ÷ 事项数", Unit.MEAN,
           state=lambda p: _ratio(sum(r.legal_days or 0.0 for r in _applied_timed(p)), len(_applied_timed(p)))),
    Figure("promised_days_mean", "平均承诺办结时限(工作日)", "mean promised time limit (working days)", _I,
           APPLY_TIMED, "承诺办结时限合计 ÷ 事项数", Unit.MEAN,
           state=lambda p: _ratio(sum(r.promised_days or 0.0 for r in _applied_timed(p)), len(_applied_timed(p)))),
    Figure("time_compression", "承诺时限压缩比例(总量之比)", "time-limit compression (ratio of sums)", _I,
           APPLY_TIMED, "1 − Σ承诺办结时限 ÷ Σ法定办结时限(各折算为工作日)", Unit.RATIO,
           state=_compression_of_sums),
    Figure("time_compression_mean", "承诺时限压缩比例(逐项平均)", "time-limit compression (mean of per-matter ratios)",
           _I, APPLY_TIMED_POSITIVE, "Σ(1 − 承诺办结时限 ÷ 法定办结时限) ÷ 事项数(逐项计算后平均)", Unit.RATIO,
           state=_compression_mean),
    # -- service (依申请 only) ---------------------------------------------------------------------------------------
    Figure("immediate_share", "即办件占比", "immediate cases", _I, APPLY,
           "办件类型为即办件的事项数 ÷ 依申请实施清单事项数", Unit.RATIO, state=_apply_ratio(lambda r: r.immediate)),
    Figure("zero_visit_share", "一次不跑占比", "zero-visit share", _I, APPLY,
           "到办事现场次数 = 0 的事项数 ÷ 依申请实施清单事项数", Unit.RATIO,
           state=_apply_ratio(lambda r: r.visits == 0)),
    Figure("max_one_visit_share", "最多跑一次占比", "at-most-one-visit share", _I, APPLY,
           "到办事现场次数 ≤ 1 的事项数 ÷ 依申请实施清单事项数", Unit.RATIO,
           state=_apply_ratio(lambda r: r.visits is not None and r.visits <= 1)),
    Figure("full_online_share", "全程网办占比", "fully-online share", _I, APPLY,
           "网上办理深度含办理的事项数 ÷ 依申请实施清单事项数", Unit.RATIO,
           state=_apply_ratio(lambda r: r.full_online)),
    # -- service over the 可控事项 (不适宜 declarations left out) -------------------------------------------------------
    Figure("immediate_share_controllable", "即办件占比(可控事项)", "immediate cases (controllable)", _I,
           CONTROLLABLE_IMMEDIATE, "即办件事项数 ÷ (依申请事项数 − 声明不适宜即办的事项数)", Unit.RATIO,
           state=_apply_ratio(lambda r: r.immediate, UnsuitableMode.IMMEDIATE.value)),
    Figure("zero_visit_share_controllable", "一次不跑占比(可控事项)", "zero-visit share (controllable)", _I,
           CONTROLLABLE_ZERO_VISIT, "到办事现场次数 = 0 的事项数 ÷ (依申请事项数 − 声明不适宜跑零次的事项数)",
           Unit.RATIO, state=_apply_ratio(lambda r: r.visits == 0, UnsuitableMode.ZERO_VISIT.value)),
    Figure("full_online_share_controllable", "全程网办占比(可控事项)", "fully-online share (controllable)", _I,
           CONTROLLABLE_ONLINE, "全程网办事项数 ÷ (依申请事项数 − 声明不适宜网上办理的事项数)", Unit.RATIO,
           state=_apply_ratio(lambda r: r.full_online, UnsuitableMode.ONLINE.value)),
    # -- service weighted by 办件量 -----------------------------------------------------------------------------------
    Figure("volume_total", "办件量合计", "case volume, total", _I, APPLY, "Σ 所选年度办件量(依申请事项)",
           Unit.COUNT, state=_volume_total),
    Figure("volume_coverage", "办件量覆盖率", "case-volume coverage", _I, APPLY,
           "有所选年度办件量的事项数 ÷ 依申请实施清单事项数", Unit.RATIO, state=_volume_coverage),
    Figure("immediate_share_weighted", "即办件占比(按办件量)", "immediate cases (by case volume)", _I, APPLY_VOLUME,
           "Σ 即办件事项办件量 ÷ Σ 办件量;覆盖率不足下限时不给出", Unit.RATIO,
           state=_weighted(lambda r: r.immediate)),
    Figure("zero_visit_share_weighted", "一次不跑占比(按办件量)", "zero-visit share (by case volume)", _I,
           APPLY_VOLUME, "Σ 到办事现场次数 = 0 的事项办件量 ÷ Σ 办件量;覆盖率不足下限时不给出", Unit.RATIO,
           state=_weighted(lambda r: r.visits == 0)),
    Figure("max_one_visit_share_weighted", "最多跑一次占比(按办件量)", "at-most-one-visit share (by case volume)", _I,
           APPLY_VOLUME, "Σ 到办事现场次数 ≤ 1 的事项办件量 ÷ Σ 办件量;覆盖率不足下限时不给出", Unit.RATIO,
           state=_weighted(lambda r: r.visits is not None and r.visits <= 1)),
    Figure("full_online_share_weighted", "全程网办占比(按办件量)", "fully-online share (by case volume)", _I,
           APPLY_VOLUME, "Σ 全程网办事项办件量 ÷ Σ 办件量;覆盖率不足下限时不给出", Unit.RATIO,
           state=_weighted(lambda r: r.full_online)),
    Figure("fee_count", "收费事项数", "fee-charging matters", _I, IMPL, "是否收费为是的事项数", Unit.COUNT,
           state=lambda p: _count(sum(1 for r in p.impl if r.charges_fee))),
    Figure("fee_share", "收费事项占比", "fee-charging share", _I, IMPL, "收费事项数 ÷ 实施清单事项数", Unit.RATIO,
           state=_impl_ratio(lambda r: r.charges_fee)),
)  # fmt: skip

#: The report practice each definition follows (PRACTICE.md, with its sources); docs/stats.md prints it.
PRACTICE: dict[str, str] = {
    "apply_count": "政务服务事项 = 依申请的行政权力与公共服务(国发〔2022〕5号)",
    "ex_officio_count": "全国交换库把处罚、强制/检查列在无办件类型、承诺时限、到现场次数的表中",
    "impl_reduction_ratio": "只计取消(不含下放、合并)",
    "base_reduction_ratio": "只计取消(不含合并)",
    "impl_net_reduction_ratio": "湖南「保留省级行政权力3722项……平均精简32%」= 1 − 保留 ÷ 原有(净减少)",
    "base_net_reduction_ratio": "同上,按基本目录计",
    "impl_streamlined_ratio": "改革报告的「取消、下放、合并」合计口径(动态调整的三类减少)",
    "base_streamlined_ratio": "同上,基本目录事项只有取消与合并",
    "time_compression": "杭州 2020「承诺期限压缩比 94.63%」未公布公式;此为总量之比(长时限事项权重大)",
    "time_compression_mean": "同一指标的逐项平均口径(每项权重相同);两种口径数值不同,须注明所用口径",
    "immediate_share": "杭州 2020「即办事项比例 83.01%」;便民化意见:依申请事项",
    "zero_visit_share": "杭州 2020「跑零次实现率 95.4%」;依申请事项(中办国办 2018 便民化意见)",
    "max_one_visit_share": "最多跑一次 = 0 或 1 次(宁乡: 全程网办 121 + 只跑一次 977 = 1098 项,96.5%)",
    "full_online_share": "杭州 2020「网上办事实现率 98.34%」;依申请事项",
    "immediate_share_controllable": "杭州 2020「除去不适宜……的事项」后在可控事项上报 100%",
    "zero_visit_share_controllable": "杭州 2020:除去不适宜跑零次的事项,可控事项跑零次 100%",
    "full_online_share_controllable": "杭州 2020:除去不适宜网上办的事项,可控事项网上办 100%",
    "volume_coverage": "加权比例的可信度:办件量覆盖的事项比例",
    "immediate_share_weighted": "浙江 2017 按「同级事项」与「全部办件量」两个口径(均 ≥ 80%)设目标",
    "zero_visit_share_weighted": "同上(办件量口径)",
    "max_one_visit_share_weighted": "浙江 2017「最多跑一次」目标: ≥ 80% 的同级事项且 ≥ 80% 的办件量",
    "full_online_share_weighted": "同上(办件量口径)",
}

FIGURE_BY_ID: dict[str, Figure] = {f.id: f for f in FIGURES}
assert set(PRACTICE) <= set(FIGURE_BY_ID), "practice for an unknown figure"
assert len(FIGURE_BY_ID) == len(FIGURES), "duplicate figure id"

#: Figures each group of the default breakdowns shows (all figures for a dimension named with --by).
COUNT_FIGURES = ("impl_count", "base_count")
#: Figures the tables of a --by breakdown show (JSON and CSV carry every figure).
TABLE_FIGURES = (
    "impl_count",
    "apply_count",
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
