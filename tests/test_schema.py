"""The committed schemas are generated from the models, are valid 2020-12 schemas, and agree with the
pure-Python reference validator on the fixture documents."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from mattercli.catalogue.schema_files import stale_schemas
from mattercli.model.schema import all_schemas, render, validator_for

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "schemas"
MINI = Path(__file__).parent / "fixtures" / "mini"


def test_committed_schemas_are_fresh() -> None:
    assert stale_schemas(SCHEMAS) == [], "run: mattercli schema schemas"


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_schema_is_valid_2020_12_with_chinese_titles(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                assert sub.get("title") == key, f"{name}: property {key} has no Chinese title"
            for key, value in node.items():
                if key != "if":  # conditions name a property without describing it
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    for def_name, sub in schema.get("$defs", {}).items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sub.get("title", "")), f"{name}: $defs/{def_name} title"


def test_render_is_deterministic() -> None:
    assert render(all_schemas()["matter.schema.json"]) == render(all_schemas()["matter.schema.json"])


def _documents() -> list[tuple[str, dict]]:
    docs = []
    for path in sorted(MINI.rglob("*.yaml")):
        docs.append((path.relative_to(MINI).as_posix(), yaml.safe_load(path.read_text(encoding="utf-8"))))
    return docs


@pytest.mark.parametrize(("file", "data"), _documents(), ids=[f for f, _ in _documents()])
def test_fast_validator_agrees_with_reference(file: str, data: dict) -> None:
    """jsonschema-rs (used at run time) and python-jsonschema accept and reject the same documents."""
    if file.startswith("registry/"):
        kind = file.split("/")[1]
        schema = json.loads((SCHEMAS / kind.replace(".yaml", ".schema.json")).read_text(encoding="utf-8"))
    else:
        kind = "implementation" if "实施编码" in data else "base"
        schema = json.loads((SCHEMAS / "matter.schema.json").read_text(encoding="utf-8"))
    reference = jsonschema.Draft202012Validator(schema)
    assert reference.is_valid(data) and validator_for(kind).errors(data) == []
    broken = {**data, "未知要素": 1}
    assert not reference.is_valid(broken)
    assert validator_for(kind).errors(broken)


def test_penalty_requires_its_elements_in_the_schema() -> None:
    schema = json.loads((SCHEMAS / "matter.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((MINI / "base/000204001000.yaml").read_text(encoding="utf-8"))
    del data["处罚的种类"]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert any("处罚的种类" in e.message for e in errors)
