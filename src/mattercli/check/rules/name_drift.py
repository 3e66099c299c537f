"""Rule `name-drift`: an implementation entry keeps its base entry's 事项名称 ("行政许可事项名称、设定依据全国统一,
下级清单不得变更"). Names are compared after NFKC (full-width and half-width forms, brackets) and with white space
removed; a name the base entry lists among its 别名 is allowed.

Passing: base 事项名称 「食品经营许可」, impl 「食品经营许可」 or 「食品经营许可 」 or (base 别名 [食品经营许可证核发])
「食品经营许可证核发」. Failing: impl 「食品经营许可证核发（西湖区）」.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex, drift_key
from mattercli.check.rules.base import Context, Hit, Message, Rule


class NameDriftRule(Rule):
    id = "name-drift"
    title, title_en = "实施清单事项名称与基本目录不一致", "implementation renames its base entry"
    messages = {
        "default": Message(
            "事项名称「{value}」与基本目录事项「{base_name}」({base_code})不一致:名称全国统一,下级清单不得变更"
            "(确为同一事项的另一名称时,在基本目录事项的「别名」中列出)",
            "事项名称 '{value}' differs from the base entry's '{base_name}' ({base_code}); names are nationally "
            "unified (list the name under the base entry's 别名 if it is an accepted alias)",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for impl in index.implementations:
            base = index.base_by_code.get(impl.basic_code)
            if base is None or not (base.complete and impl.complete):
                continue
            key = drift_key(impl.name)
            if key == drift_key(base.name) or key in {drift_key(a) for a in base.aliases}:
                continue
            yield self.hit_in(
                impl.file,
                "default",
                ("事项名称",),
                code=impl.code,
                name=impl.name,
                value=impl.name,
                base_name=base.name,
                base_code=base.code,
            )
