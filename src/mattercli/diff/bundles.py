"""Bundle (一件事) changes between two versions of a catalogue: new and removed bundles, members added and removed,
and the elements an applicant sees changed (名称, 牵头部门, 配合部门, 承诺时限, 到办事现场次数, 事项状态). Bundles
are matched by 编码, so a renamed file is one bundle."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mattercli.catalogue.bundles import parse_bundle
from mattercli.catalogue.catalog import BUNDLES_DIR, YAML_SUFFIXES
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, load_bytes
from mattercli.model.bundle import Bundle

ADDED, REMOVED, CHANGED = "新增", "删除", "变更"
KIND_EN = {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}


@dataclass(frozen=True, slots=True)
class BundleChange:
    """One bundle that differs: 新增, 删除 or 变更; members by (基本编码, 事项名称 as the bundle writes it)."""

    kind: str
    code: str
    name: str
    file: str
    old_file: str | None = None
    members_added: tuple[tuple[str, str], ...] = ()
    members_removed: tuple[tuple[str, str], ...] = ()
    #: (element, old value, new value) as text
    elements: tuple[tuple[str, str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_en": KIND_EN[self.kind],
            "code": self.code,
            "name": self.name,
            "file": self.file,
            "old_file": self.old_file,
            "members_added": [{"basic_code": c, "name": n} for c, n in self.members_added],
            "members_removed": [{"basic_code": c, "name": n} for c, n in self.members_removed],
            "elements": [{"element": k, "old": o, "new": n} for k, o, n in self.elements],
        }


def is_bundle_path(rel: str | None) -> bool:
    return rel is not None and rel.startswith(BUNDLES_DIR + "/") and rel.endswith(YAML_SUFFIXES) and rel.count("/") == 1


def _members(bundle: Bundle) -> dict[str, str]:
    return {m.basic_code: m.name or m.basic_code for m in bundle.members}


def _shown(bundle: Bundle) -> dict[str, str]:
    return {
        "一件事名称": bundle.name,
        "事项状态": bundle.status.value,
        "行政区划代码": bundle.region,
        "牵头部门": bundle.lead,
        "配合部门": "、".join(bundle.partners) or "—",
        "承诺时限": bundle.promised_time_limit.describe(),
        "到办事现场次数": str(bundle.visits),
        "申请材料": str(len(bundle.materials)),
    }


def compare(old: Bundle | None, new: Bundle | None, old_file: str | None, new_file: str | None) -> BundleChange | None:
    if old is None and new is None:
        return None
    if old is None:
        assert new is not None and new_file is not None
        return BundleChange(ADDED, new.code, new.name, new_file, members_added=tuple(_members(new).items()))
    if new is None:
        assert old_file is not None
        return BundleChange(REMOVED, old.code, old.name, old_file, members_removed=tuple(_members(old).items()))
    before, after = _members(old), _members(new)
    added = tuple((c, n) for c, n in after.items() if c not in before)
    removed = tuple((c, n) for c, n in before.items() if c not in after)
    was, now = _shown(old), _shown(new)
    elements = tuple((k, was[k], now[k]) for k in was if was[k] != now[k])
    if not (added or removed or elements):
        return None
    moved = old_file if old_file != new_file else None
    return BundleChange(CHANGED, new.code, new.name, new_file or "", moved, added, removed, elements)


#: (old path, new path, old bytes, new bytes) of a changed file under bundles/
RawBundle = tuple[str | None, str | None, bytes | None, bytes | None]


def _parse(rel: str | None, raw: bytes | None) -> Bundle | None:
    if rel is None or raw is None:
        return None
    return parse_bundle(load_bytes(raw, rel, DEFAULT_MAX_BYTES))


def bundle_changes(raws: Iterable[RawBundle]) -> tuple[list[BundleChange], set[str]]:
    """The bundle changes of the changed bundle files, and the files they account for (a file that does not parse
    is left to the caller's list of other files, and to validate)."""
    olds: dict[str, tuple[Bundle, str]] = {}
    news: dict[str, tuple[Bundle, str]] = {}
    explained: set[str] = set()
    for old_rel, new_rel, old_raw, new_raw in raws:
        for rel, raw, side in ((old_rel, old_raw, olds), (new_rel, new_raw, news)):
            bundle = _parse(rel, raw)
            if bundle is not None and rel is not None:
                side.setdefault(bundle.code, (bundle, rel))
                explained.add(rel)
    out = []
    for code in sorted(olds.keys() | news.keys()):
        old, new = olds.get(code), news.get(code)
        change = compare(old[0] if old else None, new[0] if new else None, old[1] if old else None,
                         new[1] if new else None)  # fmt: skip
        if change is not None:
            out.append(change)
    return out, explained


def describe(change: BundleChange, lang: str = "zh", name_of: Callable[[str], str] | None = None) -> list[str]:
    """Lines saying what changed (after the heading line)."""
    en = lang == "en"
    lines = []
    if change.kind != ADDED:
        for code, name in change.members_added:
            lines.append(f"{'member added' if en else '增加事项'} {code} {name}")
    else:
        lines += [f"{'member' if en else '包含事项'} {code} {name}" for code, name in change.members_added]
    for code, name in change.members_removed:
        if change.kind == REMOVED:
            lines.append(f"{'member' if en else '包含事项'} {code} {name}")
        else:
            lines.append(f"{'member removed' if en else '减少事项'} {code} {name}")
    for element, old, new in change.elements:
        lines.append(f"{element}: {old} → {new}")
    if change.old_file:
        lines.append(f"{'file' if en else '文件'} {change.old_file} → {change.file}")
    return lines


def heading(change: BundleChange, lang: str = "zh") -> str:
    kind = KIND_EN[change.kind] if lang == "en" else change.kind
    return f"{'bundle' if lang == 'en' else '一件事'} {kind} {change.name}({change.code})  {change.file}"


def summary_line(changes: Iterable[BundleChange], lang: str = "zh") -> str:
    """一件事 新增 1 项、删除 1 项、变更 2 项 (empty when no bundle changed)."""
    counts = {kind: 0 for kind in (ADDED, REMOVED, CHANGED)}
    for change in changes:
        counts[change.kind] += 1
    if lang == "en":
        parts = [f"{n} {KIND_EN[k]}" for k, n in counts.items() if n]
        return f"bundles: {', '.join(parts)}" if parts else ""
    parts = [f"{k} {n} 项" for k, n in counts.items() if n]
    return f"一件事{'、'.join(parts)}" if parts else ""


def with_bundles(matter_summary: str, changes: Iterable[BundleChange], lang: str = "zh") -> str:
    """The diff's summary line with the bundle changes (replacing 无差异 when only bundles changed)."""
    line = summary_line(changes, lang)
    if not line:
        return matter_summary
    if matter_summary in ("无差异", "no differences"):
        return line
    return f"{matter_summary}{'; ' if lang == 'en' else ';'}{line}"
