"""Rule `unsuitable-reason`: every 不适宜 declaration says why, and no way of handling is declared twice.

A matter declared 不适宜网上办理, 跑零次 or 即办 leaves the "可控事项" population of those shares (the basis on which
reports quote 100%), so the exemption must be justified where it is made.

Passing: 不适宜: [{方式: 跑零次, 理由: 须现场核验申请人身份}]. Failing: 不适宜: [{方式: 跑零次}] (no 理由), or 跑零次
declared twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class UnsuitableReasonRule(Rule):
    id = "unsuitable-reason"
    title, title_en = "不适宜声明缺少理由", "unsuitability declared without a reason"
    kinds = frozenset({"implementation"})
    messages = {
        "missing": Message("声明不适宜「{mode}」须填写理由", "unsuitable for '{mode}' declared without a 理由"),
        "repeated": Message("不适宜「{mode}」重复声明", "unsuitable for '{mode}' declared twice"),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        seen = set()
        for i, item in enumerate(matter.unsuitable):
            if not item.reason:
                yield self.hit("missing", ("不适宜", i), mode=item.mode.value)
            if item.mode in seen:
                yield self.hit("repeated", ("不适宜", i), mode=item.mode.value)
            seen.add(item.mode)
