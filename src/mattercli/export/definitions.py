"""Reading list definitions (`lists/*.yaml`): YAML 1.2 through yamlio, checked against `list.schema.json`, then
the model; every problem is reported with file, line and column before anything is exported."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from mattercli.catalogue.catalog import LISTS_DIR, YAML_SUFFIXES, CatalogError
from mattercli.catalogue.snapshot import Snapshot
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes
from mattercli.check.rules.schema import SchemaRule
from mattercli.export.elements import PathError, check_path
from mattercli.model.lists import ListDefinition
from mattercli.model.schema import SchemaValidator, list_schema


class ListDefinitionError(CatalogError):
    """One or more list definitions cannot be used; `problems` are 'file:line:col: message' lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("清单定义有误:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class LoadedDefinition:
    file: str
    definition: ListDefinition


@cache
def _validator() -> SchemaValidator:
    return SchemaValidator(list_schema())


def _where(doc: Document, path: tuple[str | int, ...], key: bool = False) -> str:
    line, col = doc.locate(path, key=key)
    return ":".join(str(x) for x in (doc.path, line, col) if x is not None)


def _check(doc: Document) -> tuple[ListDefinition | None, list[str]]:
    if doc.problems or not isinstance(doc.data, dict):
        found = [f"{doc.path}:{p.line or 1}:{p.column or 1}: {p.rule}" for p in doc.problems]
        return None, found or [f"{doc.path}:1:1: 清单定义须为一个 YAML 映射"]
    schema_rule = SchemaRule()
    problems = []
    for error in _validator().errors(doc.data):
        for hit in schema_rule._translate(error):
            message = schema_rule.messages[hit.key].zh.format(**hit.args)
            problems.append(f"{_where(doc, hit.path, hit.on_key)}: {message}")
    if problems:
        return None, problems
    try:
        definition = ListDefinition.model_validate(doc.data)
    except ValidationError as exc:
        return None, [f"{doc.path}:1:1: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
    for i, column in enumerate(definition.columns):
        for key, path in (("要素", column.path), *(("备选要素", f) for f in column.fallbacks)):
            try:
                if path is not None:
                    check_path(path, definition.row_unit)
            except PathError as exc:
                problems.append(f"{_where(doc, ('列', i, key))}: {exc}")
    return (None if problems else definition), problems


def parse_definitions(files: list[tuple[str, bytes]]) -> list[LoadedDefinition]:
    """Definitions from (display path, bytes) pairs, in name order; raise ListDefinitionError listing every problem."""
    loaded: list[LoadedDefinition] = []
    problems: list[str] = []
    for display, raw in sorted(files):
        doc = load_bytes(raw, display, DEFAULT_MAX_BYTES)
        definition, found = _check(doc)
        problems.extend(found)
        if definition is not None:
            loaded.append(LoadedDefinition(display, definition))
    seen: dict[str, str] = {}
    for item in loaded:
        for key in {item.definition.name, item.definition.stem.casefold()}:
            if key in seen:
                problems.append(f"{item.file}: 清单名称或文件名「{key}」与 {seen[key]} 重复")
            seen.setdefault(key, item.file)
    if problems:
        raise ListDefinitionError(problems)
    return loaded


def definitions_from_snapshot(snapshot: Snapshot) -> list[LoadedDefinition]:
    """The definitions under `lists/` of the catalogue (at the snapshot's revision)."""
    files = []
    for rel in snapshot.files_under(LISTS_DIR):
        if PurePosixPath(rel).suffix in YAML_SUFFIXES:
            raw = snapshot.read(rel)
            if raw is not None:
                files.append((rel, raw))
    return parse_definitions(files)


def definitions_from_directory(directory: Path) -> list[LoadedDefinition]:
    """The definitions in a directory given on the command line (`--definitions`)."""
    if not directory.is_dir():
        raise CatalogError(f"清单定义目录不存在: {directory}")
    files = []
    for path in sorted(directory.rglob("*")):
        if path.suffix in YAML_SUFFIXES and path.is_file():
            files.append((path.as_posix(), path.read_bytes()))
    return parse_definitions(files)
