"""USCC check characters (GB 32100) and the 12/31/33-character matter codes, against the vectors in DOMAIN.md."""

from __future__ import annotations

import pytest

from mattercli.model.identifiers import (
    USCC_ALPHABET,
    BasicCode,
    check_uscc,
    org_code_check_char,
    parse_basic_code,
    parse_business_item_code,
    parse_implementation_code,
    uscc_check_char,
)

VALID_USCC = [
    "91350100M000100Y43",
    "9144030071526726XG",
    "114507210081153718",
    "11450721MB15580811",
    "12441500196720244T",
]

# ---------------------------------------------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------------------------------------------


def test_alphabet_is_31_symbols_without_i_o_s_v_z() -> None:
    assert len(USCC_ALPHABET) == 31
    assert len(set(USCC_ALPHABET)) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc(code: str) -> None:
    assert check_uscc(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_invalid_check_character() -> None:
    problem = check_uscc("91350203M0001QAY9B")
    assert problem is not None
    assert problem.kind == "check"
    assert problem.expected == "9"
    assert problem.expected == uscc_check_char("91350203M0001QAY9")
    # With the expected character the USCC check itself passes (the organisation-code check may still object).
    repaired = check_uscc("91350203M0001QAY9" + problem.expected)
    assert repaired is None or repaired.kind != "check"


@pytest.mark.parametrize("code", VALID_USCC)
def test_every_wrong_check_character_is_caught(code: str) -> None:
    for ch in USCC_ALPHABET:
        if ch == code[17]:
            continue
        problem = check_uscc(code[:17] + ch)
        assert problem is not None
        assert problem.kind == "check"
        assert problem.expected == code[17]


@pytest.mark.parametrize("code", VALID_USCC)
def test_truncated_is_length(code: str) -> None:
    problem = check_uscc(code[:17])
    assert problem is not None
    assert problem.kind == "length"


@pytest.mark.parametrize("code", ["", "9", VALID_USCC[0] + "0", VALID_USCC[0][:10]])
def test_wrong_lengths(code: str) -> None:
    problem = check_uscc(code)
    assert problem is not None
    assert problem.kind == "length"


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [0, 1, 9, 15, 17])
def test_forbidden_letters_are_alphabet(letter: str, position: int) -> None:
    base = "91350100M000100Y43"
    code = base[:position] + letter + base[position + 1 :]
    problem = check_uscc(code)
    assert problem is not None
    assert problem.kind == "alphabet"
    assert uscc_check_char(code[:17]) is None or position == 17


@pytest.mark.parametrize("code", ["91350100m000100y43", "9135010AM000100Y43", "91350100M000100Y4-"])
def test_lowercase_letter_in_region_and_punctuation_are_alphabet(code: str) -> None:
    problem = check_uscc(code)
    assert problem is not None
    assert problem.kind == "alphabet"


def test_org_code_check_is_verified() -> None:
    # Keep the USCC check character right but break the organisation-code check at position 17.
    good = "9144030071526726XG"
    assert org_code_check_char(good[8:16]) == "X"
    first17 = good[:16] + "5"
    code = first17 + uscc_check_char(first17)  # type: ignore[operator]
    problem = check_uscc(code)
    assert problem is not None
    assert problem.kind == "org-check"
    assert problem.expected == "X"


@pytest.mark.parametrize("code", VALID_USCC)
def test_org_code_check_of_valid_vectors(code: str) -> None:
    expected = org_code_check_char(code[8:16])
    # Codes whose organisation part uses letters outside GB 11714 digits may not be checkable; when it is, it holds.
    assert expected is None or expected == code[16]


# ---------------------------------------------------------------------------------------------------------------
# 实施编码: USCC (18) + 行使层级 (1) + 基本编码 (12)
# ---------------------------------------------------------------------------------------------------------------

REAL_IMPLEMENTATION_CODES = [
    # code, uscc, level, (region, type, dept, seq, sub)
    ("1145072100811537184452004020000", "114507210081153718", "4", ("45", "20", "04", "020", "000")),
    ("11450721MB155808114000104002000", "11450721MB15580811", "4", ("00", "01", "04", "002", "000")),
    ("11440100007482575H3440118009000", "11440100007482575H", "3", ("44", "01", "18", "009", "000")),
    ("12441500196720244T3442199806003", "12441500196720244T", "3", ("44", "21", "99", "806", "003")),
]


@pytest.mark.parametrize(("code", "uscc", "level", "parts"), REAL_IMPLEMENTATION_CODES)
def test_real_implementation_codes(code: str, uscc: str, level: str, parts: tuple[str, ...]) -> None:
    assert len(code) == 31
    impl = parse_implementation_code(code)
    assert impl is not None
    assert impl.uscc == uscc
    assert impl.level_code == level
    assert impl.basic == BasicCode(*parts)
    assert impl.basic.text == code[19:]
    assert impl.text == code


