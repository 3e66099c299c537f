"""Rule `bundle-reference`: a 一件事 file is named after its 编码 (bundles/<编码>.yaml), the 编码 is used once, and
its 牵头部门 and 配合部门 are departments of registry/departments.yaml.

Passing: bundles/330106-YJS-001.yaml with 编码 330106-YJS-001 and 牵头部门 杭州市西湖区卫生健康局 (registered).
Failing: 编码 330106-YJS-009 in that file; 牵头部门 西湖区卫健局 (not the registered name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs


class BundleReferenceRule(Rule):
    id = "bundle-reference"
    title, title_en = "一件事的编码或部门不符", "bundle code or department does not resolve"
    messages = {
        "file-name": Message(
            "一件事的编码 {value} 与文件名不符(应为 bundles/{value}.yaml)",
            "bundle code {value} does not match the file name (expected bundles/{value}.yaml)",
        ),
        "duplicate": Message("一件事编码 {value} 已被 {other} 使用", "bundle code {value} is already used by {other}"),
        "department": Message(
            "一件事「{bundle}」的{role}「{value}」不在部门名录 registry/departments.yaml 中",
            "bundle '{bundle}': {role_en} '{value}' is not in registry/departments.yaml",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        bundles, _lookup = rule_inputs(index, ctx)
        known = ctx.registries.department_by_name
        seen: dict[str, str] = {}
        for item in bundles:
            bundle = item.bundle
            if bundle is None:
                continue
            where: dict[str, Any] = {"code": bundle.code, "name": bundle.name, "bundle": bundle.name}
            stem = item.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if stem != bundle.code:
                yield self.hit_in(item.file, "file-name", ("编码",), value=bundle.code, **where)
            if bundle.code in seen:
                yield self.hit_in(
                    item.file, "duplicate", ("编码",), value=bundle.code, other=seen[bundle.code], **where
                )
            seen.setdefault(bundle.code, item.file)
            if not ctx.registries.departments:
                continue  # no department registry: registry-missing says so
            roles: list[tuple[tuple[str | int, ...], str, str, str]] = [
                (("牵头部门",), bundle.lead, "牵头部门", "lead department")
            ]
            roles += [(("配合部门", i), d, "配合部门", "partner department") for i, d in enumerate(bundle.partners)]
            for path, name, role, role_en in roles:
                if name not in known:
                    yield self.hit_in(item.file, "department", path, value=name, role=role, role_en=role_en, **where)
