"""Semantic diff of two versions of a catalogue (git revisions or the work tree), in the terms of the reform.

Only the files git reports as changed are read (blobs straight from git, no checkout), so a diff costs
O(changes), not O(catalogue). Matching and classification: `diff_match`; element comparison: `diff_elements`."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from mattercli.catalogue.catalog import CONFIG_FILE, REGISTRY_DIR, CatalogError, find_root, in_nested_catalogue
from mattercli.catalogue.gitio import WORKTREE, Change, GitCorrupt, GitError, GitRepo
from mattercli.catalogue.snapshot import Snapshot, WorktreeSnapshot, is_matter_path, outside_nested, parse_matter
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, Document, load_bytes
from mattercli.check.rules.schema import SchemaRule
from mattercli.diff.bundles import BundleChange, RawBundle, bundle_changes, is_bundle_path
from mattercli.diff.elements import ChangeKind
from mattercli.diff.match import Entry, match_entries
from mattercli.diff.reform import FileIssue, MatterChange, MatterRef, Move, ReformAction
from mattercli.model import ProofDictionary
from mattercli.model.normalize import normalise
from mattercli.model.schema import validator_for

#: Version of the JSON document `diff --format json` writes (docs/diff.md); bumped on incompatible changes.
JSON_FORMAT_VERSION = 1


class RevisionSnapshot(Snapshot):
    """The catalogue at one commit, read file by file on demand — never the whole tree unless listed."""

    commit: str

    def __init__(self, repo: GitRepo, rev: str, subdir: str) -> None:
        self.repo = repo
        self.commit = repo.resolve(rev)
        self.label = self.commit[:10] if rev == self.commit else f"{rev}({self.commit[:10]})"
        self.prefix = f"{subdir}/" if subdir else ""
        self.subdir = subdir

    def read(self, rel: str) -> bytes | None:
        try:
            return self.repo.read_blob(f"{self.commit}:{self.prefix}{rel}")
        except GitCorrupt:
            raise
        except GitError:
            return None

    def _tree(self) -> dict[str, str]:
        cut = len(self.prefix)
        return {path[cut:]: sha for path, sha in self.repo.ls_tree(self.commit, self.subdir).items()}

    def matter_files(self) -> list[str]:
        return outside_nested(self._tree())

    def files_under(self, prefix: str) -> list[str]:
        prefix = prefix.rstrip("/") + "/"
        return sorted(rel for rel in self._tree() if rel.startswith(prefix))


def open_side(repo: GitRepo, root: Path, rev: str) -> Snapshot:
    """One side of a comparison: `rev` in git, or the work tree for `gitio.WORKTREE`."""
    if rev == WORKTREE:
        return WorktreeSnapshot(root)
    return RevisionSnapshot(repo, rev, repo.relative(root))


def synonyms_of(*sides: Snapshot) -> dict[str, str]:
    """The proof dictionary's 同义词 table (normalised name -> standard name) of both sides, the later side winning."""
    table: dict[str, str] = {}
    for side in sides:
        doc = side.document(f"{REGISTRY_DIR}/{ProofDictionary.FILE}")
        if doc is None or doc.data is None or validator_for(ProofDictionary.FILE).errors(doc.data):
            continue
        try:
            entries = ProofDictionary.model_validate(doc.data).entries
        except ValidationError:
            continue
        for entry in entries:
            standard = normalise(entry.name).key
            table[standard] = standard
            for alias in entry.synonyms:
                table[normalise(alias).key] = standard
    return table


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """Counts a reform report quotes. Time in working days (承诺办结时限, else 法定办结时限, per matter)."""

    actions: dict[ReformAction, int]
    merged_sources: int
    split_products: int
    matters: int
    materials_removed: int
    materials_added: int
    days_shortened: float
    days_lengthened: float
    visits_reduced: int
    visits_added: int
    fees_removed: int
    fees_added: int
    depth_raised: int
    depth_lowered: int
    became_immediate: int


@dataclass(frozen=True)
class CatalogDiff:
    """Everything that differs between two versions of a catalogue."""

    root: str
    old_label: str
    old_commit: str | None
    new_label: str
    new_commit: str | None
    changes: tuple[MatterChange, ...]
    moves: tuple[Move, ...] = ()
    other_files: tuple[tuple[str, str], ...] = ()  # (status A/D/M/R, file) of changed non-matter files
    problems: tuple[FileIssue, ...] = ()
    #: 一件事 changes (bundles/): new, removed, members added/removed, elements changed
    bundles: tuple[BundleChange, ...] = ()
    files_changed: int = 0
    seconds: float = 0.0
    summary: DiffSummary = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", summarise(self.changes))

    @property
    def differs(self) -> bool:
        """Matter changes, registry/list changes or unreadable changed files; a file only moved is no difference."""
        return bool(self.changes or self.other_files or self.problems or self.bundles)


