"""The one classification of reform actions — 新增, 取消, 下放, 上收, 合并, 拆分, 更名, 调整 — that `diff`, `log` and
`stats` all call: what a matched pair of versions did (`pair_actions`, `level_action`), and what became of a matter
that is no longer there (`Successors.fate`: merged, split, delegated, renumbered, or cancelled).

It works on plain facts of a matter (`Facts`: code, kind, base code, region, levels, status, lineage fields), which
stats' records have as they are and diff builds from its parsed matters (`facts_of`). `diff` applies it to the
changed files (matching them first: same code, lineage, same file, similar name), `stats --baseline` to every
entry of two whole snapshots; so a 拆分 or a 合并 is the same action in both, counted over the same matters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from mattercli.diff.reform import ReformAction
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import Level, MatterStatus

IMPLEMENTATION = "implementation"
BASE = "base"
ACTIVE = MatterStatus.ACTIVE.value
SUSPENDED = MatterStatus.SUSPENDED.value
CANCELLED = MatterStatus.CANCELLED.value

#: 行使层级 label -> rank: 1 国家级 (highest) … 6 村(社区)级 (lowest).
LEVEL_RANK: dict[str, int] = {level.value: int(level.code) for level in Level}


class Facts(Protocol):
    """What the classification needs of one version of a matter (stats' MatterRecord has exactly these)."""

    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...  # IMPLEMENTATION or BASE
    @property
    def basic_code(self) -> str: ...
    @property
    def region(self) -> str | None: ...
    @property
    def levels(self) -> tuple[str, ...]: ...  # 行使层级 labels: one for an implementation entry
    @property
    def status(self) -> str: ...  # 事项状态 label
    @property
    def merged_from(self) -> tuple[str, ...]: ...
    @property
    def split_from(self) -> str | None: ...
    @property
    def previous_codes(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class MatterFacts:
    """Facts of a parsed matter (diff's side of the classification)."""

    code: str
    kind: str
    basic_code: str
    region: str | None
    levels: tuple[str, ...]
    status: str
    merged_from: tuple[str, ...]
    split_from: str | None
    previous_codes: tuple[str, ...]
    #: what the caller wants back from `Successors.fate` (diff: where the matter is in its change)
    origin: Any = field(default=None, compare=False)


def facts_of(matter: BaseEntry | ImplementationEntry, origin: Any = None) -> MatterFacts:
    implementation = isinstance(matter, ImplementationEntry)
    levels = (matter.level.value,) if isinstance(matter, ImplementationEntry) else tuple(x.value for x in matter.levels)
    return MatterFacts(
        code=matter.code,
        kind=IMPLEMENTATION if implementation else BASE,
        basic_code=matter.basic_code,
        region=matter.region if isinstance(matter, ImplementationEntry) else None,
        levels=levels,
        status=matter.status.value,
        merged_from=tuple(matter.merged_from),
        split_from=matter.split_from,
        previous_codes=tuple(matter.previous_codes),
        origin=origin,
    )


# ---- regions and levels ----------------------------------------------------------------------------------------


def region_prefix(code: str) -> str:
    """The prefix every region inside `code` shares: 330100 -> 3301, 330000 -> 33, 330106 -> 330106."""
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def within(inner: str | None, outer: str | None) -> bool:
    """Whether region `inner` lies in region `outer` (or is it): 330106 in 330100."""
    return inner is not None and outer is not None and inner.startswith(region_prefix(outer))


def _ranks(facts: Facts) -> tuple[int, int]:
    """(highest, lowest) level rank a matter is exercised at; larger = lower level."""
    ranks = [LEVEL_RANK.get(level, -1) for level in facts.levels] or [-1]
    return min(ranks), max(ranks)


def level_action(old: Facts, new: Facts) -> ReformAction | None:
    """下放 / 上收 between two versions of one matter.

    Implementation entries: the same base entry, exercised at a lower level in a region within the old one (下放),
    or at a higher level in a region holding the old one (上收). Base entries: the levels listed move down
    (both the highest and the lowest level no higher than before: 下放) or up (上收)."""
    if old.kind == IMPLEMENTATION and new.kind == IMPLEMENTATION:
        before, after = _ranks(old)[1], _ranks(new)[1]
        if before == after or old.basic_code != new.basic_code:
            return None
        if after > before and within(new.region, old.region):
            return ReformAction.DELEGATED
        if after < before and within(old.region, new.region):
            return ReformAction.RECENTRALISED
        return None
    if old.kind == BASE and new.kind == BASE and set(old.levels) != set(new.levels):
        before_range, after_range = _ranks(old), _ranks(new)
        if after_range[0] >= before_range[0] and after_range[1] >= before_range[1]:
            return ReformAction.DELEGATED
        if after_range[0] <= before_range[0] and after_range[1] <= before_range[1]:
            return ReformAction.RECENTRALISED
    return None


# ---- a matched pair ---------------------------------------------------------------------------------------------

_LEVEL_MOVE = frozenset({"行使层级", "实施编码", "实施主体", "行政区划代码", "原事项编码", "权力来源", "委托部门"})
#: Elements an action accounts for: they alone do not make a change an 调整.
EXPLAINED: dict[ReformAction, frozenset[str]] = {
    ReformAction.ADDED: frozenset({"事项状态"}),
    ReformAction.CANCELLED: frozenset({"事项状态"}),
    ReformAction.DELEGATED: _LEVEL_MOVE,
    ReformAction.RECENTRALISED: _LEVEL_MOVE,
    ReformAction.MERGED: frozenset({"合并自"}),
    ReformAction.SPLIT: frozenset({"拆分自"}),
    ReformAction.RENAMED: frozenset({"事项名称"}),
}
#: Elements that go with any other action: a version bump, and 调整 (why: the change request), no change itself.
ALONGSIDE = frozenset({"事项版本", "调整"})


def pair_actions(
    *,
    was_cancelled: bool,
    is_cancelled: bool,
    level: ReformAction | None,
    renamed: bool,
    changed: Iterable[str],
    context: Iterable[ReformAction] = (),
) -> tuple[ReformAction, ...]:
    """The actions that turn one version of a matter into the next, in report order, given what changed:
    取消 (在用 → 已取消), 新增 (已取消 → 在用), the level move (`level_action`), 更名, and 调整 when an element
    changed that none of these (nor `context`: actions the caller reports for the pair, e.g. 合并) accounts for.
    `changed`: the names of the elements that differ (non-empty)."""
    context = tuple(context)
    actions: list[ReformAction] = []
    if not was_cancelled and is_cancelled:
        actions.append(ReformAction.CANCELLED)
    elif was_cancelled and not is_cancelled:
        actions.append(ReformAction.ADDED)
    if level is not None:
        actions.append(level)
    if renamed:
        actions.append(ReformAction.RENAMED)
    explained = frozenset().union(*(EXPLAINED.get(a, frozenset()) for a in (*actions, *context)))
    if actions or context:
        explained |= ALONGSIDE
    if not (actions or context) or any(element not in explained for element in changed):
        actions.append(ReformAction.ADJUSTED)
    return tuple(sorted(actions, key=lambda a: a.rank))


# ---- what became of a matter that is gone ----------------------------------------------------------------------


class Fate(StrEnum):
    """What became of an entry that was active (在用) before, judged over what came after."""

    KEPT = "kept"  # same code, still 在用
    SUSPENDED = "suspended"  # same code, now 暂停
    MERGED = (
        "merged"  # gone; a current entry names it in 合并自 (or: its base was merged, its region implements the target)
    )
    SPLIT = (
        "split"  # gone; a current entry names it in 拆分自 (or: its base was split, its region implements a product)
    )
    DELEGATED = "delegated"  # gone; the same base entry is now exercised at a lower level in its region
    RENUMBERED = "renumbered"  # gone; a current entry names it in 原事项编码 at the same or a higher level
    CANCELLED = "cancelled"  # gone (absent or 已取消) and none of the above

    @property
    def action(self) -> ReformAction | None:
        """The reform action this fate is (none for kept, suspended or renumbered: the matter goes on)."""
        return _FATE_ACTION.get(self)


_FATE_ACTION = {
    Fate.MERGED: ReformAction.MERGED,
    Fate.SPLIT: ReformAction.SPLIT,
    Fate.DELEGATED: ReformAction.DELEGATED,
    Fate.CANCELLED: ReformAction.CANCELLED,
}

F = TypeVar("F", bound=Facts)


class Successors(Generic[F]):
    """The later version of a catalogue (or the later side of a change), indexed for `fate`.

    `implementers(basic_code)`: the active implementation entries of a base code on the later side beyond those
    given (diff gives only the changed files, and looks the rest up); stats gives the whole snapshot and none."""

    def __init__(self, later: Iterable[F], implementers: Callable[[str], Sequence[F]] | None = None) -> None:
        later = list(later)
        self.by_code: dict[str, F] = {r.code: r for r in later}
        self.implementers = implementers
        self.merged_into: dict[str, list[F]] = defaultdict(list)
        self.split_into: dict[str, list[F]] = defaultdict(list)
        self.renumbered_into: dict[str, list[F]] = defaultdict(list)
        self.impl_by_basic: dict[str, list[F]] = defaultdict(list)
        self.merged_base_into: dict[str, list[str]] = defaultdict(list)  # merged basic code -> bases it went into
        self.split_base_into: dict[str, list[str]] = defaultdict(list)  # split basic code -> the bases it became
        self.impl_merged_basic: dict[tuple[str, str | None], list[F]] = defaultdict(list)  # impls naming a base
        for r in later:
            if r.status != ACTIVE:
                continue
            for code in r.merged_from:
                self.merged_into[code].append(r)
            if r.split_from:
                self.split_into[r.split_from].append(r)
                if r.kind != IMPLEMENTATION:
                    self.split_base_into[r.split_from].append(r.code)
            for previous in r.previous_codes:
                self.renumbered_into[previous].append(r)
            if r.kind == IMPLEMENTATION:
                self.impl_by_basic[r.basic_code].append(r)
                for code in r.merged_from:
                    if len(code) == 12:
                        self.impl_merged_basic[(code, r.region)].append(r)
            else:
                for merged in r.merged_from:
                    self.merged_base_into[merged].append(r.code)
        self._looked_up: dict[str, list[F]] = {}

    def implementing(self, basic_code: str) -> list[F]:
        """The active implementation entries of `basic_code` on the later side."""
        found = list(self.impl_by_basic.get(basic_code, ()))
        if self.implementers is not None:
            if basic_code not in self._looked_up:
                self._looked_up[basic_code] = [r for r in self.implementers(basic_code) if r.status == ACTIVE]
            seen = {r.code for r in found}
            found += [r for r in self._looked_up[basic_code] if r.code not in seen]
        return found

    def _in_region(self, targets: Iterable[str], region: str | None) -> list[F]:
        return [r for target in targets for r in self.implementing(target) if r.region == region]

    def fate(self, old: Facts, was_active: Callable[[str], bool]) -> tuple[Fate, tuple[F, ...]]:
        """What became of `old` (active before), with the later entries that show it. `was_active(code)`: whether
        a code was active before (a delegation goes to a new code, or names the old one in 原事项编码)."""
        now = self.by_code.get(old.code)
        if now is not None and now.status == ACTIVE:
            return Fate.KEPT, (now,)
        if now is not None and now.status == SUSPENDED:
            return Fate.SUSPENDED, (now,)
        implementation = old.kind == IMPLEMENTATION
        if self.merged_into.get(old.code):
            return Fate.MERGED, tuple(self.merged_into[old.code])
        if implementation:
            into = self.impl_merged_basic.get((old.basic_code, old.region), [])
            into = into + self._in_region(self.merged_base_into.get(old.basic_code, ()), old.region)
            if into:
                return Fate.MERGED, tuple(dict.fromkeys(into))
        if self.split_into.get(old.code):
            return Fate.SPLIT, tuple(self.split_into[old.code])
        if implementation:
            products = self._in_region(self.split_base_into.get(old.basic_code, ()), old.region)
            if products:
                return Fate.SPLIT, tuple(products)
            takers = tuple(  # a new code (or one naming it): on the later side as given, never looked up
                r
                for r in self.impl_by_basic.get(old.basic_code, ())
                if level_action(old, r) is ReformAction.DELEGATED
                and (old.code in r.previous_codes or not was_active(r.code))
            )
            if takers:
                return Fate.DELEGATED, takers
        if self.renumbered_into.get(old.code):
            return Fate.RENUMBERED, tuple(self.renumbered_into[old.code])
        return Fate.CANCELLED, ()


def fates(before: Sequence[Facts], after: Sequence[F]) -> dict[str, Fate]:
    """Code -> Fate for every entry of `before` that was 在用, judged over all entries of `after` (never a filtered
    part, so an entry delegated to another department's or region's body is not counted as cancelled)."""
    successors: Successors[F] = Successors(after)
    was_active = {r.code for r in before if r.status == ACTIVE}
    return {old.code: successors.fate(old, was_active.__contains__)[0] for old in before if old.status == ACTIVE}
