"""Rule `file-name`: a matter file is named after its code, so the same matter has one file everywhere.

Passing: `base/000104002000.yaml` holding 基本编码 "000104002000". Failing: `base/食品经营许可.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry


class FileNameRule(Rule):
    id = "file-name"
    severity = Severity.WARNING
    title, title_en = "文件名与事项编码不一致", "file name differs from the matter code"
    messages = {
        "mismatch": Message(
            "文件名应为「{expected}」(事项编码),实际为「{actual}」",
            "file should be named '{expected}' after the matter code, not '{actual}'",
        )
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        path = PurePosixPath(file)
        expected = matter.code + path.suffix
        if path.name != expected:
            key = "实施编码" if isinstance(matter, ImplementationEntry) else "基本编码"
            yield self.hit("mismatch", (key,), expected=expected, actual=path.name)
