"""`fmt`: catalogue files in one canonical layout — elements in the schema's order, 2-space indentation, codes as
double-quoted strings — with every comment kept. A file that cannot be read, or that could not be rewritten
without changing its data or losing a comment, is reported and left as it is."""

from __future__ import annotations

import contextlib
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path, PurePosixPath
from typing import Any

from mattercli.catalogue import leftovers
from mattercli.catalogue.catalog import (
    NON_MATTER_DIRS,
    REGISTRY_DIR,
    REGISTRY_FILES,
    SKIP_DIRS,
    YAML_SUFFIXES,
    CatalogError,
    find_root,
    is_catalogue,
    is_nested_catalogue,
    relpath,
)
from mattercli.catalogue.fsutil import atomic_write_text, read_regular
from mattercli.catalogue.locate import discover, enclosing_catalogue
from mattercli.catalogue.yamlio import (
    CODE_WIDTHS,
    DEFAULT_MAX_BYTES,
    CommentScan,
    FileProblem,
    RoundTripError,
    RtDocument,
    RtMap,
    RtNode,
    RtSeq,
    decode,
    dump_rt_document,
    libyaml_data,
    load_rt_document,
    load_text,
    os_problem,
    restore_code,
    rt_node,
    rt_plain,
    scan_comments,
)
from mattercli.check.rules.file_problems import FILE_RULES
from mattercli.model.schema import matter_schema, registry_schema


class FileKind(StrEnum):
    """How a file is ordered: a matter (base or implementation entry), a registry, or kept in its own order."""

    MATTER = "matter"
    REGISTRY = "registry"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Shape:
    """The canonical key order of a mapping, and the shapes of what its keys (or a sequence's items) hold."""

    keys: tuple[str, ...] = ()
    fields: dict[str, Shape] = field(default_factory=dict)
    items: Shape | None = None


