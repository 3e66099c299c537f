"""权责清单 elements as published lists write them: the default 环节 of each power type, and the cells of the
责任事项 and 追责情形 columns («1.受理责任：…（依据：…）» one item a line), written and read back identically.

Cell format (what `export` writes and `import` reads; see docs/powers.md):

- 责任事项: one line per 环节, ``{n}.{环节}责任：{内容}``, then ``（依据：{依据}）`` when the item has one. An item whose
  环节 is 其他 is written without a label (``{n}.{内容}``), and an item without a label reads as 环节 其他.
- 追责情形: one line per 情形, ``{n}.{情形}``, then ``（依据：{依据}）``.

Reading also accepts what offices write by hand: items run together on one line («1.受理责任：…。2.审查责任：…»),
numbering as ``1、`` ``1．`` ``（1）``, a colon after the 环节 without 责任 when it is a known 环节 («受理：…»), a lead-in
sentence before the first item ending with a colon («有下列情形之一的，……追究责任：», dropped), and one shared
``依据：…`` line after the last item (given to every item that names none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mattercli.model.codes import MatterType

#: The default 环节 of each power type's 责任事项, in order (docs/powers.md gives their sources).
DEFAULT_STAGES: dict[MatterType, tuple[str, ...]] = {
    MatterType.LICENSING: ("受理", "审查", "决定", "送达", "事后监管"),
    MatterType.PENALTY: ("立案", "调查取证", "审理", "告知", "决定", "送达", "执行"),
    MatterType.COERCION: ("审批", "告知", "决定", "执行", "事后监管"),
    MatterType.LEVY: ("受理", "审核", "决定", "征收", "事后监管"),
    MatterType.PAYMENT: ("受理", "审核", "决定", "给付", "事后监管"),
    MatterType.INSPECTION: ("检查", "处置", "移送", "事后监管"),
    MatterType.CONFIRMATION: ("受理", "审查", "决定", "送达", "事后监管"),
    MatterType.REWARD: ("制定方案", "组织推荐", "审核公示", "表彰奖励"),
    MatterType.ADJUDICATION: ("受理", "审理", "裁决", "送达", "执行"),
    MatterType.OTHER_POWER: ("受理", "审查", "决定", "送达", "事后监管"),
    MatterType.FILING: ("受理", "审核", "备案", "事后监管"),
}
#: 环节 of an item written without a label.
OTHER_STAGE = "其他"
KNOWN_STAGES = frozenset(s for stages in DEFAULT_STAGES.values() for s in stages) | {
    "调查",
    "审核",
    "审批",
    "告知",
    "听证",
    "公示",
    "监督",
    "催告",
    "评审",
    "检查",
    "备案",
}


def default_stages(matter_type: MatterType) -> tuple[str, ...]:
    """The default 环节 of a type's 责任事项 (empty for a type that is not a power)."""
    return DEFAULT_STAGES.get(matter_type, ())


# --- writing ----------------------------------------------------------------------------------------------------

BASIS_OPEN, BASIS_CLOSE = "（依据：", "）"


def _with_basis(text: str, basis: str | None) -> str:
    return f"{text}{BASIS_OPEN}{basis}{BASIS_CLOSE}" if basis else text


def format_responsibilities(items: Iterable[Any]) -> str:
    """The 责任事项 cell: «1.受理责任：内容（依据：…）», one line per item (Responsibility models or dicts)."""
    lines = []
    for n, item in enumerate(items, 1):
        stage, content, basis = _get(item, "stage", "环节"), _get(item, "content", "内容"), _get(item, "basis", "依据")
        label = "" if stage == OTHER_STAGE else f"{stage}责任："
        lines.append(f"{n}.{label}{_with_basis(content, basis)}")
    return "\n".join(lines)


def format_accountability(items: Iterable[Any]) -> str:
    """The 追责情形 cell: «1.情形（依据：…）», one line per item."""
    return "\n".join(
        f"{n}.{_with_basis(_get(item, 'situation', '情形'), _get(item, 'basis', '依据'))}"
        for n, item in enumerate(items, 1)
    )


