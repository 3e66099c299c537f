"""Rule `bundle-member`: every member of a 一件事 (包含事项) is a 基本目录 matter that exists and is 在用, listed
once; a member's 实施编码, when given, names an implementation entry of that 基本编码.

Passing: 包含事项 [{基本编码: "000701001000"}, {基本编码: "002009002000"}], both base entries 在用. Failing:
{基本编码: "000799001000"} (no such base entry), a base entry 已取消, or the same 基本编码 twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs


class BundleMemberRule(Rule):
    id = "bundle-member"
    title, title_en = "一件事的成员事项不存在或不在用", "bundle member missing or not active"
    messages = {
        "missing": Message(
            "一件事「{bundle}」的成员事项 {member} 不在基本目录中",
            "bundle '{bundle}': member {member} is not in the basic catalogue",
        ),
        "inactive": Message(
            "一件事「{bundle}」的成员事项「{member_name}」({member})的事项状态为{status},不是在用",
            "bundle '{bundle}': member '{member_name}' ({member}) is {status}, not active",
        ),
        "duplicate": Message(
            "一件事「{bundle}」重复列出成员事项 {member}",
            "bundle '{bundle}' lists member {member} twice",
        ),
        "implementation": Message(
            "一件事「{bundle}」的成员事项 {member} 指定的实施编码 {impl} 不是该事项的实施清单事项",
            "bundle '{bundle}': implementation code {impl} given for member {member} is not an entry of that matter",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        bundles, lookup = rule_inputs(index, ctx)
        for item in bundles:
            bundle = item.bundle
            if bundle is None:
                continue
            where: dict[str, Any] = {"code": bundle.code, "name": bundle.name, "bundle": bundle.name}
            seen: set[str] = set()
            for i, member in enumerate(bundle.members):
                path = ("包含事项", i, "基本编码")
                code = member.basic_code
                if code in seen:
                    yield self.hit_in(item.file, "duplicate", path, member=code, **where)
                    continue
                seen.add(code)
                base = lookup.bases.get(code)
                if base is None:
                    yield self.hit_in(item.file, "missing", path, member=code, **where)
                    continue
                if not base.active:
                    status = next((s.status for s in index.by_code.get(code, ()) if s.kind == "base"), "")
                    yield self.hit_in(
                        item.file, "inactive", path, member=code, member_name=base.name, status=status, **where
                    )
                impl_code = member.implementation_code
                if impl_code is not None:
                    impl = lookup.by_code.get(impl_code)
                    if impl is None or not impl.implementation or impl.basic_code != code:
                        yield self.hit_in(
                            item.file, "implementation", ("包含事项", i, "实施编码"), member=code, impl=impl_code,
                            **where,
                        )  # fmt: skip