@pytest.mark.parametrize("level", ["0", "7", "9", "A"])
def test_implementation_level_out_of_range(level: str) -> None:
    code = "1145072100811537184452004020000"
    assert parse_implementation_code(code[:18] + level + code[19:]) is None


@pytest.mark.parametrize("level", list("123456"))
def test_implementation_levels_one_to_six(level: str) -> None:
    code = "11450721MB155808114000104002000"
    impl = parse_implementation_code(code[:18] + level + code[19:])
    assert impl is not None
    assert impl.level_code == level


@pytest.mark.parametrize(
    "code",
    [
        "1145072100811537184452004020000"[:30],  # 30 chars
        "1145072100811537184452004020000" + "0",  # 32 chars
        "I145072100811537184452004020000",  # forbidden letter in the USCC
        "1145072100811537184452004000000",  # sequence 000
        "11450721008115371844520040200Y0",  # sub-item: Y only as "00Y"
        "",
    ],
)
def test_bad_implementation_codes(code: str) -> None:
    assert parse_implementation_code(code) is None


# ---------------------------------------------------------------------------------------------------------------
# 基本编码 RR TT DD SSS UUU
# ---------------------------------------------------------------------------------------------------------------


def test_basic_code_parts() -> None:
    basic = parse_basic_code("000104002000")
    assert basic is not None
    assert (basic.region, basic.type_code, basic.department, basic.sequence, basic.sub_item) == (
        "00",
        "01",
        "04",
        "002",
        "000",
    )
    assert basic.text == "000104002000"
    assert basic.is_national
    assert not basic.has_sub_items
    assert not basic.is_sub_item


def test_main_item_with_sub_items() -> None:
    basic = parse_basic_code("00010400200Y")
    assert basic is not None
    assert basic.sub_item == "00Y"
    assert basic.has_sub_items
    assert not basic.is_sub_item
    assert basic.parent_text == "00010400200Y"


def test_sub_item_parent() -> None:
    basic = parse_basic_code("000104002003")
    assert basic is not None
    assert basic.is_sub_item
    assert not basic.has_sub_items
    assert basic.parent_text == "00010400200Y"
    parent = parse_basic_code(basic.parent_text)
    assert parent is not None
    assert parent.has_sub_items


def test_real_sub_item_parent() -> None:
    impl = parse_implementation_code("12441500196720244T3442199806003")
    assert impl is not None
    assert impl.basic.is_sub_item
    assert not impl.basic.is_national
    assert impl.basic.parent_text == "44219980600Y"


def test_local_matter_is_not_national() -> None:
    basic = parse_basic_code("330104002000")
    assert basic is not None
    assert basic.region == "33"
    assert not basic.is_national


@pytest.mark.parametrize("seq", ["A01", "0A1", "99A", "ABC", "Y99", "HJK", "WXY"])
def test_letter_sequences_allowed(seq: str) -> None:
    code = f"000104{seq}000"
    basic = parse_basic_code(code)
    assert basic is not None
    assert basic.sequence == seq
    assert basic.text == code


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("template", ["{}01", "0{}1", "00{}"])
def test_forbidden_letters_in_sequence_refused(letter: str, template: str) -> None:
    assert parse_basic_code(f"000104{template.format(letter)}000") is None


@pytest.mark.parametrize(
    "code",
    [
        "000104000000",  # sequence 000 does not exist
        "00010400200",  # 11 chars
        "0001040020000",  # 13 chars
        "00010400200y",  # lower-case y
        "0001040020Y0",  # Y in the wrong place
        "00010400200A",  # letters in the sub-item other than 00Y
        "A00104002000",  # letter in the region
        "00A104002000",  # letter in the type
        "0001A4002000",  # letter in the department
        "000104a02000",  # lower-case letter in the sequence
        "",
    ],
)
def test_bad_basic_codes(code: str) -> None:
    assert parse_basic_code(code) is None


# ---------------------------------------------------------------------------------------------------------------
# 业务办理项编码 = 实施编码 + 2 digits
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("impl_code", "uscc", "level", "parts"), REAL_IMPLEMENTATION_CODES)
def test_business_item_code(impl_code: str, uscc: str, level: str, parts: tuple[str, ...]) -> None:
    code = impl_code + "07"
    assert len(code) == 33
    item = parse_business_item_code(code)
    assert item is not None
    assert item.sequence == "07"
    assert item.implementation.text == impl_code
    assert item.implementation.uscc == uscc
    assert item.implementation.level_code == level
    assert item.implementation.basic == BasicCode(*parts)


@pytest.mark.parametrize(
    "code",
    [
        "1145072100811537184452004020000",  # 31: an implementation code, not a business item code
        "11450721008115371844520040200001",  # 32
        "11450721008115371844520040200000A",  # non-digit sequence
        "1145072100811537184452004020000010",  # 34
        "1145072100811537180452004020000" + "01",  # bad level inside
    ],
)
def test_bad_business_item_codes(code: str) -> None:
    assert parse_business_item_code(code) is None
