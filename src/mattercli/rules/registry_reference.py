"""Rule `registry-reference`: every law, department and proof a file names is in the registries.

Checked: 设定依据/收费依据 law names (registry/laws.yaml); 主管部门, 实施主体 (name and USCC), 委托部门 and the
出具单位 of materials issued by government (registry/departments.yaml); the proof dictionary's and the proof
list's issuers and laws; 出具事项 codes. A registry file that is absent or broken is not checked against.
Passing: 法律法规名称 中华人民共和国行政许可法 listed in laws.yaml. Failing: 《行政许可法》 (not the registered name).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalog import Registries
from mattercli.codes import MaterialSource
from mattercli.index import CatalogIndex
from mattercli.models import BaseEntry, ImplementationEntry, LegalBasis
from mattercli.rules.base import Context, Hit, Message, Rule

LAWS = "laws.yaml"
DEPARTMENTS = "departments.yaml"


class RegistryReferenceRule(Rule):
    id = "registry-reference"
    title, title_en = "引用了名录中没有的条目", "reference not found in the registries"
    messages = {
        "law": Message(
            "法律法规「{value}」不在法律法规库(registry/laws.yaml)中", "law '{value}' is not in registry/laws.yaml"
        ),
        "department": Message(
            "{role}「{value}」不在部门名录(registry/departments.yaml)中",
            "{role_en} '{value}' is not in registry/departments.yaml",
        ),
        "body-uscc": Message(
            "实施主体「{value}」在部门名录中的统一社会信用代码为 {registered},此处为 {uscc}",
            "implementing body '{value}' is registered with USCC {registered}, not {uscc}",
        ),
        "issuing-matter": Message(
            "证照证明「{value}」的出具事项 {code_ref} 在目录中不存在",
            "proof '{value}' names issuing matter {code_ref}, which is not in the catalogue",
        ),
    }

    def _laws(self, bases: Iterable[tuple[tuple[str | int, ...], LegalBasis]], ctx: Context) -> Iterable[Hit]:
        if not ctx.registries.has(LAWS):
            return
        for path, basis in bases:
            if basis.law not in ctx.registries.law_by_name:
                yield self.hit("law", (*path, "法律法规名称"), value=basis.law)

    def _department(
        self, name: str | None, path: tuple[str | int, ...], role: str, role_en: str, ctx: Context
    ) -> Iterable[Hit]:
        if name is not None and ctx.registries.has(DEPARTMENTS) and name not in ctx.registries.department_by_name:
            yield self.hit("department", path, role=role, role_en=role_en, value=name)

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        yield from self._laws(matter.legal_bases(), ctx)
        if isinstance(matter, BaseEntry):
            yield from self._department(matter.guiding_department, ("主管部门",), "主管部门", "guiding department", ctx)
        else:
            yield from self._department(matter.body.name, ("实施主体", "名称"), "实施主体", "implementing body", ctx)
            registered = ctx.registries.department_by_name.get(matter.body.name)
            if registered is not None and registered.uscc and registered.uscc != matter.body.uscc:
                yield self.hit(
                    "body-uscc",
                    ("实施主体", "统一社会信用代码"),
                    value=matter.body.name,
                    registered=registered.uscc,
                    uscc=matter.body.uscc,
                )
            yield from self._department(
                matter.entrusting_department, ("委托部门",), "委托部门", "entrusting department", ctx
            )
        for i, material in enumerate(matter.materials):
            if material.source is MaterialSource.GOVERNMENT:
                yield from self._department(
                    material.issuer, ("申请材料", i, "出具单位"), "材料出具单位", "material issuer", ctx
                )

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        for i, entry in enumerate(registries.proofs):
            file = "registry/proofs.yaml"
            if entry.issuer and registries.has(DEPARTMENTS) and entry.issuer not in registries.department_by_name:
                yield self.hit_in(
                    file,
                    "department",
                    ("证照证明", i, "出具单位"),
                    role="出具单位",
                    role_en="issuer",
                    value=entry.issuer,
                )
            for j, basis in enumerate(entry.legal_basis):
                if registries.has(LAWS) and basis.law not in registries.law_by_name:
                    yield self.hit_in(file, "law", ("证照证明", i, "设定依据", j, "法律法规名称"), value=basis.law)
        for i, item in enumerate(registries.proof_list or ()):
            file = "registry/proof-list.yaml"
            if registries.has(DEPARTMENTS) and item.issuer not in registries.department_by_name:
                yield self.hit_in(
                    file,
                    "department",
                    ("证明事项", i, "开具单位"),
                    role="开具单位",
                    role_en="issuer",
                    value=item.issuer,
                )
            for j, basis in enumerate(item.legal_basis):
                if registries.has(LAWS) and basis.law not in registries.law_by_name:
                    yield self.hit_in(file, "law", ("证明事项", i, "设定依据", j, "法律法规名称"), value=basis.law)

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for i, entry in enumerate(ctx.registries.proofs):
            if entry.issuing_matter and entry.issuing_matter not in index.by_code:
                yield self.hit_in(
                    "registry/proofs.yaml",
                    "issuing-matter",
                    ("证照证明", i, "出具事项"),
                    value=entry.name,
                    code_ref=entry.issuing_matter,
                )
