"""Rule `license-name-drift`: a 行政许可 base entry carries the 事项名称 of its reference-list entry
(registry/license-list.yaml, the national 2022 edition or a provincial/city list): names are nationally unified.
Compared after NFKC and without white space; the base's 别名 do not excuse it (别名 are for implementation
entries, the base entry is what the list names).

Passing: list 「食品经营许可」, base 「食品经营许可」. Failing: list 「公共场所卫生许可」, base 「公共场所卫生许可证核发」.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex, drift_key
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.license_reference import active_licences, describe


class LicenseNameDriftRule(Rule):
    id = "license-name-drift"
    title, title_en = "事项名称与行政许可事项清单不一致", "licence name differs from the reference list"
    messages = {
        "default": Message(
            "事项名称「{value}」与{entry}的「{listed}」不一致:行政许可事项名称全国统一,不得变更",
            "事项名称 '{value}' differs from '{listed}' ({entry}); licence names are nationally unified",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        by_code = ctx.registries.licenses_by_code
        if not by_code:
            return
        for base in active_licences(index):
            for entry in by_code.get(base.code, ()):
                if drift_key(entry.name) != drift_key(base.name):
                    yield self.hit_in(
                        base.file,
                        "default",
                        ("事项名称",),
                        code=base.code,
                        name=base.name,
                        value=base.name,
                        listed=entry.name,
                        entry=describe(entry),
                    )
