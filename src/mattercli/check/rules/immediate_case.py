"""Rule `immediate-case`: 即办件 has a promised time of 0 (即办); a 承诺件 promising 0 is really a 即办件.

Passing: 办件类型 即办件 with 承诺办结时限 0. Failing: 即办件 promising 5 工作日.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import CaseKind


class ImmediateCaseRule(Rule):
    id = "immediate-case"
    title, title_en = "办件类型与承诺时限不符", "case kind disagrees with the promised time"
    kinds = frozenset({"implementation"})
    messages = {
        "immediate-with-time": Message(
            "即办件的承诺办结时限应为 0(即办),实际为 {promised}",
            "an immediate case (即办件) must promise 0, found {promised}",
        ),
        "promised-zero": Message(
            "承诺件的承诺办结时限为 0,应改为即办件", "a promised case (承诺件) promising 0 should be an immediate case"
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        promised = matter.promised_time_limit
        if matter.case_kind is CaseKind.IMMEDIATE and promised is not None and promised.value > 0:
            yield self.hit("immediate-with-time", ("承诺办结时限", "时限"), promised=promised.describe())
        elif matter.case_kind is CaseKind.PROMISED and promised is not None and promised.value == 0:
            yield self.hit("promised-zero", ("办件类型",))
