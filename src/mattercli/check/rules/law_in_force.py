"""Rule `law-in-force`: a matter does not rest on a law the registry marks as repealed (是否有效: false).

Passing: citing a law in force. Failing: citing 食品流通许可证管理办法 after it was repealed.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class LawInForceRule(Rule):
    id = "law-in-force"
    severity = Severity.WARNING
    title, title_en = "依据已失效", "legal basis repealed"
    messages = {
        "repealed": Message(
            "依据「{value}」在法律法规库中已标记为失效", "legal basis '{value}' is marked repealed in the registry"
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        for path, basis in matter.legal_bases():
            law = ctx.registries.law_by_name.get(basis.law)
            if law is not None and not law.in_force:
                yield self.hit("repealed", (*path, "法律法规名称"), value=basis.law)
