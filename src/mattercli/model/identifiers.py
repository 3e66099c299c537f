"""Parsing and check digits of the national identifiers: USCC (GB 32100), 基本编码, 实施编码, 业务办理项编码."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The 31 symbols of GB 32100 (no I O S V Z), in value order.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

USCC_PATTERN = r"[0-9A-HJ-NP-RT-UW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RT-UW-Y]{10}"
#: SSS: 001-999, then letters continue (never I O Z S V).
_SEQ = r"[0-9A-HJ-NP-RT-UW-Y]{3}"
BASIC_CODE_PATTERN = rf"[0-9]{{2}}[0-9]{{2}}[0-9]{{2}}{_SEQ}(?:[0-9]{{3}}|00Y)"
IMPLEMENTATION_CODE_PATTERN = rf"{USCC_PATTERN}[1-6]{BASIC_CODE_PATTERN}"
BUSINESS_ITEM_CODE_PATTERN = rf"{IMPLEMENTATION_CODE_PATTERN}[0-9]{{2}}"

_BASIC_RE = re.compile(
    rf"(?P<region>[0-9]{{2}})(?P<type>[0-9]{{2}})(?P<dept>[0-9]{{2}})(?P<seq>{_SEQ})(?P<sub>[0-9]{{3}}|00Y)"
)


def uscc_check_char(first17: str) -> str | None:
    """The 18th character of a USCC for its first 17, or None if they hold a symbol outside the alphabet."""
    total = 0
    for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True):
        value = _USCC_VALUE.get(ch)
        if value is None:
            return None
        total += value * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str | None:
    """The check character of a GB 11714 organisation code (USCC positions 9-17) for its first 8 symbols."""
    total = 0
    for ch, weight in zip(first8, _ORG_WEIGHTS, strict=True):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - ord("A") + 10
        else:
            return None
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@dataclass(frozen=True, slots=True)
class UsccProblem:
    """Why a USCC is not valid: kind is one of length, alphabet, check, org-check."""

    kind: str
    expected: str | None = None


def check_uscc(code: str) -> UsccProblem | None:
    """None when `code` is a well-formed USCC with a correct check character, else what is wrong."""
    if len(code) != 18:
        return UsccProblem("length")
    if not re.fullmatch(USCC_PATTERN, code):
        return UsccProblem("alphabet")
    expected = uscc_check_char(code[:17])
    if expected != code[17]:
        return UsccProblem("check", expected)
    org_expected = org_code_check_char(code[8:16])
    if org_expected is not None and org_expected != code[16]:
        return UsccProblem("org-check", org_expected)
    return None


@dataclass(frozen=True, slots=True)
class BasicCode:
    """基本编码 RR TT DD SSS UUU."""

    region: str
    type_code: str
    department: str
    sequence: str
    sub_item: str

    @property
    def text(self) -> str:
        return f"{self.region}{self.type_code}{self.department}{self.sequence}{self.sub_item}"

    @property
    def is_national(self) -> bool:
        return self.region == "00"

    @property
    def has_sub_items(self) -> bool:
        return self.sub_item == "00Y"

    @property
    def is_sub_item(self) -> bool:
        return self.sub_item not in ("000", "00Y")

    @property
    def parent_text(self) -> str:
        """The code of the main item that this sub-item belongs to (…00Y)."""
        return f"{self.region}{self.type_code}{self.department}{self.sequence}00Y"


@dataclass(frozen=True, slots=True)
class ImplementationCode:
    """实施编码 = USCC of the implementing body + 行使层级 digit + 基本编码."""

    uscc: str
    level_code: str
    basic: BasicCode

    @property
    def text(self) -> str:
        return f"{self.uscc}{self.level_code}{self.basic.text}"


@dataclass(frozen=True, slots=True)
class BusinessItemCode:
    """业务办理项编码 = 实施编码 + 2-digit sequence."""

    implementation: ImplementationCode
    sequence: str


def parse_basic_code(code: str) -> BasicCode | None:
    m = _BASIC_RE.fullmatch(code)
    if m is None or m["seq"] == "000":
        return None
    return BasicCode(m["region"], m["type"], m["dept"], m["seq"], m["sub"])


def parse_implementation_code(code: str) -> ImplementationCode | None:
    if len(code) != 31 or not re.fullmatch(USCC_PATTERN, code[:18]) or code[18] not in "123456":
        return None
    basic = parse_basic_code(code[19:])
    if basic is None:
        return None
    return ImplementationCode(code[:18], code[18], basic)


def parse_business_item_code(code: str) -> BusinessItemCode | None:
    if len(code) != 33 or not code[31:].isdigit():
        return None
    impl = parse_implementation_code(code[:31])
    return None if impl is None else BusinessItemCode(impl, code[31:])
