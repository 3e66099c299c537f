"""Rule `power-responsibility`: a power-type matter (the ten types of the 权责清单) in use carries its 责任事项
and its 追责情形 — a power list is 职权 plus 责任. Off by default; on under the `strict` preset or when enabled
(`enable = ["power-responsibility"]`), because most catalogues add the 责任清单 after the 职权.

Passing: a 行政许可 with 责任事项 [{环节: 受理, 内容: …}] and 追责情形 [{情形: …, 依据: …}]; a 公共服务 with neither.
Failing: a 行政处罚 with 责任事项 but no 追责情形.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import POWER_TYPES, MatterStatus
from mattercli.model.powers import default_stages


class PowerResponsibilityRule(Rule):
    id = "power-responsibility"
    title, title_en = "权力事项缺少责任事项或追责情形", "power without 责任事项 or 追责情形"
    severity = Severity.WARNING
    default_enabled = False
    messages = {
        "no-responsibilities": Message(
            "{type}事项没有责任事项(默认环节: {stages})",
            "a {type} matter lists no 责任事项 (default stages: {stages})",
        ),
        "no-accountability": Message("{type}事项没有追责情形", "a {type} matter lists no 追责情形"),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        if matter.type not in POWER_TYPES or matter.status is not MatterStatus.ACTIVE:
            return
        if not matter.responsibilities:
            stages = "、".join(default_stages(matter.type))
            yield self.hit("no-responsibilities", ("事项类型",), type=matter.type.value, stages=stages)
        if not matter.accountability:
            yield self.hit("no-accountability", ("事项类型",), type=matter.type.value)