def _shape(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> Shape | None:
    if depth > 20:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = defs.get(ref.removeprefix("#/$defs/"))
        return _shape(target, defs, depth + 1) if target is not None else None
    if "properties" in schema:
        props: dict[str, Any] = schema["properties"]
        children = {key: s for key, sub in props.items() if (s := _shape(sub, defs, depth + 1)) is not None}
        return Shape(tuple(props), children)
    if "items" in schema and isinstance(schema["items"], dict):
        items = _shape(schema["items"], defs, depth + 1)
        return Shape(items=items) if items is not None else None
    return None


@cache
def matter_shape(kind: str) -> Shape:
    """Element order of a base ("BaseEntry") or implementation ("ImplementationEntry") entry, from the schema."""
    schema = matter_schema()
    defs = schema["$defs"]
    shape = _shape(defs[kind], defs)
    assert shape is not None
    return shape


@cache
def registry_shape(file_name: str) -> Shape:
    schema = registry_schema(file_name)
    shape = _shape(schema, schema.get("$defs", {}))
    assert shape is not None
    return shape


def shape_for(kind: FileKind, file_name: str, data: dict[str, Any]) -> Shape | None:
    if kind is FileKind.MATTER:
        return matter_shape("ImplementationEntry" if "实施编码" in data else "BaseEntry")
    if kind is FileKind.REGISTRY:
        return registry_shape(file_name)
    return None


def kind_of(rel: str) -> FileKind:
    """What a catalogue-relative path holds: registry/<known>.yaml, other registry/ and lists/ files, or a matter."""
    parts = PurePosixPath(rel).parts
    if len(parts) >= 2 and parts[-2] == REGISTRY_DIR and parts[-1] in REGISTRY_FILES:
        return FileKind.REGISTRY
    if parts and parts[0] in NON_MATTER_DIRS:
        return FileKind.OTHER
    return FileKind.MATTER


_MATTER_KEYS = frozenset({"基本编码", "实施编码", "事项名称"})


# ---- the rewrite ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeRestored:
    """An unquoted code that YAML read as a number, written back as the code it was."""

    line: int
    key: str
    number: int
    code: str


@dataclass(frozen=True, slots=True)
class FormatProblem:
    """Why a file was left untouched; line/column 1-based when known."""

    line: int | None
    column: int | None
    message: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Formatted:
    """The outcome for one text: its canonical form, or the problem that stopped it."""

    text: str | None
    changed: bool
    problem: FormatProblem | None = None
    restored: tuple[CodeRestored, ...] = ()


def reorder(node: RtNode, shape: Shape | None) -> None:
    """Keys in the shape's order, unknown keys after them in their own order; recursively."""
    if isinstance(node, RtMap):
        if shape is not None and shape.keys:
            rank = {key: i for i, key in enumerate(shape.keys)}
            indexed = list(enumerate(node.entries))
            indexed.sort(key=lambda pair: (rank.get(pair[1].key, len(rank)), pair[0]))
            node.entries = [entry for _, entry in indexed]
        for entry in node.entries:
            reorder(entry.value, shape.fields.get(entry.key) if shape is not None else None)
    elif isinstance(node, RtSeq):
        for entry in node.entries:
            reorder(entry.value, shape.items if shape is not None else None)


def restore_codes(node: RtNode, key: str | None = None, line: int = 0) -> Iterator[CodeRestored]:
    """Turn numbers that code elements hold back into their codes (quoting happens when the file is written)."""
    if isinstance(node, RtMap):
        for entry in node.entries:
            yield from restore_codes(entry.value, entry.key, entry.line)
    elif isinstance(node, RtSeq):
        for entry in node.entries:
            yield from restore_codes(entry.value, key, entry.line or line)
    elif key in CODE_WIDTHS and isinstance(node.value, int) and not isinstance(node.value, bool):
        code = restore_code(node.value, CODE_WIDTHS[key])
        yield CodeRestored(line, key, int(node.value), code)
        node.value = code


def canonical_document(doc: RtDocument, kind: FileKind, file_name: str) -> list[CodeRestored]:
    """Put a document into canonical shape in place; returns the codes it restored."""
    data = rt_plain(doc.root)
    if kind is FileKind.MATTER and not _MATTER_KEYS & set(data):
        kind = FileKind.OTHER  # a YAML file in the tree that is not a matter: layout only
    reorder(doc.root, shape_for(kind, file_name, data))
    restored = list(restore_codes(doc.root))
    # Leading blank lines separate entries; more than one in a row, or one opening a file, is noise.
    doc.header = _tidy_blank_lines(doc.header, strip_end=False)
    _tidy_all(doc.root)
    doc.trailing = _tidy_blank_lines(doc.trailing, strip_end=True)
    return restored


def _tidy_blank_lines(lines: list[str], strip_end: bool) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    if strip_end:
        while out and not out[-1]:
            out.pop()
    return out


def _tidy_all(node: RtNode, first: bool = True) -> None:
    if isinstance(node, (RtMap, RtSeq)):
        for index, entry in enumerate(node.entries):
            entry.leading = _tidy_blank_lines(entry.leading, strip_end=False)
            if index == 0 and entry.leading and not entry.leading[0]:
                entry.leading = entry.leading[1:]  # no blank line right under the parent key
            _tidy_all(entry.value, False)


_FILE_MESSAGES = {rule.id: rule.messages["default"] for rule in FILE_RULES}


def _file_problem(problem: FileProblem) -> FormatProblem:
    """The loader's own message for a file it cannot read (the same words `validate` uses), with the rule id."""
    message = _FILE_MESSAGES.get(problem.rule)
    args = defaultdict(str, problem.args)
    zh = message.zh.format_map(args) if message else problem.rule
    en = message.en.format_map(args) if message else problem.rule
    return FormatProblem(problem.line, problem.column, f"{zh} [{problem.rule}]", f"{en} [{problem.rule}]")


def format_text(text: str, rel: str) -> Formatted:
    """The canonical text for one file's content (`rel`: its catalogue-relative path, which says its kind)."""
    checked = load_text(text, rel)
    if checked.data is None:
        return Formatted(None, False, _file_problem(checked.problems[-1]))
    try:
        comments = scan_comments(text)
        doc = load_rt_document(text, comments, checked.data)
    except RoundTripError as exc:
        return Formatted(None, False, FormatProblem(exc.line, exc.column, f"无法解析:{exc.message}", exc.message))
    except (TypeError, KeyError, IndexError, ValueError, AttributeError):  # the two readers disagree on the text
        return Formatted(None, False, _READERS_DISAGREE)
    if rt_plain(doc.root) != checked.data:
        return Formatted(None, False, _READERS_DISAGREE)
    kind = kind_of(rel)
    restored = canonical_document(doc, kind, PurePosixPath(rel).name)
    new_text = dump_rt_document(doc)
    if new_text == text:
        return Formatted(text, False, None, tuple(restored))
    return _verified(comments, new_text, doc, restored)


_READERS_DISAGREE = FormatProblem(
    None, None, "往返读取与校验读取结果不一致,未改动", "round-trip reading differs; left as is"
)


def _reads_back(new: str, expected: Any) -> bool:
    """Whether the rewritten text reads as `expected` by every reader that will meet it: the loader (fast path
    and libyaml) and the round-trip reader the next `fmt` uses — so fmt never changes meaning and stays idempotent."""
    after = load_text(new, "<fmt>")
    if after.data is None or after.data != expected or libyaml_data(new) != expected:
        return False
    try:
        again = load_rt_document(new, scan_comments(new), after.data)
    except Exception:  # any failure to read it back is a refusal, never a crash
        return False
    return bool(rt_plain(again.root) == expected)


def _verified(old: CommentScan, new: str, doc: RtDocument, restored: list[CodeRestored]) -> Formatted:
    """Refuse a rewrite that would read back as other data or lose a comment (a safety net, not expected)."""
    if not _reads_back(new, rt_plain(doc.root)):
        problem = FormatProblem(None, None, "格式化会改变数据,未改动", "formatting would change the data; left as is")
        return Formatted(None, False, problem)
    try:
        same_comments = old.texts() == scan_comments(new).texts()
    except RoundTripError:
        same_comments = False
    if not same_comments:
        return Formatted(
            None, False, FormatProblem(None, None, "无法保留全部注释,未改动", "a comment could not be kept; left as is")
        )
    return Formatted(new, True, None, tuple(restored))


def format_document(doc: RtDocument, rel: str) -> str:
    """Canonical text for a document built or changed by a program (`new`, `import`)."""
    canonical_document(doc, kind_of(rel), PurePosixPath(rel).name)
    return dump_rt_document(doc)


def format_data(data: dict[str, Any], rel: str, leading: Sequence[str] = ()) -> str:
    """Canonical text for new content, with comment lines at its top."""
    root = rt_node(data)
    assert isinstance(root, RtMap)
    return format_document(RtDocument(root, header=list(leading)), rel)


# ---- files ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One file: where it is, whether fmt changed (or would change) it, and why it was left alone if it was."""

    file: str
    path: Path
    changed: bool
    problem: FormatProblem | None = None
    restored: tuple[CodeRestored, ...] = ()
    #: What would change, as a unified diff (check mode only; `fmt --diff` prints it).
    diff: str | None = None


@dataclass
class FormatReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    written: bool = False

    @property
    def changed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.changed]

    @property
    def problems(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.problem is not None]