def summarise(changes: Iterable[MatterChange]) -> DiffSummary:
    counts: Counter[ReformAction] = Counter()
    elements: Counter[tuple[str, ChangeKind]] = Counter()
    merged = split = 0
    shortened = lengthened = 0.0
    visits_down = visits_up = 0
    became_immediate = 0
    change_list = list(changes)
    for change in change_list:
        counts.update(change.actions)
        if ReformAction.MERGED in change.actions:
            merged += len(change.old)
        if ReformAction.SPLIT in change.actions:
            split += len(change.new)
        if change.time_delta is not None:
            if change.time_delta < 0:
                shortened -= change.time_delta
            else:
                lengthened += change.time_delta
        for e in change.elements:
            elements[(e.element, e.kind)] += 1
            if e.element == "到办事现场次数" and e.delta is not None:
                visits_down += int(-e.delta) if e.delta < 0 else 0
                visits_up += int(e.delta) if e.delta > 0 else 0
            if e.element == "办件类型" and e.new == "即办件":
                became_immediate += 1
    return DiffSummary(
        actions={a: counts[a] for a in ReformAction},
        merged_sources=merged,
        split_products=split,
        matters=len(change_list),
        materials_removed=elements[("申请材料", ChangeKind.REMOVED)],
        materials_added=elements[("申请材料", ChangeKind.ADDED)],
        days_shortened=round(shortened, 2),
        days_lengthened=round(lengthened, 2),
        visits_reduced=visits_down,
        visits_added=visits_up,
        fees_removed=elements[("是否收费", ChangeKind.DECREASED)],
        fees_added=elements[("是否收费", ChangeKind.INCREASED)],
        depth_raised=elements[("网上办理深度", ChangeKind.INCREASED)],
        depth_lowered=elements[("网上办理深度", ChangeKind.DECREASED)],
        became_immediate=became_immediate,
    )


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def summary_text(summary: DiffSummary, lang: str = "zh") -> str:
    """The one-line summary a PR comment opens with: 取消 3 项、下放 2 项、减少材料 12 份、压缩时限 40 个工作日."""
    en = lang == "en"
    parts: list[str] = []
    for action, count in summary.actions.items():
        if not count:
            continue
        if action is ReformAction.MERGED:
            parts.append(
                f"{summary.merged_sources} merged into {count}"
                if en
                else f"合并 {summary.merged_sources} 项为 {count} 项"
            )
        elif action is ReformAction.SPLIT:
            products = summary.split_products
            parts.append(f"{count} split into {products}" if en else f"拆分 {count} 项为 {products} 项")
        else:
            parts.append(f"{count} {action.label_en}" if en else f"{action.label} {count} 项")
    metrics = [
        (summary.materials_removed, "减少材料 {} 份", "{} materials removed"),
        (summary.materials_added, "增加材料 {} 份", "{} materials added"),
        (summary.days_shortened, "压缩时限 {} 个工作日", "time limits cut by {} working days"),
        (summary.days_lengthened, "延长时限 {} 个工作日", "time limits extended by {} working days"),
        (summary.visits_reduced, "减少跑动 {} 次", "{} fewer visits"),
        (summary.visits_added, "增加跑动 {} 次", "{} more visits"),
        (summary.became_immediate, "改为即办 {} 项", "{} made immediate"),
        (summary.fees_removed, "取消收费 {} 项", "{} fees dropped"),
        (summary.fees_added, "新增收费 {} 项", "{} fees added"),
        (summary.depth_raised, "提升网办深度 {} 项", "{} deeper online"),
        (summary.depth_lowered, "降低网办深度 {} 项", "{} less online"),
    ]
    for value, zh, english in metrics:
        if value:
            parts.append((english if en else zh).format(_number(value)))
    if not parts:
        return "no differences" if en else "无差异"
    return ", ".join(parts) if en else "、".join(parts)


_SCHEMA_RULE = SchemaRule()


