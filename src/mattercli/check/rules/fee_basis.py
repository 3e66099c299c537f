"""Rule `fee-basis`: no fee without a legal basis — 是否收费 true needs 收费项目 (each with 收费依据), and
收费项目 are only listed when 是否收费 is true.

Passing: 是否收费 false and no 收费项目. Failing: 是否收费 true with no 收费项目.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class FeeBasisRule(Rule):
    id = "fee-basis"
    title, title_en = "收费缺少依据", "fee without a legal basis"
    messages = {
        "no-items": Message(
            "是否收费为「是」,但没有列出收费项目及收费依据",
            "a fee is charged but no 收费项目 with legal basis is listed",
        ),
        "items-without-fee": Message("列出了收费项目,但是否收费为「否」", "收费项目 are listed but 是否收费 is false"),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        if matter.charges_fee and not matter.fees:
            yield self.hit("no-items", ("是否收费",))
        elif matter.fees and not matter.charges_fee:
            yield self.hit("items-without-fee", ("收费项目",))
