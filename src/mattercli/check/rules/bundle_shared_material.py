"""Rule `bundle-shared-material` (warning): a material that two or more members ask for (the same identity under
the proof normaliser, `normalize.material_key`) is what the bundle should ask once: when the bundle keeps it, it
lists it once, with every member that asks for it in 来源事项. A bundle may also drop it (data sharing).

Passing: 出生登记 and 预防接种证办理 both ask 出生医学证明; the bundle lists 出生医学证明 once with 来源事项
["000701001000", "002009002000"]. Failing: the bundle lists it twice, or once naming only one of the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.catalogue.bundles import shared_materials
from mattercli.check.findings import Severity
from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs
from mattercli.model.normalize import material_key


class BundleSharedMaterialRule(Rule):
    id = "bundle-shared-material"
    severity = Severity.WARNING
    title, title_en = "成员事项的相同材料未合并为一份", "material shared by members not asked once"
    messages = {
        "repeated": Message(
            "一件事「{bundle}」把成员事项共同要求的材料「{value}」列了 {count} 次(应只收取一次;要求它的成员事项: {members})",
            "bundle '{bundle}' lists '{value}', which members {members} share, {count} times (ask it once)",
        ),
        "unlinked": Message(
            "一件事「{bundle}」的材料「{value}」也替代了成员事项 {missing} 的同一材料,来源事项中未写明",
            "bundle '{bundle}': material '{value}' also replaces the same material of members {missing}; add them "
            "to its 来源事项",
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
            keys = [material_key(m.name, synonyms) for m in bundle.materials]
            for key, _name, members in shared_materials(lookup.resolve(bundle)):
                places = [i for i, k in enumerate(keys) if k == key]
                if not places:
                    continue  # dropped altogether: fewer materials still
                first = bundle.materials[places[0]]
                if len(places) > 1:
                    yield self.hit_in(
                        item.file, "repeated", ("申请材料", places[1], "材料名称"), value=first.name,
                        count=len(places), members=list(members), **where,
                    )  # fmt: skip
                    continue
                missing = [m for m in members if m not in first.members]
                if missing:
                    yield self.hit_in(
                        item.file, "unlinked", ("申请材料", places[0], "材料名称"), value=first.name,
                        missing=missing, **where,
                    )  # fmt: skip
