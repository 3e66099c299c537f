"""Cell values to element values: code tables by label or national code, yes/no, numbers, codes that Excel stored as
numbers, time limits written as text (「20个工作日」), legal bases (「《中华人民共和国食品安全法》第三十五条」), and the
Sichuan-style local codes (`511A0138600000-511602000000-000-{USCC}-1-00`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mattercli.identifiers import USCC_PATTERN
from mattercli.importer.mapping import ColumnSpec, ElementType
from mattercli.powers import parse_accountability, parse_responsibilities
from mattercli.yamlio import CODE_WIDTHS

#: Default separators of a list element written in one cell.
LIST_SPLIT = r"[,，、;；\n|]+"
_TRUE = {"是", "有", "Y", "YES", "TRUE", "1", "√", "需要", "收费"}
_FALSE = {"否", "无", "N", "NO", "FALSE", "0", "×", "不需要", "不收费", "免费"}
_UNITS = {"工作日": "工作日", "个工作日": "工作日", "自然日": "自然日", "日": "自然日", "天": "自然日", "小时": "小时"}
_IMMEDIATE = {"即办", "即时办结", "当场办结", "立即办理", "即来即办", "当场"}
_TIME_LIMIT = re.compile(r"^(?P<value>\d+)\s*(?P<unit>个工作日|工作日|自然日|日|天|小时)?(?P<note>.*)$", re.S)
_ARTICLE = re.compile(
    r"第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?(?:第[一二三四五六七八九十百千零〇\d]+款)?(?:第[一二三四五六七八九十百千零〇\d]+项)?"
)
_LAW = re.compile(r"《(?P<law>[^》]+)》(?P<rest>[^《]*)")
_ENUMERATION = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*)")
_BASIS_SPLIT = re.compile("[\n;\uff1b]+")
#: Punctuation between an article number and its text: 《…》第十条:「……」
_NOTE_PUNCT = " ,;()\uff0c\uff1b\u3002\uff08\uff09"
_LEADING_PUNCT = " \t:,.\u3001\u3002\uff0c\uff1a\u201c\u201d\"'"
SICHUAN_CODE = re.compile(
    rf"^(?P<local>[0-9A-Z]{{8,20}})-(?P<region>[0-9]{{12}})-(?P<sub>[0-9]{{3}})-(?P<uscc>{USCC_PATTERN})"
    rf"-(?P<seq>[0-9A-Z]{{1,2}})-(?P<item>[0-9]{{2}})$"
)


class ConvertError(Exception):
    """A value that cannot be mapped; messages in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en


@dataclass(frozen=True, slots=True)
class SharedBasis:
    """A 追责依据 column's text: given to every 追责情形 of the row that names no 依据 (after all cells are read)."""

    text: str


@dataclass(frozen=True, slots=True)
class LocalCode:
    """A Sichuan-style local implementation code, split into the parts the national form needs."""

    text: str
    local: str
    region: str  # 6-digit GB/T 2260 code
    uscc: str


def parse_local_code(text: str) -> LocalCode | None:
    m = SICHUAN_CODE.fullmatch(text.strip())
    if m is None:
        return None
    return LocalCode(text.strip(), m["local"], m["region"][:6], m["uscc"])


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def split_values(value: Any, spec: ColumnSpec) -> list[Any]:
    if not isinstance(value, str):
        return [value]
    pattern = spec.split if isinstance(spec.split, str) else LIST_SPLIT
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


def _translate(value: Any, spec: ColumnSpec) -> Any:
    if spec.values:
        key = as_text(value)
        if key in spec.values:
            return spec.values[key]
    return value


def to_enum(value: Any, etype: ElementType) -> str:
    text = as_text(value)
    if text in etype.enum:
        return text
    for label, code in etype.enum.items():
        if text == code or (text.isdigit() and code.isdigit() and int(text) == int(code)):
            return label
    options = "、".join(f"{code} {label}" for label, code in etype.enum.items())
    raise ConvertError(
        f"「{etype.title}」的值「{text}」不在代码表中(可用代码或名称: {options})",
        f"'{etype.title}' value '{text}' is not in the code table",
    )


def to_int(value: Any, etype: ElementType) -> int:
    if isinstance(value, bool):
        raise ConvertError(
            f"「{etype.title}」应为整数,实际为「{as_text(value)}」", f"'{etype.title}' must be a whole number"
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value)
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", text):
        return int(float(text))
    raise ConvertError(
        f"「{etype.title}」应为整数,实际为「{text}」", f"'{etype.title}' must be a whole number, not '{text}'"
    )


