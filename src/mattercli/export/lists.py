"""Building published lists from definitions: the lists a definition gives (one per region when split), then each
list's rows — its matters' items (made by the workers, records.py) put in order, grouped, numbered and finished —
one list at a time, so that only one list's rows are in memory."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from pypinyin import lazy_pinyin

from mattercli.export.catalogue import Catalogue
from mattercli.export.definitions import LoadedDefinition
from mattercli.export.elements import MERGE_JOIN, Value
from mattercli.export.output import check_name
from mattercli.export.records import ColumnPlan, Entry, Item
from mattercli.model.codes import Level, MatterType
from mattercli.model.lists import (
    Column,
    GroupBy,
    ListDefinition,
    MergeMode,
    Numbering,
    RowUnit,
    SortOrder,
    SplitBy,
)
from mattercli.model.registry import LicenseOrigin

BASE_GROUP = "基本目录"
#: A header's {级}: the level of the list's region (区级主管部门 on a district's 行政许可事项清单).
LEVEL_PLACEHOLDER = "{级}"
_SECTION_NUMERALS = "一二三四五六七八九十"
_ORIGIN_ORDER = {origin: i for i, origin in enumerate(LicenseOrigin)}


def section_title(origin: LicenseOrigin) -> str:
    """「一、中央设定的行政许可事项」: the numeral is fixed by the kind (中央 一, 地方性法规 二, 规章 三)."""
    return f"{_SECTION_NUMERALS[_ORIGIN_ORDER[origin]]}、{origin.section_title}"


def level_word(level: Level | None, name: str) -> str:
    """省级, 市级, 区级 / 县级, 乡镇级 …: how a list names its region's level in a header; 本级 when unknown."""
    if level is Level.COUNTY:
        return "区级" if name.endswith("区") else "县级"
    words = {Level.PROVINCE: "省级", Level.PREFECTURE: "市级", Level.TOWNSHIP: "乡镇级", Level.VILLAGE: "村级"}
    return words.get(level, "本级") if level is not None else "本级"


#: 分组: 类型 sorts groups in code-table order (行政备案 has no national code, so the code cannot order them).
_TYPE_ORDER = {t: i for i, t in enumerate(MatterType)}


#: What the site's list pages filter rows by (HTML); a row's Row.facets holds its values of each, in this order.
FACETS = ("事项类型", "部门", "行使层级", "区划")
#: One tuple of values per FACETS entry: one value for a row of one matter, every distinct value of the matters
#: merged into a row per 许可事项 (several 部门 or 区划).
Facets = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One row: the matter it comes from, its group (None when the list is not grouped), its cells and what the
    site filters it by (FACETS)."""

    code: str
    group: str | None
    values: tuple[Value, ...]
    facets: Facets = ()

    def __reduce__(self) -> tuple[type[Row], tuple[str, str | None, tuple[Value, ...], Facets]]:
        # Lists go to the workers pickled; the dataclass default (a state dict per row) is several times slower.
        # Rows of one matter share one facets tuple, which pickle then writes once.
        return (Row, (self.code, self.group, self.values, self.facets))


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One list to export: a definition, or one region's list of a split definition (`region` set)."""

    name: str
    stem: str
    file: str
    definition: ListDefinition
    index: int  # the definition's place among those loaded (records.LoadPlan.definitions)
    region: str | None = None
    region_name: str = ""
    level: str = "本级"  # what a header's {级} reads (level_word)


@dataclass
class ExportList:
    """A list ready to render."""

    spec: ListSpec
    rows: list[Row]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stem(self) -> str:
        return self.spec.stem

    @property
    def file(self) -> str:
        return self.spec.file

    @property
    def definition(self) -> ListDefinition:
        return self.spec.definition

    @property
    def region(self) -> str | None:
        return self.spec.region

    @property
    def columns(self) -> list[Column]:
        return self.definition.columns

    @property
    def headers(self) -> list[str]:
        return [c.title.replace(LEVEL_PLACEHOLDER, self.spec.level) for c in self.definition.columns]

    def groups(self) -> list[tuple[str | None, list[Row]]]:
        """Consecutive rows of one group (a single (None, rows) pair when the list is not grouped)."""
        out: list[tuple[str | None, list[Row]]] = []
        for row in self.rows:
            if out and out[-1][0] == row.group:
                out[-1][1].append(row)
            else:
                out.append((row.group, [row]))
        return out or [(None, [])]

    def codes(self) -> list[str]:
        return list(dict.fromkeys(row.code for row in self.rows))


