"""Rule `registry-missing`: the registries every reference is checked against exist.

Without registry/laws.yaml a matter citing a law that does not exist would pass: every check against a missing
registry is skipped, so its absence is itself an error (the message says which checks could not run).
The three proof lists (registry/proofs-kept.yaml, proofs-cancelled.yaml, pledge-catalog.yaml) are optional: a
catalogue may not keep them.
Passing: registry/ holds departments.yaml, laws.yaml, proofs.yaml and regions.yaml.
Failing: `rm registry/laws.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalogue.catalog import REGISTRY_DIR, Registries
from mattercli.check.rules.base import Context, Hit, Message, Rule

#: Registry file -> what cannot be checked without it (zh, en).
REQUIRED: dict[str, tuple[str, str]] = {
    "departments.yaml": ("主管部门、实施主体、委托部门和出具单位", "departments, implementing bodies and issuers"),
    "laws.yaml": ("设定依据、实施依据和收费依据中的法律法规", "the laws cited as legal, implementation and fee basis"),
    "proofs.yaml": ("证照证明材料的标准名称", "the standard names of certificates and proofs"),
    "regions.yaml": ("行政区划代码", "region codes"),
}


class RegistryMissingRule(Rule):
    id = "registry-missing"
    title, title_en = "缺少名录文件", "registry file missing"
    messages = {
        "missing": Message(
            "名录文件 {registry} 不存在:{what}无法核对,相关引用均未检查",
            "registry file {registry} is missing: {what_en} cannot be checked, and were not",
        ),
    }

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        for name, (what, what_en) in REQUIRED.items():
            if name in registries.absent:
                file = f"{REGISTRY_DIR}/{name}"
                yield self.hit_in(file, "missing", registry=file, what=what, what_en=what_en)
