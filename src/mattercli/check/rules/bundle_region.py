"""Rule `bundle-region`: every member of a 一件事 has an implementation entry (在用) in the bundle's 行政区划 —
the bundle is done in one place, so each of its matters must be implemented there.

Passing: a bundle in 330106 whose members 000701001000 and 002009002000 both have 在用 implementation entries with
行政区划代码 330106. Failing: a member implemented only in 330100 (杭州市), or whose 330106 entry is 已取消.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs


class BundleRegionRule(Rule):
    id = "bundle-region"
    title, title_en = "一件事的成员事项在本区划没有实施", "bundle member not implemented in the bundle's region"
    messages = {
        "default": Message(
            "一件事「{bundle}」的成员事项「{member_name}」({member})在行政区划 {region} 没有在用的实施清单事项{elsewhere}",
            "bundle '{bundle}': member '{member_name}' ({member}) has no active implementation entry in region "
            "{region}{elsewhere_en}",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        bundles, lookup = rule_inputs(index, ctx)
        for item in bundles:
            bundle = item.bundle
            if bundle is None:
                continue
            for resolved in lookup.resolve(bundle):
                if resolved.base is None or not resolved.base.active or resolved.implementation is not None:
                    continue  # a missing or cancelled member is bundle-member's
                member = bundle.members[resolved.index]
                if member.implementation_code is not None and resolved.candidates:
                    continue  # the named entry is not one of them: bundle-member says so
                others = sorted(
                    {m.region for m in lookup.implementations.get(resolved.basic_code, ()) if m.active and m.region}
                )
                yield self.hit_in(
                    item.file,
                    "default",
                    ("包含事项", resolved.index, "基本编码"),
                    code=bundle.code,
                    name=bundle.name,
                    bundle=bundle.name,
                    member=resolved.basic_code,
                    member_name=resolved.base.name,
                    region=bundle.region,
                    elsewhere=f"(在 {'、'.join(others)} 有实施)" if others else "",
                    elsewhere_en=f" (implemented in {', '.join(others)})" if others else "",
                )
