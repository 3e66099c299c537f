"""Rule `bundle-material-source`: every material of a 一件事 comes from its members (一套材料 merges the members'
materials, it never adds one): some member asks for it, and each member its 来源事项 names is a member of the
bundle that asks for it. Materials are compared by identity (`normalize.material_key`: 原件/复印件, script, width,
brackets and the proof dictionary's 同义词 do not matter).

Passing: 申请材料 [{材料名称: 居民身份证, 来源事项: ["000701001000"]}] where 出生登记 asks 居民身份证(复印件).
Failing: 材料名称 社区居住证明 that no member asks for; 来源事项 naming a matter outside the bundle, or a member
that does not ask for the material.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs
from mattercli.model.normalize import material_key


class BundleMaterialSourceRule(Rule):
    id = "bundle-material-source"
    title, title_en = "一件事的材料不来自任何成员事项", "bundle material that comes from no member"
    messages = {
        "orphan": Message(
            "一件事「{bundle}」的材料「{value}」不是任何成员事项要求的材料(一套材料只合并、不新增)",
            "bundle '{bundle}': material '{value}' is asked by no member matter (a bundle merges materials, never "
            "adds one)",
        ),
        "not-member": Message(
            "一件事「{bundle}」的材料「{value}」的来源事项 {member} 不是该一件事的成员事项",
            "bundle '{bundle}': material '{value}' names {member} as its source, which is not a member",
        ),
        "not-asked": Message(
            "一件事「{bundle}」的材料「{value}」的来源事项「{member_name}」({member})并不要求该材料",
            "bundle '{bundle}': material '{value}' names '{member_name}' ({member}), which does not ask for it",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        bundles, lookup = rule_inputs(index, ctx)
        synonyms = ctx.registries.synonyms
        for item in bundles:
            bundle = item.bundle
            if bundle is None:
                continue
            where: dict[str, Any] = {"code": bundle.code, "name": bundle.name, "bundle": bundle.name}
            asked = {
                r.basic_code: {key for key, _name in r.implementation.materials}
                for r in lookup.resolve(bundle)
                if r.implementation is not None
            }
            names = {r.basic_code: r.name for r in lookup.resolve(bundle)}
            for i, material in enumerate(bundle.materials):
                key = material_key(material.name, synonyms)
                path = ("申请材料", i, "材料名称")
                if asked and not any(key in keys for keys in asked.values()):
                    yield self.hit_in(item.file, "orphan", path, value=material.name, **where)
                    continue
                for j, member in enumerate(material.members):
                    link = ("申请材料", i, "来源事项", j)
                    if member not in names:
                        yield self.hit_in(item.file, "not-member", link, value=material.name, member=member, **where)
                    elif member in asked and key not in asked[member]:
                        yield self.hit_in(
                            item.file, "not-asked", link, value=material.name, member=member,
                            member_name=names[member], **where,
                        )  # fmt: skip