def _get(item: Any, attr: str, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, attr)


# --- reading ----------------------------------------------------------------------------------------------------

#: An item number at the start of the cell, of a line, or after a sentence end: «1.» «2、» «3．» «（4）» «(5)».
_NUMBER = re.compile(
    r"(?:^|(?<=[\n。；;]))[ \t\u3000]*(?:(?P<a>\d{1,2})[.、．](?!\d)|[（(](?P<b>\d{1,2})[)）])[ \t\u3000]*"
)
_LABEL = re.compile(r"^(?P<stage>[^：:，,。；;\n]{1,12}?)责任[：:]\s*")
_BARE_LABEL = re.compile(r"^(?P<stage>[^：:，,。；;\n]{1,8})[：:]\s*")
_BASIS_TAIL = re.compile(r"[（(]\s*依据[：:]\s*(?P<basis>.+?)\s*[)）][。；;]?\s*$", re.S)
_SHARED_BASIS = re.compile(r"\n\s*(?:追责)?依据[：:]\s*(?P<basis>[^\n]+?)\s*$")


@dataclass(frozen=True, slots=True)
class _Item:
    text: str
    basis: str | None


def _items(text: str) -> tuple[str, list[_Item], str | None]:
    """Split a cell into (lead-in, numbered items, shared basis). Numbers must run 1, 2, 3 … so that a «2.» inside
    a sentence is not taken for an item."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    shared = None
    m = _SHARED_BASIS.search(text)
    if m is not None:
        shared, text = m["basis"], text[: m.start()].rstrip()
    starts: list[tuple[int, int]] = []
    expected = 1
    for number in _NUMBER.finditer(text):
        if int(number["a"] or number["b"]) == expected:
            starts.append((number.start(), number.end()))
            expected += 1
    if not starts:
        return "", ([_item(text)] if text else []), shared
    lead = text[: starts[0][0]].strip()
    parts = [text[end : starts[i + 1][0] if i + 1 < len(starts) else len(text)] for i, (_, end) in enumerate(starts)]
    return lead, [_item(p.strip()) for p in parts if p.strip()], shared


def _item(text: str) -> _Item:
    m = _BASIS_TAIL.search(text)
    if m is None:
        return _Item(text, None)
    return _Item(text[: m.start()].rstrip(), m["basis"])


def parse_responsibilities(text: str) -> list[dict[str, str]]:
    """«1.受理责任：…\\n2.审查责任：…» → [{环节: 受理, 内容: …}, …]; a lead-in sentence becomes an item of 环节 其他."""
    lead, items, shared = _items(text)
    out: list[dict[str, str]] = []
    if lead:
        out.append({"环节": OTHER_STAGE, "内容": lead.rstrip("：:")})
    for item in items:
        stage, content = OTHER_STAGE, item.text
        m = _LABEL.match(item.text)
        if m is None:
            bare = _BARE_LABEL.match(item.text)
            if bare is not None and bare["stage"].strip() in KNOWN_STAGES:
                m = bare
        if m is not None and item.text[m.end() :].strip():
            stage, content = m["stage"].strip(), item.text[m.end() :].strip()
        entry = {"环节": stage, "内容": content}
        basis = item.basis or shared
        if basis:
            entry["依据"] = basis
        out.append(entry)
    return out


def parse_accountability(text: str) -> list[dict[str, str]]:
    """«1.…的；\\n2.…的（依据：…）» → [{情形: …, 依据: …}, …]; a lead-in ending with a colon is dropped."""
    lead, items, shared = _items(text)
    out: list[dict[str, str]] = []
    if lead and not lead.endswith(("：", ":")):
        items = [_item(lead), *items]
    for item in items:
        entry = {"情形": item.text}
        basis = item.basis or shared
        if basis:
            entry["依据"] = basis
        out.append(entry)
    return out


def fill_basis(items: Sequence[dict[str, Any]], basis: str) -> None:
    """Give `basis` (a separate 追责依据 column) to every item that names none."""
    for item in items:
        if isinstance(item, dict) and not item.get("依据"):
            item["依据"] = basis
