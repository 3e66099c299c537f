"""Rule `registry-duplicate`: each department, law and proof is registered once; a synonym names one proof.

Passing: one entry per name. Failing: two departments both named 杭州市公安局, or 身份证 listed as a synonym of
both 居民身份证 and 临时身份证.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalogue.catalog import Registries
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model.normalize import normalise


class RegistryDuplicateRule(Rule):
    id = "registry-duplicate"
    title, title_en = "名录条目重复", "duplicate registry entry"
    messages = {
        "duplicate": Message(
            "{what}「{value}」重复登记(首次在第 {first} 条)",
            "{what_en} '{value}' is registered twice (first as entry {first})",
        ),
        "synonym": Message(
            "「{value}」同时是「{first}」和「{second}」的同义词",
            "'{value}' is a synonym of both '{first}' and '{second}'",
        ),
    }

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        tables = (
            (
                "registry/departments.yaml",
                "部门",
                "部门名称",
                "部门名称",
                "department name",
                [d.name for d in registries.departments],
            ),
            (
                "registry/departments.yaml",
                "部门",
                "统一社会信用代码",
                "统一社会信用代码",
                "USCC",
                [d.uscc for d in registries.departments],
            ),
            ("registry/laws.yaml", "法律法规", "名称", "法律法规", "law", [law.name for law in registries.laws]),
            ("registry/proofs.yaml", "证照证明", "标准名称", "证照证明", "proof", [p.name for p in registries.proofs]),
            (
                "registry/regions.yaml",
                "行政区划",
                "行政区划代码",
                "行政区划",
                "region",
                [r.code for r in registries.regions],
            ),
        )
        for file, top, key, what, what_en, values in tables:
            first_seen: dict[str, int] = {}
            for i, value in enumerate(values):
                if value is None:
                    continue
                if value in first_seen:
                    yield self.hit_in(
                        file,
                        "duplicate",
                        (top, i, key),
                        what=what,
                        what_en=what_en,
                        value=value,
                        first=first_seen[value] + 1,
                    )
                else:
                    first_seen[value] = i
        owner: dict[str, str] = {}
        for i, entry in enumerate(registries.proofs):
            for j, alias in enumerate([entry.name, *entry.synonyms]):
                key = normalise(alias).key
                if key in owner and owner[key] != entry.name:
                    path = ("证照证明", i, "同义词", j - 1) if j else ("证照证明", i, "标准名称")
                    yield self.hit_in(
                        "registry/proofs.yaml", "synonym", path, value=alias, first=owner[key], second=entry.name
                    )
                owner.setdefault(key, entry.name)
