"""Rule `time-limit`: the promised time limit (承诺办结时限) is no longer than the legal one (法定办结时限).

Units are compared in working days (7 自然日 = 5 工作日, 24 小时 = 1 自然日). Passing: 法定 20 工作日, 承诺 5
工作日. Failing: 法定 20 工作日, 承诺 30 自然日 (≈ 21.4 工作日).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class TimeLimitRule(Rule):
    id = "time-limit"
    title, title_en = "承诺时限超过法定时限", "promised time exceeds the legal time"
    kinds = frozenset({"implementation"})
    messages = {
        "longer": Message(
            "承诺办结时限 {promised} 长于法定办结时限 {legal}",
            "promised time limit {promised} is longer than the legal limit {legal}",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        legal, promised = matter.legal_time_limit, matter.promised_time_limit
        if legal is None or promised is None:
            return
        if promised.working_days > legal.working_days + 1e-9:
            yield self.hit("longer", ("承诺办结时限", "时限"), promised=promised.describe(), legal=legal.describe())
