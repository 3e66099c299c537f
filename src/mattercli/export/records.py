"""What a worker makes of one matter for the export, so that the parsed matter (≈18 KB as models, and slow to
pickle) never leaves the worker: the matter's entry (the elements lists select, sort and group by), the cells of
the rows each list definition gives it, the values a base entry lends (基本目录.<path>), and its page bodies.

Cells that depend on more than the matter are finished where the rows are put in order (`ColumnPlan.finish`):
序号 once the list is sorted, 基本目录.<path> once every base entry is known (it may be in a later file)."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from mattercli.catalogue.catalog import Registries
from mattercli.catalogue.snapshot import parse_matter
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, load_bytes
from mattercli.check.proof_review import ProofLists
from mattercli.export.elements import (
    BASE_PREFIX,
    ROW_NUMBER,
    Matter,
    Resolver,
    RowContext,
    Value,
    compile_path,
    department_of,
    matter_value,
)
from mattercli.export.filters import material_matches, selects
from mattercli.model import BaseEntry, ImplementationEntry, LicenseOrigin, Material, Responsibility
from mattercli.model.codes import LawRank, Level, MatterType
from mattercli.model.lists import Column, GroupBy, ListDefinition, RowUnit
from mattercli.model.regions import region_table

#: One row a definition gives a matter before it is finished: the material's index (0 for a row per matter)
#: and one slot per column (see ColumnPlan).
Item = tuple[int, tuple[Value, ...]]
#: The page body of a matter for a format that has matter pages (HtmlExporter.matter_body).
BodyRenderer = Callable[[Matter], str]


@dataclass(frozen=True, slots=True)
class Entry:
    """What the export keeps of every matter: its code and the elements lists select, sort and group by."""

    code: str
    basic_code: str
    name: str
    department: str  # 实施主体 (implementation) or 主管部门 (base)
    type: MatterType
    region: str | None  # 行政区划代码 of an implementation entry; None for a base entry
    origin: LicenseOrigin = LicenseOrigin.CENTRAL  # who set it (分组: 设定类别); see Lookups.origin

    @property
    def is_implementation(self) -> bool:
        return self.region is not None


class Lookups:
    """The registry lookups cells and sort keys need: region names, department order, the proof list."""

    def __init__(self, registries: Registries) -> None:
        self.registries = registries
        self.department_rank = {d.name: i for i, d in enumerate(registries.departments)}
        self._proof_lists = ProofLists(registries)

    def origin(self, matter: Matter) -> LicenseOrigin:
        """Who set the matter: the reference list's 设定类别; else 中央设定 for a national base code (RR 00); else by
        the rank of its 设定依据 (registry/laws.yaml): a 地方性法规 (or none known) 地方性法规设定, only 地方政府规章
        省级人民政府规章设定."""
        for entry in self.registries.licenses_by_code.get(matter.basic_code, ()):
            if entry.origin is not None:
                return entry.origin
        if matter.basic_code.startswith("00"):
            return LicenseOrigin.CENTRAL
        ranks = set()
        for basis in matter.legal_basis:
            law = self.registries.law_by_name.get(basis.law)
            if law is not None:
                ranks.add(law.rank)
        if LawRank.LOCAL_RULE in ranks and LawRank.LOCAL_REGULATION not in ranks:
            return LicenseOrigin.PROVINCIAL_RULE
        return LicenseOrigin.LOCAL_REGULATION

    def region_name(self, code: str) -> str:
        known = self.registries.region_by_code.get(code)
        if known is not None:
            return known.name
        region = region_table().get(code)
        return region.name if region is not None else ""

    def region_level(self, code: str) -> Level | None:
        known = self.registries.region_by_code.get(code)
        if known is not None:
            return known.level
        region = region_table().get(code)
        if region is None:
            return None
        return next((level for level in Level if level.value == region.level), None)

    def proof_list_mode(self, material_name: str) -> str:
        """How the published proof lists handle this proof: the 替代方式 of a cancelled one, 告知承诺, 保留, or
        未列入清单."""
        lists = self._proof_lists
        return lists.mode(lists.key(material_name)) or "未列入清单"


class PathKind(Enum):
    NUMBER = "number"  # 序号: known once the list is in order
    BASE = "base"  # 基本目录.<path>: read from the base entry, which may be in another file
    MATTER = "matter"  # the matter, its material and the registries: known where the matter is parsed


def path_kind(path: str) -> PathKind:
    head = path.split(".", 1)[0]
    if head == ROW_NUMBER:
        return PathKind.NUMBER
    if head == BASE_PREFIX:
        return PathKind.BASE
    return PathKind.MATTER


@dataclass(frozen=True)
class LoadPlan:
    """What the workers are told: the definitions whose rows they make, the registries, the page renderers."""

    definitions: Sequence[ListDefinition]
    registries: Registries
    bodies: Sequence[BodyRenderer] = ()
    base_paths: list[str] = field(init=False)

    def __post_init__(self) -> None:
        paths = [p for d in self.definitions for c in d.columns for p in (c.path, *c.fallbacks)]
        object.__setattr__(self, "base_paths", list(dict.fromkeys(p for p in paths if path_kind(p) is PathKind.BASE)))


class ColumnPlan:
    """One column's cell, made in two steps. The worker fills the slot with the column's value from the matter
    (its element path's, else its fallback's); `finish` then applies the same rule — the path's value, the
    fallback's when that is empty — with 序号 and 基本目录.<path> values, which only the main process knows."""

    def __init__(self, column: Column, base_paths: Sequence[str]) -> None:
        self.paths = [(p, path_kind(p)) for p in (column.path, *column.fallbacks)]
        self.base_slot = {p: base_paths.index(p) for p, kind in self.paths if kind is PathKind.BASE}
        self.needs_finish = any(kind is not PathKind.MATTER for _, kind in self.paths)
        self.matter_count = sum(1 for _, kind in self.paths if kind is PathKind.MATTER)

    def slot_resolver(self) -> Resolver:
        """The worker's part: the first non-empty value of the matter's own paths when that is the whole cell;
        with 序号 or 基本目录.<path> among them and several matter paths, each one's value (a tuple) for `finish`."""
        matter_paths = [compile_path(p) for p, kind in self.paths if kind is PathKind.MATTER]
        if not matter_paths:
            return lambda ctx: ""
        if len(matter_paths) == 1:
            return matter_paths[0]
        if self.needs_finish:
            return lambda ctx: tuple(path(ctx) for path in matter_paths)  # type: ignore[return-value]

        def cell(ctx: RowContext) -> Value:
            for path in matter_paths:
                value = path(ctx)
                if value != "":
                    return value
            return ""

        return cell

    def finish(self, slot: Value, number: int, base: tuple[Value, ...] | None) -> Value:
        value: Value = ""
        seen = 0
        for path, kind in self.paths:
            if kind is PathKind.MATTER:
                value = slot[seen] if self.matter_count > 1 else slot  # type: ignore[index]
                seen += 1
            elif kind is PathKind.NUMBER:
                value = number
            else:
                value = base[self.base_slot[path]] if base is not None else ""
            if value != "":
                return value
        return value


