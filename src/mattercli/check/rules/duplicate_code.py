"""Rule `duplicate-code`: one code, one matter (事项同码) — no two files carry the same 基本编码 or 实施编码.

Passing: every file's code distinct. Failing: base/000104002000.yaml and base/000104002000-copy.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule


class DuplicateCodeRule(Rule):
    id = "duplicate-code"
    title, title_en = "事项编码重复", "duplicate matter code"
    messages = {
        "duplicate": Message(
            "编码 {value} 同时用于 {count} 个文件: {files}", "code {value} is used by {count} files: {files}"
        )
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for code, holders in index.by_code.items():
            if len(holders) < 2:
                continue
            files = [h.file for h in holders]
            for holder in holders:
                key = "实施编码" if holder.kind == "implementation" else "基本编码"
                yield self.hit_in(
                    holder.file,
                    "duplicate",
                    (key,),
                    code=code,
                    name=holder.name,
                    value=code,
                    count=len(holders),
                    files=files,
                )
