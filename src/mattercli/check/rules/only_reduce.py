"""Rule `only-reduce`: an implementation entry may only ask for less than its base entry (只减不增) — no
material the base does not list, no longer legal time limit, no fee where the base charges none.

Materials are compared by identity (material_key: script, width, brackets, 原件/复印件 and the proof dictionary's
synonyms do not matter). Passing: base asks 居民身份证 and 营业执照; impl asks 身份证(复印件). Failing: the impl
also asks 社区居住证明.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule


class OnlyReduceRule(Rule):
    id = "only-reduce"
    title, title_en = "实施清单多于基本目录(只减不增)", "implementation asks more than its base (only-reduce)"
    messages = {
        "material": Message(
            "申请材料「{value}」不在基本目录事项「{base_name}」的材料中(只减不增)",
            "material '{value}' is not required by the base entry '{base_name}' (only-reduce)",
        ),
        "time": Message(
            "法定办结时限 {value} 长于基本目录的 {base_limit}(只减不增)",
            "legal time limit {value} is longer than the base entry's {base_limit}",
        ),
        "fee": Message(
            "实施清单收费,而基本目录事项「{base_name}」不收费(只减不增)",
            "charges a fee while the base entry '{base_name}' charges none",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for impl in index.implementations:
            base = index.base_by_code.get(impl.basic_code)
            if base is None or not (base.complete and impl.complete):
                continue
            where: dict[str, Any] = {"code": impl.code, "name": impl.name, "base_name": base.name}
            base_keys = {m.key for m in base.materials}
            for material in impl.materials:
                if material.key not in base_keys:
                    yield self.hit_in(
                        impl.file, "material", ("申请材料", material.index, "材料名称"), value=material.name, **where
                    )
            if (
                impl.legal_limit
                and base.legal_limit
                and impl.legal_limit.working_days > base.legal_limit.working_days + 1e-9
            ):
                yield self.hit_in(
                    impl.file,
                    "time",
                    ("法定办结时限", "时限"),
                    value=impl.legal_limit.describe(),
                    base_limit=base.legal_limit.describe(),
                    **where,
                )
            if impl.charges_fee and not base.charges_fee:
                yield self.hit_in(impl.file, "fee", ("是否收费",), **where)
