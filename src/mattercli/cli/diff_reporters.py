"""Reporters for `diff` and `log`: human text (rich, Chinese; English with --lang en), JSON (docs/diff.md) and a
Markdown PR comment, one class per format chosen through DIFF_REPORTERS / LOG_REPORTERS."""

from __future__ import annotations

import json
from enum import StrEnum
from io import StringIO
from typing import Any, ClassVar

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from mattercli import __version__
from mattercli.cli.console import text_console
from mattercli.diff.bundles import KIND_EN, with_bundles
from mattercli.diff.bundles import describe as describe_bundle
from mattercli.diff.bundles import heading as bundle_heading
from mattercli.diff.compare import JSON_FORMAT_VERSION, CatalogDiff, summary_text
from mattercli.diff.elements import DEPTH_LEVEL, ChangeKind, ElementChange
from mattercli.diff.reform import MatchBasis, MatterChange, MatterRef, ReformAction
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import OnlineDepth


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    #: change requests: a directory of documents (调整申请表 per department, 新旧编码对照表), not a reporter
    request = "request"


def _english_names() -> dict[str, str]:
    """National element name -> English, from the models' field names (法定办结时限 -> legal time limit)."""
    names: dict[str, str] = {}
    stack: list[type[BaseModel]] = [BaseEntry, ImplementationEntry]
    while stack:
        model = stack.pop()
        for name, info in model.model_fields.items():
            names.setdefault(info.alias or name, name.replace("_", " "))
            for arg in (*getattr(info.annotation, "__args__", ()), info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in stack:
                    stack.append(arg)
    return names


_EN_NAMES = _english_names()
_KIND_ZH = {
    ChangeKind.ADDED: "新增",
    ChangeKind.REMOVED: "减少",
    ChangeKind.CHANGED: "变更",
    ChangeKind.SHORTENED: "压缩",
    ChangeKind.LENGTHENED: "延长",
    ChangeKind.INCREASED: "增加",
    ChangeKind.DECREASED: "减少",
    ChangeKind.LOWERED: "下移",
    ChangeKind.RAISED: "上移",
}
_UNITS_EN = {"工作日": "working days", "自然日": "calendar days", "小时": "hours"}
_DEPTH_NAMES = {0: "无", 1: "Ⅰ级", 2: "Ⅱ级", 3: "Ⅲ级", 4: "Ⅳ级"}
ACTION_STYLE = {
    ReformAction.ADDED: "green",
    ReformAction.CANCELLED: "red",
    ReformAction.DELEGATED: "cyan",
    ReformAction.RECENTRALISED: "magenta",
    ReformAction.MERGED: "blue",
    ReformAction.SPLIT: "blue",
    ReformAction.RENAMED: "yellow",
    ReformAction.ADJUSTED: "yellow",
}


def element_name(element: str, lang: str) -> str:
    return _EN_NAMES.get(element, element) if lang == "en" else element


def show_value(value: Any, lang: str = "zh") -> str:
    """A JSON-able element value as one short phrase."""
    en = lang == "en"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("yes" if value else "no") if en else ("是" if value else "否")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "、".join(show_value(v, lang) for v in value) or "—"
    if isinstance(value, dict):
        if "时限" in value:
            unit = value.get("单位", "工作日")
            return f"{value['时限']} {_UNITS_EN.get(unit, unit)}" if en else f"{value['时限']}{unit}"
        for key in ("材料名称", "名称", "结果名称", "环节名称", "收费项目名称", "问题", "法律法规名称"):
            if key in value:
                return str(value[key])
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _days(delta: float | None, lang: str) -> str:
    if delta is None:
        return ""
    number = show_value(abs(delta))
    sign = "−" if delta < 0 else "+"
    return f" ({sign}{number} working days)" if lang == "en" else f"({sign}{number} 个工作日)"


def describe_element(e: ElementChange, lang: str = "zh") -> str:
    """One element change as a sentence: 申请材料 减少「身份证」, 承诺办结时限 压缩 5工作日 → 3工作日(−2 个工作日)."""
    en = lang == "en"
    name = element_name(e.element, lang)
    verb = e.kind.value if en else _KIND_ZH[e.kind]
    if e.element == "网上办理深度":
        levels = [
            _DEPTH_NAMES[max((DEPTH_LEVEL.get(_depth_code(x), 0) for x in v or []), default=0)] for v in (e.old, e.new)
        ]
        return f"{name} {verb} {levels[0]} → {levels[1]} ({show_value(e.old, lang)} → {show_value(e.new, lang)})"
    if e.item is not None and e.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        return f"{name} {verb}「{e.item}」" if not en else f"{name} {verb}: {e.item}"
    if e.item is not None:
        details = "; ".join(
            f"{element_name(f.element, lang)} {show_value(f.old, lang)} → {show_value(f.new, lang)}" for f in e.fields
        )
        return f"{name}「{e.item}」{verb}: {details}" if not en else f"{name} '{e.item}' {verb}: {details}"
    if e.kind in (ChangeKind.SHORTENED, ChangeKind.LENGTHENED):
        return f"{name} {verb} {show_value(e.old, lang)} → {show_value(e.new, lang)}{_days(e.delta, lang)}"
    if e.fields and e.kind is ChangeKind.CHANGED:
        details = "; ".join(
            f"{element_name(f.element, lang)} {show_value(f.old, lang)} → {show_value(f.new, lang)}" for f in e.fields
        )
        return f"{name} {verb}: {details}"
    if e.kind is ChangeKind.ADDED:
        return f"{name} {verb} {show_value(e.new, lang)}"
    if e.kind is ChangeKind.REMOVED:
        return f"{name} {'removed' if en else '删除'} {show_value(e.old, lang)}"
    return f"{name} {verb} {show_value(e.old, lang)} → {show_value(e.new, lang)}"


_DEPTH_CODE = {d.value: d.code for d in OnlineDepth}


def _depth_code(label: Any) -> str:
    return _DEPTH_CODE.get(label, "")


def _ref_text(ref: MatterRef, lang: str, with_file: bool = True) -> str:
    name = f"「{ref.name}」" if ref.name else ""
    if lang == "en" and ref.name:
        name = f" {ref.name}"
    where = f" {ref.file}" if with_file and ref.file else ""
    return f"{ref.code}{name}{where}"


def _match_text(change: MatterChange, lang: str) -> str:
    en = lang == "en"
    if change.match is MatchBasis.PROBABLE:
        return f" (probable match, similarity {change.similarity})" if en else f"(可能匹配,相似度 {change.similarity})"
    if change.match in (MatchBasis.LINEAGE, MatchBasis.FILE):
        return f" (matched by {change.match.value})" if en else f"(按{change.match.label}匹配)"
    return ""


def head_ref(change: MatterChange) -> MatterRef:
    """The matter a change is listed under: the source of a 拆分, the matter removed by a 取消, else the new one."""
    if ReformAction.SPLIT in change.actions or not change.new:
        return change.old[0]
    return change.new[0]


def change_lines(change: MatterChange, lang: str = "zh") -> tuple[str, list[str]]:
    """A change as a heading (actions, matter) and detail lines, for text, markdown and log output."""
    en = lang == "en"
    merged, split = ReformAction.MERGED in change.actions, ReformAction.SPLIT in change.actions
    head = head_ref(change)
    details: list[str] = []
    if not change.new:
        details.append("file deleted" if en else "文件删除")
    elif not change.old:
        details.append("new file" if en else "新文件")
    if merged:
        sources = [r for r in change.old if r.code != change.new[0].code]
        details.append(("merged from: " if en else "合并自:") + "; ".join(_ref_text(r, lang) for r in sources))
    if split:
        details.append(("split into: " if en else "拆分为:") + "; ".join(_ref_text(r, lang) for r in change.new))
    if change.old and change.new and not merged and not split:
        before, after = change.old[0], change.new[0]
        if before.file != after.file:
            details.append(f"{'file' if en else '文件'} {before.file} → {after.file}")
        if before.code != after.code:
            details.append(f"{'code' if en else '编码'} {before.code} → {after.code}")
    details += [describe_element(e, lang) for e in change.elements if e.element not in ("实施编码", "基本编码")]
    actions = "+".join(a.text(lang) for a in change.actions)
    return f"{actions} {_ref_text(head, lang)}{_match_text(change, lang)}", details


def ref_dict(ref: MatterRef) -> dict[str, Any]:
    return {
        "code": ref.code,
        "name": ref.name,
        "file": ref.file,
        "kind": ref.kind,
        "level": ref.level,
        "region": ref.region,
        "department": ref.department,
        "status": ref.status,
    }


def change_dict(change: MatterChange) -> dict[str, Any]:
    return {
        "actions": [a.value for a in change.actions],
        "actions_zh": [a.label for a in change.actions],
        "code": change.code,
        "name": change.name,
        "match": change.match.value,
        "similarity": change.similarity,
        "time_limit_delta": change.time_delta,
        "old": [ref_dict(r) for r in change.old],
        "new": [ref_dict(r) for r in change.new],
        "elements": [
            {
                "element": e.element,
                "change": e.kind.value,
                "item": e.item,
                "old": e.old,
                "new": e.new,
                "delta": e.delta,
                "fields": [{"element": f.element, "old": f.old, "new": f.new} for f in e.fields],
            }
            for e in change.elements
        ],
    }


def summary_dict(diff: CatalogDiff) -> dict[str, Any]:
    s = diff.summary
    return {
        "text": summary_text(s, "zh"),
        "text_en": summary_text(s, "en"),
        "matters": s.matters,
        "files_changed": diff.files_changed,
        "actions": {a.value: n for a, n in s.actions.items()},
        "merged_sources": s.merged_sources,
        "split_products": s.split_products,
        "materials_removed": s.materials_removed,
        "materials_added": s.materials_added,
        "days_shortened": s.days_shortened,
        "days_lengthened": s.days_lengthened,
        "visits_reduced": s.visits_reduced,
        "visits_added": s.visits_added,
        "fees_removed": s.fees_removed,
        "fees_added": s.fees_added,
        "online_depth_raised": s.depth_raised,
        "online_depth_lowered": s.depth_lowered,
        "became_immediate": s.became_immediate,
    }


class DiffReporter:
    format: ClassVar[DiffFormat]

    def __init__(self, lang: str = "zh", color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, diff: CatalogDiff) -> str:
        raise NotImplementedError

    def console(self, buffer: StringIO) -> Console:
        return text_console(buffer, self.color)


class DiffTextReporter(DiffReporter):
    format = DiffFormat.text

    def render(self, diff: CatalogDiff) -> str:
        buffer = StringIO()
        out = self.console(buffer)
        en = self.lang == "en"
        if en:
            out.print(
                escape(f"Catalogue {diff.old_label} → {diff.new_label}: {diff.files_changed} matter files changed")
            )
        else:
            out.print(escape(f"事项目录比对 {diff.old_label} → {diff.new_label}:{diff.files_changed} 个事项文件有变化"))
        out.print(f"[bold]{escape(with_bundles(summary_text(diff.summary, self.lang), diff.bundles, self.lang))}[/]")
        if diff.problems:
            count = len({(p.side, p.file) for p in diff.problems})
            note = (
                f"{count} changed file(s) could not be read and were not compared (see below)"
                if en
                else f"另有 {count} 个变更的文件无法解析,未作比较(见下)"
            )
            out.print(f"[red]{escape(note)}[/]")
        for change in diff.changes:
            head, details = change_lines(change, self.lang)
            out.print()
            out.print(f"[bold {ACTION_STYLE[change.primary]}]{escape(head)}[/]")
            for line in details:
                out.print(f"    {escape(line)}")
        for bundle in diff.bundles:
            out.print()
            out.print(f"[bold magenta]{escape(bundle_heading(bundle, self.lang))}[/]")
            for line in describe_bundle(bundle, self.lang):
                out.print(f"    {escape(line)}")
        for move in diff.moves:
            label = "moved" if en else "仅移动"
            out.print(f"[dim]{label} {escape(move.code)} {escape(move.old_file)} → {escape(move.new_file)}[/]")
        for status, file in diff.other_files:
            out.print(f"[dim]{'other file' if en else '其他文件'} {status} {escape(file)}[/]")
        for issue in diff.problems:
            where = ":".join(str(x) for x in (issue.file, issue.line, issue.column) if x is not None)
            side = {"old": "旧", "new": "新"}[issue.side] if not en else issue.side
            label = "unreadable" if en else "无法解析"
            why = (issue.message_en if en else issue.message) or ""
            what = f"{issue.problem}: {why}" if why else issue.problem
            out.print(f"[red]{label} ({side}) {escape(where)}: {escape(what)}[/]")
        return buffer.getvalue()


class DiffJsonReporter(DiffReporter):
    """The stable JSON document described in docs/diff.md."""

    format = DiffFormat.json

    def render(self, diff: CatalogDiff) -> str:
        doc = {
            "tool": "mattercli",
            "version": __version__,
            "format": JSON_FORMAT_VERSION,
            "root": diff.root,
            "old": {"label": diff.old_label, "commit": diff.old_commit},
            "new": {"label": diff.new_label, "commit": diff.new_commit},
            "differs": diff.differs,
            "summary": summary_dict(diff),
            "changes": [change_dict(c) for c in diff.changes],
            "moves": [
                {"code": m.code, "name": m.name, "old_file": m.old_file, "new_file": m.new_file} for m in diff.moves
            ],
            "other_files": [{"status": s, "file": f} for s, f in diff.other_files],
            "bundles": [b.to_dict() for b in diff.bundles],
            "problems": [
                {
                    "side": p.side,
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "problem": p.problem,
                    "code": p.code,
                    "message": p.message,
                    "message_en": p.message_en,
                }
                for p in diff.problems
            ],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _brief(change: MatterChange, lang: str) -> str:
    """The gist of a change for a table cell: counts per element."""
    en = lang == "en"
    parts: list[str] = []
    if not change.new:
        parts.append("file deleted" if en else "文件删除")
    elif not change.old:
        parts.append("new file" if en else "新文件")
    if ReformAction.MERGED in change.actions:
        n = len([r for r in change.old if r.code != change.new[0].code])
        parts.append(f"merged from {n}" if en else f"合并自 {n} 项")
    if ReformAction.SPLIT in change.actions:
        parts.append(f"split into {len(change.new)}" if en else f"拆分为 {len(change.new)} 项")
    seen: dict[str, list[ElementChange]] = {}
    for e in change.elements:
        if e.element not in ("实施编码", "基本编码"):
            seen.setdefault(e.element, []).append(e)
    for element, items in seen.items():
        added = sum(e.kind is ChangeKind.ADDED for e in items)
        removed = sum(e.kind is ChangeKind.REMOVED for e in items)
        if items[0].item is not None and (added or removed):
            counts = " ".join(x for x in (f"+{added}" if added else "", f"−{removed}" if removed else "") if x)
            parts.append(f"{element_name(element, lang)} {counts}")
        elif items[0].kind in (ChangeKind.SHORTENED, ChangeKind.LENGTHENED):
            parts.append(f"{element_name(element, lang)}{_days(items[0].delta, lang)}")
        else:
            parts.append(element_name(element, lang))
    return "; ".join(parts) if en else ";".join(parts)


class DiffMarkdownReporter(DiffReporter):
    """A pull-request comment: title, the summary line in bold, a table of changes, then the details folded."""

    format = DiffFormat.markdown

    def render(self, diff: CatalogDiff) -> str:
        en = self.lang == "en"
        title = "Catalogue changes" if en else "事项目录变更"
        lines = [
            f"### {title} `{diff.old_label}` → `{diff.new_label}`",
            "",
            f"**{with_bundles(summary_text(diff.summary, self.lang), diff.bundles, self.lang)}**",
        ]
        if diff.changes:
            header = "| change | code | name | file | gist |" if en else "| 变更 | 编码 | 事项名称 | 文件 | 要点 |"
            lines += ["", header, "|---|---|---|---|---|"]
            for c in diff.changes:
                ref = head_ref(c)
                actions = "+".join(a.text(self.lang) for a in c.actions)
                cells = (
                    actions,
                    f"`{ref.code}`",
                    _cell(ref.name or ""),
                    f"`{_cell(ref.file or '')}`",
                    _cell(_brief(c, self.lang)),
                )
                lines.append("| " + " | ".join(cells) + " |")
            summary = f"Details ({len(diff.changes)})" if en else f"要素变更明细({len(diff.changes)} 项)"
            lines += ["", f"<details><summary>{summary}</summary>", ""]
            for c in diff.changes:
                head, details = change_lines(c, self.lang)
                lines.append(f"#### {_cell(head)}")
                lines += [f"- {d}" for d in details] or ["-"]
                lines.append("")
            lines.append("</details>")
        if diff.bundles:
            header = "| bundle | code | change | file |" if en else "| 一件事 | 编码 | 变更 | 文件 |"
            lines += ["", header, "|---|---|---|---|"]
            for b in diff.bundles:
                gist = "; ".join(describe_bundle(b, self.lang)) or (KIND_EN[b.kind] if en else b.kind)
                kind = KIND_EN[b.kind] if en else b.kind
                lines.append(f"| {_cell(b.name)} | `{b.code}` | {_cell(kind + ': ' + gist)} | `{_cell(b.file)}` |")
        extras = []
        for m in diff.moves:
            extras.append(f"- {'moved' if en else '仅移动'} `{m.code}` `{m.old_file}` → `{m.new_file}`")
        for status, file in diff.other_files:
            extras.append(f"- {'other file' if en else '其他文件'} {status} `{file}`")
        for p in diff.problems:
            where = ":".join(str(x) for x in (p.file, p.line, p.column) if x is not None)
            why = (p.message_en if en else p.message) or ""
            extras.append(
                f"- ⚠ {'unreadable' if en else '无法解析'} ({p.side}) `{where}`: {p.problem}"
                + (f": {why}" if why else "")
            )
        if extras:
            lines += ["", *extras]
        return "\n".join(lines) + "\n"


DIFF_REPORTERS: dict[DiffFormat, type[DiffReporter]] = {
    cls.format: cls for cls in (DiffTextReporter, DiffJsonReporter, DiffMarkdownReporter)
}
