"""Which matters (and which of their materials) a list definition selects: its 目录 and its 筛选 conditions.

Conditions on elements only implementation entries have (办件类型, 到办事现场次数, 全程网办, 中介服务, 就近办,
行政区划代码) are never met by a base entry; a 依职权 entry, which has no 到办事现场次数, never meets 到办事现场次数不超过.
"""

from __future__ import annotations

from mattercli.export.elements import Matter, department_of, is_fully_online
from mattercli.model import BaseEntry, ImplementationEntry, Material
from mattercli.model.lists import CatalogueKind, ListDefinition, ListFilter


def region_prefix(code: str) -> str:
    """The code prefix every division inside `code` shares: 330000 -> 33, 330100 -> 3301, 330106 -> 330106."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def in_catalogue(kind: CatalogueKind, matter: Matter) -> bool:
    if kind is CatalogueKind.IMPLEMENTATION:
        return isinstance(matter, ImplementationEntry)
    if kind is CatalogueKind.BASE:
        return isinstance(matter, BaseEntry)
    return True


def _implementation_conditions(f: ListFilter, matter: Matter) -> bool:
    """The conditions on implementation-only elements; a base entry meets none of them."""
    unasked = (f.max_visits, f.fully_online, f.intermediary, f.nearby) == (None, None, None, None)
    if unasked and not f.regions and not f.case_kinds:
        return True
    if not isinstance(matter, ImplementationEntry):
        return False
    if f.regions and not any(matter.region.startswith(region_prefix(r)) for r in f.regions):
        return False
    if f.case_kinds and matter.case_kind not in f.case_kinds:
        return False
    if f.max_visits is not None and (matter.visits is None or matter.visits > f.max_visits):
        return False
    if f.fully_online is not None and is_fully_online(matter) != f.fully_online:
        return False
    if f.nearby is not None and matter.is_nearby != f.nearby:
        return False
    return f.intermediary is None or bool(matter.intermediary_services) == f.intermediary


def matter_matches(f: ListFilter, matter: Matter) -> bool:
    """Whether a matter meets every condition of the filter."""
    if f.types and matter.type not in f.types:
        return False
    if f.natures and matter.nature not in f.natures:
        return False
    if f.statuses and matter.status not in f.statuses:
        return False
    if f.levels:
        levels = [matter.level] if isinstance(matter, ImplementationEntry) else matter.levels
        if not any(level in f.levels for level in levels):
            return False
    if f.departments and department_of(matter) not in f.departments:
        return False
    if f.charges_fee is not None and matter.charges_fee != f.charges_fee:
        return False
    if f.material_kinds and not any(material_matches(f, m) for m in matter.materials):
        return False
    return _implementation_conditions(f, matter)


def material_matches(f: ListFilter, material: Material) -> bool:
    return not f.material_kinds or material.kind in f.material_kinds


def selects(definition: ListDefinition, matter: Matter) -> bool:
    return in_catalogue(definition.catalogue, matter) and matter_matches(definition.filter, matter)
