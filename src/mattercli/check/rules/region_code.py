"""Rule `region-code`: region codes exist in the bundled GB/T 2260 snapshot and in the catalogue's regions.

Passing: 行政区划代码 "330106" (西湖区) listed in registry/regions.yaml. Failing: "339999" (no such county),
a region the catalogue does not cover, or an implementing body registered in another region.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalogue.catalog import Registries
from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class RegionCodeRule(Rule):
    id = "region-code"
    title, title_en = "行政区划代码无效", "invalid region code"
    severity = Severity.ERROR
    kinds = frozenset({"implementation"})
    messages = {
        "unknown": Message(
            "行政区划代码「{value}」不在 GB/T 2260 行政区划代码({snapshot} 版)中",
            "region code '{value}' is not in GB/T 2260 (snapshot {snapshot})",
        ),
        "not-covered": Message(
            "行政区划代码「{value}」不在本目录的行政区划名录(registry/regions.yaml)中",
            "region code '{value}' is not one of this catalogue's regions (registry/regions.yaml)",
        ),
        "body-region": Message(
            "实施主体「{body}」登记在行政区划 {body_region},与事项的行政区划代码 {value} 不一致",
            "implementing body '{body}' belongs to region {body_region}, not {value}",
        ),
        "name": Message(
            "行政区划 {value} 在 GB/T 2260 中名为「{official}」,名录写作「{listed}」",
            "region {value} is named '{official}' in GB/T 2260, not '{listed}'",
        ),
        "parent": Message(
            "行政区划 {value} 的上级应为 {expected},名录写作 {parent}",
            "region {value} should have parent {expected}, not {parent}",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        code = matter.region
        if not ctx.regions.is_valid(code):
            yield self.hit("unknown", ("行政区划代码",), value=code, snapshot=ctx.regions.snapshot)
        elif ctx.registries.has("regions.yaml") and code not in ctx.registries.region_by_code:
            yield self.hit("not-covered", ("行政区划代码",), value=code)
        department = ctx.registries.department_by_uscc.get(matter.body.uscc)
        if department is not None and department.region and department.region != code:
            yield self.hit(
                "body-region", ("行政区划代码",), body=department.name, body_region=department.region, value=code
            )

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        file = "registry/regions.yaml"
        for i, region in enumerate(registries.regions):
            official = ctx.regions.get(region.code)
            if official is None:
                yield self.hit_in(
                    file, "unknown", ("行政区划", i, "行政区划代码"), value=region.code, snapshot=ctx.regions.snapshot
                )
                continue
            if official.name != region.name:
                yield self.hit_in(
                    file, "name", ("行政区划", i, "名称"), value=region.code, official=official.name, listed=region.name
                )
            if region.parent is not None and official.parent is not None and region.parent != official.parent:
                yield self.hit_in(
                    file,
                    "parent",
                    ("行政区划", i, "上级"),
                    value=region.code,
                    expected=official.parent,
                    parent=region.parent,
                )
        for i, department in enumerate(registries.departments):
            if department.region and not ctx.regions.is_valid(department.region):
                yield self.hit_in(
                    "registry/departments.yaml",
                    "unknown",
                    ("部门", i, "行政区划代码"),
                    value=department.region,
                    snapshot=ctx.regions.snapshot,
                )
