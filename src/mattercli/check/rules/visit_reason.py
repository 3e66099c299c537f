"""Rule `visit-reason`: a matter that needs the applicant on site (到办事现场次数 > 0) says why.

Passing: 到办事现场次数 0; or 1 with 到现场原因 "核验原件". Failing: 到办事现场次数 2 with no 到现场原因.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class VisitReasonRule(Rule):
    id = "visit-reason"
    title, title_en = "到现场次数缺少原因", "site visits without a reason"
    kinds = frozenset({"implementation"})
    messages = {
        "missing": Message(
            "到办事现场次数为 {visits},须填写到现场原因", "{visits} site visit(s) required but 到现场原因 is missing"
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        if matter.visits and not matter.visit_reason:
            yield self.hit("missing", ("到办事现场次数",), visits=matter.visits)
