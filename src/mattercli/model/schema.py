"""The national schema: generated from the pydantic models (the one source of truth), written to `schemas/`,
and compiled once per process into fast 2020-12 validators (jsonschema-rs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

import jsonschema_rs
from pydantic import BaseModel

from mattercli.model import (
    BaseEntry,
    ImplementationEntry,
    codes,
)
from mattercli.model.bundle import Bundle
from mattercli.model.lists import ListDefinition
from mattercli.model.registry import REGISTRY_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_URI = "https://mattercli.example/schemas/"
SCHEMA_VERSION = "1.0.0"

#: Elements that open a matter file, in this order; the rest follow in model order.
LEADING_ELEMENTS = (
    "实施编码",
    "基本编码",
    "事项名称",
    "事项类型",
    "事项状态",
    "事项版本",
    "行政区划代码",
    "实施主体",
    "主管部门",
    "行使层级",
    "权力来源",
    "委托部门",
)


_ENUM_TITLES = {
    cls.__name__: (cls.__doc__ or cls.__name__).split(" ")[0].rstrip(".").strip()
    for cls in vars(codes).values()
    if isinstance(cls, type) and issubclass(cls, codes.CodedEnum) and cls is not codes.CodedEnum
}


def _tidy(node: Any, defs_titles: dict[str, str]) -> Any:
    """Make pydantic's output an editor's schema: no nulls for optional keys, Chinese titles, code tables."""
    if isinstance(node, list):
        return [_tidy(item, defs_titles) for item in node]
    if not isinstance(node, dict):
        return node
    node = {k: _tidy(v, defs_titles) for k, v in node.items()}
    any_of = node.get("anyOf")
    if isinstance(any_of, list) and {"type": "null"} in any_of and len(any_of) == 2:
        # An optional element is omitted, never written as null.
        (kept,) = [s for s in any_of if s != {"type": "null"}]
        del node["anyOf"]
        node.pop("default", None)
        node = {**kept, **node}
    if node.get("default") is None and "default" in node:
        del node["default"]
    if isinstance(node.get("default"), Enum):
        node["default"] = node["default"].value
    return node


def _order_properties(schema: dict[str, Any], lead_with: tuple[str, ...] = ()) -> None:
    """Chinese titles on every property; for matters, the identifying elements first (fmt's order)."""
    props = schema.get("properties")
    if not props:
        return
    for key, sub in props.items():
        sub.setdefault("title", key)  # pydantic drops a field title that repeats its model's title
    lead = [k for k in lead_with if k in props]
    rest = [k for k in props if k not in lead]
    schema["properties"] = {k: props[k] for k in lead + rest}


def _model_schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    raw = model.model_json_schema(by_alias=True, mode="validation")
    schema = _tidy(raw, {})
    defs = schema.get("$defs", {})
    for def_name, sub in defs.items():
        if def_name in _ENUM_TITLES:
            sub["title"] = _ENUM_TITLES[def_name]
            enum_cls = getattr(codes, def_name)
            key = "x-codes" if enum_cls in codes.LOCAL_CODE_TABLES else "x-national-codes"
            sub[key] = {m.value: m.code for m in enum_cls if m.code}
        elif not any("\u4e00" <= ch <= "\u9fff" for ch in sub.get("title", "")) and sub.get("description"):
            sub["title"] = sub["description"].split(":")[0].split(" ")[0].rstrip(".")
        _order_properties(sub)
    _order_properties(schema, LEADING_ELEMENTS if model in (BaseEntry, ImplementationEntry) else ())
    return {"$schema": DIALECT, "$id": SCHEMA_BASE_URI + name, **schema}


def matter_schema() -> dict[str, Any]:
    """`matter.schema.json`: a base entry, or, when 实施编码 is present, an implementation entry."""
    base = _model_schema(BaseEntry, "matter.schema.json")
    impl = _model_schema(ImplementationEntry, "matter.schema.json")
    defs = {**base.pop("$defs", {}), **impl.pop("$defs", {})}
    for part in (base, impl):
        part.pop("$schema")
        part.pop("$id")
    defs["BaseEntry"] = base
    defs["ImplementationEntry"] = impl
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_BASE_URI + "matter.schema.json",
        "title": "政务服务事项",
        "description": "一个事项文件:含「实施编码」者为实施清单事项,否则为基本目录事项。",
        "x-schema-version": SCHEMA_VERSION,
        "type": "object",
        "if": {"required": ["实施编码"]},
        "then": {"$ref": "#/$defs/ImplementationEntry"},
        "else": {"$ref": "#/$defs/BaseEntry"},
        "$defs": dict(sorted(defs.items())),
    }


def registry_schema(file_name: str) -> dict[str, Any]:
    model = REGISTRY_MODELS[file_name]
    schema_name = file_name.replace(".yaml", ".schema.json")
    schema = _model_schema(model, schema_name)
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def list_schema() -> dict[str, Any]:
    """`list.schema.json`: a list definition under `lists/` (what `mattercli export` publishes)."""
    schema = _model_schema(ListDefinition, "list.schema.json")
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def bundle_schema() -> dict[str, Any]:
    """`bundle.schema.json`: a 一件事 under `bundles/` (docs/bundles.md)."""
    schema = _model_schema(Bundle, "bundle.schema.json")
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file under `schemas/`, by file name."""
    out = {"matter.schema.json": matter_schema()}
    for file_name in REGISTRY_MODELS:
        out[file_name.replace(".yaml", ".schema.json")] = registry_schema(file_name)
    out["list.schema.json"] = list_schema()
    out["bundle.schema.json"] = bundle_schema()
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation: where in the document, which keyword failed, and that keyword's parameters."""

    path: tuple[str | int, ...]
    keyword: str
    params: dict[str, Any]
    instance: Any


class SchemaValidator:
    """A compiled validator for one kind of document."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._validator = jsonschema_rs.Draft202012Validator(schema)

    def errors(self, data: Any) -> list[SchemaError]:
        if self._validator.is_valid(data):
            return []
        out = []
        for err in self._validator.iter_errors(data):
            out.append(SchemaError(tuple(err.instance_path), err.kind.name, dict(err.kind.as_dict()), err.instance))
        return out


def _root_for(defs_name: str) -> dict[str, Any]:
    full = matter_schema()
    return {"$schema": DIALECT, "$ref": f"#/$defs/{defs_name}", "$defs": full["$defs"]}


@cache
def validator_for(kind: str) -> SchemaValidator:
    """Validator for a document kind: `base`, `implementation`, or a registry file name."""
    if kind == "base":
        return SchemaValidator(_root_for("BaseEntry"))
    if kind == "implementation":
        return SchemaValidator(_root_for("ImplementationEntry"))
    if kind == "bundle":
        return SchemaValidator(bundle_schema())
    return SchemaValidator(registry_schema(kind))
