"""Rule `pledge-scope` (warning): 告知承诺 on a matter touching 国家安全, 公共安全, 生态环境, 人身健康, 生命财产安全
or 金融审慎 needs an explicit reason (国办发〔2020〕42号), given in the matter's 告知承诺说明.

Which matters touch these domains has no national code table: a matter does when a keyword of the domain occurs in
its 事项名称 or its department (主管部门, 实施主体). The bundled keywords (mattercli/data/pledge-sensitive.yaml) can
be replaced in `[tool.mattercli.proof-rules] sensitive-domains`.
Passing: 告知承诺 on 居住证明 with 告知承诺说明. Failing: the same on a matter of 杭州市公安局西湖区分局 (公共安全)
without one.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.findings import Severity
from mattercli.check.proof_review import facts_of_matter, options_of, pledge_scope
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class PledgeScopeRule(Rule):
    id = "pledge-scope"
    severity = Severity.WARNING
    title, title_en = "敏感领域实行告知承诺未说明理由", "告知承诺 in a sensitive domain without a reason"
    messages = {
        "no-reason": Message(
            "事项「{value}」涉及{domains},材料 {materials} 可告知承诺,但未填写告知承诺说明(国办发〔2020〕42号)",
            "matter '{value}' touches {domains}; {materials} may be promised but no 告知承诺说明 is given",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        offered = [m.name for m in matter.materials if m.pledge]
        problem = pledge_scope(facts_of_matter(matter), offered, options_of(ctx.extra))
        if problem is not None:
            first = next(i for i, m in enumerate(matter.materials) if m.pledge)
            yield self.hit(problem.key, ("申请材料", first, "告知承诺"), on_key=True, **problem.args)
