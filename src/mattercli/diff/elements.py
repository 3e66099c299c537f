"""Element-level comparison of two versions of one matter: lists matched by identity (materials by normalised
name and synonyms, legal bases by law + article, steps by name), so reordering is no change; numbers classified
(time limits shortened/lengthened in working days, visits, online depth, fees)."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel

from mattercli.model import Element, LegalBasis, TimeLimit
from mattercli.model.codes import Level, OnlineDepth
from mattercli.model.matter import MatterCommon
from mattercli.model.normalize import material_key


class ChangeKind(StrEnum):
    """How one element changed."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    SHORTENED = "shortened"  # a time limit, compared in working days
    LENGTHENED = "lengthened"
    INCREASED = "increased"  # visits, version, online depth level; a yes/no element turned on
    DECREASED = "decreased"
    LOWERED = "lowered"  # 行使层级 moved down (国家级 > 省级 > … > 村(社区)级)
    RAISED = "raised"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One sub-element of a list item (or of 实施主体) that changed; values are JSON-able."""

    element: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class ElementChange:
    """One change to one element of a matter.

    `item` names the list item for list elements (a material's name, 'law article', a step's name); `old`/`new`
    are JSON-able (code-table labels, dicts keyed by element name); `delta` is new − old in the element's unit
    (working days for time limits, visits, online-depth level Ⅰ–Ⅳ, 1-based level rank for 行使层级).
    """

    element: str
    kind: ChangeKind
    item: str | None = None
    old: Any = None
    new: Any = None
    delta: float | None = None
    fields: tuple[FieldChange, ...] = ()


#: 网上办理深度 as the usual Ⅰ–Ⅳ level: Ⅰ 咨询, Ⅱ 收件/预审, Ⅲ 受理, Ⅳ 办理 (全程网办).
DEPTH_LEVEL = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 4}
#: 行使层级 rank: 1 国家级 (highest) … 6 村(社区)级 (lowest).
LEVEL_RANK = {level: int(level.code) for level in Level}


def depth_level(depth: Sequence[OnlineDepth]) -> int:
    """The Ⅰ–Ⅳ level of a 网上办理深度 list (0 when empty)."""
    return max((DEPTH_LEVEL.get(d.code, 0) for d in depth), default=0)


def jsonable(value: Any) -> Any:
    """A model value as plain JSON data: code-table labels, dicts keyed by the national element names."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    """Order-insensitive canonical form, so reordered sub-lists compare equal."""
    data = jsonable(value)
    if isinstance(data, list):
        return json.dumps(sorted(json.dumps(v, ensure_ascii=False, sort_keys=True) for v in data), ensure_ascii=False)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _plain(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def basis_key(basis: LegalBasis) -> str:
    """Identity of a legal basis: the law and the article, white space and width ignored."""
    return f"{_plain(basis.law)}|{_plain(basis.article)}"


def basis_label(basis: LegalBasis) -> str:
    return f"《{basis.law}》{basis.article}" if basis.article else f"《{basis.law}》"


@dataclass(frozen=True, slots=True)
class ItemIdentity:
    """How items of one list element are identified and named."""

    key: Callable[[Any, Mapping[str, str]], str]
    label: Callable[[Any], str]


def _by_attr(attr: str) -> ItemIdentity:
    return ItemIdentity(lambda item, _syn: _plain(getattr(item, attr)), lambda item: str(getattr(item, attr)))


_BASIS = ItemIdentity(lambda b, _syn: basis_key(b), basis_label)

#: List elements whose items have an identity; any other list is compared as a set of values.
IDENTITIES: dict[str, ItemIdentity] = {
    "申请材料": ItemIdentity(lambda m, syn: material_key(m.name, syn), lambda m: m.name),
    "设定依据": _BASIS,
    "实施依据": _BASIS,
    "收费依据": _BASIS,
    "收费项目": _by_attr("name"),
    "办理结果": _by_attr("name"),
    "办理流程": _by_attr("name"),
    "特别程序": _by_attr("name"),
    "中介服务": _by_attr("name"),
    "常见问题": _by_attr("question"),
    "业务办理项": _by_attr("code"),
    "责任事项": _by_attr("stage"),
    "追责情形": _by_attr("situation"),
}


def _aliases(model: type[BaseModel]) -> list[tuple[str, str]]:
    return [(name, info.alias or name) for name, info in model.model_fields.items()]


def field_changes(old: Element, new: Element) -> tuple[FieldChange, ...]:
    """Sub-elements of two versions of one item that differ (nested lists compared without order)."""
    out = []
    for name, alias in _aliases(type(new)):
        a, b = getattr(old, name, None), getattr(new, name, None)
        if a != b and _canonical(a) != _canonical(b):
            out.append(FieldChange(alias, jsonable(a), jsonable(b)))
    return tuple(out)


def _compare_items(
    alias: str, identity: ItemIdentity, old: Sequence[Any], new: Sequence[Any], synonyms: Mapping[str, str]
) -> list[ElementChange]:
    """Items matched by identity: removed, added, and changed in place; position never matters."""
    old_by_key: dict[str, list[Any]] = defaultdict(list)
    for item in old:
        old_by_key[identity.key(item, synonyms)].append(item)
    out: list[ElementChange] = []
    added: list[ElementChange] = []
    for item in new:
        candidates = old_by_key.get(identity.key(item, synonyms))
        if not candidates:
            added.append(ElementChange(alias, ChangeKind.ADDED, identity.label(item), None, jsonable(item)))
            continue
        previous = candidates.pop(0)
        if previous != item:
            fields = field_changes(previous, item)
            if fields:
                label = identity.label(item)
                out.append(
                    ElementChange(alias, ChangeKind.CHANGED, label, jsonable(previous), jsonable(item), None, fields)
                )
    removed = [
        ElementChange(alias, ChangeKind.REMOVED, identity.label(item), jsonable(item), None)
        for items in old_by_key.values()
        for item in items
    ]
    return removed + added + out


def _compare_set(alias: str, old: Sequence[Any], new: Sequence[Any]) -> list[ElementChange]:
    olds, news = [jsonable(v) for v in old], [jsonable(v) for v in new]
    removed = [v for v in olds if v not in news]
    added = [v for v in news if v not in olds]
    return [ElementChange(alias, ChangeKind.REMOVED, str(v), v, None) for v in removed] + [
        ElementChange(alias, ChangeKind.ADDED, str(v), None, v) for v in added
    ]


def _compare_depth(old: Sequence[OnlineDepth], new: Sequence[OnlineDepth]) -> list[ElementChange]:
    if set(old) == set(new):
        return []
    a, b = depth_level(old), depth_level(new)
    kind = ChangeKind.CHANGED if a == b else (ChangeKind.INCREASED if b > a else ChangeKind.DECREASED)
    return [ElementChange("网上办理深度", kind, None, jsonable(list(old)), jsonable(list(new)), float(b - a))]


def _compare_time(alias: str, old: TimeLimit | None, new: TimeLimit | None) -> list[ElementChange]:
    if old is None or new is None:
        kind = ChangeKind.ADDED if old is None else ChangeKind.REMOVED
        return [ElementChange(alias, kind, None, jsonable(old), jsonable(new))]
    delta = round(new.working_days - old.working_days, 2)
    if delta:
        kind = ChangeKind.SHORTENED if delta < 0 else ChangeKind.LENGTHENED
        return [ElementChange(alias, kind, None, jsonable(old), jsonable(new), delta)]
    fields = field_changes(old, new)
    return [ElementChange(alias, ChangeKind.CHANGED, None, jsonable(old), jsonable(new), 0.0, fields)] if fields else []


def _compare_scalar(alias: str, old: Any, new: Any) -> list[ElementChange]:
    if old is None or new is None:
        kind = ChangeKind.ADDED if old is None else ChangeKind.REMOVED
        return [ElementChange(alias, kind, None, jsonable(old), jsonable(new))]
    if isinstance(old, Level) and isinstance(new, Level):
        delta = LEVEL_RANK[new] - LEVEL_RANK[old]
        kind = ChangeKind.LOWERED if delta > 0 else ChangeKind.RAISED
        return [ElementChange(alias, kind, None, old.value, new.value, float(delta))]
    if isinstance(old, bool) and isinstance(new, bool):
        kind = ChangeKind.INCREASED if new else ChangeKind.DECREASED
        return [ElementChange(alias, kind, None, old, new, float(new) - float(old))]
    if isinstance(old, int) and isinstance(new, int):
        kind = ChangeKind.INCREASED if new > old else ChangeKind.DECREASED
        return [ElementChange(alias, kind, None, old, new, float(new - old))]
    if isinstance(old, Element) and isinstance(new, Element):
        fields = field_changes(old, new)
        return [ElementChange(alias, ChangeKind.CHANGED, None, jsonable(old), jsonable(new), None, fields)]
    return [ElementChange(alias, ChangeKind.CHANGED, None, jsonable(old), jsonable(new))]


def compare_matters(old: MatterCommon, new: MatterCommon, synonyms: Mapping[str, str]) -> list[ElementChange]:
    """Every element that differs between two versions of one matter, in the canonical element order.

    The code elements (基本编码, 实施编码) are included: a recoded matter shows them changed."""
    out: list[ElementChange] = []
    for name, alias in _aliases(type(new)):
        a, b = getattr(old, name, None), getattr(new, name, None)
        if a == b:
            continue
        if isinstance(a, list) or isinstance(b, list):
            a, b = a or [], b or []
            identity = IDENTITIES.get(alias)
            if alias == "网上办理深度":
                out += _compare_depth(a, b)
            elif identity is not None:
                out += _compare_items(alias, identity, a, b, synonyms)
            else:
                out += _compare_set(alias, a, b)
        elif alias in ("法定办结时限", "承诺办结时限"):
            out += _compare_time(alias, a, b)
        else:
            out += _compare_scalar(alias, a, b)
    return out
