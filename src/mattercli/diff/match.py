"""Matching the old and new versions of the changed matter files and classifying each match as reform actions.

Order of matching: the same code; lineage (原事项编码 names the old code); 合并自 / 拆分自 groups; the same file
with a new code; name + department similarity ("probable"); then, for an old matter still unmatched, what the
lineage rules of mattercli.diff.actions (the ones stats applies) say became of it. Whatever is left is 新增 or
取消. The actions of a matched pair are mattercli.diff.actions.pair_actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from mattercli.catalogue.yamlio import Document
from mattercli.diff.actions import Fate, MatterFacts, Successors, facts_of, level_action, pair_actions
from mattercli.diff.elements import ChangeKind, ElementChange, compare_matters
from mattercli.diff.reform import MatchBasis, MatterChange, MatterRef, Move, ReformAction
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import MatterStatus

Matter = BaseEntry | ImplementationEntry

#: Least combined score (0.7 × name + 0.3 × department similarity, 0–100) for a probable match, and least name score.
PROBABLE_SCORE = 80.0
PROBABLE_NAME = 70.0


@dataclass(slots=True)
class Entry:
    """One changed matter file on one side of the comparison; `matter` is None when it fails the schema."""

    file: str
    document: Document
    matter: Matter | None
    git_pair: str | None = None  # the file git paired it with (same path, or a detected rename)

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data if isinstance(self.document.data, dict) else {}

    @property
    def code(self) -> str | None:
        if self.matter is not None:
            return self.matter.code
        value = self.data.get("实施编码", self.data.get("基本编码"))
        return None if value is None else str(value)

    @property
    def kind(self) -> str:
        return "implementation" if "实施编码" in self.data else "base"

    @property
    def name(self) -> str | None:
        value = self.matter.name if self.matter is not None else self.data.get("事项名称")
        return None if value is None else str(value)

    @property
    def department(self) -> str | None:
        m = self.matter
        if isinstance(m, ImplementationEntry):
            return m.body.name
        if isinstance(m, BaseEntry):
            return m.guiding_department
        body = self.data.get("实施主体")
        value = body.get("名称") if isinstance(body, dict) else self.data.get("主管部门")
        return None if value is None else str(value)

    @property
    def cancelled(self) -> bool:
        return self.matter is not None and self.matter.status is MatterStatus.CANCELLED

    @property
    def facts(self) -> MatterFacts | None:
        return facts_of(self.matter) if self.matter is not None else None

    def ref(self) -> MatterRef:
        m = self.matter
        level = region = None
        if isinstance(m, ImplementationEntry):
            level, region = m.level.value, m.region
        elif isinstance(m, BaseEntry):
            level = "、".join(lv.value for lv in m.levels)
        return MatterRef(
            code=self.code or "",
            name=self.name,
            file=self.file,
            kind=self.kind,
            level=level,
            region=region,
            department=self.department,
            status=m.status.value if m is not None else None,
        )


def _time_delta(old: Matter, new: Matter, elements: Iterable[ElementChange]) -> float | None:
    promised = any(getattr(m, "promised_time_limit", None) is not None for m in (old, new))
    target = "承诺办结时限" if promised else "法定办结时限"
    for e in elements:
        if e.element == target and e.kind in (ChangeKind.SHORTENED, ChangeKind.LENGTHENED):
            return e.delta
    return None


def classify_pair(
    old: Entry,
    new: Entry,
    basis: MatchBasis,
    synonyms: Mapping[str, str],
    similarity: float | None = None,
    context: Iterable[ReformAction] = (),
) -> MatterChange | Move | None:
    """The reform actions that turn `old` into `new` (the same matter); a Move or None when nothing changed.
    `context`: actions the caller already reports for this pair (a 合并 into a matter that keeps its code): the
    elements they account for (合并自) do not make it an 调整 as well."""
    context = tuple(context)
    if old.matter is not None and new.matter is not None:
        if old.matter == new.matter:
            elements: list[ElementChange] = []
        else:
            elements = compare_matters(old.matter, new.matter, synonyms)
    elif old.data == new.data:
        elements = []
    else:
        elements = [ElementChange("(文件)", ChangeKind.CHANGED, None, None, None)]
    if not elements:
        if old.file != new.file:
            return Move(new.code or "", new.name, old.file, new.file)
        return None
    old_facts, new_facts = old.facts, new.facts
    actions = pair_actions(
        was_cancelled=old.cancelled,
        is_cancelled=new.cancelled,
        level=level_action(old_facts, new_facts) if old_facts and new_facts else None,
        renamed=old.name != new.name,
        changed=[e.element for e in elements],
        context=context,
    )
    delta = _time_delta(old.matter, new.matter, elements) if old.matter and new.matter else None
    return MatterChange(
        actions,
        (old.ref(),),
        (new.ref(),),
        basis,
        tuple(elements),
        similarity,
        delta,
    )


@dataclass
class Matching:
    """Work state of one comparison: the entries of both sides and the pairs found so far."""

    olds: list[Entry]
    news: list[Entry]
    lookup: Callable[[str], MatterRef | None]  # a matter outside the change, by code, on the old side
    synonyms: Mapping[str, str]
    pairs: dict[int, tuple[int, MatchBasis, float | None]] = field(default_factory=dict)  # new index -> old
    taken: set[int] = field(default_factory=set)  # old indexes paired or consumed
    groups: list[MatterChange] = field(default_factory=list)
    absorbed_news: set[int] = field(default_factory=set)  # new indexes reported inside a 合并/拆分 group

    def __post_init__(self) -> None:
        self.old_by_code: dict[str, int] = {}
        for i, e in enumerate(self.olds):
            if e.code:
                self.old_by_code.setdefault(e.code, i)

    def pair(self, n: int, o: int, basis: MatchBasis, similarity: float | None = None) -> None:
        self.pairs[n] = (o, basis, similarity)
        self.taken.add(o)

    def unpaired_news(self) -> list[int]:
        return [n for n in range(len(self.news)) if n not in self.pairs and n not in self.absorbed_news]

    def unpaired_olds(self) -> list[int]:
        return [o for o in range(len(self.olds)) if o not in self.taken]

    def paired_new_of(self, o: int) -> int | None:
        return next((n for n, (po, _b, _s) in self.pairs.items() if po == o), None)


def _match_codes(m: Matching) -> None:
    for n, entry in enumerate(m.news):
        o = m.old_by_code.get(entry.code or "")
        if o is not None and o not in m.taken:
            m.pair(n, o, MatchBasis.CODE)


def _match_recodes(m: Matching) -> None:
    for n in m.unpaired_news():
        matter = m.news[n].matter
        for code in matter.previous_codes if matter is not None else ():
            o = m.old_by_code.get(code)
            if o is not None and o not in m.taken:
                m.pair(n, o, MatchBasis.LINEAGE)
                break


def _source(m: Matching, code: str, absorb_kept: bool) -> tuple[MatterRef, MatterChange | None]:
    """An old matter named by 合并自 / 拆分自. It is consumed from the change when it was deleted or cancelled in
    it; when it stays in use (kept, maybe changed) its own change is absorbed only with `absorb_kept` (拆分: the
    source keeps part of its scope) and returned, else left to be reported on its own."""
    o = m.old_by_code.get(code)
    if o is None:
        return m.lookup(code) or MatterRef(code, None, None, None), None
    entry = m.olds[o]
    if o not in m.taken:
        m.taken.add(o)
        return entry.ref(), None
    n = m.paired_new_of(o)
    if n is None or n in m.absorbed_news:
        return entry.ref(), None
    survivor = m.news[n]
    if survivor.cancelled:
        m.absorbed_news.add(n)
        return entry.ref(), None
    if not absorb_kept:
        return entry.ref(), None
    m.absorbed_news.add(n)
    change = classify_pair(entry, survivor, m.pairs[n][1], m.synonyms)
    if isinstance(change, MatterChange):
        return entry.ref(), change
    return entry.ref(), MatterChange((), (entry.ref(),), (survivor.ref(),), m.pairs[n][1])


def _match_merges(m: Matching) -> None:
    for n, entry in enumerate(m.news):
        matter = entry.matter
        if matter is None or not matter.merged_from or n in m.absorbed_news:
            continue
        paired = m.pairs.get(n)
        before = m.olds[paired[0]].matter if paired else None
        codes = [c for c in matter.merged_from if before is None or c not in before.merged_from]
        if not codes:
            continue
        sources = [_source(m, c, absorb_kept=False)[0] for c in codes]
        m.absorbed_news.add(n)
        if paired is None:
            m.groups.append(MatterChange((ReformAction.MERGED,), tuple(sources), (entry.ref(),), MatchBasis.LINEAGE))
            continue
        old = m.olds[paired[0]]
        change = classify_pair(old, entry, paired[1], m.synonyms, context=(ReformAction.MERGED,))
        extra = change if isinstance(change, MatterChange) else None
        actions = {ReformAction.MERGED, *(extra.actions if extra else ())}
        m.groups.append(
            MatterChange(
                tuple(sorted(actions, key=lambda a: a.rank)),
                (old.ref(), *sources),
                (entry.ref(),),
                paired[1],
                extra.elements if extra else (),
                None,
                extra.time_delta if extra else None,
            )
        )


def _match_splits(m: Matching) -> None:
    products: dict[str, list[int]] = {}
    for n in m.unpaired_news():
        matter = m.news[n].matter
        if matter is not None and matter.split_from:
            products.setdefault(matter.split_from, []).append(n)
    for code, ns in products.items():
        source, kept = _source(m, code, absorb_kept=True)
        m.absorbed_news.update(ns)
        new_refs = [m.news[n].ref() for n in ns]
        actions = {ReformAction.SPLIT}
        if kept is not None:
            new_refs.insert(0, kept.new[0])
            actions.update(kept.actions)
        m.groups.append(
            MatterChange(
                tuple(sorted(actions, key=lambda a: a.rank)),
                (source,),
                tuple(new_refs),
                MatchBasis.LINEAGE,
                kept.elements if kept else (),
                None,
                kept.time_delta if kept else None,
            )
        )


def _match_files(m: Matching) -> None:
    old_by_file = {e.file: i for i, e in enumerate(m.olds)}
    for n in m.unpaired_news():
        entry = m.news[n]
        for file in (entry.file, entry.git_pair):
            o = old_by_file.get(file or "")
            if o is not None and o not in m.taken and m.olds[o].kind == entry.kind:
                m.pair(n, o, MatchBasis.FILE)
                break


def _match_probable(m: Matching) -> None:
    """Name + department similarity between what is left, same kind and 事项类型; best scores first."""
    olds = [o for o in m.unpaired_olds() if m.olds[o].name]
    if not olds:
        return
    names = [m.olds[o].name or "" for o in olds]
    candidates: list[tuple[float, int, int]] = []
    for n in m.unpaired_news():
        entry = m.news[n]
        if not entry.name:
            continue
        found = process.extract(entry.name, names, scorer=fuzz.ratio, score_cutoff=PROBABLE_NAME, limit=10)
        for _name, name_score, index in found:
            old = m.olds[olds[index]]
            if old.kind != entry.kind or old.data.get("事项类型") != entry.data.get("事项类型"):
                continue
            dept_score = fuzz.ratio(old.department or "", entry.department or "")
            score = 0.7 * name_score + 0.3 * dept_score
            if score >= PROBABLE_SCORE:
                candidates.append((score, n, olds[index]))
    for score, n, o in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if n not in m.pairs and o not in m.taken:
            m.pair(n, o, MatchBasis.PROBABLE, round(score, 1))


def _match_fates(m: Matching, implementers: Callable[[str], Sequence[Entry]] | None, wanted: tuple[Fate, ...]) -> None:
    """Old matters nothing matched: what the lineage rules stats applies too (diff.actions.Successors) say became
    of them — merged or split through their base entry, delegated to a new code — before they count as 取消.
    Only the `wanted` fates are taken: 合并/拆分 before a git rename or a similar name pairs files, 下放 after.
    `implementers(basic_code)`: the new side's implementation entries of a base code outside the change."""
    olds = [o for o in m.unpaired_olds() if m.olds[o].matter is not None and not m.olds[o].cancelled]
    if not olds:
        return
    later = [facts_of(e.matter, origin=n) for n, e in enumerate(m.news) if e.matter is not None]

    def outside(basic_code: str) -> list[MatterFacts]:
        assert implementers is not None
        return [facts_of(e.matter, origin=e) for e in implementers(basic_code) if e.matter is not None]

    successors = Successors(later, outside if implementers is not None else None)
    was_active = {e.code for e in m.olds if e.matter is not None and e.matter.status is MatterStatus.ACTIVE}
    groups: dict[tuple[Fate, tuple[str, ...]], tuple[list[MatterRef], list[MatterFacts]]] = {}
    for o in olds:
        facts = m.olds[o].facts
        assert facts is not None
        fate, shown = successors.fate(facts, was_active.__contains__)
        if fate not in wanted:
            continue
        single = shown[0].origin if fate is Fate.DELEGATED and len(shown) == 1 else None
        if isinstance(single, int) and single not in m.pairs and single not in m.absorbed_news:
            m.pair(single, o, MatchBasis.LINEAGE)  # one matter, moved down: classify_pair says 下放 (+ 调整)
            continue
        m.taken.add(o)
        key = (fate, tuple(sorted(r.code for r in shown)))
        groups.setdefault(key, ([], list(shown)))[0].append(m.olds[o].ref())
    for (fate, _codes), (old_refs, products) in groups.items():
        new_refs = []
        for r in products:
            if isinstance(r.origin, int):
                if r.origin not in m.pairs:
                    m.absorbed_news.add(r.origin)
                new_refs.append(m.news[r.origin].ref())
            else:
                new_refs.append(r.origin.ref())
        action = fate.action
        assert action is not None
        m.groups.append(MatterChange((action,), tuple(old_refs), tuple(new_refs), MatchBasis.LINEAGE))