def _issue(side: str, entry: Entry) -> FileIssue | None:
    doc = entry.document
    if entry.matter is not None:
        return None
    if doc.data is None:
        first = doc.problems[0] if doc.problems else None
        problem = first.rule if first else "unreadable"
        message = message_en = None
        if first is not None:
            detail = first.args.get("detail_zh") or first.args.get("detail")
            message = str(detail) if detail else None
            message_en = str(first.args["detail"]) if first.args.get("detail") else None
        line, column = (first.line, first.column) if first else (None, None)
        return FileIssue(side, entry.file, line, column, problem, None, message, message_en)
    data = doc.data
    kind = "implementation" if "实施编码" in data else "base"
    hits = list(_SCHEMA_RULE.check_data(data, kind))
    if not hits:
        return FileIssue(
            side, entry.file, None, None, "schema", entry.code, "不符合 schema", "does not match the schema"
        )
    # the first problem, in words, as validate says it ("缺少必填要素「办件类型」"), never "schema: required"
    zh, en = _SCHEMA_RULE.render(hits[0].key, hits[0].args)
    line, column = doc.locate(hits[0].path, key=hits[0].on_key)
    more_zh = f"(另有 {len(hits) - 1} 处,见 mattercli validate)" if len(hits) > 1 else ""
    more_en = f" ({len(hits) - 1} more; see mattercli validate)" if len(hits) > 1 else ""
    return FileIssue(side, entry.file, line, column, "schema", entry.code, zh + more_zh, en + more_en)


def _read(side: Snapshot, rel: str | None, blob: str | None) -> bytes | None:
    if rel is None or not is_matter_path(rel):
        return None
    if blob is not None and isinstance(side, RevisionSnapshot):
        return side.repo.read_blob(blob)
    return side.read(rel)


def _read_any(side: Snapshot, rel: str | None, blob: str | None) -> bytes | None:
    """A changed file's bytes on one side, whatever it is (bundle files are not matter files)."""
    if rel is None:
        return None
    if blob is not None and isinstance(side, RevisionSnapshot):
        return side.repo.read_blob(blob)
    return side.read(rel)


def _entry(rel: str | None, raw: bytes | None) -> Entry | None:
    if rel is None or raw is None:
        return None
    doc: Document = load_bytes(raw, rel, DEFAULT_MAX_BYTES)
    return Entry(rel, doc, parse_matter(doc))


def usual_paths(code: str) -> list[str]:
    """Where a matter named by its code usually lives: base/<基本编码>.yaml, impl/<USCC 区划>/<实施编码>.yaml."""
    if len(code) == 31:
        return [f"impl/{code[2:8]}/{code}.yaml"]
    return [f"base/{code}.yaml"]


def ref_lookup(side: Snapshot) -> Callable[[str], MatterRef | None]:
    """A matter outside the change, found at its usual path on `side` (no scan: a diff stays O(changes))."""

    def lookup(code: str) -> MatterRef | None:
        for rel in usual_paths(code):
            entry = _entry(rel, _read(side, rel, None))
            if entry is not None and entry.code == code:
                return entry.ref()
        return None

    return lookup


def implementer_lookup(side: Snapshot) -> Callable[[str], list[Entry]]:
    """The implementation entries of a base code on `side`, found by file name (impl/<区划>/<实施编码>.yaml ends
    with the 基本编码); the files are listed once, and only when a merged or split base asks."""
    files: list[str] = []
    listed = False

    def implementers(basic_code: str) -> list[Entry]:
        nonlocal files, listed
        if not listed:
            files, listed = side.files_under("impl"), True
        out = []
        for rel in files:
            if rel.endswith(f"{basic_code}.yaml"):
                entry = _entry(rel, _read(side, rel, None))
                if entry is not None and entry.matter is not None and entry.matter.basic_code == basic_code:
                    out.append(entry)
        return out

    return implementers


#: A changed matter file as read: the change and the bytes of its old and new version (None where absent).
RawChange = tuple[Change, bytes | None, bytes | None]


