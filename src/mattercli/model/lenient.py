"""A best-effort model of a matter document that fails the schema: every element that validates on its own is
kept (list elements item by item), the rest are left out, so the per-matter rules that need only the valid parts
still run — a wrong USCC check character is reported even while the file still misses its 办件类型."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from mattercli.model.matter import BaseEntry, ImplementationEntry


@cache
def _adapters(model: type[BaseEntry] | type[ImplementationEntry]) -> dict[str, tuple[str, TypeAdapter[Any], bool]]:
    """alias -> (field name, adapter of the field's type with its constraints, is a list)."""
    out = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        typed: Any = Annotated[annotation, *info.metadata] if info.metadata else annotation
        is_list = getattr(annotation, "__origin__", None) is list
        out[info.alias or name] = (name, TypeAdapter(typed), is_list)
    return out


@cache
def _item_adapter(model: type[BaseEntry] | type[ImplementationEntry], name: str) -> TypeAdapter[Any]:
    annotation: Any = model.model_fields[name].annotation
    (item,) = annotation.__args__
    return TypeAdapter(item)


def lenient_matter(
    model: type[BaseEntry] | type[ImplementationEntry], data: dict[str, Any]
) -> BaseEntry | ImplementationEntry:
    """The matter with the elements that validate; required elements that do not are None. Model-level validators
    do not run, so rules must only be run on the result where they tolerate missing elements."""
    values: dict[str, Any] = {}
    fields_set = set()
    for alias, (name, adapter, is_list) in _adapters(model).items():
        if alias not in data:
            continue
        raw = data[alias]
        try:
            values[name] = adapter.validate_python(raw)
        except ValidationError:
            if not (is_list and isinstance(raw, list)):
                continue
            item_adapter = _item_adapter(model, name)
            kept = []
            for item in raw:
                try:
                    kept.append(item_adapter.validate_python(item))
                except ValidationError:
                    continue
            values[name] = kept
        fields_set.add(name)
    for name, info in model.model_fields.items():
        if name not in values:
            values[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return model.model_construct(_fields_set=fields_set, **values)
