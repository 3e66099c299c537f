"""The YAML loader: YAML 1.2 core-schema typing, `<<` as a plain key, and exact 1-based positions from locate()."""

from __future__ import annotations

import math

import pytest

from mattercli.catalogue.yamlio import Document, PositionIndex, load_bytes, load_text, parse_text

# ---------------------------------------------------------------------------------------------------------------
# YAML 1.2 semantics
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scalar",
    ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF"],
)
def test_yaml11_booleans_stay_strings(scalar: str) -> None:
    assert parse_text(f"v: {scalar}\n") == {"v": scalar}


@pytest.mark.parametrize("key", ["yes", "no", "on", "off"])
def test_yaml11_boolean_words_as_keys_stay_strings(key: str) -> None:
    data = parse_text(f"{key}: 1\n")
    assert data == {key: 1}
    assert isinstance(next(iter(data)), str)


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)],
)
def test_yaml12_booleans(scalar: str, expected: bool) -> None:
    value = parse_text(f"v: {scalar}\n")["v"]
    assert value is expected


@pytest.mark.parametrize("scalar", ["2024-01-01", "2015-10-01", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00"])
def test_dates_and_timestamps_stay_strings(scalar: str) -> None:
    value = parse_text(f"施行日期: {scalar}\n")["施行日期"]
    assert value == scalar
    assert type(value) is str


def test_sexagesimal_stays_string() -> None:
    assert parse_text("t: 12:30\n") == {"t": "12:30"}


def test_quoted_code_stays_string_with_leading_zeros() -> None:
    data = parse_text("基本编码: \"000104002000\"\n单引号: '000104002000'\n")
    assert data == {"基本编码": "000104002000", "单引号": "000104002000"}
    assert all(type(v) is str for v in data.values())


def test_unquoted_code_becomes_decimal_int() -> None:
    value = parse_text("基本编码: 000104002000\n")["基本编码"]
    assert type(value) is int
    assert value == 104002000


def test_leading_zero_is_decimal_not_octal() -> None:
    # YAML 1.1 read 0777 as octal 511; YAML 1.2 core reads it as decimal.
    assert parse_text("v: 0777\n") == {"v": 777}


@pytest.mark.parametrize(("scalar", "expected"), [("0o17", 15), ("0x1f", 31), ("0x1F", 31), ("-5", -5), ("+7", 7)])
def test_yaml12_int_forms(scalar: str, expected: int) -> None:
    value = parse_text(f"v: {scalar}\n")["v"]
    assert type(value) is int
    assert value == expected


def test_binary_and_underscored_numbers_stay_strings() -> None:
    # 0b101 and 1_000 were ints in YAML 1.1 only.
    assert parse_text("a: 0b101\nb: 1_000\n") == {"a": "0b101", "b": "1_000"}


def test_floats_and_nulls() -> None:
    data = parse_text("a: 1.5\nb: 1e3\nc: .inf\nd: ~\ne: null\nf:\n")
    assert data["a"] == 1.5
    assert data["b"] == 1000.0
    assert math.isinf(data["c"])
    assert data["d"] is None
    assert data["e"] is None
    assert data["f"] is None


def test_merge_key_is_a_plain_key() -> None:
    data = parse_text("<<: x\nb: 2\n")
    assert data == {"<<": "x", "b": 2}


def test_merge_key_with_mapping_value_is_not_merged() -> None:
    data = parse_text("<<: {a: 1}\nb: 2\n")
    assert data == {"<<": {"a": 1}, "b": 2}
    assert "a" not in data


def test_load_text_returns_data_and_no_problems() -> None:
    doc = load_text("a: 1\nb: [x, y]\n", "base/x.yaml")
    assert doc.ok
    assert doc.problems == []
    assert doc.data == {"a": 1, "b": ["x", "y"]}
    assert doc.path == "base/x.yaml"


def test_non_string_key_is_refused() -> None:
    doc = load_text("a: 1\n123: x\n", "x.yaml")
    assert not doc.ok
    assert [p.rule for p in doc.problems] == ["yaml-key-type"]
    assert doc.problems[0].line == 2


def test_bom_is_stripped_and_reported() -> None:
    doc = load_bytes("\ufeff基本编码: '1'\n".encode(), "x.yaml")
    assert doc.data == {"基本编码": "1"}
    assert [p.rule for p in doc.problems] == ["bom"]


# ---------------------------------------------------------------------------------------------------------------
# locate(): exact 1-based line/column
# ---------------------------------------------------------------------------------------------------------------

# Columns count characters, so the Chinese keys below are 1 column each.
LOCATE_TEXT = """\
# comment line
事项名称: 食品经营许可
申请材料:
  - 材料名称: 申请书
    材料类别: 申请表
  - 材料名称: 身份证
    设定依据:
      - 法律法规名称: 中华人民共和国居民身份证法
        条款号: 第二条
法定办结时限: {时限: 20, 单位: 工作日}
办理形式: [窗口办理, 网上办理]
"""


@pytest.fixture
def doc() -> Document:
    d = load_text(LOCATE_TEXT, "base/x.yaml")
    assert d.ok, d.problems
    return d


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), (2, 1)),  # the root mapping starts at its first key, after the comment
        (("事项名称",), (2, 7)),
        (("申请材料",), (4, 3)),  # the block sequence starts at its first dash
        (("申请材料", 0), (4, 5)),  # first item: the mapping after "- "
        (("申请材料", 0, "材料类别"), (5, 11)),
        (("申请材料", 1), (6, 5)),
        (("申请材料", 1, "材料名称"), (6, 11)),
        (("申请材料", 1, "设定依据"), (8, 7)),
        (("申请材料", 1, "设定依据", 0), (8, 9)),
        (("申请材料", 1, "设定依据", 0, "条款号"), (9, 14)),
        (("法定办结时限",), (10, 9)),  # flow mapping starts at "{"
        (("法定办结时限", "时限"), (10, 14)),
        (("法定办结时限", "单位"), (10, 22)),
        (("办理形式",), (11, 7)),  # flow sequence starts at "["
        (("办理形式", 0), (11, 8)),
        (("办理形式", 1), (11, 14)),
    ],
)
def test_locate_values(doc: Document, path: tuple[str | int, ...], expected: tuple[int, int]) -> None:
    assert doc.locate(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("事项名称",), (2, 1)),
        (("申请材料",), (3, 1)),
        (("申请材料", 0, "材料类别"), (5, 5)),
        (("申请材料", 1, "设定依据"), (7, 5)),
        (("申请材料", 1, "设定依据", 0, "条款号"), (9, 9)),
        (("法定办结时限", "单位"), (10, 18)),
    ],
)
def test_locate_keys(doc: Document, path: tuple[str | int, ...], expected: tuple[int, int]) -> None:
    assert doc.locate(path, key=True) == expected


