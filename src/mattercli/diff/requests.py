"""Change requests from a diff (`mattercli diff A B --format request --output DIR`): the documents an office files
for every 新增, 取消, 下放, 上收, 合并, 拆分, 更名 and 调整 — per department a 调整申请表 (XLSX and DOCX), and one
新旧编码对照表 (CSV and XLSX) with a row per source of a 合并 and per product of a 拆分.

The changes and their classification are `diff`'s (`CatalogDiff`), used as they are. What the diff cannot know — the
依据, 理由, 监管措施, 生效日期 and 涉及部门意见 of each change — comes from the `调整` element of the changed matter
file (the new version; the old one for a deleted file), else from trailers in the messages of the commits in A..B
that touched its files (`调整依据: …`, `调整理由: …`, `监管措施: …`, `生效日期: …`, `涉及部门意见: …`; the newest
commit wins). See docs/diff.md#change-requests---format-request.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from mattercli.catalogue.fsutil import atomic_write_bytes
from mattercli.catalogue.gitio import WORKTREE, GitRepo
from mattercli.catalogue.snapshot import Snapshot, parse_matter
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, load_bytes
from mattercli.diff.compare import CatalogDiff, catalogue_root, open_side
from mattercli.diff.elements import ElementChange
from mattercli.diff.reform import MatterChange, MatterRef, ReformAction
from mattercli.export.formats.xlsx import repack
from mattercli.model import Adjustment
from mattercli.model.safetext import xml_safe

REQUEST_HEADER = (
    "序号",
    "调整类型",
    "原编码",
    "原名称",
    "新编码",
    "新名称",
    "调整内容",
    "依据",
    "理由",
    "监管措施",
    "涉及部门意见",
    "审批路径",
)
MAPPING_HEADER = ("原编码", "原名称", "新编码", "新名称", "关系", "依据")
#: Commit-message trailers, by the 调整 element they stand for.
TRAILERS = {
    "调整依据": "basis",
    "调整理由": "reason",
    "监管措施": "supervision",
    "生效日期": "effective",
    "涉及部门意见": "opinions",
}
_TRAILER = re.compile(rf"^\s*(?P<key>{'|'.join(TRAILERS)})\s*[:：]\s*(?P<value>\S.*?)\s*$", re.M)

#: Approval path per action (PRACTICE.md: 增加/取消/下放 approved by the 人民政府; a change of elements needs 审改 and
#: 法制 review). 上收 is treated as 下放 and 合并/拆分/更名 as a change of elements: practice for them is unconfirmed.
GOVERNMENT_APPROVAL = "部门申请 → 审改部门审核 → 法制部门合法性审查 → 本级人民政府批准"
REVIEW_ONLY = "部门申请 → 审改部门审核 → 法制部门合法性审查"
APPROVAL = {
    ReformAction.ADDED: GOVERNMENT_APPROVAL,
    ReformAction.CANCELLED: GOVERNMENT_APPROVAL,
    ReformAction.DELEGATED: GOVERNMENT_APPROVAL,
    ReformAction.RECENTRALISED: GOVERNMENT_APPROVAL,
    ReformAction.MERGED: REVIEW_ONLY,
    ReformAction.SPLIT: REVIEW_ONLY,
    ReformAction.RENAMED: REVIEW_ONLY,
    ReformAction.ADJUSTED: REVIEW_ONLY,
}
#: Actions whose request must state the 监管措施 (事中事后监管 of a cancelled or devolved power).
NEEDS_SUPERVISION = frozenset({ReformAction.CANCELLED, ReformAction.DELEGATED})
#: Actions filed by the department that held the power (the old side); the others by the new side's department.
OLD_SIDE_ACTIONS = frozenset({ReformAction.CANCELLED, ReformAction.DELEGATED, ReformAction.RECENTRALISED})
NO_DEPARTMENT = "(未注明部门)"
#: Elements left out of 调整内容: the request's own data (调整) and the lineage the action line already states.
REQUEST_ONLY_ELEMENTS = frozenset({"调整", "原事项编码", "合并自", "拆分自"})
FIXED_TIME = datetime(1980, 1, 1)


@dataclass(frozen=True, slots=True)
class Reasons:
    """依据, 理由, 监管措施, 生效日期, 涉及部门意见 of one change, and where they came from."""

    basis: str | None = None
    reason: str | None = None
    supervision: str | None = None
    effective: str | None = None
    opinions: str | None = None
    source: str = ""  # "调整" (the element), "commit <id>" (trailers), or "" (none)

    def merged_with(self, other: Reasons) -> Reasons:
        """This one's values, each missing one taken from `other`."""
        values = {
            k: getattr(self, k) or getattr(other, k)
            for k in ("basis", "reason", "supervision", "effective", "opinions")
        }
        sources = [s for s in (self.source, other.source) if s]
        return Reasons(**values, source="; ".join(dict.fromkeys(sources)))


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One row of a 调整申请表: one change (a 合并 is one row naming all its sources)."""

    department: str
    change: MatterChange
    content: tuple[str, ...]
    reasons: Reasons
    file: str  # the matter file the row rests on (new version, else old)

    @property
    def type_label(self) -> str:
        return "+".join(a.label for a in self.change.actions)

    @property
    def approval(self) -> str:
        return APPROVAL[self.change.primary]

    def cells(self, number: int) -> list[str | int]:
        """The row's cells; text XML-safe (a control character in a matter's name cannot break the XLSX/DOCX)."""
        return [c if isinstance(c, int) else xml_safe(c) for c in self._cells(number)]

    def _cells(self, number: int) -> list[str | int]:
        old, new = self.change.old, self.change.new
        if self.change.primary is ReformAction.CANCELLED:
            new = ()  # a cancelled matter kept with 事项状态 已取消 has no successor
        return [
            number,
            self.type_label,
            "\n".join(r.code for r in old),
            "\n".join(r.name or "" for r in old),
            "\n".join(r.code for r in new),
            "\n".join(r.name or "" for r in new),
            "\n".join(self.content),
            self.reasons.basis or "",
            self.reasons.reason or "",
            self.reasons.supervision or "",
            self.reasons.opinions or "",
            self.approval + (f"(生效日期 {self.reasons.effective})" if self.reasons.effective else ""),
        ]


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One row of the 新旧编码对照表."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    relation: str
    basis: str

    def cells(self) -> list[str]:
        return [
            xml_safe(c) for c in (self.old_code, self.old_name, self.new_code, self.new_name, self.relation, self.basis)
        ]


@dataclass(frozen=True, slots=True)
class RequestProblem:
    """A change whose request lacks what `--strict` requires."""

    file: str
    line: int
    code: str
    name: str
    missing: tuple[str, ...]

    def message(self, lang: str = "zh") -> str:
        if lang == "en":
            return f"{self.file}:{self.line}: {self.code} {self.name}: change request lacks {', '.join(self.missing)}"
        return f"{self.file}:{self.line}: {self.code} {self.name}: 调整申请缺少{'、'.join(self.missing)}"


@dataclass
class ChangeRequests:
    """Every row of the documents, by department (in first-seen order of the diff's changes)."""

    old_label: str
    new_label: str
    rows: list[RequestRow] = field(default_factory=list)
    mapping: list[MappingRow] = field(default_factory=list)

    def departments(self) -> list[str]:
        return list(dict.fromkeys(r.department for r in self.rows))

    def rows_of(self, department: str) -> list[RequestRow]:
        return [r for r in self.rows if r.department == department]

    def problems(self) -> list[RequestProblem]:
        """What `--strict` refuses: a change without 依据 or 理由; a 取消 or 下放 without 监管措施."""
        out = []
        for row in self.rows:
            missing = [
                label for label, value in (("依据", row.reasons.basis), ("理由", row.reasons.reason)) if not value
            ]
            if NEEDS_SUPERVISION & set(row.change.actions) and not row.reasons.supervision:
                missing.append("监管措施")
            if missing:
                out.append(RequestProblem(row.file, 1, row.change.code, row.change.name or "", tuple(missing)))
        return out


# --- reading what the diff does not know -------------------------------------------------------------------------


def adjustment_of(side: Snapshot, rel: str | None) -> Reasons:
    """The `调整` element of the matter file `rel` on `side`."""
    if rel is None:
        return Reasons()
    raw = side.read(rel)
    if raw is None:
        return Reasons()
    matter = parse_matter(load_bytes(raw, rel, DEFAULT_MAX_BYTES))
    adjustment: Adjustment | None = getattr(matter, "adjustment", None)
    if adjustment is None:
        return Reasons()
    return Reasons(
        adjustment.basis,
        adjustment.reason,
        adjustment.supervision,
        adjustment.effective,
        adjustment.opinions,
        f"调整({rel})",
    )


def parse_trailers(message: str) -> dict[str, str]:
    """`调整依据: …` style lines of a commit message, by attribute name (basis, reason …); the last line wins."""
    return {TRAILERS[m["key"]]: m["value"] for m in _TRAILER.finditer(message)}


def trailer_reasons(messages: Sequence[tuple[str, str]]) -> Reasons:
    """Trailers of commits (newest first): for each element the newest commit naming it."""
    values: dict[str, str] = {}
    sources: list[str] = []
    for sha, message in messages:
        found = parse_trailers(message)
        for key, value in found.items():
            if key not in values:
                values[key] = value
                sources.append(f"commit {sha[:10]}")
    return Reasons(**values, source="; ".join(dict.fromkeys(sources)))


# --- building the rows -------------------------------------------------------------------------------------------


def _default_describe(e: ElementChange) -> str:
    return f"{e.element} {e.kind.value}" + (f"「{e.item}」" if e.item else "")


def _content(change: MatterChange, describe: Callable[[ElementChange], str]) -> tuple[str, ...]:
    """调整内容: what the action does, then the element changes as diff describes them."""
    action = change.primary
    olds = "、".join(f"{r.name or ''}({r.code})" for r in change.old)
    news = "、".join(f"{r.name or ''}({r.code})" for r in change.new)
    lines: list[str] = []
    if action is ReformAction.MERGED:
        lines.append(f"合并 {olds} 为 {news}")
    elif action is ReformAction.SPLIT:
        lines.append(f"拆分 {olds} 为 {news}")
    elif action is ReformAction.CANCELLED:
        lines.append(f"取消 {olds}")
    elif action is ReformAction.ADDED:
        lines.append(f"新增 {news}")
    elif action in (ReformAction.DELEGATED, ReformAction.RECENTRALISED):
        before, after = change.old[0], change.new[0]
        lines.append(
            f"{action.label}:{before.department or ''}({before.level or ''}) → {after.department or ''}({after.level or ''})"
        )
    lines += [describe(e) for e in change.elements if e.element not in REQUEST_ONLY_ELEMENTS]
    return tuple(dict.fromkeys(lines))


def _department(change: MatterChange) -> str:
    side = change.old if (change.primary in OLD_SIDE_ACTIONS or not change.new) else change.new
    return (side[0].department if side else None) or NO_DEPARTMENT


def _relations(change: MatterChange) -> list[tuple[MatterRef, MatterRef | None, str]]:
    """(old, new, 关系) rows of the 对照表 for one change; none for a 新增 or a change that keeps code and name."""
    actions = set(change.actions)
    if ReformAction.MERGED in actions:
        return [(old, change.new[0], "合并") for old in change.old]
    if ReformAction.SPLIT in actions:
        return [(change.old[0], new, "拆分") for new in change.new]
    if ReformAction.CANCELLED in actions and change.old:
        return [(change.old[0], None, "取消")]
    if not change.old or not change.new:
        return []
    old, new = change.old[0], change.new[0]
    labels = []
    for action, label in ((ReformAction.DELEGATED, "下放"), (ReformAction.RECENTRALISED, "上收")):
        if action in actions:
            labels.append(label)
    if ReformAction.RENAMED in actions:
        labels.append("更名")
    if old.code != new.code and not labels:
        labels.append("改码")
    return [(old, new, "、".join(labels))] if labels else []


def build_requests(
    path: Path,
    diff: CatalogDiff,
    old_rev: str,
    new_rev: str = WORKTREE,
    describe: Callable[[ElementChange], str] = _default_describe,
) -> ChangeRequests:
    """The change requests for `diff` (computed by `diff_revisions(path, old_rev, new_rev)`)."""
    root = catalogue_root(path)
    requests = ChangeRequests(diff.old_label, diff.new_label)
    with GitRepo(root) as repo:
        subdir = repo.relative(root)
        prefix = f"{subdir}/" if subdir else ""
        old_side, new_side = open_side(repo, root, old_rev), open_side(repo, root, new_rev)
        log_old = old_rev if old_rev != WORKTREE else new_rev
        log_new = new_rev if new_rev != WORKTREE else "HEAD"
        for change in diff.changes:
            files = [r.file for r in (*change.new, *change.old) if r.file]
            reasons = Reasons()
            for ref in change.new:
                reasons = reasons.merged_with(adjustment_of(new_side, ref.file))
            if not change.new or reasons == Reasons():
                for ref in change.old:
                    reasons = reasons.merged_with(adjustment_of(old_side, ref.file))
            if files and log_old != log_new:
                messages = repo.messages(log_old, log_new, [prefix + f for f in dict.fromkeys(files)])
                reasons = reasons.merged_with(trailer_reasons(messages))
            row = RequestRow(
                _department(change), change, _content(change, describe), reasons, files[0] if files else ""
            )
            requests.rows.append(row)
            for old, new, relation in _relations(change):
                requests.mapping.append(
                    MappingRow(
                        old.code,
                        old.name or "",
                        new.code if new else "",
                        new.name or "" if new else "",
                        relation,
                        reasons.basis or "",
                    )
                )
    order = {d: i for i, d in enumerate(sorted(requests.departments()))}
    requests.rows.sort(key=lambda r: order[r.department])  # stable: the diff's order within a department
    return requests


# --- writing -----------------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_REQUEST_WIDTHS = (6, 10, 22, 22, 22, 22, 48, 36, 30, 30, 24, 30)


def safe_stem(text: str) -> str:
    """A department name as one safe file-name component."""
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", text).strip(" .") or "部门"
    return stem[:80]


def _workbook_bytes(wb: Workbook) -> bytes:
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return repack(buffer.getvalue(), FIXED_TIME)


def request_xlsx(requests: ChangeRequests, department: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "调整申请表"
    ws.append([xml_safe(f"{department}权责事项调整申请表")])
    ws["A1"].font = _TITLE
    ws.append([xml_safe(f"比对: {requests.old_label} → {requests.new_label}")])
    ws.append(list(REQUEST_HEADER))
    for cell in ws[3]:
        cell.font = _BOLD
    for number, row in enumerate(requests.rows_of(department), 1):
        ws.append(row.cells(number))
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for i, width in enumerate(_REQUEST_WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A4"
    return _workbook_bytes(wb)


def request_docx(requests: ChangeRequests, department: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.core_properties.created = FIXED_TIME
    doc.core_properties.modified = FIXED_TIME
    doc.core_properties.title = xml_safe(f"{department}权责事项调整申请表")
    doc.add_heading(xml_safe(f"{department}权责事项调整申请表"), level=1)
    doc.add_paragraph(xml_safe(f"比对: {requests.old_label} → {requests.new_label}"))
    rows = requests.rows_of(department)
    table = doc.add_table(rows=1, cols=len(REQUEST_HEADER))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, REQUEST_HEADER, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(9)
    for number, row in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, value in zip(cells, row.cells(number), strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(9)
    doc.add_paragraph("")
    doc.add_paragraph("申请部门(盖章):                    审改部门意见:                    法制部门意见:")
    buffer = io.BytesIO()
    doc.save(buffer)
    return repack(buffer.getvalue(), FIXED_TIME)


def mapping_csv(requests: ChangeRequests) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MAPPING_HEADER)
    for row in requests.mapping:
        writer.writerow([_csv_safe(c) for c in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def mapping_xlsx(requests: ChangeRequests) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "新旧编码对照表"
    ws.append(list(MAPPING_HEADER))
    for cell in ws[1]:
        cell.font = _BOLD
    for row in requests.mapping:
        ws.append(row.cells())
        for cell in ws[ws.max_row]:
            cell.data_type = "s"
    for i, width in enumerate((34, 30, 34, 30, 10, 40)):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    return _workbook_bytes(wb)


def write_requests(requests: ChangeRequests, directory: Path) -> list[Path]:
    """Write every document into `directory` (each file atomically); return the paths written, in order."""
    written: list[Path] = []
    stems: set[str] = set()
    for department in requests.departments():
        stem = safe_stem(department)
        while stem.casefold() in stems:
            stem += "_"
        stems.add(stem.casefold())
        for suffix, data in (
            ("xlsx", request_xlsx(requests, department)),
            ("docx", request_docx(requests, department)),
        ):
            path = directory / f"调整申请表-{stem}.{suffix}"
            atomic_write_bytes(path, data)
            written.append(path)
    for suffix, data in (("csv", mapping_csv(requests)), ("xlsx", mapping_xlsx(requests))):
        path = directory / f"新旧编码对照表.{suffix}"
        atomic_write_bytes(path, data)
        written.append(path)
    return written


def rows_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as tab-separated lines (newlines inside cells shown as ⏎), for golden files."""
    return "".join("\t".join(str(c).replace("\n", "⏎") for c in row) + "\n" for row in rows)
