"""Rule `placeholder-value`: a value still reads 「待填写」, the placeholder `mattercli new` writes for what the
editor must fill in. Code-table and number elements then also fail the schema; a text element (实施主体.名称,
受理条件 …) would pass it and be published as 「待填写」, so this rule finds every one, wherever it is.

Passing: `实施主体: {名称: 杭州市西湖区市场监督管理局, …}`. Failing: `实施主体: {名称: 待填写, …}` or
`办件类型: 待填写  # TODO: 填写办件类型` (reported on the line of the value).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from mattercli.catalogue.yamlio import Document
from mattercli.check.rules.base import Hit, Message, Rule

#: What `mattercli new` (scaffold.TODO) writes where a value is still to be given.
PLACEHOLDER = "待填写"


def placeholder_paths(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every string value that is only the placeholder, in document order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from placeholder_paths(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholder_paths(value, (*path, index))
    elif isinstance(data, str) and data.strip() == PLACEHOLDER:
        yield path


def element_label(path: tuple[str | int, ...]) -> str:
    """`设定依据[1].法律法规名称` (1-based list positions, as `mattercli new` names them)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(文件)"


class PlaceholderValueRule(Rule):
    id = "placeholder-value"
    title, title_en = "要素仍为「待填写」", "placeholder value left"
    messages = {
        "default": Message(
            "「{element}」仍为「待填写」(mattercli new 留下的占位值),请填写实际内容",
            "'{element}' is still the placeholder 待填写 left by mattercli new; fill in the real value",
        )
    }

    def check_text(self, doc: Document) -> Iterable[Hit]:
        for path in placeholder_paths(doc.data):
            yield self.hit("default", path, element=element_label(path))
