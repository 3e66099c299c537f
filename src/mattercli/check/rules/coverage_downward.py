"""Rule `coverage-downward` (warning): 行政许可事项清单层层向下覆盖 — a reference-list item assigned to a level
(its 行使层级 in registry/license-list.yaml) is implemented in every region of registry/regions.yaml at that level,
or the base entry records why a region does not claim it (不认领: 行政区划代码 + 理由; 应认尽认).

Passing: list item 食品经营许可 at 区县级; 330106 has an implementation entry with 基本编码 000111001000, or the
base entry has 不认领 [{行政区划代码: "330106", 理由: 本区无此类场所}]. Failing: neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.findings import Severity
from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.license_reference import LICENSE_FILE, LICENSE_KEY, describe
from mattercli.model.codes import MatterStatus
from mattercli.model.registry import LicenseListEntry


class CoverageDownwardRule(Rule):
    id = "coverage-downward"
    severity = Severity.WARNING
    title, title_en = "行政许可事项未向下覆盖", "listed licence not claimed at a level it is assigned to"
    messages = {
        "default": Message(
            "{entry}「{listed}」下沉到{level},{region_name}({region})没有实施清单事项,也没有记录不认领理由"
            "(层层向下覆盖、应认尽认;在基本目录事项的「不认领」中写明理由)",
            "{entry} '{listed}' is assigned to {level}, but {region_name} ({region}) has no implementation entry "
            "and no recorded 不认领 reason",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        entries = ctx.registries.license_list
        if not entries or not ctx.registries.regions:
            return
        implemented: set[tuple[str, str]] = set()
        for impl in index.implementations:
            if impl.complete and impl.region and impl.status != MatterStatus.CANCELLED.value:
                implemented.add((impl.basic_code, impl.region))
        seen: set[tuple[str, str]] = set()
        for position, entry in enumerate(entries):
            if entry.basic_code is None or not entry.levels:
                continue
            base = index.base_by_code.get(entry.basic_code)
            if base is not None and (not base.complete or base.status == MatterStatus.CANCELLED.value):
                continue
            for region in ctx.registries.regions:
                key = (entry.basic_code, region.code)
                if region.level not in entry.levels or key in implemented or key in seen:
                    continue
                if base is not None and region.code in base.not_claimed:
                    continue
                seen.add(key)
                yield self._hit(entry, position, base.file if base else None, region.code, region.name, region.level)

    def _hit(
        self, entry: LicenseListEntry, position: int, base_file: str | None, region: str, name: str, level: object
    ) -> Hit:
        args: dict[str, Any] = {
            "entry": describe(entry),
            "listed": entry.name,
            "level": level,
            "region": region,
            "region_name": name,
        }
        if base_file is not None:
            return self.hit_in(base_file, "default", ("基本编码",), code=entry.basic_code, name=entry.name, **args)
        return self.hit_in(
            LICENSE_FILE, "default", (LICENSE_KEY, position, "基本编码"), code=entry.basic_code, name=entry.name, **args
        )
