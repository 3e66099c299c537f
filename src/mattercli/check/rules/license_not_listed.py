"""Rule `license-not-listed`: every 行政许可 base entry is on the reference 行政许可事项清单
(registry/license-list.yaml): "清单之外一律不得违法实施行政许可". Skipped when the catalogue has no such list.

Passing: base 000111001000 食品经营许可 and a list entry with 基本编码 "000111001000". Failing: base 000112002000
药品批发企业许可 with no list entry mapped to it (import the list, or confirm the mapping in the mapping file).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.license_reference import active_licences


class LicenseNotListedRule(Rule):
    id = "license-not-listed"
    title, title_en = "行政许可事项不在行政许可事项清单中", "licence not on the reference licence list"
    messages = {
        "default": Message(
            "行政许可事项「{value}」({basic})不在行政许可事项清单(registry/license-list.yaml)中:"
            "清单之外一律不得违法实施行政许可",
            "licence '{value}' ({basic}) is not on the reference licence list (registry/license-list.yaml)",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        registries = ctx.registries
        if registries.license_list is None:
            return
        for base in active_licences(index):
            if base.code not in registries.licenses_by_code:
                yield self.hit_in(
                    base.file,
                    "default",
                    ("基本编码",),
                    code=base.code,
                    name=base.name,
                    value=base.name,
                    basic=base.code,
                )