def match_entries(
    olds: list[Entry],
    news: list[Entry],
    synonyms: Mapping[str, str],
    lookup: Callable[[str], MatterRef | None],
    implementers: Callable[[str], Sequence[Entry]] | None = None,
) -> tuple[list[MatterChange], list[Move]]:
    """Every reform action between the old and new versions of the changed files, and the files only moved.
    `implementers(basic_code)`: the new side's implementation entries of a base code (for a merged or split base
    whose entries are gone: does their region implement what it became?)."""
    m = Matching(olds, news, lookup, synonyms)
    _match_codes(m)
    _match_recodes(m)
    _match_merges(m)
    _match_splits(m)
    _match_fates(m, implementers, (Fate.MERGED, Fate.SPLIT))
    _match_files(m)
    _match_probable(m)
    _match_fates(m, implementers, (Fate.DELEGATED,))
    changes = list(m.groups)
    moves: list[Move] = []
    for n, (o, basis, similarity) in sorted(m.pairs.items()):
        if n in m.absorbed_news:
            continue
        result = classify_pair(m.olds[o], m.news[n], basis, synonyms, similarity)
        if isinstance(result, Move):
            moves.append(result)
        elif result is not None:
            changes.append(result)
    for n in m.unpaired_news():
        entry = m.news[n]
        if entry.code:
            changes.append(MatterChange((ReformAction.ADDED,), (), (entry.ref(),), MatchBasis.NONE))
    for o in m.unpaired_olds():
        entry = m.olds[o]
        if entry.code and not entry.cancelled:
            changes.append(MatterChange((ReformAction.CANCELLED,), (entry.ref(),), (), MatchBasis.NONE))
    changes.sort(key=MatterChange.sort_key)
    moves.sort(key=lambda mv: mv.new_file)
    return changes, moves
