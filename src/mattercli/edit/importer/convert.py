"""Cell values to element values: code tables by label or national code, yes/no, numbers, codes that Excel stored as
numbers, time limits written as text (「20个工作日」), legal bases (「《中华人民共和国食品安全法》第三十五条」), and the
Sichuan-style local codes (`511A0138600000-511602000000-000-{USCC}-1-00`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mattercli.catalogue.yamlio import CODE_WIDTHS
from mattercli.edit.importer.mapping import ColumnSpec, ElementType
from mattercli.model import codes
from mattercli.model.identifiers import USCC_PATTERN
from mattercli.model.powers import parse_accountability, parse_responsibilities

#: A catalogue's local code tables: table title (审批结果类型) -> code -> label (registry/local-codes.yaml).
LocalCodes = Mapping[str, Mapping[str, str]]
#: Default separators of a list element written in one cell.
LIST_SPLIT = r"[,，、;；\n|]+"
_TRUE = {"是", "有", "Y", "YES", "TRUE", "1", "√", "需要", "收费"}
_FALSE = {"否", "无", "N", "NO", "FALSE", "0", "×", "不需要", "不收费", "免费"}
#: Unit words as written in real lists (「30个自然日」「24个小时」「1个月」「2周」); 「日」「天」 alone are calendar days.
_UNITS = {
    "工作日": "工作日",
    "个工作日": "工作日",
    "自然日": "自然日",
    "个自然日": "自然日",
    "日历日": "自然日",
    "个日历日": "自然日",
    "日": "自然日",
    "天": "自然日",
    "小时": "小时",
    "个小时": "小时",
    "个钟头": "小时",
    "时": "小时",
    "周": "周",
    "个周": "周",
    "星期": "周",
    "个星期": "周",
    "月": "月",
    "个月": "月",
}
_IMMEDIATE = {"即办", "即时办结", "当场办结", "立即办理", "即来即办", "当场"}
_TIME_LIMIT = re.compile(
    r"^(?P<value>\d+)\s*(?P<unit>"
    + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
    + r")?\s*(?P<note>.*)$",
    re.S,
)
_ARTICLE = re.compile(
    r"第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?(?:第[一二三四五六七八九十百千零〇\d]+款)?(?:第[一二三四五六七八九十百千零〇\d]+项)?"
)
_LAW = re.compile(r"《(?P<law>[^》]+)》(?P<rest>[^《]*)")
_ENUMERATION = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*)")
_BASIS_SPLIT = re.compile("[\n;\uff1b]+")
#: Punctuation between an article number and its text: 《…》第十条:「……」
_NOTE_PUNCT = " ,;()\uff0c\uff1b\u3002\uff08\uff09"
_LEADING_PUNCT = " \t:,.\u3001\u3002\uff0c\uff1a\u201c\u201d\"'"
#: Sichuan-style local implementation codes: 地方基本编码 - 12-digit region - 3 digits - USCC - sequence - 2 digits,
#: e.g. `511Z07001006-511602000000-000-{USCC}-1-00`; real data also carries a short class prefix before them
#: (`G-…`, `E-…`, `H-…`, `Z-…`, `A-…`, `1J-…`), whose meaning is not published (kept as part of the local code).
SICHUAN_CODE = re.compile(
    rf"^(?:(?P<variant>[0-9A-Z]{{1,2}})-)?(?P<local>[0-9A-Z]{{1,20}})-(?P<region>[0-9]{{12}})-(?P<sub>[0-9]{{3}})"
    rf"-(?P<uscc>{USCC_PATTERN})-(?P<seq>[0-9A-Z]{{1,2}})-(?P<item>[0-9]{{2}})$"
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
    local: str  # the 地方基本编码 part (511Z07001006)
    region: str  # 6-digit GB/T 2260 code
    uscc: str
    region12: str = ""  # the 12-digit statistical region code as written
    variant: str = ""  # a class prefix (G, E, H, Z, A, 1J …) when the code has one


def parse_local_code(text: str) -> LocalCode | None:
    m = SICHUAN_CODE.fullmatch(text.strip())
    if m is None:
        return None
    return LocalCode(text.strip(), m["local"], m["region"][:6], m["uscc"], m["region"], m["variant"] or "")


def diagnose_local_code(text: str) -> tuple[str, str] | None:
    """Why a code that looks like a Sichuan-style local code (dash-separated, with a 12-digit region or an 18-char
    USCC segment) does not parse: which segment is wrong (the USCC part, the region part, the length). None when it
    parses, or does not look like one."""
    text = text.strip()
    if parse_local_code(text) is not None or text.count("-") < 4:
        return None
    parts = text.split("-")
    if len(parts) >= 7 and len(parts[0]) <= 2:
        parts = parts[1:]  # a class prefix (G-, 1J- …)
    if len(parts) != 6:
        return (
            f"地方编码「{text}」应为 6 段(地方基本编码-12 位区划-3 位-统一社会信用代码-序号-2 位),实为 {len(parts)} 段",
            f"local code '{text}' has {len(parts)} dash-separated parts, not 6",
        )
    local, region, sub, uscc, seq, item = parts
    checks: list[tuple[str, str]] = []
    if not re.fullmatch(r"[0-9A-Z]{1,20}", local):
        checks.append(
            (f"地方基本编码段「{local}」只能含数字和大写字母", f"local part '{local}' must be digits/capitals")
        )
    if not re.fullmatch(r"[0-9]{12}", region):
        checks.append(
            (f"区划段「{region}」应为 12 位数字,实为 {len(region)} 位", f"region part '{region}' must be 12 digits")
        )
    if not re.fullmatch(r"[0-9]{3}", sub):
        checks.append((f"第 3 段「{sub}」应为 3 位数字", f"third part '{sub}' must be 3 digits"))
    if len(uscc) != 18:
        checks.append(
            (
                f"统一社会信用代码段「{uscc}」应为 18 位,实为 {len(uscc)} 位",
                f"USCC part '{uscc}' has {len(uscc)} characters, not 18",
            )
        )
    elif not re.fullmatch(USCC_PATTERN, uscc):
        checks.append(
            (
                f"统一社会信用代码段「{uscc}」含不允许的字符(不用 I、O、S、V、Z)",
                f"USCC part '{uscc}' has bad characters",
            )
        )
    if not re.fullmatch(r"[0-9A-Z]{1,2}", seq):
        checks.append((f"序号段「{seq}」应为 1–2 位数字或字母", f"sequence part '{seq}' must be 1-2 characters"))
    if not re.fullmatch(r"[0-9]{2}", item):
        checks.append((f"末段「{item}」应为 2 位数字", f"last part '{item}' must be 2 digits"))
    if not checks:
        return None
    zh = "; ".join(c[0] for c in checks)
    en = "; ".join(c[1] for c in checks)
    return f"地方编码「{text}」无法识别: {zh}", f"local code '{text}' cannot be read: {en}"


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def split_values(value: Any, spec: ColumnSpec) -> list[Any]:
    if isinstance(value, list):
        return value  # a list already (a mapping's `set: {行使层级: [区县级]}`)
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


def _same_code(text: str, code: str) -> bool:
    return text == code or (text.isdigit() and code.isdigit() and int(text) == int(code))


def to_enum(value: Any, etype: ElementType, tables: LocalCodes | None = None) -> str:
    """A code-table value from its label or a code: the catalogue's own codes (registry/local-codes.yaml) first, then this
    tool's codes, then codes seen in real records; a table whose numeric codes are doubtful is refused unless the
    catalogue configures it."""
    text = as_text(value)
    if text in etype.enum:
        return text
    table = getattr(codes, etype.ref, None) if etype.ref else None
    title = codes.table_title(table) if table is not None else etype.title
    configured = (tables or {}).get(title, {})
    for code, label in configured.items():
        if _same_code(text, code):
            return label
    if table in codes.CONFIGURED_ONLY and not configured:
        raise ConvertError(
            f"「{etype.title}」的代码「{text}」含义未经国家标准确认(如 通办范围 4 常见于区县级审批,不能读作全国);"
            f"请在 registry/local-codes.yaml 中配置「{title}」的本地代码,或在表中使用名称({'、'.join(etype.enum)})",
            f"'{etype.title}' code '{text}' has no confirmed national meaning; configure '{title}' in "
            f"registry/local-codes.yaml or use the names ({', '.join(etype.enum)})",
        )
    for label, code in etype.enum.items():
        if _same_code(text, code):
            return label
    for code, label in (codes.RECORD_CODES.get(table, {}) if table is not None else {}).items():
        if _same_code(text, code):
            return label
    options = "、".join(f"{code} {label}" for label, code in etype.enum.items())
    hint = "" if etype.national else f";「{title}」的代码不是国家代码,可在 registry/local-codes.yaml 中配置本地代码"
    raise ConvertError(
        f"「{etype.title}」的值「{text}」不在代码表中(可用代码或名称: {options}){hint}",
        f"'{etype.title}' value '{text}' is not in the code table ({', '.join(etype.enum)})",
    )


def to_int(value: Any, etype: ElementType) -> int:
    if isinstance(value, bool):
        raise ConvertError(
            f"「{etype.title}」应为整数,实际为「{as_text(value)}」",
            f"'{etype.title}' must be a whole number, not '{as_text(value)}'",
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
            f"'{etype.title}' is not a time limit: '{text}' (e.g. 20个工作日, 30日, 即办)",
        )
    note = m["note"].strip(_NOTE_PUNCT)
    if m["unit"] is None and note and not note[0].isascii() and note[0] not in _NOTE_PUNCT + "（）":
        # 「3个工作周」「5个季度」: a unit we do not know must not be read as 工作日
        raise ConvertError(
            f"「{etype.title}」的时限单位无法识别:「{text}」(可用 工作日、自然日、小时、周、月、即办)",
            f"'{etype.title}': unknown time unit in '{text}' (use 工作日, 自然日, 小时, 周, 月 or 即办)",
        )
    out: dict[str, Any] = {"时限": int(m["value"]), "单位": _UNITS.get(m["unit"] or "工作日", "工作日")}
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


def convert(value: Any, spec: ColumnSpec, etype: ElementType, element: str, tables: LocalCodes | None = None) -> Any:
    """One cell's value for the element, or ConvertError; `tables`: the catalogue's local code tables."""
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
        return _local_or_text(as_text(value))
    if spec.convert == "legal-basis" or (etype.kind == "array" and etype.items and etype.items.ref == "LegalBasis"):
        if isinstance(value, list):
            return value
        return parse_legal_bases(as_text(value))
    if spec.convert == "time-limit" or (etype.kind == "object" and etype.ref == "TimeLimit"):
        return to_time_limit(value, etype)
    if etype.kind == "array" and etype.items is not None:
        # a list value (the mapping's `set: {行使层级: [区县级]}`) is taken item by item, a cell is split
        items = value if isinstance(value, list) else split_values(value, spec)
        return [convert(item, spec, etype.items, element, tables) for item in items]
    if etype.kind == "enum":
        return to_enum(value, etype, tables)
    if etype.kind == "integer":
        return to_int(value, etype)
    if etype.kind == "boolean":
        return to_bool(value, etype)
    if etype.kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        raise ConvertError(
            f"「{etype.title}」应为数字,实际为「{as_text(value)}」",
            f"'{etype.title}' must be a number, not '{as_text(value)}'",
        )
    if etype.kind == "object":
        raise ConvertError(
            f"「{etype.title}」是复合要素,请映射到其子要素(如 {etype.title}.{etype.properties[0] if etype.properties else ''})",
            f"'{etype.title}' is a compound element; map its parts",
        )
    if element in CODE_WIDTHS:
        code = to_code(value, element)
        return _local_or_text(code) if element == "实施编码" else code
    return as_text(value)


def _local_or_text(text: str) -> LocalCode | str:
    """A local code split into its parts, the text itself when it is no local code (a national code), or a
    ConvertError naming the wrong segment when it looks like a local code but is malformed."""
    local = parse_local_code(text)
    if local is not None:
        return local
    problem = diagnose_local_code(text)
    if problem is not None:
        raise ConvertError(*problem)
    return text