@dataclass(frozen=True, slots=True)
class ListSummary:
    """A list once written: what the manifest, the HTML index and the summary say of it."""

    spec: ListSpec
    rows: int

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stem(self) -> str:
        return self.spec.stem


@lru_cache(maxsize=100_000)
def pinyin_key(text: str) -> tuple[str, ...]:
    """Sort key in pinyin order (汉字 by reading, other characters as they are)."""
    return tuple(lazy_pinyin(text))


def checked(spec: ListSpec) -> ListSpec:
    """The list, if its file name stem is one safe path component (no traversal, separators, control chars)."""
    check_name(
        spec.stem, f"清单「{spec.name}」({spec.file})的文件名", f"the file name of list '{spec.name}' ({spec.file})"
    )
    return spec


def list_specs(
    definitions: Sequence[LoadedDefinition], catalogue: Catalogue, wanted: Callable[[ListSpec], bool] | None = None
) -> list[ListSpec]:
    """Every list of the definitions (split ones expanded by region), in definition order; `wanted` picks some.
    The definitions are those the catalogue was loaded with, in the same order."""
    out: list[ListSpec] = []
    for index, loaded in enumerate(definitions):
        d = loaded.definition
        if d.split is not SplitBy.REGION:
            region = d.filter.regions[0] if len(d.filter.regions) == 1 else None
            name = catalogue.lookups.region_name(region) if region else ""
            level = level_word(catalogue.lookups.region_level(region), name) if region else "本级"
            specs = [ListSpec(d.name, d.stem, loaded.file, d, index, None, name, level)]
        else:
            specs = []
            for code in sorted(catalogue.regions[index]):
                name = catalogue.lookups.region_name(code)
                stem = f"{d.stem}-{code}" + (f"-{name}" if name else "")
                level = level_word(catalogue.lookups.region_level(code), name)
                specs.append(ListSpec(f"{d.name}({name or code})", stem, loaded.file, d, index, code, name, level))
        out.extend(checked(s) for s in specs if wanted is None or wanted(s))
    return out


_Keyed = tuple[tuple[Any, ...], str | None, int, tuple[Value, ...]]  # (sort key, group label, entry, slots)


