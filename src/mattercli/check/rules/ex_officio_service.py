"""Rule `ex-officio-service-elements`: a 依职权 implementation entry (行政处罚, 行政强制, 行政检查, 行政征收, or
办理性质 依职权) carries service elements that only apply to matters someone applies for.

The national exchange keeps 处罚 and 强制/检查 matters in tables without 办件类型, 承诺时限 or 到现场次数, and the
四办 lists and service shares count 依申请 matters only; a 行政处罚 entry with 到办事现场次数 0 is not a 一次不跑
matter. A warning, so catalogues written before 办理性质 existed migrate at their own pace: `python
scripts/drop_ex_officio_service.py CATALOGUE` removes the elements (docs/model-changes.md).

Passing: a 行政处罚 entry without 办件类型; a 行政许可 entry with 办件类型 承诺件. Failing: a 行政处罚 entry with
办件类型 承诺件 and 到办事现场次数 0 (one finding per element, at its key).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.matter import SERVICE_ELEMENTS


class ExOfficioServiceRule(Rule):
    id = "ex-officio-service-elements"
    title, title_en = "依职权事项含服务要素", "service elements on a matter exercised ex officio"
    severity = Severity.WARNING
    kinds = frozenset({"implementation"})
    messages = {
        "present": Message(
            "「{element}」只适用于依申请事项;本事项办理性质为依职权({type}),应删除该要素",
            "'{element}' applies to matters applied for only; this matter is 依职权 ({type}): remove it",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        if matter.on_application:
            return
        present = matter.model_fields_set_by_alias()
        for element in SERVICE_ELEMENTS:
            if element in present:
                yield self.hit("present", (element,), on_key=True, element=element, type=matter.type.value)
