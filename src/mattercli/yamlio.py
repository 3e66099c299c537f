"""Every YAML detail lives here: fast, safe YAML 1.2 loading (libyaml) with lazy line/column lookup for any node,
and the file-level problems (encoding, BOM, conflict markers, duplicate keys, aliases, size) found on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml is in every PyYAML wheel; the pure parser is a fallback for odd builds.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
_CONFLICT_RE = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)

Path_ = tuple[str | int, ...]


class Yaml12Resolver(BaseResolver):
    """YAML 1.2 core schema: `yes`/`no`/`on`/`off` stay strings, dates stay strings, no sexagesimal or `<<`."""


Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class YamlProblem(Exception):
    """A problem found while constructing a document: a rule id, a mark and message arguments."""

    def __init__(self, rule: str, node: Node | None, **args: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.line = node.start_mark.line + 1 if node is not None else None
        self.column = node.start_mark.column + 1 if node is not None else None
        self.details = args


class Yaml12Constructor(SafeConstructor):
    """Plain data only: str, int, float, bool, null, lists, mappings with unique string keys; no aliases."""

    yaml_constructors: dict[Any, Any] = {}

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlProblem("yaml-alias", node)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        mapping: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise YamlProblem("yaml-key-type", key_node, key=str(getattr(key_node, "value", "?"))[:40])
            key = key_node.value
            if key in mapping:
                raise YamlProblem("duplicate-key", key_node, key=key, first_line=first_seen[key])
            first_seen[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: MappingNode) -> Iterator[dict[Any, Any]]:
        yield self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node: SequenceNode) -> Iterator[list[Any]]:
        yield self.construct_sequence(node, deep=True)

    def construct_undefined(self, node: Node) -> Any:
        raise YamlProblem("yaml-tag", node, tag=node.tag)


for _tag, _fn in (
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", lambda self, node: node.value in ("true", "True", "TRUE")),
    (
        "tag:yaml.org,2002:int",
        lambda self, node: int(node.value, 0) if node.value[:2] in ("0o", "0x") else int(node.value),
    ),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", Yaml12Constructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", Yaml12Constructor.construct_yaml_map),
    (None, Yaml12Constructor.construct_undefined),
):
    Yaml12Constructor.add_constructor(_tag, _fn)


class FastLoader(_Parser, Yaml12Constructor, Yaml12Resolver):  # type: ignore[misc]
    """libyaml parser + YAML 1.2 resolver + plain-data constructor."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Yaml12Constructor.__init__(self)
        Yaml12Resolver.__init__(self)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A problem with the file as a whole, before its content can be checked."""

    rule: str
    line: int | None = None
    column: int | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    """One YAML file: its text, the data it holds (None when unreadable) and what went wrong reading it."""

    path: str
    text: str | None
    data: Any = None
    problems: list[FileProblem] = field(default_factory=list)
    _positions: PositionIndex | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """1-based (line, column) of the node at `path` (of its key with key=True), or of its nearest ancestor."""
        if self.text is None:
            return (None, None)
        if self._positions is None:
            self._positions = PositionIndex.build(self.text)
        return self._positions.locate(path, key=key)


class PositionIndex:
    """Line/column of every node of a document, built on demand from the composed node graph."""

    __slots__ = ("keys", "values")

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    @classmethod
    def build(cls, text: str) -> PositionIndex:
        index = cls()
        try:
            root = yaml.compose(text, Loader=_ComposeLoader)
        except (yaml.YAMLError, RecursionError):
            return index
        if root is None:
            return index
        stack: list[tuple[Path_, Node]] = [((), root)]
        seen: set[int] = set()
        while stack:
            path, node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            index.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    child = (*path, str(key_node.value))
                    index.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                    stack.append((child, value_node))
            elif isinstance(node, SequenceNode):
                stack.extend(((*path, i), item) for i, item in enumerate(node.value))
        return index

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        probe = tuple(path)
        if key and probe in self.keys:
            return self.keys[probe]
        while probe:
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


class _ComposeLoader(_Parser, Yaml12Resolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Yaml12Resolver.__init__(self)


MAX_DEPTH = 500
#: Below this many nesting openers a file cannot reach MAX_DEPTH, so the depth pre-scan is skipped.
_DEPTH_SCAN_THRESHOLD = MAX_DEPTH


def _too_deep(text: str) -> YamlProblem | None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive composer sees it (it crashes past ~50,000)."""
    if text.count("[") + text.count("{") + text.count("- ") < _DEPTH_SCAN_THRESHOLD:
        return None
    depth = 0
    loader = _ComposeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problem = YamlProblem("yaml-syntax", None, detail=f"嵌套超过 {MAX_DEPTH} 层 / nesting deeper than {MAX_DEPTH}")
                    problem.line = event.start_mark.line + 1
                    problem.column = event.start_mark.column + 1
                    return problem
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return None


