"""Rule `online-visits`: 全程网办 (网上办理深度 reaches 办理) means no site visit; online depth means the
matter is offered online.

Passing: 网上办理深度 [互联网咨询, 收件, 受理, 办理] with 到办事现场次数 0 and 办理形式 incl. 网上办理.
Failing: the same depth with 到办事现场次数 1; or depth given while 办理形式 lacks 网上办理.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import HandlingForm, OnlineDepth


class OnlineVisitsRule(Rule):
    id = "online-visits"
    title, title_en = "网办深度与到现场次数不符", "online depth disagrees with site visits"
    kinds = frozenset({"implementation"})
    messages = {
        "full-online-visits": Message(
            "网上办理深度达到「办理」(全程网办),到办事现场次数应为 0,实际为 {visits}",
            "fully online (depth reaches 办理) but {visits} site visit(s) are required",
        ),
        "depth-without-online-form": Message(
            "填写了网上办理深度,但办理形式中没有「网上办理」",
            "online depth is given but 办理形式 does not include 网上办理",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        if OnlineDepth.HANDLE in matter.online_depth and matter.visits:
            yield self.hit("full-online-visits", ("到办事现场次数",), visits=matter.visits)
        if matter.online_depth and matter.handling_forms and HandlingForm.ONLINE not in matter.handling_forms:
            yield self.hit("depth-without-online-form", ("办理形式",))
