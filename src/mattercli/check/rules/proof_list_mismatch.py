"""Rule `proof-list-mismatch`: what an implementation asks agrees with the published proof lists.

Checked on implementation entries (the local lists govern what applicants are asked; a base entry states the
national baseline), for each material by identity (normalised name through the dictionary's synonyms):
- `cancelled`: a proof on registry/proofs-cancelled.yaml with 替代方式 直接取消 or 其他材料涵盖 is still asked;
- `fetched-required`: 替代方式 数据共享, 部门核验 or 网络核验, yet the applicant still brings it (来源渠道 申请人自备)
  and it is 必要;
- `cancelled-pledge`: 替代方式 告知承诺, yet the material is 必要 and does not offer 告知承诺;
- `pledge-not-offered`: the proof is on registry/pledge-catalog.yaml for this matter (适用事项, or all matters when
  empty), yet the material is 必要 and does not say `告知承诺: true`.
Passing: 户口注销证明 (数据共享) with 来源渠道 政府部门核发. Failing: the same proof 申请人自备 and 必要.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.proof_review import ProofLists, facts_of_material, facts_of_matter, list_mismatch
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class ProofListMismatchRule(Rule):
    id = "proof-list-mismatch"
    title, title_en = "申请材料与证明事项清单不符", "material contradicts the published proof lists"
    kinds = frozenset({"implementation"})
    messages = {
        "cancelled": Message(
            "证明「{value}」已列入取消的证明事项清单(「{listed}」,{mode},{document}),仍要求提交",
            "proof '{value}' was cancelled ('{listed}', {mode}, {document}) but is still asked for",
        ),
        "fetched-required": Message(
            "证明「{value}」在取消的证明事项清单中改为{mode}(「{listed}」,{document}),仍要求申请人自备且为必要材料",
            "proof '{value}' is replaced by {mode} ('{listed}', {document}) yet the applicant must still bring it",
        ),
        "cancelled-pledge": Message(
            "证明「{value}」在取消的证明事项清单中改为告知承诺(「{listed}」,{document}),材料未提供告知承诺",
            "proof '{value}' is replaced by 告知承诺 ('{listed}', {document}) but the material does not offer it",
        ),
        "pledge-not-offered": Message(
            "证明「{value}」列入实行告知承诺制的证明事项目录(「{listed}」),材料为必要且未标明可告知承诺",
            "proof '{value}' is on the 告知承诺 catalogue ('{listed}') but the material does not offer 告知承诺",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        if not ctx.registries.keeps_proof_lists:
            return
        lists = ProofLists(ctx.registries)
        facts = facts_of_matter(matter)
        for i, material in enumerate(matter.materials):
            for problem in list_mismatch(facts_of_material(material), facts, lists):
                yield self.hit(problem.key, ("申请材料", i, "材料名称"), **problem.args)
