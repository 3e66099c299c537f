"""Every YAML detail lives here: fast, safe YAML 1.2 loading (libyaml) with lazy line/column lookup for any node,
and the file-level problems (encoding, BOM, conflict markers, duplicate keys, aliases, size) found on the way."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from mattercli.catalogue.fsutil import NotRegularFile, SymlinkRefused, open_regular

try:  # libyaml is in every PyYAML wheel; the pure parser is a fallback for odd builds.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]

try:  # saphyr (Rust, passes the YAML test suite) builds Python objects ~7x faster than libyaml + PyYAML.
    from yaml_rs import DuplicateKeyPolicy as _DupPolicy
    from yaml_rs import loads as _rs_loads
except ImportError:  # pragma: no cover - the libyaml path below is complete on its own
    _rs_loads = None  # type: ignore[assignment]

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

    yaml_constructors: ClassVar[dict[Any, Any]] = {}

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlProblem("yaml-alias", node)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise YamlProblem("yaml-key-type", key_node, key=_node_key_text(key_node))
            key = key_node.value
            if key in mapping:
                raise YamlProblem("duplicate-key", key_node, key=key, first_line=first_seen[key])
            first_seen[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: MappingNode) -> Generator[dict[Any, Any], None, None]:
        yield self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node: SequenceNode) -> Generator[list[Any], None, None]:
        yield self.construct_sequence(node, deep=True)

    def construct_undefined(self, node: Node) -> Any:
        raise YamlProblem("yaml-tag", node, tag=node.tag)


for _tag, _fn in (
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", lambda self, node: node.value in ("true", "True", "TRUE")),
    ("tag:yaml.org,2002:int", lambda self, node: _construct_int(node)),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", Yaml12Constructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", Yaml12Constructor.construct_yaml_map),
    (None, Yaml12Constructor.construct_undefined),
):
    Yaml12Constructor.add_constructor(_tag, _fn)  # type: ignore[type-var]


#: Digits an integer may have: Python refuses to convert longer ones to and from text (sys.int_info
#: .default_max_str_digits), and no value in a catalogue comes near it.
MAX_INT_DIGITS = 4300
_LONG_DIGITS = re.compile(f"[0-9]{{{MAX_INT_DIGITS + 1}}}")


def _construct_int(node: ScalarNode) -> int:
    value = node.value
    digits = len(value.lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise YamlProblem("number-too-long", node, digits=digits, limit=MAX_INT_DIGITS)
    return int(value, 0) if value[:2] in ("0o", "0x") else int(value)


def _node_key_text(node: Node) -> str:
    """A non-string key as the user wrote it (never a parser node's repr): a scalar's text, else its kind."""
    if isinstance(node, ScalarNode):
        return str(node.value)[:40]
    mark, end = node.start_mark, node.end_mark
    buffer = getattr(mark, "buffer", None)
    if buffer is not None and end is not None and end.index > mark.index:
        text = " ".join(buffer[mark.index : end.index].split())
        return text[:40] + ("…" if len(text) > 40 else "")
    return "映射 / mapping" if isinstance(node, MappingNode) else "序列 / sequence"


class FastLoader(_Parser, Yaml12Constructor, Yaml12Resolver):
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
            root = yaml.compose(text, Loader=_ComposeLoader)  # type: ignore[arg-type]
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


def node_ends(text: str) -> dict[tuple[int, int], tuple[int, int]]:
    """Where each node of a YAML document ends, by where it starts: 1-based (line, column) -> 1-based (line,
    column) of the character just after it (SARIF's endLine/endColumn). A key or scalar wins over a collection
    starting at the same place (a block mapping starts where its first key does). Empty for text that does not
    compose."""
    root = None
    for loader in (getattr(yaml, "CSafeLoader", None), _ComposeLoader):  # libyaml's marks count characters too
        if loader is None:
            continue
        try:
            root = yaml.compose(text, Loader=loader)  # type: ignore[arg-type]
            break
        except (yaml.YAMLError, RecursionError):
            continue
    out: dict[tuple[int, int], tuple[int, int]] = {}
    collections: dict[tuple[int, int], tuple[int, int]] = {}
    stack: list[Node] = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        start = (node.start_mark.line + 1, node.start_mark.column + 1)
        end = (node.end_mark.line + 1, node.end_mark.column + 1)
        if isinstance(node, MappingNode):
            collections.setdefault(start, end)
            for key_node, value_node in node.value:
                stack.extend((key_node, value_node))
        elif isinstance(node, SequenceNode):
            collections.setdefault(start, end)
            stack.extend(node.value)
        else:
            out[start] = end
    for start, end in collections.items():
        out.setdefault(start, end)
    return out


class _ComposeLoader(_Parser, Yaml12Resolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Yaml12Resolver.__init__(self)


MAX_DEPTH = 500
#: Below this many nesting openers a file cannot reach MAX_DEPTH, so the depth pre-scan is skipped.
_DEPTH_SCAN_THRESHOLD = MAX_DEPTH
#: Block nesting needs one more indentation column per level: no line indented this far, no deep block nesting.
_DEEP_INDENT = "\n" + " " * MAX_DEPTH


def _too_deep(text: str) -> YamlProblem | None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive composer sees it (it crashes past ~50,000)."""
    openers = text.count("[") + text.count("{") + text.count("- ") + text.count("? ")
    if openers < _DEPTH_SCAN_THRESHOLD and _DEEP_INDENT not in text and not text.startswith(_DEEP_INDENT[1:]):
        return None
    depth = 0
    loader = _ComposeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problem = YamlProblem(
                        "yaml-syntax", None, detail=f"嵌套超过 {MAX_DEPTH} 层 / nesting deeper than {MAX_DEPTH}"
                    )
                    mark = event.start_mark
                    problem.line = mark.line + 1 if mark else None
                    problem.column = mark.column + 1 if mark else None
                    return problem
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return None


#: Text the fast path leaves to libyaml: anchors, aliases and tags (refused or reported there), tabs, control and
#: Unicode line-break characters (libyaml reads YAML 1.1 breaks), directives and document markers, and the number
#: forms saphyr reads as numbers where the YAML 1.2 core schema keeps strings (`1_000`, `0b11`, `0X1F`, `-0x1F`).
#: Each is a separate search: one alternation over CJK text costs 10x their sum.
_NOT_FAST_CHARS = re.compile(r"[&*!\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_RADIX_HINT = re.compile(r"0[bBoOxX]")
_RADIX = re.compile(r"(?<![0-9A-Za-z])0[bBOX]|[-+]0[box]")
_UNDERSCORE_NUMBER = re.compile(r"[0-9]_|_[0-9]")
_DOC_MARKER = re.compile(r"\n(?:---|\.\.\.|%)")


def _fast_eligible(text: str) -> bool:
    if _NOT_FAST_CHARS.search(text) is not None:
        return False
    if _LONG_DIGITS.search(text) is not None:  # libyaml refuses an integer too long to be converted
        return False
    if _RADIX_HINT.search(text) is not None and _RADIX.search(text) is not None:
        return False
    if "_" in text and _UNDERSCORE_NUMBER.search(text) is not None:
        return False
    return not text.startswith(("---", "...", "%")) and _DOC_MARKER.search(text) is None


#: MATTERCLI_YAML=libyaml turns the fast path off (differential tests, bug reports).
_FAST = _rs_loads is not None and os.environ.get("MATTERCLI_YAML", "") != "libyaml"


def _string_keys(item: Any) -> bool:
    """True when every mapping key in `item` is a string, as the libyaml path demands (depth <= MAX_DEPTH)."""
    kind = type(item)
    if kind is dict:
        for key, value in item.items():
            if type(key) is not str:
                return False
            kind = type(value)
            if (kind is dict or kind is list) and not _string_keys(value):
                return False
    elif kind is list:
        for value in item:
            kind = type(value)
            if (kind is dict or kind is list) and not _string_keys(value):
                return False
    return True


def _fast_parse(text: str) -> tuple[bool, Any]:
    """(True, data) when saphyr reads `text` to the same data the libyaml path would; (False, None) otherwise.

    Only plain, valid documents take this path: anything it might read differently, and every error, goes to
    libyaml, which gives the exact problem with its line and column."""
    if not _fast_eligible(text):
        return False, None
    try:
        data = _rs_loads(text, parse_datetime=False, duplicate_key_policy=_DupPolicy.Error)
    except Exception:  # any refusal: libyaml names the problem
        return False, None
    if not _string_keys(data):
        return False, None
    return True, data


def libyaml_data(text: str) -> Any:
    """What the libyaml path reads from `text` (None when it refuses it): the check that the fast path and
    libyaml agree on a text `fmt` is about to keep or write."""
    loader = FastLoader(text)
    try:
        return loader.get_single_data()
    except (yaml.YAMLError, YamlProblem, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()


#: Keys one mapping may hold (limits.yaml-keys-per-mapping): 600,000 keys under 5 MB took 68 s and 2.8 GB to
#: check, most of it locating findings. Set for a run by `set_max_keys` from the configuration.
MAX_KEYS = 10_000


def set_max_keys(limit: int) -> None:
    global MAX_KEYS
    MAX_KEYS = limit


def _too_many_keys(text: str) -> YamlProblem | None:
    """Refuse a mapping with more than MAX_KEYS keys, from the event stream (nothing is built). A text with fewer
    `:` than that cannot hold one, and is not scanned."""
    if text.count(":") <= MAX_KEYS:
        return None
    counts: list[int] = []  # per open collection: keys so far (mappings), -1 for sequences
    expect_key: list[bool] = []
    loader = _ComposeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            is_value = isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent))
            if is_value and counts and counts[-1] >= 0:
                if expect_key[-1]:
                    counts[-1] += 1
                    if counts[-1] > MAX_KEYS:
                        problem = YamlProblem("too-many-keys", None, limit=MAX_KEYS)
                        mark = getattr(event, "start_mark", None)
                        problem.line = mark.line + 1 if mark else None
                        problem.column = mark.column + 1 if mark else None
                        return problem
                expect_key[-1] = not expect_key[-1]
            if isinstance(event, yaml.MappingStartEvent):
                counts.append(0)
                expect_key.append(True)
            elif isinstance(event, yaml.SequenceStartEvent):
                counts.append(-1)
                expect_key.append(False)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                counts.pop()
                expect_key.pop()
    except yaml.YAMLError:
        return None  # the parser reports the syntax error itself
    finally:
        loader.dispose()
    return None


def parse_text(text: str) -> Any:
    """Parse one YAML document from text; raises yaml.YAMLError or YamlProblem."""
    deep = _too_deep(text)
    if deep is not None:
        raise deep
    crowded = _too_many_keys(text)
    if crowded is not None:
        raise crowded
    if _FAST:
        done, data = _fast_parse(text)
        if done:
            return data
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


#: A key followed by a full-width colon (事项名称：…), at the start of a line or after a list dash.
_FULLWIDTH_KEY = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[^\s:：#\-\[\]{}'\"][^:：#\n]*?)[ ]*：")
#: libyaml's messages, in Chinese (the English stays in the English message).
_SYNTAX_ZH = (
    ("could not find expected ':'", "找不到应有的「:」(键后须为半角冒号加空格)"),
    ("found character '\\t' that cannot start any token", "用了制表符(Tab)缩进,YAML 只能用空格缩进"),
    ("mapping values are not allowed here", "此处不能出现「键: 值」(冒号后少了空格,或缩进不对)"),
    ("did not find expected key", "找不到应有的键(缩进不一致?)"),
    ("did not find expected '-' indicator", "找不到应有的「-」(列表项缩进不一致?)"),
    ("found unexpected end of stream", "文件意外结束(引号或括号没有闭合?)"),
    ("did not find expected node content", "此处缺少值(列表或映射没有写完?)"),
    ("found undefined alias", "引用了未定义的锚点(*别名)"),
    ("expected ',' or ']'", "方括号列表没有闭合(缺「,」或「]」)"),
    ("expected ',' or '}'", "花括号映射没有闭合(缺「,」或「}」)"),
    ("found unknown escape character", "双引号中有未知的转义字符(用单引号,或写成 \\\\)"),
)


def syntax_problem(text: str, line: int | None, column: int | None, detail: str) -> FileProblem:
    """A yaml-syntax problem with a Chinese explanation. A full-width colon (`事项名称：食品经营许可`, typed with a
    Chinese input method) is the usual cause: libyaml reports it on a later line, so the line that holds it is
    named instead."""
    limit = line if line is not None else None
    for number, raw in enumerate(text.splitlines(), 1):
        if limit is not None and number > limit:
            break
        match = _FULLWIDTH_KEY.match(raw)
        if match is None or ": " in raw[: match.end()] or raw.lstrip().startswith("#"):
            continue
        key = match.group("key").strip()
        zh = f"「{key}：」用了全角冒号「：」,键后须为半角冒号加空格,应写作「{key}: …」"
        en = f"full-width colon after {key!r}: write '{key}: …' (ASCII colon and a space)"
        return FileProblem("yaml-syntax", number, match.end(), {"detail": en, "detail_zh": zh})
    zh_detail = next((zh for english, zh in _SYNTAX_ZH if english in detail), None)
    args = {"detail": detail, "detail_zh": zh_detail or detail}
    return FileProblem("yaml-syntax", line, column, args)


def load_text(text: str, path: str, problems: list[FileProblem] | None = None) -> Document:
    """A Document from already-decoded text."""
    doc = Document(path=path, text=text, problems=list(problems or []))
    conflict = _CONFLICT_RE.search(text)
    if conflict is not None:
        marker_line = text.count("\n", 0, conflict.start()) + 1
        doc.problems.append(FileProblem("conflict-marker", marker_line, 1, {"marker": conflict.group(0).strip()[:7]}))
        return doc
    try:
        data = parse_text(text)
    except YamlProblem as exc:
        doc.problems.append(FileProblem(exc.rule, exc.line, exc.column, exc.details))
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line: int | None = mark.line + 1 if mark else None
        column: int | None = mark.column + 1 if mark else None
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        doc.problems.append(syntax_problem(text, line, column, detail))
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
        with os.fdopen(open_regular(path), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return Document(
                    display, None, problems=[FileProblem("file-too-large", 1, 1, {"size": size, "limit": max_bytes})]
                )
            raw = handle.read()
    except OSError as exc:
        return Document(display, None, problems=[os_problem(exc)])
    return load_bytes(raw, display, max_bytes)


def os_problem(exc: OSError) -> FileProblem:
    """The file problem for a file that could not be read: a link (never followed), a FIFO or device (never
    opened), or another OS error."""
    if isinstance(exc, SymlinkRefused):
        return FileProblem("symlink", None, None, {"target": exc.target})
    if isinstance(exc, NotRegularFile):
        return FileProblem("not-regular-file", None, None, {"kind": exc.kind})
    return FileProblem("unreadable", None, None, {"error": exc.strerror or str(exc)})


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


# ======================================================================================================================
# Round trip (ruamel.yaml): read a file keeping its comments and layout, change it, write it back.
#
# Used by `fmt`, `new` and `import`. Values are resolved exactly as the fast loader above resolves them (YAML 1.2
# core: no dates, no yes/no), so what is written reads back as the same data. Comments are taken from the text
# (not from ruamel's token attachment, which glues a comment to whatever precedes it) and re-attached to the entry
# they stand above or beside, so entries can be reordered with their comments.
# ======================================================================================================================

import io as _io  # noqa: E402
from bisect import bisect_left as _bisect_left  # noqa: E402
from bisect import bisect_right as _bisect_right  # noqa: E402
from collections import Counter as _Counter  # noqa: E402
from collections import OrderedDict as _OrderedDict  # noqa: E402
from functools import lru_cache as _lru_cache  # noqa: E402

from ruamel.yaml import YAML as _RuamelYAML  # noqa: E402
from ruamel.yaml.comments import CommentedMap, CommentedSeq  # noqa: E402
from ruamel.yaml.emitter import Emitter as _RtEmitter  # noqa: E402
from ruamel.yaml.error import CommentMark as _CommentMark  # noqa: E402
from ruamel.yaml.error import MarkedYAMLError as _RtMarkedError  # noqa: E402
from ruamel.yaml.error import YAMLError as _RtYAMLError  # noqa: E402
from ruamel.yaml.nodes import ScalarNode as _RtScalarNode  # noqa: E402
from ruamel.yaml.resolver import BaseResolver as _RtBaseResolver  # noqa: E402
from ruamel.yaml.resolver import VersionedResolver as _RtVersionedResolver  # noqa: E402
from ruamel.yaml.scalarint import ScalarInt as _ScalarInt  # noqa: E402
from ruamel.yaml.scalarstring import (  # noqa: E402
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken as _CommentToken  # noqa: E402

from mattercli.model.identifiers import (  # noqa: E402
    BASIC_CODE_PATTERN,
    BUSINESS_ITEM_CODE_PATTERN,
    IMPLEMENTATION_CODE_PATTERN,
    USCC_PATTERN,
)

#: Lines are never folded: a long Chinese sentence stays on one line, whatever its length.
RT_WIDTH = 1_000_000

#: Elements whose values are codes, always written as double-quoted strings, and the width an all-digit code that
#: YAML turned into an integer (`基本编码: 000104002000` reads as 104002000) is zero-padded back to.
CODE_WIDTHS: dict[str, int] = {
    "基本编码": 12,
    "实施编码": 31,
    "业务办理项编码": 33,
    "统一社会信用代码": 18,
    "行政区划代码": 6,
    "上级": 6,
    "出具事项": 12,
    "原事项编码": 12,
    "合并自": 12,
    "拆分自": 12,
    "业务指导部门代码": 2,
}
_CODE_VALUE_RE = re.compile(
    rf"[0-9]+|{USCC_PATTERN}|{BASIC_CODE_PATTERN}|{IMPLEMENTATION_CODE_PATTERN}|{BUSINESS_ITEM_CODE_PATTERN}"
)


class RoundTripResolver(_RtBaseResolver):
    """ruamel resolver that reads plain scalars exactly as Yaml12Resolver does (YAML 1.2 core schema)."""

    def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
        _RtBaseResolver.__init__(self, loader if loader is not None else loadumper)

    @property
    def processing_version(self) -> Any:
        return (1, 2)


for _first, _resolvers in Yaml12Resolver.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        RoundTripResolver.add_implicit_resolver_base(_tag, _regexp, [_first])

_YAML11 = _RtVersionedResolver(version=(1, 1))
_YAML12 = _RtVersionedResolver(version=(1, 2))
_OURS = RoundTripResolver()
_STR_TAG = "tag:yaml.org,2002:str"


@_lru_cache(maxsize=1 << 16)
def plain_would_change_type(text: str) -> bool:
    """Whether `text` written unquoted would be read as something other than a string by this loader, by YAML 1.2
    (dates) or by YAML 1.1 readers (yes/no/on/off, 0123, 1_000, 12:30) — such strings are always double-quoted."""
    return any(str(r.resolve(_RtScalarNode, text, (True, False))) != _STR_TAG for r in (_OURS, _YAML12, _YAML11))


def is_code_text(text: str) -> bool:
    """All digits, or a USCC / 基本编码 / 实施编码 / 业务办理项编码."""
    return _CODE_VALUE_RE.fullmatch(text) is not None


class RoundTripError(Exception):
    """A file the round-trip loader cannot read; line and column are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def roundtrip_yaml() -> _RuamelYAML:
    """A ruamel YAML instance in the house layout: 2-space mappings, sequences indented under their key, no folding."""
    rt = _RuamelYAML(typ="rt")
    rt.Resolver = RoundTripResolver
    rt.width = RT_WIDTH
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.preserve_quotes = True
    rt.allow_unicode = True
    return rt


def load_roundtrip(text: str) -> Any:
    """ruamel's round-trip data (CommentedMap …) for `text`; raises RoundTripError with the position."""
    try:
        return roundtrip_yaml().load(text)
    except _RtMarkedError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise RoundTripError(detail, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from exc
    except _RtYAMLError as exc:
        raise RoundTripError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc


def quote_codes(data: Any, key: str | None = None, flow: bool = False) -> Any:
    """Codes (values of CODE_WIDTHS elements, any all-digit or code-shaped string) as double-quoted strings, an
    integer a code element holds restored to its zero-padded text, and strings that would read back as another
    type double-quoted. Returns the (possibly new) value; containers are changed in place."""
    # Plain dict/list assignment: ruamel's own __setitem__ would keep the old value's quoting style.
    if isinstance(data, dict):
        setter = _OrderedDict.__setitem__ if isinstance(data, _OrderedDict) else dict.__setitem__
        for k in list(data):
            setter(data, k, quote_codes(data[k], k if isinstance(k, str) else None))
        return data
    if isinstance(data, list):
        in_flow = flow or _is_flow(data)
        for i, item in enumerate(data):
            list.__setitem__(data, i, quote_codes(item, key, in_flow))
        return data
    if key in CODE_WIDTHS and isinstance(data, int) and not isinstance(data, bool):
        return DoubleQuotedScalarString(restore_code(data, CODE_WIDTHS[key]))
    if type(data) is str and "\n" in data.strip("\n") and not flow and _literal_allowed(data):
        return LiteralScalarString(data)  # multi-line text from a program reads best as a `|` block
    if isinstance(data, str) and not isinstance(data, (LiteralScalarString, FoldedScalarString)):
        if key in CODE_WIDTHS or is_code_text(data) or plain_would_change_type(data) or not _plain_allowed(data, flow):
            return DoubleQuotedScalarString(data)
        if isinstance(data, (DoubleQuotedScalarString, SingleQuotedScalarString)):
            return str(data)
    return data


def restore_code(number: int, width: int) -> str:
    """The code an unquoted all-digit code was before YAML read it as a number: zero-padded to `width` (or to the
    number of digits it was written with, when that is known and longer)."""
    written = getattr(number, "_width", None) if isinstance(number, _ScalarInt) else None
    digits = str(int(number))
    return digits.zfill(max(width, written or 0))


class _ScalarAnalyser(_RtEmitter):
    """ruamel's emitter used only for `analyze_scalar`; standing alone it acts as its own serializer (YAML 1.2)."""

    use_version = (1, 2)


_ANALYSER = _ScalarAnalyser(_io.StringIO(), allow_unicode=True)


def _literal_allowed(text: str) -> bool:
    """Whether `text` survives a literal block unchanged: printable, no trailing blanks on a line, no leading
    blank line or leading space (which would need an indentation indicator)."""
    if text[:1] in (" ", "\n", "\t") or "\r" in text:
        return False
    if any(line != line.rstrip(" \t") for line in text.split("\n")):
        return False
    return bool(_ANALYSER.analyze_scalar(text).allow_block)


def _is_flow(data: Any) -> bool:
    """Whether a ruamel sequence was written (or is to be written) in flow style: `[a, b]`."""
    fa = getattr(data, "fa", None)
    return bool(fa is not None and fa.flow_style())


#: Where YAML parsers disagree on a plain scalar, it is quoted: `?x` and `:x` (YAML 1.2 allows both as plain
#: text, libyaml reads `[?x]` as a mapping and `[:x]` as an error), and in flow context any `:` (`[a:b]`).
_RISKY_START = ("?", ":")


@_lru_cache(maxsize=1 << 16)
def _plain_allowed(text: str, flow: bool) -> bool:
    if text.startswith(_RISKY_START) or (flow and ":" in text):
        return False
    analysis = _ANALYSER.analyze_scalar(text)
    allowed = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    return bool(allowed and not analysis.multiline)


def dump_roundtrip(data: Any) -> str:
    """YAML text for round-trip data in the house layout, codes double-quoted (see quote_codes)."""
    stream = _io.StringIO()
    roundtrip_yaml().dump(quote_codes(data), stream)
    return stream.getvalue()


# ---- comments, as the text has them -----------------------------------------------------------------------------


@dataclass(slots=True)
class CommentScan:
    """Comments of a YAML text by 0-based line: blocks of full-line comments ('#…') and blank lines ('') keyed by
    the content line they stand above, end-of-line comments keyed by their line, and what follows the last content."""

    leading: dict[int, list[str]] = field(default_factory=dict)
    eol: dict[int, str] = field(default_factory=dict)
    trailing: list[str] = field(default_factory=list)
    #: Every comment in text order: (1-based line, 1-based column of its '#', text).
    positions: list[tuple[int, int, str]] = field(default_factory=list)

    def texts(self) -> _Counter[str]:
        """Every comment's text, counted (blank lines left out): comments before and after must match."""
        out: _Counter[str] = _Counter(line for block in self.leading.values() for line in block if line)
        out.update(self.eol.values())
        out.update(line for line in self.trailing if line)
        return out


def scan_comments(text: str) -> CommentScan:
    """Find every comment by scanning tokens: a '#' outside every token's span, after white space, starts one."""
    lines = text.split("\n")
    covered: list[list[tuple[int, int]]] = [[] for _ in lines]
    for token in yaml.scan(text, Loader=_ComposeLoader):  # type: ignore[arg-type]
        start, end = token.start_mark, token.end_mark
        if (start.line, start.column) == (end.line, end.column):
            continue
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            # A block scalar's header line holds only its indicator; a comment may follow it.
            header = lines[start.line]
            stop = start.column
            while stop < len(header) and not header[stop].isspace():
                stop += 1
            covered[start.line].append((start.column, stop))
            first_body = start.line + 1
        else:
            first_body = start.line
            if start.line == end.line:
                covered[start.line].append((start.column, end.column))
                continue
            covered[start.line].append((start.column, len(lines[start.line])))
            first_body = start.line + 1
        for inner in range(first_body, min(end.line, len(lines))):
            covered[inner].append((0, len(lines[inner])))
        if end.line < len(lines) and end.column > 0:
            covered[end.line].append((0, end.column))
    scan = CommentScan()
    pending: list[str] = []
    for number, line in enumerate(lines):
        spans = covered[number]
        content_end = max((stop for _, stop in spans), default=0)
        rest = line[content_end:]
        hash_at = rest.find("#")
        comment = rest[hash_at:].rstrip() if hash_at >= 0 and not rest[:hash_at].strip() else None
        if hash_at >= 0 and comment is None:
            raise RoundTripError(
                "无法识别的注释位置 / comment in an unexpected place", number + 1, content_end + hash_at + 1
            )
        if comment is not None:
            scan.positions.append((number + 1, content_end + hash_at + 1, comment))
        if line[:content_end].strip():
            if pending:
                scan.leading[number] = pending
                pending = []
            if comment is not None:
                scan.eol[number] = comment
        elif comment is not None:
            pending.append(comment)
        elif not spans and not line.strip() and number < len(lines) - 1:
            pending.append("")  # a blank line between entries (one inside a block scalar is content)
    scan.trailing = pending
    return scan


# ---- a document as entries with their comments ---------------------------------------------------------------------


@dataclass(slots=True)
class RtScalar:
    """A scalar; `value` may be a ruamel scalar type (LiteralScalarString, ScalarFloat …) that keeps its spelling."""

    value: Any


@dataclass(slots=True)
class RtEntry:
    """One key of a mapping or item of a sequence, with the comment lines above it and the comment beside it."""

    key: Any
    value: RtNode
    leading: list[str] = field(default_factory=list)
    eol: str | None = None
    line: int = 0  # 1-based line in the text it was read from; 0 for an entry made by a program


@dataclass(slots=True)
class RtMap:
    entries: list[RtEntry] = field(default_factory=list)

    def get(self, key: str) -> RtEntry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


@dataclass(slots=True)
class RtSeq:
    entries: list[RtEntry] = field(default_factory=list)
    flow: bool = False


RtNode = RtScalar | RtMap | RtSeq


@dataclass(slots=True)
class RtDocument:
    """A YAML mapping document: its entries, the comment lines at its top and those after its last entry."""

    root: RtMap
    header: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)


def rt_node(data: Any) -> RtNode:
    """An entry tree for plain (or ruamel) data, without comments; a plain list of scalars becomes a flow
    sequence (`行使层级: [地市级, 区县级]`), a ruamel one keeps its style."""
    if isinstance(data, dict):
        return RtMap([RtEntry(k, rt_node(v)) for k, v in data.items()])
    if isinstance(data, list):
        flow = (
            _is_flow(data)
            if isinstance(data, CommentedSeq)
            else bool(data) and not any(isinstance(v, (dict, list)) for v in data)
        )
        return RtSeq([RtEntry(None, rt_node(v)) for v in data], flow=flow)
    return RtScalar(data)


def rt_plain(node: RtNode) -> Any:
    """Plain Python data (dict, list, str, int, float, bool, None) as the fast loader would read it."""
    if isinstance(node, RtMap):
        return {e.key: rt_plain(e.value) for e in node.entries}
    if isinstance(node, RtSeq):
        return [rt_plain(e.value) for e in node.entries]
    value = node.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


@dataclass(slots=True)
class _Placed:
    line: int  # 0-based
    entry: RtEntry
    flow_owner: RtEntry | None  # the entry holding the flow sequence this entry is an item of
    flow_seq: RtSeq | None


def _rt_scalar(node: ScalarNode, value: Any) -> RtScalar:
    """A scalar as read, in a type that keeps how it was written where that matters for writing it back."""
    if isinstance(value, str):
        style = node.style
        if style == "|":
            return RtScalar(LiteralScalarString(value))
        if style == ">":
            return RtScalar(FoldedScalarString(value))
        return RtScalar(DoubleQuotedScalarString(value) if style == '"' else value)
    if isinstance(value, int) and not isinstance(value, bool):
        raw = node.value.lstrip("+-")
        if raw.startswith("0") and raw[1:2].isdigit():  # 000104002000: the digits as written, for code restoration
            return RtScalar(_ScalarInt(value, width=len(raw)))
    return RtScalar(value)


def _build_entries(node: Node, value: Any, placed: list[_Placed], owner: RtEntry | None) -> RtNode:
    if isinstance(node, MappingNode):
        node_map = RtMap()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line
            entry = RtEntry(key_node.value, RtScalar(None), line=line + 1)
            placed.append(_Placed(line, entry, None, None))
            entry.value = _build_entries(value_node, value[key_node.value], placed, entry)
            node_map.entries.append(entry)
        return node_map
    if isinstance(node, SequenceNode):
        seq = RtSeq(flow=bool(node.flow_style))
        for item_node, item in zip(node.value, value, strict=True):
            line = item_node.start_mark.line
            entry = RtEntry(None, RtScalar(None), line=line + 1)
            placed.append(_Placed(line, entry, owner if seq.flow else None, seq if seq.flow else None))
            entry.value = _build_entries(item_node, item, placed, entry)
            seq.entries.append(entry)
        return seq
    assert isinstance(node, ScalarNode)
    return _rt_scalar(node, value)


def _read_for_round_trip(text: str, data: Any = None) -> tuple[Any, Node | None]:
    """The data (fast loader, unless already read) and the node graph (positions, styles) of a text; raises
    RoundTripError."""
    try:
        if data is None:
            data = parse_text(text)
        root = yaml.compose(text, Loader=_ComposeLoader)  # type: ignore[arg-type]
    except YamlProblem as exc:
        raise RoundTripError(exc.rule, exc.line, exc.column) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        raise RoundTripError(detail, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise RoundTripError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 1, 1) from exc
    return data, root


def load_rt_document(text: str, scan: CommentScan | None = None, data: Any = None) -> RtDocument:
    """Read a mapping document into entries that carry their comments; raises RoundTripError.

    The structure comes from libyaml (positions, scalar and collection styles) — ~20x faster than ruamel's
    pure-Python loader — and the values from the fast loader, so they are exactly what `validate` reads."""
    scan = scan if scan is not None else scan_comments(text)
    data, node = _read_for_round_trip(text, data)
    if not isinstance(data, dict) or not isinstance(node, MappingNode):
        raise RoundTripError("文件不是一个映射 / not a mapping", 1, 1)
    placed: list[_Placed] = []
    root = _build_entries(node, data, placed, None)
    assert isinstance(root, RtMap)
    doc = RtDocument(root, trailing=list(scan.trailing))
    starts = [p.line for p in placed]
    for line, block in sorted(scan.leading.items()):
        at = _bisect_left(starts, line)
        if at == len(placed):
            doc.trailing[:0] = block
        elif at == 0:
            doc.header = block
        else:
            target = placed[at]
            target.entry.leading.extend(block)
            if target.flow_seq is not None:
                target.flow_seq.flow = False
    for line, comment in sorted(scan.eol.items()):
        at = _bisect_right(starts, line) - 1
        if at < 0:
            (doc.header if placed else doc.trailing).append(comment)
            continue
        target = placed[at]
        entry = target.entry
        if target.flow_seq is not None:
            last_item_line = target.flow_seq.entries[-1].line - 1 if target.flow_seq.entries else line
            if target.flow_owner is not None and target.flow_owner.line - 1 == line and last_item_line == line:
                entry = target.flow_owner  # `key: [a, b]  # note` stays a one-line flow sequence
            else:
                target.flow_seq.flow = False
        entry.eol = comment if entry.eol is None else f"{entry.eol}  {comment}"
    return doc


def _comment_token(text: str, column: int) -> _CommentToken:
    if not text:
        return _CommentToken("\n", _CommentMark(0))
    return _CommentToken(text + "\n", _CommentMark(column))


def _comments_of(entry: RtEntry) -> tuple[list[str], str | None]:
    """Leading lines and end-of-line comment as they can be written: nothing may follow a block scalar's header
    in ruamel's output, so a comment beside `key: |` goes above the key."""
    value = entry.value.value if isinstance(entry.value, RtScalar) else None
    if entry.eol and isinstance(value, (LiteralScalarString, FoldedScalarString)):
        return [*entry.leading, entry.eol], None
    return entry.leading, entry.eol


def _ruamel_node(node: RtNode, column: int) -> Any:
    """ruamel data for an entry tree; `column` is where this collection's keys or dashes start."""
    if isinstance(node, RtScalar):
        return node.value
    if isinstance(node, RtMap):
        out_map = CommentedMap()
        for entry in node.entries:
            out_map[entry.key] = _ruamel_node(entry.value, column + 2)
            leading, eol = _comments_of(entry)
            if leading:
                out_map.ca.items.setdefault(entry.key, [None, None, None, None])[1] = [
                    _comment_token(line, column) for line in leading
                ]
            if eol:
                out_map.ca.items.setdefault(entry.key, [None, None, None, None])[2] = _CommentToken(
                    " " + eol + "\n", _CommentMark(0)
                )
        return out_map
    out_seq = CommentedSeq()
    for index, entry in enumerate(node.entries):
        out_seq.append(_ruamel_node(entry.value, column + 2))
        leading, eol = _comments_of(entry)
        if leading or eol:
            out_seq.ca.items[index] = [
                _CommentToken(" " + eol + "\n", _CommentMark(0)) if eol else None,
                [_comment_token(line, column) for line in leading] if leading else None,
            ]
    simple = all(isinstance(e.value, RtScalar) and not e.leading and not e.eol for e in node.entries)
    if node.flow and simple and node.entries:
        out_seq.fa.set_flow_style()
    else:
        out_seq.fa.set_block_style()
    return out_seq


def dump_rt_document(doc: RtDocument) -> str:
    """YAML text for an entry tree: house layout (2-space mappings, sequences indented under their key, no
    folding), codes double-quoted, every comment where its entry is.

    The layout is fixed and the node kinds few, so this writes the text directly — about ten times faster than
    ruamel's event serializer, whose output it reproduces (`dump_rt_document_ruamel`, kept as the reference the
    tests compare against). Scalar styles come from the same decisions (`quote_codes`, ruamel's scalar analysis)."""
    lines: list[str] = list(doc.header)
    _emit_map(lines, doc.root, 0)
    lines.extend(doc.trailing)
    if not doc.root.entries and not lines:
        return ""
    return "\n".join(lines) + "\n"


_NON_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes are YAML's, plus the characters YAML wants escaped."""
    out = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _inline(value: Any) -> str:
    """A scalar already styled by quote_codes, as it is written on its line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(float(value))
    if isinstance(value, DoubleQuotedScalarString):
        return _double_quoted(str(value))
    return str(value)


def _key_text(key: Any) -> str:
    key = str(key)
    if is_code_text(key) or plain_would_change_type(key) or not _plain_allowed(key, False):
        return _double_quoted(key)
    return key


def _block_scalar(value: str, folded: bool, indent: int) -> tuple[str, list[str]]:
    """Header (`|`, `|-`, `|+`, with an indentation indicator when the text starts with a space or a blank line)
    and content lines of a literal — or, for a one-line folded text, folded — block scalar."""
    if value.endswith("\n\n") or value == "\n":
        chomp, body = "+", value[:-1]
    elif value.endswith("\n"):
        chomp, body = "", value[:-1]
    else:
        chomp, body = "-", value
    style = ">" if folded and "\n" not in body else "|"
    indicator = "2" if value[:1] in (" ", "\n") else ""
    pad = " " * indent
    return f"{style}{indicator}{chomp}", [f"{pad}{line}" if line else "" for line in body.split("\n")]


def _emit_value(lines: list[str], prefix: str, node: RtNode, key: Any, column: int, eol: str | None) -> None:
    """One value after its `key:` or `-` (prefix, starting at `column`), and whatever nests under it."""
    tail = f"  {eol}" if eol else ""
    if isinstance(node, RtScalar):
        styled = quote_codes(node.value, key if isinstance(key, str) else None)
        if isinstance(styled, (LiteralScalarString, FoldedScalarString)):
            header, body = _block_scalar(str(styled), isinstance(styled, FoldedScalarString), column + 2)
            lines.append(f"{prefix} {header}")
            lines.extend(body)
            return
        text = _inline(styled)
        lines.append(f"{prefix} {text}{tail}" if text else f"{prefix}{tail}")
        return
    if not node.entries:
        lines.append(f"{prefix} {'{}' if isinstance(node, RtMap) else '[]'}{tail}")
        return
    if isinstance(node, RtSeq) and _flow_ok(node):
        # a null item is written `null`: an empty one would vanish (`[, a]` is an error, `[]` loses the item)
        items = ", ".join(_inline(quote_codes(e.value.value, key, True)) or "null" for e in node.entries)  # type: ignore[union-attr]
        lines.append(f"{prefix} [{items}]{tail}")
        return
    lines.append(f"{prefix}{tail}")
    if isinstance(node, RtMap):
        _emit_map(lines, node, column + 2)
    else:
        _emit_seq(lines, node, column + 2, key)


def _flow_ok(node: RtSeq) -> bool:
    return node.flow and all(isinstance(e.value, RtScalar) and not e.leading and not e.eol for e in node.entries)


def _emit_comments(lines: list[str], comments: list[str], column: int) -> None:
    pad = " " * column
    lines.extend(f"{pad}{line}" if line else "" for line in comments)


def _emit_map(lines: list[str], node: RtMap, column: int, hoisted: bool = False) -> None:
    pad = " " * column
    for index, entry in enumerate(node.entries):
        leading, eol = _comments_of(entry)
        if not (hoisted and index == 0):
            _emit_comments(lines, leading, column)
        _emit_value(lines, f"{pad}{_key_text(entry.key)}:", entry.value, entry.key, column, eol)


def _emit_seq(lines: list[str], node: RtSeq, column: int, key: Any, hoisted: bool = False) -> None:
    """Block sequence items with their dashes at `column`; a mapping or sequence item starts on the dash's line."""
    pad = " " * column
    for index, entry in enumerate(node.entries):
        leading, eol = _comments_of(entry)
        value = entry.value
        nested = (
            isinstance(value, (RtMap, RtSeq)) and value.entries and not (isinstance(value, RtSeq) and _flow_ok(value))
        )
        if not (hoisted and index == 0):
            _emit_comments(lines, leading, column)
        if not nested:
            _emit_value(lines, f"{pad}-", value, key, column, eol)
            continue
        assert isinstance(value, (RtMap, RtSeq))
        # Comments above the nested block's first entry can only stand above the dash.
        _emit_comments(lines, _comments_of(value.entries[0])[0], column)
        block: list[str] = []
        if isinstance(value, RtMap):
            _emit_map(block, value, column + 2, hoisted=True)
        else:
            _emit_seq(block, value, column + 2, key, hoisted=True)
        block[0] = f"{pad}- {block[0][column + 2 :]}"
        if eol:
            block[0] += f"  {eol}"
        lines.extend(block)


def dump_rt_document_ruamel(doc: RtDocument) -> str:
    """The same text through ruamel's serializer: the reference `dump_rt_document` is tested against."""
    data = _ruamel_node(doc.root, 0)
    if doc.header and doc.root.entries:
        data.ca.comment = [None, [_comment_token(line, 0) for line in doc.header]]
    text = dump_roundtrip(data)
    if not doc.root.entries:
        text = "" if text.strip() == "{}" else text
        text = "".join(f"{line}\n" for line in doc.header) + text
    if doc.trailing:
        text += "".join(f"{line}\n" for line in doc.trailing)
    return text
