"""Rule `registry-reference`: every law, department and proof a file names is in the registries.

Checked: 设定依据/收费依据 law names (registry/laws.yaml); 主管部门, 实施主体 (name and USCC), 委托部门 and the
出具单位 of materials issued by government (registry/departments.yaml); the proof dictionary's and the three proof
lists' issuers, requesting bodies, laws and matters (证明用途 事项编码, 告知承诺 适用事项); 出具事项 codes. A registry file that is absent or broken is not checked against.
Passing: 法律法规名称 中华人民共和国行政许可法 listed in laws.yaml. Failing: 《行政许可法》 (not the registered name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mattercli.catalogue.catalog import Registries
from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import (
    BaseEntry,
    CancelledProof,
    ImplementationEntry,
    KeptProof,
    LegalBasis,
    PledgeEntry,
)
from mattercli.model.codes import MaterialSource

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
        "list-matter": Message(
            "证明「{value}」所列事项 {code_ref} 在目录中不存在",
            "proof '{value}' names matter {code_ref}, which is not in the catalogue",
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
        yield from self._proof_lists(registries)

    def _proof_lists(self, registries: Registries) -> Iterable[Hit]:
        """The three proof lists: 开具单位 and 索要单位 in the department registry, every basis in the law registry."""
        lists: tuple[tuple[str, str, Sequence[KeptProof | CancelledProof | PledgeEntry] | None, str], ...] = (
            ("proofs-kept.yaml", "保留证明事项", registries.kept_proofs, "设定依据"),
            ("proofs-cancelled.yaml", "取消的证明事项", registries.cancelled_proofs, "原设定依据"),
            ("pledge-catalog.yaml", "告知承诺证明事项", registries.pledge_catalog, "设定依据"),
        )
        for file_name, top, entries, bases_key in lists:
            file = f"registry/{file_name}"
            for i, item in enumerate(entries or ()):
                bodies: list[tuple[tuple[str | int, ...], str, str, str]] = []
                if item.issuer is not None:
                    bodies.append(((top, i, "开具单位"), "开具单位", "issuer", item.issuer))
                bodies.extend(
                    ((top, i, "索要单位", j), "索要单位", "requesting body", name)
                    for j, name in enumerate(getattr(item, "requesters", ()))
                )
                for k, purpose in enumerate(getattr(item, "purposes", ())):
                    bodies.extend(
                        ((top, i, "证明用途", k, "索要单位", j), "索要单位", "requesting body", name)
                        for j, name in enumerate(purpose.requesters)
                    )
                if registries.has(DEPARTMENTS):
                    for path, role, role_en, name in bodies:
                        if name not in registries.department_by_name:
                            yield self.hit_in(file, "department", path, role=role, role_en=role_en, value=name)
                bases = item.former_basis if isinstance(item, CancelledProof) else item.legal_basis
                for j, basis in enumerate(bases):
                    if registries.has(LAWS) and basis.law not in registries.law_by_name:
                        yield self.hit_in(file, "law", (top, i, bases_key, j, "法律法规名称"), value=basis.law)

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        yield from self._list_matters(index, ctx.registries)
        for i, entry in enumerate(ctx.registries.proofs):
            if entry.issuing_matter and entry.issuing_matter not in index.by_code:
                yield self.hit_in(
                    "registry/proofs.yaml",
                    "issuing-matter",
                    ("证照证明", i, "出具事项"),
                    value=entry.name,
                    code_ref=entry.issuing_matter,
                )

    def _list_matters(self, index: CatalogIndex, registries: Registries) -> Iterable[Hit]:
        """事项编码 of 证明用途 and 适用事项 of the 告知承诺目录 are matters of the catalogue."""
        codes = {s.basic_code for group in index.by_code.values() for s in group} | set(index.base_by_code)
        with_purposes: tuple[tuple[str, str, Sequence[KeptProof | CancelledProof] | None], ...] = (
            ("proofs-kept.yaml", "保留证明事项", registries.kept_proofs),
            ("proofs-cancelled.yaml", "取消的证明事项", registries.cancelled_proofs),
        )
        for file_name, top, entries in with_purposes:
            for i, item in enumerate(entries or ()):
                for k, purpose in enumerate(item.purposes):
                    if purpose.matter and purpose.matter not in codes:
                        yield self.hit_in(
                            f"registry/{file_name}",
                            "list-matter",
                            (top, i, "证明用途", k, "事项编码"),
                            value=item.name,
                            code_ref=purpose.matter,
                        )
        for i, pledge in enumerate(registries.pledge_catalog or ()):
            for k, code in enumerate(pledge.matters):
                if code not in codes:
                    yield self.hit_in(
                        "registry/pledge-catalog.yaml",
                        "list-matter",
                        ("告知承诺证明事项", i, "适用事项", k),
                        value=pledge.name,
                        code_ref=code,
                    )