def _walk_yaml(folder: Path, in_catalogue: bool = True) -> Iterator[Path]:
    """YAML files under `folder`; inside a catalogue, a nested catalogue (test fixtures) is not entered."""
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in SKIP_DIRS:
            if entry.name.endswith(".tmp"):  # a killed run's temporary file: removed if its process is gone
                leftovers.remove([entry])
            continue
        if entry.is_dir() and not entry.is_symlink():  # a linked folder is never entered (a loop, or outside)
            nested = is_nested_catalogue(entry)
            if not (nested and in_catalogue):
                yield from _walk_yaml(entry, in_catalogue or nested)
        elif entry.suffix in YAML_SUFFIXES:
            yield entry  # a link is reported by format_file, never written through


def _is_catalogue(root: Path) -> bool:
    return is_catalogue(root)


def fmt_targets(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, catalogue-relative name) for every YAML file named, or inside a catalogue under a named folder —
    so `mattercli fmt .` in a repository formats its catalogues, not every YAML file it happens to hold."""
    seen: set[Path] = set()
    out: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise CatalogError(f"路径不存在: {path}")
        in_catalogue = path.is_dir() and enclosing_catalogue(path) is not None
        if path.is_dir() and not in_catalogue:
            with contextlib.suppress(CatalogError):  # none found: the catalogues below the folder
                path, in_catalogue = discover(path).root, True  # `fmt .` in a repository: its catalogue
        if path.is_dir():
            candidates = [(file, find_root(file.parent)) for file in _walk_yaml(path, in_catalogue)]
            chosen = [(file, root) for file, root in candidates if _is_catalogue(root)]
        else:
            chosen = [(path, find_root(path.parent))]
        for file, root in chosen:
            resolved = file.parent.resolve() / file.name  # a link is itself, not its target
            if resolved not in seen:
                seen.add(resolved)
                out.append((file, relpath(file, root)))
    return out


def format_file(path: Path, rel: str, display: str, write: bool) -> FileOutcome:
    try:  # a link is neither followed nor replaced; a FIFO is never opened for reading (it would block)
        raw = read_regular(path)
    except OSError as exc:
        return FileOutcome(display, path, False, _file_problem(os_problem(exc)))
    if len(raw) > DEFAULT_MAX_BYTES:
        return FileOutcome(
            display,
            path,
            False,
            _file_problem(FileProblem("file-too-large", 1, 1, {"size": len(raw), "limit": DEFAULT_MAX_BYTES})),
        )
    text, problems = decode(raw, display)
    if text is None:
        return FileOutcome(display, path, False, _file_problem(problems[-1]))
    try:
        result = format_text(text, rel)
    except Exception as exc:  # a bug on one file must not stop the others; the file is left as it is
        zh, en = (
            f"内部错误,未改动: {type(exc).__name__}: {exc}",
            f"internal error, left as is: {type(exc).__name__}: {exc}",
        )
        return FileOutcome(display, path, False, FormatProblem(None, None, zh, en))
    if result.problem is not None or result.text is None:
        return FileOutcome(display, path, False, result.problem)
    changed = result.changed or raw.startswith(b"\xef\xbb\xbf")
    if changed and write:
        atomic_write_text(path, result.text)
    diff = None
    if changed and not write:
        lines = difflib.unified_diff(
            text.splitlines(keepends=True), result.text.splitlines(keepends=True), f"a/{display}", f"b/{display}"
        )
        diff = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
        if raw.startswith(b"\xef\xbb\xbf") and not diff:
            diff = f"--- a/{display}\n+++ b/{display}\n(去掉 UTF-8 BOM / byte-order mark removed)\n"
    return FileOutcome(display, path, changed, None, result.restored, diff)


#: Below this many files the start-up of worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400
_CHUNK = 32


def _format_chunk(chunk: Sequence[tuple[Path, str, str, bool]]) -> list[FileOutcome]:
    return [format_file(path, rel, display, write) for path, rel, display, write in chunk]


def format_paths(paths: Sequence[Path], check: bool = False, jobs: int = 1) -> FormatReport:
    """Format every YAML file under `paths` (default: the current directory); with check, write nothing.
    Files are independent, so with jobs > 1 large sets are formatted in worker processes."""
    report = FormatReport(written=not check)
    work = [(path, rel, _display(path), not check) for path, rel in fmt_targets(paths or [Path.cwd()])]
    chunks = [work[i : i + _CHUNK] for i in range(0, len(work), _CHUNK)]
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES:
        for chunk in chunks:
            report.outcomes.extend(_format_chunk(chunk))
        return report
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=leftovers.die_with_parent) as pool:
        for outcomes in pool.map(_format_chunk, chunks):
            report.outcomes.extend(outcomes)
    return report


def _display(path: Path) -> str:
    try:
        real = path.parent.resolve() / path.name  # a link is shown as itself, not as the file it points to
        return real.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
