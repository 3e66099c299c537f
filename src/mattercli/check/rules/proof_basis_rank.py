"""Rule `proof-basis-rank`: a 证明 rests on a 法律, 法规 or 国务院决定 (《优化营商环境条例》第四十四条).

Checked: every 申请材料 of 材料类别 证明 and every entry of registry/proofs-kept.yaml whose 设定依据 all rank below
法律, 行政法规, 地方性法规 and 国务院决定 in registry/laws.yaml. Real kept lists do show 规章 with their rank, so a
basis that is only a 部门规章 is a warning and one that is only a 地方政府规章 an error, each configurable in
`[tool.mattercli.proof-rules]` (`department-rule`, `local-government-rule`: error | warning | info | off). A law not
in laws.yaml is left to registry-reference, a proof with no basis to the baseless analysis.
Passing: 居住证明 on 《居住证暂行条例》(行政法规). Failing: 无犯罪记录证明 on 《公安机关办理犯罪记录查询工作规定》
(规范性文件); warning: 婚姻登记记录证明 on 《婚姻登记档案管理办法》(部门规章).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalogue.catalog import Registries
from mattercli.check.proof_review import ProofLists, basis_rank, facts_of_material, is_proof, options_of
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry

KEPT_FILE = "registry/proofs-kept.yaml"


class ProofBasisRankRule(Rule):
    id = "proof-basis-rank"
    title, title_en = (
        "证明事项设定依据层级不足",
        "proof rests on a basis below law, regulation or State Council decision",
    )
    messages = {
        "below": Message(
            "证明「{value}」的设定依据 {bases} 均低于法律、行政法规、地方性法规、国务院决定(《优化营商环境条例》第四十四条)",
            "proof '{value}' rests only on {bases}, below law, regulation or State Council decision",
        ),
        "department-rule": Message(
            "证明「{value}」的设定依据仅为部门规章 {bases},不是法律、法规或国务院决定",
            "proof '{value}' rests only on a departmental rule {bases}",
        ),
        "local-rule": Message(
            "证明「{value}」的设定依据仅为规章 {bases},不是法律、法规或国务院决定",
            "proof '{value}' rests only on government rules {bases}",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        if not ctx.registries.laws:
            return
        lists = ProofLists(ctx.registries)
        options = options_of(ctx.extra)
        for i, material in enumerate(matter.materials):
            facts = facts_of_material(material)
            if not is_proof(facts):
                continue
            problem = basis_rank(material.name, facts.laws, lists, options)
            if problem is not None:
                yield self.hit(problem.key, ("申请材料", i, "设定依据"), severity=problem.severity, **problem.args)

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        if not registries.laws:
            return
        lists = ProofLists(registries)
        options = options_of(ctx.extra)
        for i, kept in enumerate(registries.kept_proofs or ()):
            problem = basis_rank(kept.name, [b.law for b in kept.legal_basis], lists, options)
            if problem is not None:
                yield self.hit_in(
                    KEPT_FILE, problem.key, ("保留证明事项", i, "设定依据"), severity=problem.severity, **problem.args
                )
