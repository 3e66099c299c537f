"""Building published lists from definitions: select matters (or their materials), split, group, sort, number,
and read each column's element — the rows every format renders, so all formats show the same list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from mattercli.export.catalogue import Catalogue
from mattercli.export.definitions import LoadedDefinition
from mattercli.export.elements import Matter, Resolver, RowContext, Value, compile_path, department_of
from mattercli.export.filters import material_matches, selects
from mattercli.export.output import check_name
from mattercli.models import ImplementationEntry, Material
from mattercli.models.lists import Column, GroupBy, ListDefinition, RowUnit, SortOrder, SplitBy

BASE_GROUP = "基本目录"


@dataclass(frozen=True, slots=True)
class Row:
    """One row: the matter it comes from, its group (None when the list is not grouped) and its cells."""

    code: str
    group: str | None
    values: tuple[Value, ...]


@dataclass
class ExportList:
    """A list ready to render. Split definitions give one ExportList per region (`region` set)."""

    name: str
    stem: str
    file: str
    definition: ListDefinition
    rows: list[Row]
    region: str | None = None

    @property
    def columns(self) -> list[Column]:
        return self.definition.columns

    @property
    def headers(self) -> list[str]:
        return [c.title for c in self.definition.columns]

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


@lru_cache(maxsize=100_000)
def pinyin_key(text: str) -> tuple[str, ...]:
    """Sort key in pinyin order (汉字 by reading, other characters as they are)."""
    return tuple(lazy_pinyin(text))


@dataclass(frozen=True, slots=True)
class _Item:
    matter: Matter
    material: Material | None
    material_index: int


class ListBuilder:
    """Turns definitions into ExportLists over one catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    # --- keys --------------------------------------------------------------------------------------------------

    def _department_key(self, matter: Matter) -> tuple[int, tuple[str, ...], str]:
        name = department_of(matter)
        return (self.catalogue.department_rank.get(name, len(self.catalogue.department_rank)), pinyin_key(name), name)

    def _region_label(self, matter: Matter) -> str:
        if not isinstance(matter, ImplementationEntry):
            return BASE_GROUP
        name = self.catalogue.region_name(matter.region)
        return f"{name}({matter.region})" if name else matter.region

    def _group(self, by: GroupBy | None, matter: Matter) -> tuple[Any, str | None]:
        if by is GroupBy.DEPARTMENT:
            return self._department_key(matter), department_of(matter)
        if by is GroupBy.REGION:
            region = matter.region if isinstance(matter, ImplementationEntry) else ""
            return region, self._region_label(matter)
        if by is GroupBy.TYPE:
            return matter.type.code, matter.type.value
        return (), None

    def _sort_key(self, order: SortOrder, matter: Matter) -> tuple[Any, ...]:
        if order is SortOrder.DEPARTMENT:
            return (self._department_key(matter), matter.code)
        if order is SortOrder.PINYIN:
            return (pinyin_key(matter.name), matter.name, matter.code)
        return (matter.code,)

    # --- building ----------------------------------------------------------------------------------------------

    def _items(self, definition: ListDefinition, matters: Iterable[Matter]) -> list[_Item]:
        items = []
        for matter in matters:
            if definition.row_unit is RowUnit.MATERIAL:
                for i, material in enumerate(matter.materials):
                    if material_matches(definition.filter, material):
                        items.append(_Item(matter, material, i))
            else:
                items.append(_Item(matter, None, 0))
        return items

    def _rows(self, definition: ListDefinition, matters: Sequence[Matter]) -> list[Row]:
        keyed = []
        for item in self._items(definition, matters):
            group_key, label = self._group(definition.group, item.matter)
            keyed.append(((group_key, self._sort_key(definition.sort, item.matter), item.material_index), label, item))
        keyed.sort(key=lambda k: k[0])
        rows = []
        number = 0
        previous: str | None = None
        columns = [(compile_path(c.path), compile_path(c.fallback) if c.fallback else None) for c in definition.columns]
        for _key, label, item in keyed:
            number = number + 1 if label == previous else 1  # 序号 restarts in each group
            previous = label
            ctx = self._context(item, number)
            rows.append(Row(item.matter.code, label, tuple(_cell(path, fallback, ctx) for path, fallback in columns)))
        return rows

    def _context(self, item: _Item, number: int) -> RowContext:
        matter = item.matter
        region = self.catalogue.region_name(matter.region) if isinstance(matter, ImplementationEntry) else ""
        mode = self.catalogue.proof_list_mode(item.material.name) if item.material is not None else ""
        return RowContext(matter, self.catalogue.base_of(matter), item.material, number, region, mode)

    def build(self, loaded: LoadedDefinition) -> list[ExportList]:
        definition = loaded.definition
        matters = [m for m in self.catalogue.matters if selects(definition, m)]
        if definition.split is not SplitBy.REGION:
            rows = self._rows(definition, matters)
            return [ExportList(definition.name, definition.stem, loaded.file, definition, rows)]
        by_region: dict[str, list[Matter]] = {}
        for m in matters:
            if isinstance(m, ImplementationEntry):
                by_region.setdefault(m.region, []).append(m)
        out = []
        for code in sorted(by_region):
            name = self.catalogue.region_name(code)
            out.append(
                ExportList(
                    f"{definition.name}({name or code})",
                    f"{definition.stem}-{code}" + (f"-{name}" if name else ""),
                    loaded.file,
                    definition,
                    self._rows(definition, by_region[code]),
                    region=code,
                )
            )
        return out


def _cell(path: Resolver, fallback: Resolver | None, ctx: RowContext) -> Value:
    value = path(ctx)
    if value == "" and fallback is not None:
        return fallback(ctx)
    return value


def checked(export: ExportList) -> ExportList:
    """The list, if its file name stem is one safe path component (no traversal, separators, control chars)."""
    check_name(export.stem, f"清单「{export.name}」({export.file})的文件名")
    return export


def build_lists(
    definitions: Sequence[LoadedDefinition], catalogue: Catalogue, wanted: Callable[[ExportList], bool] | None = None
) -> list[ExportList]:
    """Every list of the definitions (split ones expanded), in definition order; `wanted` picks some."""
    builder = ListBuilder(catalogue)
    out: list[ExportList] = []
    for loaded in definitions:
        out.extend(checked(x) for x in builder.build(loaded) if wanted is None or wanted(x))
    return out
