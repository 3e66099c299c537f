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

    def __init__(self, problems: list[str], problems_en: list[str] | None = None) -> None:
        super().__init__(
            "清单定义有误:\n  " + "\n  ".join(problems),
            "invalid list definitions:\n  " + "\n  ".join(problems_en or problems),
        )
        self.problems = problems
        self.problems_en = problems_en or problems


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


#: The model's own messages (ListDefinition validators) in English.
_MODEL_EN = (
    ("表头重复: ", "duplicate headers: "),
    (
        "「拆分: 区划」只用于「目录: 实施清单」(基本目录事项没有行政区划)",
        "拆分: 区划 is only for 目录: 实施清单 (base entries have no region)",
    ),
)


def _model_en(message: str) -> str:
    for zh, en in _MODEL_EN:
        if message.startswith(zh):
            return en + message[len(zh) :].replace("、", ", ")
    return message


#: A problem: where, the message in Chinese and in English.
Problem = tuple[str, str, str]


def _check(doc: Document) -> tuple[ListDefinition | None, list[Problem]]:
    if doc.problems or not isinstance(doc.data, dict):
        found = [(f"{doc.path}:{p.line or 1}:{p.column or 1}", p.rule, p.rule) for p in doc.problems]
        return None, found or [
            (f"{doc.path}:1:1", "清单定义须为一个 YAML 映射", "a list definition must be a YAML mapping")
        ]
    schema_rule = SchemaRule()
    problems: list[Problem] = []
    for error in _validator().errors(doc.data):
        for hit in schema_rule._translate(error):
            message = schema_rule.messages[hit.key]
            where = _where(doc, hit.path, hit.on_key)
            problems.append((where, message.zh.format(**hit.args), message.en.format(**hit.args)))
    if problems:
        return None, problems
    try:
        definition = ListDefinition.model_validate(doc.data)
    except ValidationError as exc:
        messages = [e["msg"].removeprefix("Value error, ") for e in exc.errors()]
        return None, [(f"{doc.path}:1:1", m, _model_en(m)) for m in messages]
    for i, column in enumerate(definition.columns):
        for key, path in (("要素", column.path), *(("备选要素", f) for f in column.fallbacks)):
            try:
                if path is not None:
                    check_path(path, definition.row_unit)
            except PathError as exc:
                problems.append((_where(doc, ("列", i, key)), str(exc), exc.en))
    return (None if problems else definition), problems


def parse_definitions(files: list[tuple[str, bytes]]) -> list[LoadedDefinition]:
    """Definitions from (display path, bytes) pairs, in name order; raise ListDefinitionError listing every problem."""
    loaded: list[LoadedDefinition] = []
    problems: list[Problem] = []
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
                problems.append(
                    (
                        item.file,
                        f"清单名称或文件名「{key}」与 {seen[key]} 重复",
                        f"list name or file name '{key}' as in {seen[key]}",
                    )
                )
            seen.setdefault(key, item.file)
    if problems:
        raise ListDefinitionError(
            [f"{where}: {zh}" for where, zh, _ in problems], [f"{where}: {en}" for where, _, en in problems]
        )
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
        raise CatalogError(f"清单定义目录不存在: {directory}", f"no such folder of list definitions: {directory}")
    files = []
    for path in sorted(directory.rglob("*")):
        if path.suffix in YAML_SUFFIXES and path.is_file():
            files.append((path.as_posix(), path.read_bytes()))
    return parse_definitions(files)