def test_locate_key_and_value_differ(doc: Document) -> None:
    assert doc.locate(("申请材料", 1, "设定依据"), key=True) != doc.locate(("申请材料", 1, "设定依据"))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("申请材料", 1, "不存在"), (6, 5)),  # missing key -> its mapping (item 1)
        (("申请材料", 7), (4, 3)),  # index out of range -> the sequence
        (("申请材料", 7, "材料名称"), (4, 3)),
        (("申请材料", 1, "设定依据", 0, "条款号", "deeper"), (9, 14)),  # below a scalar -> the scalar
        (("不存在",), (2, 1)),  # missing top-level key -> the root
        (("法定办结时限", "说明"), (10, 9)),
    ],
)
def test_locate_nearest_ancestor(doc: Document, path: tuple[str | int, ...], expected: tuple[int, int]) -> None:
    assert doc.locate(path) == expected


def test_locate_key_on_missing_path_falls_back_to_ancestor(doc: Document) -> None:
    assert doc.locate(("申请材料", 1, "不存在"), key=True) == (6, 5)
    # A sequence index has no key: key=True gives the item itself.
    assert doc.locate(("办理形式", 1), key=True) == (11, 14)


def test_locate_without_text_is_unknown() -> None:
    d = Document(path="base/x.yaml", text=None)
    assert d.locate(("a",)) == (None, None)


def test_locate_on_unparseable_text_is_line_one() -> None:
    d = load_text("a: [1\n", "x.yaml")
    assert not d.ok
    assert d.locate(("a", 0)) == (1, 1)


def test_position_index_numeric_keys_are_stringified() -> None:
    index = PositionIndex.build("a:\n  1: x\n")
    assert index.locate(("a", "1")) == (2, 6)
    assert index.locate(("a", "1"), key=True) == (2, 3)


def test_locate_after_bom() -> None:
    d = load_bytes("\ufeffa: 1\nb:\n  c: 2\n".encode(), "x.yaml")
    assert d.locate(("b", "c")) == (3, 6)
    assert d.locate(("b", "c"), key=True) == (3, 3)
