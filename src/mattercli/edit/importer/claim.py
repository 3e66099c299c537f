"""认领: a local list's rows carry no national 基本编码, so each is matched to a base-catalogue entry — the same
normalised name in the same line of business first, then similarity (rapidfuzz) over the name and the 主管部门 —
and the rows that no candidate fits well enough go to a 认领 report the editor fills in (the chosen 基本编码, or
新增地方事项), which the next import reads back."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from mattercli.catalogue.fsutil import atomic_write_bytes
from mattercli.model.identifiers import parse_basic_code
from mattercli.model.regions import region_table

#: What the editor writes in the 选定基本编码 column for a matter the base catalogue does not have.
NEW_LOCAL = "新增地方事项"
#: Score (0–1) at or above which a row is claimed without asking.
DEFAULT_THRESHOLD = 0.9
#: Candidates shown per row in the report.
TOP = 3
#: Weight of the name in the score; the rest is the department line.
NAME_WEIGHT = 0.8

REPORT_HEADERS = [
    "行号",
    "事项名称",
    "部门",
    "地方编码",
    *[f"候选{i}{part}" for i in range(1, TOP + 1) for part in ("基本编码", "名称", "得分")],
    "选定基本编码",
    "新增事项类型",
    "说明",
]
CHOICE_HEADER = "选定基本编码"
#: For 新增地方事项 when the list has no 事项类型 column: the editor names the type here.
TYPE_HEADER = "新增事项类型"

_SPACE = re.compile(r"[\s\u3000]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"})
#: Generic words around a department's line of business: 杭州市西湖区市场监督管理局 and 国家市场监督管理总局 share 市场监督管理.
_DEPARTMENT_AFFIXES = re.compile(
    r"^(?:中华人民共和国|国家|中央)|(?:分局|总局|局|厅|委员会|委|办公室|办|部|中心|事务中心|服务中心)$"
)


def normal_name(name: str) -> str:
    """A matter name as compared: NFKC, no white space, one form of brackets."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).translate(_BRACKETS)


@cache
def _region_names() -> tuple[str, ...]:
    # full names only: short forms would eat lines of business (公安县 → 「公安」 is also the police's line)
    names = {r.name for r in region_table() if len(r.name) >= 2}
    return tuple(sorted(names, key=len, reverse=True))


def department_line(name: str) -> str:
    """The line of business a department name stands for, without its region and generic words:
    「广安市广安区市场监督管理局」 and 「国家市场监督管理总局」 both give 「市场监督管理」."""
    text = normal_name(name)
    changed = True
    while changed and text:
        changed = False
        for region in _region_names():
            if text.startswith(region) and len(text) > len(region):
                text, changed = text[len(region) :], True
                break
    for _ in range(3):
        stripped = _DEPARTMENT_AFFIXES.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    return text


@dataclass(frozen=True, slots=True)
class BaseCandidate:
    """A base-catalogue entry a row may claim."""

    code: str
    name: str
    department: str
    type: str
    levels: tuple[str, ...]
    key: str = ""
    line: str = ""


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: BaseCandidate
    score: float  # 0–1
    exact: bool  # same normalised name and same department line


