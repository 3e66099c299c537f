"""Property tests for `fmt` (issue 25 item 6): whatever the data, formatting never raises, never changes the parsed
value (the loader's fast path, libyaml and the round-trip reader all read the result as the input), and is
idempotent (a second run changes nothing, so `fmt --check` can pass).

CI runs a small budget; a longer search: `MATTERCLI_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest
tests/test_fmt_properties.py -q` (docs/fmt.md)."""

from __future__ import annotations

import json
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mattercli.catalogue.yamlio import libyaml_data, load_text
from mattercli.edit.fmt import format_text

EXAMPLES = int(os.environ.get("MATTERCLI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REL = "base/000104001000.yaml"

#: YAML's indicator characters, white space, line breaks, quotes and escapes, digits and CJK text.
_ALPHABET = st.sampled_from(list("?:-#,[]{}&*!|>'\"%@`~=<. \t\n\\0123456789aeEnNxXoObB_+企业法人事项·\u3000é"))
TEXT = st.text(_ALPHABET, max_size=12)
SCALAR = st.one_of(TEXT, st.integers(-(10**20), 10**20), st.booleans(), st.none(), st.floats(allow_nan=False))
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT.filter(bool), inner, max_size=4),
    max_leaves=12,
)
DOCUMENT = st.dictionaries(TEXT.filter(bool), VALUE, min_size=1, max_size=5)


def check_fmt(text: str) -> None:
    before = load_text(text, REL)
    first = format_text(text, REL)  # must not raise
    if before.data is None:
        return  # not a readable mapping: reported, left as it is
    assert first.problem is None, (first.problem, text)  # a readable file is always formattable
    assert first.text is not None
    after = load_text(first.text, REL)
    assert after.data == before.data, first.text
    assert libyaml_data(first.text) == before.data, first.text
    second = format_text(first.text, REL)
    assert second.problem is None, (second.problem, first.text)
    assert not second.changed, (first.text, second.text)


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=4))
@example(["?企业法人", "非法人企业"])
@example([":y", "a:b", "? x", "- u"])
def test_strings_in_a_flow_list(items: list[str]) -> None:
    check_fmt("事项名称: 测试\n服务对象: " + json.dumps(items, ensure_ascii=False) + "\n")


@FUZZ
@given(TEXT)
@example("?企业法人")
@example("a\n b")
def test_a_string_value(value: str) -> None:
    check_fmt("事项名称: " + json.dumps(value, ensure_ascii=False) + "\n")


@FUZZ
@given(DOCUMENT)
def test_any_document_in_flow_style(data: dict[str, Any]) -> None:
    check_fmt(json.dumps(data, ensure_ascii=False) + "\n")


@FUZZ
@given(DOCUMENT)
def test_any_document_in_block_style(data: dict[str, Any]) -> None:
    check_fmt(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@FUZZ
@given(st.text(_ALPHABET, max_size=60))
def test_any_text_never_raises(text: str) -> None:
    check_fmt(text)
