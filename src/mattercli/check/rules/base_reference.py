"""Rule `base-reference`: every implementation entry implements a base entry that exists (数据同源), with the
same 事项类型, at a 行使层级 the base allows; an active entry does not rest on a cancelled base; a sub-item
(UUU 001–999) has its main item (UUU 00Y).

Passing: impl with 基本编码 "000104002000" at 区县级 where the base lists 区县级. Failing: 基本编码 "000104999000"
with no base file; or an impl at 乡镇(街道)级 where the base lists only 省级 and 地市级.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model.codes import MatterStatus
from mattercli.model.identifiers import parse_basic_code


class BaseReferenceRule(Rule):
    id = "base-reference"
    title, title_en = "实施清单与基本目录不一致", "implementation entry disagrees with its base entry"
    messages = {
        "missing": Message(
            "基本编码 {value} 在基本目录中不存在", "basic code {value} has no entry in the basic catalogue"
        ),
        "type": Message(
            "事项类型「{type}」与基本目录事项「{base_name}」的「{base_type}」不一致",
            "事项类型 '{type}' differs from the base entry's '{base_type}'",
        ),
        "level": Message(
            "行使层级「{level}」不在基本目录允许的层级({levels})中",
            "行使层级 '{level}' is not among the base entry's levels ({levels})",
        ),
        "cancelled-base": Message(
            "基本目录事项 {value} 已取消,实施清单事项仍为「{status}」",
            "base entry {value} is cancelled but this implementation is '{status}'",
        ),
        "sub-item-parent": Message(
            "子项 {value} 的主项 {parent} 在基本目录中不存在", "sub-item {value} has no main item {parent}"
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for base in index.bases:
            if not base.complete:
                continue
            parsed = parse_basic_code(base.code)
            if parsed is not None and parsed.is_sub_item and parsed.parent_text not in index.base_by_code:
                yield self.hit_in(
                    base.file,
                    "sub-item-parent",
                    ("基本编码",),
                    code=base.code,
                    name=base.name,
                    value=base.code,
                    parent=parsed.parent_text,
                )
        for impl in index.implementations:
            where: dict[str, Any] = {"code": impl.code, "name": impl.name}
            found = index.base_by_code.get(impl.basic_code)
            if found is None:
                if impl.basic_code:
                    yield self.hit_in(impl.file, "missing", ("基本编码",), value=impl.basic_code, **where)
                continue
            base = found
            if not (base.complete and impl.complete):
                continue
            if base.type != impl.type:
                yield self.hit_in(
                    impl.file, "type", ("事项类型",), type=impl.type, base_type=base.type, base_name=base.name, **where
                )
            if impl.levels[0] not in base.levels:
                yield self.hit_in(impl.file, "level", ("行使层级",), level=impl.levels[0], levels=base.levels, **where)
            cancelled = MatterStatus.CANCELLED.value
            if base.status == cancelled and impl.status != cancelled:
                yield self.hit_in(
                    impl.file, "cancelled-base", ("事项状态",), value=base.code, status=impl.status, **where
                )