def to_bool(value: Any, etype: ElementType) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConvertError(
        f"「{etype.title}」应为 是/否,实际为「{as_text(value)}」",
        f"'{etype.title}' must be yes/no, not '{as_text(value)}'",
    )


def to_code(value: Any, element: str) -> str:
    """A code as text: an integer Excel made of an all-digit code is zero-padded back to the element's width."""
    width = CODE_WIDTHS.get(element, 0)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 2**53:
            raise ConvertError(
                f"「{element}」被表格存成了数字 {value!r},位数已丢失;请把该列设为文本格式后重新导出",
                f"'{element}' was stored as the number {value!r} and lost digits; export the column as text",
            )
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(width)
    return as_text(value)


def to_time_limit(value: Any, etype: ElementType) -> dict[str, Any]:
    """「20个工作日」→ {时限: 20, 单位: 工作日}; 「即办」→ 0; a bare number counts working days."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"时限": value, "单位": "工作日"}
    text = as_text(value)
    if text in _IMMEDIATE:
        return {"时限": 0, "单位": "工作日"}
    m = _TIME_LIMIT.fullmatch(text)
    if m is None:
        raise ConvertError(
            f"「{etype.title}」无法识别为时限:「{text}」(如 20个工作日、30日、即办)",
            f"'{etype.title}' is not a time limit: '{text}'",
        )
    out: dict[str, Any] = {"时限": int(m["value"]), "单位": _UNITS.get(m["unit"] or "工作日", "工作日")}
    note = m["note"].strip(_NOTE_PUNCT)
    if note:
        out["说明"] = note
    return out


def parse_legal_bases(text: str) -> list[dict[str, str]]:
    """「1.《A法》第十二条:……;《B条例》第三条」→ [{法律法规名称: A法, 条款号: 第十二条, 条款内容: ……}, …]."""
    out: list[dict[str, str]] = []
    for part in _BASIS_SPLIT.split(text):
        part = _ENUMERATION.sub("", part).strip()
        if not part:
            continue
        found = list(_LAW.finditer(part))
        if not found:
            out.append({"法律法规名称": part})
            continue
        for m in found:
            basis = {"法律法规名称": m["law"].strip()}
            rest = m["rest"].strip()
            article = _ARTICLE.search(rest)
            if article is not None:
                basis["条款号"] = article.group(0)
                rest = rest[article.end() :]
            content = rest.lstrip(_LEADING_PUNCT).strip()
            if content:
                basis["条款内容"] = content
            out.append(basis)
    return out


def convert(value: Any, spec: ColumnSpec, etype: ElementType, element: str) -> Any:
    """One cell's value for the element, or ConvertError."""
    value = _translate(value, spec)
    if spec.convert == "text":
        return as_text(value)
    items_ref = etype.items.ref if etype.kind == "array" and etype.items is not None else ""
    if spec.convert == "accountability-basis":
        return SharedBasis(as_text(value))
    if spec.convert == "responsibilities" or items_ref == "Responsibility":
        return value if isinstance(value, list) else parse_responsibilities(as_text(value))
    if spec.convert == "accountability" or items_ref == "Accountability":
        return value if isinstance(value, list) else parse_accountability(as_text(value))
    if spec.convert == "local-code":
        local = parse_local_code(as_text(value))
        return local if local is not None else as_text(value)
    if spec.convert == "legal-basis" or (etype.kind == "array" and etype.items and etype.items.ref == "LegalBasis"):
        if isinstance(value, list):
            return value
        return parse_legal_bases(as_text(value))
    if spec.convert == "time-limit" or (etype.kind == "object" and etype.ref == "TimeLimit"):
        return to_time_limit(value, etype)
    if etype.kind == "array" and etype.items is not None:
        # a list value (the mapping's `set: {行使层级: [区县级]}`) is taken item by item, a cell is split
        items = value if isinstance(value, list) else split_values(value, spec)
        return [convert(item, spec, etype.items, element) for item in items]
    if etype.kind == "enum":
        return to_enum(value, etype)
    if etype.kind == "integer":
        return to_int(value, etype)
    if etype.kind == "boolean":
        return to_bool(value, etype)
    if etype.kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        raise ConvertError(f"「{etype.title}」应为数字", f"'{etype.title}' must be a number")
    if etype.kind == "object":
        raise ConvertError(
            f"「{etype.title}」是复合要素,请映射到其子要素(如 {etype.title}.{etype.properties[0] if etype.properties else ''})",
            f"'{etype.title}' is a compound element; map its parts",
        )
    if element in CODE_WIDTHS:
        code = to_code(value, element)
        local = parse_local_code(code) if element == "实施编码" else None
        return local if local is not None else code
    return as_text(value)