def parse_text(text: str) -> Any:
    """Parse one YAML document from text; raises yaml.YAMLError or YamlProblem."""
    deep = _too_deep(text)
    if deep is not None:
        raise deep
    loader = FastLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def decode(raw: bytes, path: str) -> tuple[str | None, list[FileProblem]]:
    """UTF-8 text of a file, or the encoding problem that stops it being read."""
    problems: list[FileProblem] = []
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
        problems.append(FileProblem("bom", 1, 1))
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        problems.append(FileProblem("encoding", line, 1, {"guess": "binary"}))
        return None, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = "unknown"
        for candidate in ("gb18030", "big5"):
            try:
                raw.decode(candidate)
            except UnicodeDecodeError:
                continue
            guess = "GBK/GB18030" if candidate == "gb18030" else "Big5"
            break
        problems.append(FileProblem("encoding", line, column, {"guess": guess}))
        return None, problems
    return text, problems


def load_text(text: str, path: str, problems: list[FileProblem] | None = None) -> Document:
    """A Document from already-decoded text."""
    doc = Document(path=path, text=text, problems=list(problems or []))
    conflict = _CONFLICT_RE.search(text)
    if conflict is not None:
        line = text.count("\n", 0, conflict.start()) + 1
        doc.problems.append(FileProblem("conflict-marker", line, 1, {"marker": conflict.group(0).strip()[:7]}))
        return doc
    try:
        data = parse_text(text)
    except YamlProblem as exc:
        doc.problems.append(FileProblem(exc.rule, exc.line, exc.column, exc.details))
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        doc.problems.append(FileProblem("yaml-syntax", line, column, {"detail": detail}))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(FileProblem("yaml-syntax", 1, 1, {"detail": str(exc).splitlines()[0]}))
        return doc
    except RecursionError:
        doc.problems.append(FileProblem("yaml-syntax", 1, 1, {"detail": "nesting too deep"}))
        return doc
    if not isinstance(data, dict):
        doc.problems.append(FileProblem("not-a-mapping", 1, 1, {"found": _kind_of(data)}))
        return doc
    doc.data = data
    return doc


def load_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse one YAML file; never raises for bad content, only records problems."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Document(
                display, None, problems=[FileProblem("file-too-large", 1, 1, {"size": size, "limit": max_bytes})]
            )
        raw = path.read_bytes()
    except OSError as exc:
        return Document(
            display, None, problems=[FileProblem("unreadable", None, None, {"error": exc.strerror or str(exc)})]
        )
    return load_bytes(raw, display, max_bytes)


def load_bytes(raw: bytes, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Parse YAML bytes, e.g. a blob read from git."""
    if len(raw) > max_bytes:
        return Document(
            display, None, problems=[FileProblem("file-too-large", 1, 1, {"size": len(raw), "limit": max_bytes})]
        )
    text, problems = decode(raw, display)
    if text is None:
        return Document(display, None, problems=problems)
    return load_text(text, display, problems)


def _kind_of(data: Any) -> str:
    if data is None:
        return "empty"
    if isinstance(data, list):
        return "list"
    return "scalar"