def compare_changes(
    changes: Iterable[Change],
    old: Snapshot,
    new: Snapshot,
    subdir: str,
    root: str,
    select: Callable[[list[RawChange]], list[RawChange]] | None = None,
) -> CatalogDiff:
    """The semantic diff of `changes` (paths relative to the repository top, under `subdir`) between two sides.
    `select`, when given, picks among the changed matter files before any is parsed (`log` keeps to one matter)."""
    started = time.perf_counter()
    cut = len(subdir) + 1 if subdir else 0
    raws: list[RawChange] = []
    others: list[tuple[str, str]] = []
    bundle_raws: list[RawBundle] = []
    nested = in_nested_catalogue(Path(root))
    for change in changes:
        old_rel = change.old_path[cut:] if change.old_path else None
        new_rel = change.new_path[cut:] if change.new_path else None
        if any(rel and nested(rel) for rel in (old_rel, new_rel)):
            continue  # a catalogue of its own inside this one (test fixtures): not this catalogue's matters
        if not any(rel and is_matter_path(rel) for rel in (old_rel, new_rel)):
            others.append((change.status, new_rel or old_rel or ""))
            if is_bundle_path(old_rel) or is_bundle_path(new_rel):
                bundle_raws.append((old_rel, new_rel, _read_any(old, old_rel, change.old_blob),
                                    _read_any(new, new_rel, change.new_blob)))  # fmt: skip
            continue
        rel_change = Change(change.status, old_rel, new_rel, change.old_blob, change.new_blob)
        raws.append((rel_change, _read(old, old_rel, change.old_blob), _read(new, new_rel, change.new_blob)))
    count = sum(len({c.old_path, c.new_path} - {None}) for c, _old, _new in raws)
    if select is not None:
        raws = select(raws)
    olds: list[Entry] = []
    news: list[Entry] = []
    unreadable: list[FileIssue] = []
    for change, old_raw, new_raw in raws:
        old_entry, new_entry = _entry(change.old_path, old_raw), _entry(change.new_path, new_raw)
        broken = [(side, e) for side, e in (("old", old_entry), ("new", new_entry)) if e and e.document.data is None]
        if broken:  # a file that cannot be read is a problem to report, never a reform (取消, 更名 …) to count
            unreadable += [issue for side, e in broken if (issue := _issue(side, e)) is not None]
            continue
        if old_entry is not None and new_entry is not None:
            old_entry.git_pair, new_entry.git_pair = new_entry.file, old_entry.file
        olds += [old_entry] if old_entry else []
        news += [new_entry] if new_entry else []
    found, moves = match_entries(olds, news, synonyms_of(old, new), ref_lookup(old), implementer_lookup(new))
    problems = [i for i in (_issue("old", e) for e in olds) if i] + [i for i in (_issue("new", e) for e in news) if i]
    problems += unreadable
    bundles, explained = bundle_changes(bundle_raws)
    others = [o for o in others if o[1] not in explained]
    return CatalogDiff(
        root=root,
        old_label=old.label,
        old_commit=old.commit,
        new_label=new.label,
        new_commit=new.commit,
        changes=tuple(found),
        moves=tuple(moves),
        other_files=tuple(sorted(others, key=lambda o: o[1])),
        problems=tuple(sorted(problems, key=lambda p: (p.file, p.side))),
        bundles=tuple(bundles),
        files_changed=count,
        seconds=time.perf_counter() - started,
    )


def _invert(change: Change) -> Change:
    status = {"A": "D", "D": "A"}.get(change.status, change.status)
    return Change(status, change.new_path, change.old_path, change.new_blob, change.old_blob)


def catalogue_root(path: Path) -> Path:
    """The catalogue holding `path`; an error when neither it nor a parent looks like a catalogue."""
    root = find_root(path)
    if not any((root / marker).exists() for marker in (REGISTRY_DIR, CONFIG_FILE, "base", "impl")):
        raise CatalogError(f"{path} 不在事项目录中(找不到 registry/、base/ 或 impl/),请用 --catalog 指定")
    return root


def diff_revisions(path: Path, old: str = "HEAD", new: str = WORKTREE) -> CatalogDiff:
    """The catalogue holding `path` compared between revisions `old` and `new` (`gitio.WORKTREE` = files on disk)."""
    started = time.perf_counter()
    root = catalogue_root(path)
    with GitRepo(root) as repo:
        subdir = repo.relative(root)
        if old == new:
            changes: list[Change] = []
        elif new == WORKTREE:
            changes = repo.diff_worktree(old, subdir)
        elif old == WORKTREE:
            changes = [_invert(c) for c in repo.diff_worktree(new, subdir)]
        else:
            changes = repo.diff_trees(old, new, subdir)
        result = compare_changes(changes, open_side(repo, root, old), open_side(repo, root, new), subdir, str(root))
    object.__setattr__(result, "seconds", time.perf_counter() - started)
    return result