@dataclass(frozen=True, slots=True)
class MatterRecord:
    """A worker's result for one valid matter file."""

    entry: Entry
    #: definition index -> pickled tuple of the Items it gives (possibly none), for each definition selecting it
    rows: dict[int, bytes]
    #: a base entry's values of LoadPlan.base_paths (what implementation entries read as 基本目录.<path>)
    base_values: tuple[Value, ...] | None
    #: one page body per LoadPlan.bodies, when the matter can be on the site (on a list, or a base entry)
    bodies: tuple[str, ...]


class RecordMaker:
    """Turns matter files into MatterRecords (in a worker process) following one LoadPlan."""

    def __init__(self, plan: LoadPlan) -> None:
        self.plan = plan
        self.lookups = Lookups(plan.registries)
        self.definitions = [
            (d, [ColumnPlan(c, plan.base_paths).slot_resolver() for c in d.columns]) for d in plan.definitions
        ]
        self.base_paths = [p.split(".")[1:] for p in plan.base_paths]
        self.origins = any(d.group is GroupBy.ORIGIN for d in plan.definitions)

    def record(self, matter: Matter) -> MatterRecord:
        implementation = isinstance(matter, ImplementationEntry)
        region = matter.region if isinstance(matter, ImplementationEntry) else None
        entry = Entry(
            matter.code,
            matter.basic_code,
            matter.name,
            department_of(matter),
            matter.type,
            region,
            self.lookups.origin(matter) if self.origins else LicenseOrigin.CENTRAL,
        )
        region_name = self.lookups.region_name(region) if region is not None else ""
        rows: dict[int, bytes] = {}
        on_a_list = False
        for index, (definition, slots) in enumerate(self.definitions):
            if not selects(definition, matter):
                continue
            items = self._items(definition, slots, matter, region_name)
            on_a_list = on_a_list or bool(items)
            rows[index] = pickle.dumps(items, pickle.HIGHEST_PROTOCOL)
        base_values = None
        if isinstance(matter, BaseEntry):
            base_values = tuple(matter_value(matter, rest) for rest in self.base_paths)
        bodies: tuple[str, ...] = ()
        if on_a_list or not implementation:
            bodies = tuple(render(matter) for render in self.plan.bodies)
        return MatterRecord(entry, rows, base_values, bodies)

    def _items(
        self, definition: ListDefinition, slots: list[Resolver], matter: Matter, region_name: str
    ) -> tuple[Item, ...]:
        if definition.row_unit is RowUnit.RESPONSIBILITY:
            return tuple(
                (i, self._cells(slots, matter, None, region_name, item))
                for i, item in enumerate(matter.responsibilities)
            )
        if definition.row_unit is not RowUnit.MATERIAL:
            return ((0, self._cells(slots, matter, None, region_name)),)
        return tuple(
            (i, self._cells(slots, matter, material, region_name))
            for i, material in enumerate(matter.materials)
            if material_matches(definition.filter, material)
        )

    def _cells(
        self,
        slots: list[Resolver],
        matter: Matter,
        material: Material | None,
        region_name: str,
        responsibility: Responsibility | None = None,
    ) -> tuple[Value, ...]:
        mode = self.lookups.proof_list_mode(material.name) if material is not None else ""
        licences = tuple(self.lookups.registries.licenses_by_code.get(matter.basic_code, ()))
        ctx = RowContext(matter, None, material, 0, region_name, mode, responsibility, licences)
        return tuple(slot(ctx) for slot in slots)

    def parse(self, chunk: Sequence[tuple[str, bytes]]) -> list[MatterRecord | str]:
        """Each file's record, or the reason it is skipped (rule ids of its problems, or schema)."""
        out: list[MatterRecord | str] = []
        for rel, raw in chunk:
            doc = load_bytes(raw, rel, DEFAULT_MAX_BYTES)
            matter = parse_matter(doc)
            if matter is None:
                out.append(", ".join(sorted({p.rule for p in doc.problems})) or "schema")
            else:
                out.append(self.record(matter))
        return out


# Worker-process state: set by `start_worker` (the pool's initializer, or this process when there is no pool).
_MAKER: RecordMaker | None = None


def start_worker(plan: LoadPlan) -> None:
    global _MAKER
    _MAKER = RecordMaker(plan)


def parse_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[MatterRecord | str]:
    assert _MAKER is not None, "start_worker was not called in this process"
    return _MAKER.parse(chunk)
