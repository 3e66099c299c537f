"""Rule `accountability-basis`: every 追责情形 names its 依据 — accountability rests on a law, regulation or rule
(《中华人民共和国行政许可法》第七十二条, 《行政机关公务员处分条例》…), never on the list alone.

Passing: 追责情形 [{情形: 对符合法定条件的申请不予受理的, 依据: 《中华人民共和国行政许可法》第七十二条}].
Failing: 追责情形 [{情形: 对符合法定条件的申请不予受理的}].
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class AccountabilityBasisRule(Rule):
    id = "accountability-basis"
    title, title_en = "追责情形缺少依据", "追责情形 without a basis"
    messages = {
        "missing": Message("追责情形「{situation}」没有依据", "追责情形 '{situation}' names no 依据"),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        for i, item in enumerate(matter.accountability):
            if item.basis is None:
                yield self.hit("missing", ("追责情形", i, "情形"), situation=item.situation)
