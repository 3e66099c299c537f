"""Rule `result-type`: a result named as a certificate or licence (…证, …照, …证书) is 出证办结.

Passing: 结果名称 食品经营许可证, 结果类型 出证办结. Failing: the same name with 结果类型 审批办结.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import ResultType

_CERTIFICATE_RE = re.compile(r"(?:证|照|证书|执照|许可证|证件)(?:[（(][^）)]*[）)])?$")
#: Names ending in 证 that are statements, not certificates.
_NOT_CERTIFICATE_RE = re.compile(r"(?:证明|保证|论证|认证)$")


class ResultTypeRule(Rule):
    id = "result-type"
    severity = Severity.WARNING
    title, title_en = "证照类结果应为出证办结", "certificate results are 出证办结"
    messages = {
        "certificate": Message(
            "办理结果「{name}」是证照,结果类型应为「出证办结」,实际为「{type}」",
            "result '{name}' is a certificate; its type should be 出证办结, not {type}",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        for i, result in enumerate(matter.results):
            name = result.name.strip()
            if (
                _CERTIFICATE_RE.search(name)
                and not _NOT_CERTIFICATE_RE.search(name)
                and result.type is not ResultType.CERTIFICATE
            ):
                yield self.hit("certificate", ("办理结果", i, "结果类型"), name=name, type=result.type.value)
