"""Rule `todo-comment`: a `# TODO` (or `# FIXME`) comment left in a file — `mattercli new` writes them at the top
of a scaffold and beside every value to fill in; they are removed when the work is done. Only real comments count:
a `#` inside a quoted value is not one.

Passing: `事项名称: 食品经营许可  # 2024 年更名`. Failing: `# TODO: 新建事项,请补全……` at the top of the file, or
`到办事现场次数: 1  # TODO: 填写到办事现场次数` (the value was filled in, the note was left).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mattercli.catalogue.yamlio import Document, scan_comments
from mattercli.check.findings import Severity
from mattercli.check.rules.base import Hit, Message, Rule

#: A comment whose text starts with TODO or FIXME (any case), after the '#' and spaces.
MARKER = re.compile(r"^#+\s*(TODO|FIXME)\b[\s::-]*(.*)$", re.IGNORECASE)
#: Longest note shown in the message.
SHOWN = 40


class TodoCommentRule(Rule):
    id = "todo-comment"
    severity = Severity.WARNING
    title, title_en = "遗留 TODO 注释", "TODO comment left"
    messages = {
        "default": Message(
            "遗留的 {marker} 注释「{note}」:完成后请删除该注释",
            "{marker} comment left ('{note}'): remove it once done",
        )
    }

    def check_text(self, doc: Document) -> Iterable[Hit]:
        if not doc.text or not re.search(r"todo|fixme", doc.text, re.IGNORECASE):
            return
        try:
            comments = scan_comments(doc.text).positions
        except Exception:  # a text the token scanner cannot read: yaml-syntax reports it
            return
        for line, column, text in comments:
            found = MARKER.match(text)
            if found:
                note = found.group(2).strip() or found.group(1)
                if len(note) > SHOWN:
                    note = note[:SHOWN] + "……"
                yield Hit(
                    self.id, "default", {"marker": found.group(1).upper(), "note": note}, line=line, column=column
                )