class ListBuilder:
    """Builds the rows of lists over one catalogue; remembers which matters are on the lists it built."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.on_lists = bytearray(len(catalogue.entries))
        self._facets: dict[Facets, Facets] = {}  # one object per distinct facets, shared by the rows having it

    def facets(self, entry_indexes: Iterable[int]) -> Facets:
        """The FACETS values of a row made from these entries (distinct values, in first-seen order)."""
        values: list[dict[str, None]] = [{} for _ in FACETS]
        entries = self.catalogue.entries
        for index in entry_indexes:
            entry = entries[index]
            values[0][entry.type.value] = None
            values[1][entry.department] = None
            values[2].update(dict.fromkeys(level.value for level in entry.levels))
            values[3][self._region_label(entry)] = None
        key = tuple(tuple(v) for v in values)
        return self._facets.setdefault(key, key)

    # --- keys --------------------------------------------------------------------------------------------------

    def _department_key(self, entry: Entry) -> tuple[int, tuple[str, ...], str]:
        rank = self.catalogue.lookups.department_rank
        return (rank.get(entry.department, len(rank)), pinyin_key(entry.department), entry.department)

    def _region_label(self, entry: Entry) -> str:
        if entry.region is None:
            return BASE_GROUP
        name = self.catalogue.lookups.region_name(entry.region)
        return f"{name}({entry.region})" if name else entry.region

    def _group(self, by: GroupBy | None, entry: Entry) -> tuple[Any, str | None]:
        if by is GroupBy.DEPARTMENT:
            return self._department_key(entry), entry.department
        if by is GroupBy.REGION:
            return entry.region or "", self._region_label(entry)
        if by is GroupBy.TYPE:
            return _TYPE_ORDER[entry.type], entry.type.value
        if by is GroupBy.ORIGIN:
            return _ORIGIN_ORDER[entry.origin], section_title(entry.origin)
        return (), None

    def _sort_key(self, order: SortOrder, entry: Entry) -> tuple[Any, ...]:
        if order is SortOrder.DEPARTMENT:
            return (self._department_key(entry), entry.code)
        if order is SortOrder.PINYIN:
            return (pinyin_key(entry.name), entry.name, entry.code)
        return (entry.code,)

    # --- building ----------------------------------------------------------------------------------------------

    def selected(self, index: int, regions: set[str] | None = None) -> Iterator[tuple[int, bytes]]:
        """(entry index, pickled items) of every matter definition `index` selects, in file order; only
        implementation entries of `regions` when given."""
        entries = self.catalogue.entries
        for entry_index, data in self.catalogue.rows[index].records():
            if regions is None or entries[entry_index].region in regions:
                yield entry_index, data

    def rows(self, definition: ListDefinition, selected: Iterable[tuple[int, bytes]]) -> list[Row]:
        """The list's rows from the records of the matters it holds (records.MatterRecord.rows)."""
        entries = self.catalogue.entries
        keyed: list[_Keyed] = []
        shared: dict[Value, Value] = {}  # one object per distinct cell value: most repeat (departments, labels …)
        for entry_index, data in selected:
            items: tuple[Item, ...] = pickle.loads(data)
            entry = entries[entry_index]
            group_key, label = self._group(definition.group, entry)
            sort_key = self._sort_key(definition.sort, entry)
            for material, slots in items:
                kept = tuple([shared.setdefault(v, v) for v in slots])
                keyed.append(((group_key, sort_key, material), label, entry_index, kept))
        members: dict[str, list[int]] = {}  # 每行: 许可事项: the entries merged into each row, by 基本编码
        if definition.row_unit is RowUnit.LICENCE:
            keyed = self._per_licence(definition, keyed, members)
        keyed.sort(key=itemgetter(0))
        keyed.reverse()  # taken from the end below, so that each item is freed as its row is made
        columns = [ColumnPlan(c, self.catalogue.plan.base_paths) for c in definition.columns]
        finishing = [(i, column) for i, column in enumerate(columns) if column.needs_finish]
        base_values = self.catalogue.base_values
        rows = []
        number = 0
        previous: str | None = None
        while keyed:
            _key, label, entry_index, slots = keyed.pop()
            restart = label != previous and definition.numbering is Numbering.PER_GROUP
            number = 1 if restart else number + 1  # 序号 restarts in each group, unless 序号编排: 连续
            previous = label
            entry = entries[entry_index]
            self.on_lists[entry_index] = 1
            values = slots
            code = entry.basic_code if definition.row_unit is RowUnit.LICENCE else entry.code
            if finishing:
                base = base_values.get(entry.basic_code)
                cells = list(slots)
                for i, column in finishing:
                    cells[i] = column.finish(slots[i], number, base)
                values = tuple(cells)
            facets = self.facets(members[code] if members else (entry_index,))
            rows.append(Row(code, label, values, facets))
        return rows

    def _per_licence(
        self, definition: ListDefinition, keyed: list[_Keyed], members: dict[str, list[int]]
    ) -> list[_Keyed]:
        """One item per 基本编码 (每行: 许可事项): placed where its first matter (in the list's order) would be, each
        column's values merged — the distinct non-empty ones joined with 、 (合并: 连接), or the first (首个).
        `members` gets the entries of each 基本编码."""
        entries = self.catalogue.entries
        by_code: dict[str, list[_Keyed]] = {}
        for item in sorted(keyed, key=itemgetter(0)):
            by_code.setdefault(entries[item[2]].basic_code, []).append(item)
        modes = [c.merge for c in definition.columns]
        out: list[_Keyed] = []
        for items in by_code.values():
            key, label, entry_index, _ = items[0]
            merged: list[Value] = []
            for i, mode in enumerate(modes):
                values = [slots[i] for *_, slots in items if slots[i] != ""]
                if mode is MergeMode.FIRST or len(values) <= 1:
                    merged.append(values[0] if values else "")
                else:
                    merged.append(MERGE_JOIN.join(dict.fromkeys(str(v) for v in values)))
            for other in items[1:]:
                self.on_lists[other[2]] = 1
            members[entries[entry_index].basic_code] = list(dict.fromkeys(item[2] for item in items))
            out.append((key, label, entry_index, tuple(merged)))
        return out

    def build(self, specs: Sequence[ListSpec]) -> Iterator[ExportList]:
        """The lists of `specs` with their rows, one at a time (specs of one definition read its records once)."""
        for index, group in groupby(specs, key=lambda s: s.index):
            same = list(group)
            definition = same[0].definition
            if definition.split is not SplitBy.REGION:
                for spec in same:
                    yield ExportList(spec, self.rows(definition, self.selected(index)))
                continue
            # The definition's records are read once; each region's stay pickled until its list is built.
            by_region: dict[str, list[tuple[int, bytes]]] = {}
            entries = self.catalogue.entries
            for entry_index, data in self.selected(index, {s.region for s in same if s.region is not None}):
                region = entries[entry_index].region
                if region is not None:
                    by_region.setdefault(region, []).append((entry_index, data))
            for spec in same:
                assert spec.region is not None
                yield ExportList(spec, self.rows(definition, by_region.pop(spec.region, [])))
