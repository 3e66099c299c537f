"""Rule `community-proof`: a 居委会/村委会 does not issue a proof the 民政部 and five other ministries listed as one
it should not issue (民发〔2020〕20号, 《不应由基层群众性自治组织出具证明事项清单(第一批)》, 20 proofs; the list
ships as data in mattercli/data/community-proofs.yaml, with its source).

Checked: each material whose 出具单位 is a 基层群众性自治组织 (名称 matching the list's patterns: …居民委员会,
…村民委员会, 居委会, 村委会, 村(居), a name ending in 社区 or 村) and whose identity is on the list.
Passing: 亲属关系证明 issued by 杭州市西湖区民政局. Failing: 亲属关系证明 issued by 某某社区居民委员会.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.proof_review import ProofLists, community_issued, facts_of_material
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class CommunityProofRule(Rule):
    id = "community-proof"
    title, title_en = "居委会、村委会不应出具的证明", "proof a residents' or villagers' committee should not issue"
    messages = {
        "listed": Message(
            "证明「{value}」由「{issuer}」出具,属于不应由基层群众性自治组织出具的证明事项(「{listed}」,民发〔2020〕20号)",
            "proof '{value}' is issued by '{issuer}', a proof such committees should not issue ('{listed}', 民发〔2020〕20号)",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        lists = ProofLists(ctx.registries)
        for i, material in enumerate(matter.materials):
            problem = community_issued(facts_of_material(material), lists)
            if problem is not None:
                yield self.hit(problem.key, ("申请材料", i, "出具单位"), **problem.args)
