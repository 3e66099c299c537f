"""The saphyr fast path reads every file to exactly what the libyaml path reads, or leaves it to libyaml.

Differential: each text is parsed with the fast path on and off, and the data (with its Python types) or the
problem reported must be the same."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mattercli.catalogue import yamlio

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    path
    for folder in (ROOT / "catalog", ROOT / "tests")
    for path in folder.rglob("*.yaml")
    if ".mattercli-cache" not in path.parts
)


def typed(value: Any) -> Any:
    """The value with every scalar's type spelled out, NaN comparable."""
    if isinstance(value, dict):
        return {"dict": [(typed(k), typed(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"list": [typed(v) for v in value]}
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What reading `text` gives: the typed data, or the problems (rule, line, column)."""
    monkeypatch.setattr(yamlio, "_FAST", fast)
    doc = yamlio.load_text(text, "t.yaml")
    if doc.problems:
        return [(p.rule, p.line, p.column) for p in doc.problems]
    return typed(doc.data)


def same_both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    fast = outcome(text, True, monkeypatch)
    slow = outcome(text, False, monkeypatch)
    assert fast == slow, text
    return fast


def test_fast_path_is_available_and_taken_for_plain_files() -> None:
    assert yamlio._FAST, "yaml-rs is a dependency; without it every file takes the ~5x slower libyaml path"
    text = (ROOT / "catalog" / "impl" / "330106" / "11330106003041529B4000111001000.yaml").read_text("utf-8")
    taken, data = yamlio._fast_parse(text)
    assert taken
    assert isinstance(data, dict)
    assert data


def test_corpus_is_not_empty() -> None:
    assert len(CORPUS) > 200


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_repository_yaml_file_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    text, _ = yamlio.decode(raw, str(path))
    if text is None:
        pytest.skip("not UTF-8 (an encoding fixture)")
    same_both_ways(text, monkeypatch)
    same_both_ways(text.replace("\n", "\r\n"), monkeypatch)


SCALARS = [
    *["0", "1", "01", "12", "000104002000", "-1", "+1", "-0", "+0", "00", "0001.000"],
    *["1.", "1.5", ".5", "-.5", "+.5", "1e3", "1E3", "1e+3", "1.5e-3", "1.0e+03", "0e0", "0.", "-0.0"],
    *["1_000", "1__0", "1_0.5", "0b11", "0B11", "-0b1", "0o17", "0O17", "+0o7", "0o8", "0x1F", "0X1F", "-0x1F"],
    *["0x_1", "0xg", "0x", "0o", "0x1.8", "1e", "e3", "1..2", "1.2.3", "1e3.5", "+-1", "--1", "+", ".", "-.", "+."],
    *[".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "nan", "inf", "Infinity"],
    *["true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes", "no", "on", "off", "y", "n", "Yes", "OFF"],
    *["null", "Null", "NULL", "nUll", "~", "", "<<", "=", "1,000", "1 000", "12:30", "1:20:30"],
    *["2020-01-01", "2020-01-01 10:00:00", "2024-01-01T10:00:00Z", "11330106003041529B", "91330000MA0X1234Y5"],
    *[
        "身份证",
        "'单引号'",
        '"双引号"',
        "'it''s'",
        '"\\u4e2d\\x41\\t"',
        '"a\\\\b"',
        "中文 冒号：全角",
        "《条例》第三条",
    ],
]
SHAPES = ["k: {}\n", "- {}\n", "k: [{}]\n", "k: {{x: {}}}\n", "k:\n  {}\n", "k:\n  - {}\n  - 尾\n"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_resolve_the_same(scalar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for shape in SHAPES:
        same_both_ways(shape.format(scalar), monkeypatch)


STRUCTURES = {
    "literal": "k: |\n  第一行\n  第二行\n",
    "literal keep": "k: |+\n  行\n\n",
    "literal strip": "k: |-\n  行\n",
    "literal indent": "k: |2\n   缩进\n  行\n",
    "folded": "k: >\n  一\n  二\n\n  三\n",
    "folded strip": "k: >-\n  一\n  二\n",
    "multi-line plain": "k: 第一段\n  接着写\n\n  新段\n",
    "multi-line double": 'k: "一\n  二\\\n  三"\n',
    "multi-line single": "k: '一\n\n  二'\n",
    "comments": "# 注释\nk: v # 行尾注释\n# 结尾\n",
    "flow": "k: {a: 1, b: [x, 'y', \"z\"], c: {}}\n",
    "nested": "a:\n  b:\n    - c: 1\n      d:\n        - [1, 2]\n        - {e: f}\n",
    "empty values": "a:\nb: ''\nc: []\nd: {}\n",
    "colon in key": "'a:b': 1\n\"c d\": 2\n",
    "chinese keys": "事项名称: 设立登记\n办理时限:\n  法定办结时限: 20\n",
    "trailing spaces": "k: v   \nl: w\t\n",
    "only comments": "# nothing\n",
    "empty": "",
    "scalar document": "just text\n",
    "list document": "- a\n- b\n",
    "explicit key": "? k\n: v\n",
    "complex key": "? [a, b]\n: v\n",
    "int key": "1: a\n",
    "null key": "~: a\n",
    "bool key": "true: a\n",
    "float key": "1.5: a\n",
    "quoted number key": "'1': a\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate nested key": "a:\n  x: 1\n  x: 2\n",
    "duplicate quoted key": "a: 1\n'a': 2\n",
    "anchor and alias": "a: &x 1\nb: *x\n",
    "merge": "base: &b {x: 1}\nk:\n  <<: *b\n",
    "tag": "a: !foo 1\n",
    "core tag": "a: !!str 12\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "document start": "---\na: 1\n",
    "document end": "a: 1\n...\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "broken flow": "a: [1, 2\n",
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "tab indent": "a:\n\tb: 1\n",
    "tab in value": "a: x\ty\n",
    "unclosed quote": 'a: "abc\n',
    "stray colon": "a: b: c\n",
    "control char": "a: x\x07y\n",
    "nel": "a: x\x85y\n",
    "line separator": "a: x\u2028y\n",
    "bom inside": "a: \ufeffx\n",
    "long string": "a: " + "长" * 20000 + "\n",
    "deep flow": "a: " + "[" * 40 + "]" * 40 + "\n",
    "too deep": "a: " + "[" * 600 + "]" * 600 + "\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n",
    "no final newline": "a: 1",
    "percent in value": "a: 50%\nb: '%x'\n",
    "dashes in value": "a: ---\nb: x --- y\n",
}


@pytest.mark.parametrize("text", list(STRUCTURES.values()), ids=list(STRUCTURES))
def test_structures_and_errors_read_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    same_both_ways(text, monkeypatch)


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3),
        ("a: &x 1\nb: *x\n", "yaml-alias", 1),
        ("a: !foo 1\n", "yaml-tag", 1),
        ("1: a\n", "yaml-key-type", 1),
        ("a: [1, 2\n", "yaml-syntax", 2),
    ],
)
def test_refusals_name_the_line_with_the_fast_path_on(
    text: str, rule: str, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "_FAST", True)
    doc = yamlio.load_text(text, "t.yaml")
    assert doc.data is None
    assert [(p.rule, p.line) for p in doc.problems] == [(rule, line)]


@pytest.mark.parametrize(
    "text",
    ["a: 1_000\n", "a: 0b11\n", "a: 0X1F\n", "a: -0x1F\n", "a: &x 1\n", "a: !t 1\n", "a:\tb\n", "---\na: 1\n"],
)
def test_texts_saphyr_might_read_differently_go_to_libyaml(text: str) -> None:
    assert yamlio._fast_parse(text) == (False, None)


def test_codes_with_radix_like_letters_stay_on_the_fast_path() -> None:
    taken, data = yamlio._fast_parse("实施主体编码: 91330000MA0X1234Y5\n名称: A0B1\n")
    assert taken
    assert data == {"实施主体编码": "91330000MA0X1234Y5", "名称": "A0B1"}


@pytest.mark.parametrize(
    "text",
    [
        "'? ' * 100_000 + 'x\\n'",  # nested explicit keys on one line: both parsers crashed on it (stack overflow)
        "'a:\\n' + ''.join(' ' * i + 'k:\\n' for i in range(1, 20_000))",  # block nesting 20,000 deep (200 MB)
        "'- ' * 100_000 + 'x\\n'",
        "'[' * 100_000",
    ],
    ids=["explicit-keys", "block-indentation", "compact-sequences", "flow"],
)
@pytest.mark.parametrize("parser", ["fast", "libyaml"])
def test_hostile_nesting_is_refused_without_crashing(text: str, parser: str) -> None:
    """Run in a child process: a stack overflow in a native parser would kill the test run itself."""
    code = (
        "from mattercli.catalogue import yamlio\n"
        f"doc = yamlio.load_text({text}, 't.yaml')\n"
        "print(doc.data is None, [p.rule for p in doc.problems])\n"
    )
    env = {**os.environ, "MATTERCLI_YAML": "" if parser == "fast" else "libyaml"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, f"crashed with {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.split("\n")[0] == "True ['yaml-syntax']"