@dataclass
class ClaimIndex:
    """The base entries of the target catalogue (在用 only), ready for matching."""

    bases: list[BaseCandidate]
    by_key: dict[str, list[BaseCandidate]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bases = [
            BaseCandidate(
                b.code, b.name, b.department, b.type, b.levels, normal_name(b.name), department_line(b.department)
            )
            for b in self.bases
        ]
        for base in self.bases:
            self.by_key.setdefault(base.key, []).append(base)
        self._keys = [b.key for b in self.bases]
        self._codes = {b.code for b in self.bases}

    def has(self, code: str) -> bool:
        return code in self._codes

    def candidates(self, name: str, department: str, type_: str | None = None, top: int = TOP) -> list[Scored]:
        """The best base entries for a row, best first: name similarity (weighted 0.8) and department-line
        similarity (0.2); a different 事项类型 halves the score."""
        key, line = normal_name(name), department_line(department) if department else ""
        pool: dict[str, BaseCandidate] = {b.code: b for b in self.by_key.get(key, [])}
        for _, _, index in process.extract(key, self._keys, scorer=fuzz.ratio, limit=top * 4):
            pool.setdefault(self.bases[index].code, self.bases[index])
        scored = []
        for base in pool.values():
            name_score = fuzz.ratio(key, base.key) / 100
            line_score = (fuzz.ratio(line, base.line) / 100) if line and base.line else 0.5
            score = NAME_WEIGHT * name_score + (1 - NAME_WEIGHT) * line_score
            if type_ and base.type and type_ != base.type:
                score /= 2
            exact = name_score == 1 and line_score == 1 and (not type_ or type_ == base.type)
            scored.append(Scored(base, round(1.0 if exact else score, 4), exact))
        scored.sort(key=lambda s: (-s.score, s.candidate.code))
        return scored[:top]


def index_from_documents(documents: Iterable[dict[str, Any]]) -> ClaimIndex:
    """The claim index from parsed base-entry documents (implementation entries and non-在用 entries skipped)."""
    bases = []
    for data in documents:
        if "实施编码" in data or data.get("事项状态", "在用") != "在用":
            continue
        code, name = data.get("基本编码"), data.get("事项名称")
        if not isinstance(code, str) or not isinstance(name, str) or parse_basic_code(code) is None:
            continue
        levels = data.get("行使层级")
        bases.append(
            BaseCandidate(
                code,
                name,
                str(data.get("主管部门") or ""),
                str(data.get("事项类型") or ""),
                tuple(str(v) for v in levels) if isinstance(levels, list) else (),
            )
        )
    return ClaimIndex(bases)


# ---- the report -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingClaim:
    """A row left for the editor: its place, what identifies it, the candidates and why it was not claimed."""

    sheet: str
    row: int
    name: str
    department: str
    local_code: str
    candidates: tuple[Scored, ...]
    reason: str

    def cells(self) -> list[Any]:
        out: list[Any] = [self.row, self.name, self.department, self.local_code]
        for i in range(TOP):
            if i < len(self.candidates):
                c = self.candidates[i]
                out.extend([c.candidate.code, c.candidate.name, c.score])
            else:
                out.extend([None, None, None])
        out.extend([None, None, self.reason])
        return out


def write_report(path: Path, pending: list[PendingClaim]) -> None:
    """The 认领 report as XLSX (codes as text, header frozen, a column to fill) or CSV (UTF-8 with BOM), atomically."""
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(REPORT_HEADERS)
        writer.writerows(p.cells() for p in pending)
        atomic_write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        return
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "认领"
    sheet.append(REPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    to_fill = [REPORT_HEADERS.index(h) for h in (CHOICE_HEADER, TYPE_HEADER)]
    fill = PatternFill("solid", fgColor="FFF2CC")
    for pending_row in pending:
        sheet.append(pending_row.cells())
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
        for index in to_fill:
            row[index].fill = fill
            row[index].number_format = "@"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (8, 36, 28, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    binary = io.BytesIO()
    workbook.save(binary)
    atomic_write_bytes(path, binary.getvalue())


@dataclass(frozen=True, slots=True)
class Choice:
    """What the editor chose for one row of a 认领 report."""

    row: int
    name: str
    code: str | None  # a 基本编码
    new_local: bool  # 新增地方事项
    report_row: int  # where in the report, for messages
    type: str | None = None  # 新增事项类型, for a new local matter


class ClaimReportError(Exception):
    """A filled-in 认领 report that cannot be read."""


def read_choices(path: Path) -> dict[int, Choice]:
    """The editor's choices from a filled-in report, by the input sheet's row number; rows left blank are absent."""
    from mattercli.edit.importer.sheets import SheetError, read_sheet

    try:
        sheet = read_sheet(path, None, REPORT_HEADERS, 1)
    except SheetError as exc:
        raise ClaimReportError(str(exc)) from exc
    missing = [h for h in ("行号", "事项名称", CHOICE_HEADER) if h not in sheet.headers]
    if missing:
        raise ClaimReportError(f"{path}: 不是认领报告,缺少列 {'、'.join(missing)}")
    out: dict[int, Choice] = {}
    for row in sheet.rows:
        number_cell, choice_cell, name_cell = row.get("行号"), row.get(CHOICE_HEADER), row.get("事项名称")
        choice = str(choice_cell.value).strip() if choice_cell and choice_cell.value is not None else ""
        if not choice:
            continue
        try:
            number = int(str(number_cell.value).strip()) if number_cell else 0
        except ValueError as exc:
            shown = number_cell.value if number_cell else ""
            raise ClaimReportError(f"{path} 第 {row.number} 行: 行号「{shown}」不是数字") from exc
        name = str(name_cell.value).strip() if name_cell and name_cell.value is not None else ""
        type_cell = row.get(TYPE_HEADER)
        type_ = str(type_cell.value).strip() if type_cell and type_cell.value is not None else None
        if choice == NEW_LOCAL:
            out[number] = Choice(number, name, None, True, row.number, type_)
        elif parse_basic_code(choice.zfill(12) if choice.isdigit() else choice) is not None:
            out[number] = Choice(number, name, choice.zfill(12) if choice.isdigit() else choice, False, row.number)
        else:
            raise ClaimReportError(
                f"{path} 第 {row.number} 行: 选定基本编码「{choice}」既不是 12 位基本编码,也不是「{NEW_LOCAL}」"
            )
    return out
