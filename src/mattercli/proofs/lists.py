"""The 司法局's three published proof lists, in their real column layouts, from the registries (数据同源):

- 保留证明事项清单: 序号 | 证明名称 | 证明用途 | 设定依据 | 依据条文及内容 | 效力层级 | 索要单位 | 开具单位 | 行使层级 |
  事项类型 | 不能实行告知承诺及保留原因 (赤壁 2023 layout plus 效力层级, PRACTICE.md);
- 取消证明事项清单: 序号 | 证明名称 | 证明用途 | 原设定依据 | 开具单位 | 取消文件 | 替代方式 | 取消后办理方式;
- 实行告知承诺制的证明事项目录: 序号 | 证明名称 | 适用事项 | 事项编码 | 设定依据 | 承诺内容 | 核查方式 | 核查时限 |
  索要单位 | 开具单位.

One row per proof and purpose (证明用途; 适用事项 for the 告知承诺目录). 效力层级 comes from registry/laws.yaml;
行使层级 and 事项类型 from the purpose, else from the base entry its 事项编码 names (`base/<基本编码>.yaml`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mattercli.catalogue.catalog import Registries
from mattercli.catalogue.snapshot import Snapshot, parse_matter
from mattercli.check.proof_review import ProofLists
from mattercli.model import BaseEntry, KeptProof, LegalBasis, PledgeApplicability, ProofPurpose
from mattercli.model.spreadsheet import guard_formula

KEPT_COLUMNS = (
    "序号",
    "证明名称",
    "证明用途",
    "设定依据",
    "依据条文及内容",
    "效力层级",
    "索要单位",
    "开具单位",
    "行使层级",
    "事项类型",
    "不能实行告知承诺及保留原因",
)
CANCELLED_COLUMNS = ("序号", "证明名称", "证明用途", "原设定依据", "开具单位", "取消文件", "替代方式", "取消后办理方式")
PLEDGE_COLUMNS = (
    "序号",
    "证明名称",
    "适用事项",
    "事项编码",
    "设定依据",
    "承诺内容",
    "核查方式",
    "核查时限",
    "索要单位",
    "开具单位",
)
ALL_MATTERS = "所有索要该证明的事项"


class ProofListKind(StrEnum):
    kept = "kept"
    cancelled = "cancelled"
    pledge = "pledge"

    @property
    def heading(self) -> str:
        return _TITLES[self]


_TITLES = {
    ProofListKind.kept: "保留证明事项清单",
    ProofListKind.cancelled: "取消证明事项清单",
    ProofListKind.pledge: "实行告知承诺制的证明事项目录",
}


@dataclass(frozen=True)
class ProofTable:
    kind: ProofListKind
    source: str  # the registry file the rows come from
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]

    @property
    def title(self) -> str:
        return self.kind.heading


# -- cells ------------------------------------------------------------------------------------------------------


def _laws(bases: Sequence[LegalBasis]) -> str:
    return "；".join(dict.fromkeys(f"《{b.law}》" for b in bases))


def _articles(bases: Sequence[LegalBasis]) -> str:
    parts = []
    for b in bases:
        head = f"《{b.law}》{b.article or ''}"
        parts.append(f"{head}：{b.text}" if b.text else head)
    return "\n".join(parts)


def _joined(values: Sequence[str]) -> str:
    return "、".join(dict.fromkeys(values))


class _Matters:
    """Base entries by 基本编码, read on demand from `base/<基本编码>.yaml` of the snapshot."""

    def __init__(self, snapshot: Snapshot | None) -> None:
        self.snapshot = snapshot
        self._found: dict[str, BaseEntry | None] = {}

    def get(self, code: str | None) -> BaseEntry | None:
        if code is None or self.snapshot is None:
            return None
        if code not in self._found:
            doc = self.snapshot.document(f"base/{code}.yaml")
            matter = parse_matter(doc) if doc is not None else None
            self._found[code] = matter if isinstance(matter, BaseEntry) else None
        return self._found[code]


def _levels(purpose: ProofPurpose, matters: _Matters) -> str:
    if purpose.levels:
        return _joined([level.value for level in purpose.levels])
    base = matters.get(purpose.matter)
    return _joined([level.value for level in base.levels]) if base is not None else ""


def _type(purpose: ProofPurpose, matters: _Matters) -> str:
    if purpose.type is not None:
        return purpose.type.value
    base = matters.get(purpose.matter)
    return base.type.value if base is not None else ""


def _purpose_text(purpose: ProofPurpose, matters: _Matters) -> str:
    base = matters.get(purpose.matter)
    if base is not None and base.name not in purpose.purpose:
        return f"{purpose.purpose}(办理「{base.name}」)"
    return purpose.purpose


def _numbered(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [(str(i), *row) for i, row in enumerate(rows, 1)]


# -- the three lists --------------------------------------------------------------------------------------------


def kept_table(registries: Registries, snapshot: Snapshot | None = None) -> ProofTable:
    lists = ProofLists(registries)
    matters = _Matters(snapshot)
    rows: list[tuple[str, ...]] = []
    for kept in registries.kept_proofs or ():
        ranks = []
        for b in kept.legal_basis:
            rank = lists.rank(b.law)
            ranks.append(rank.value if rank is not None else "未登记")
        for purpose in kept.purposes:
            rows.append(
                (
                    kept.name,
                    _purpose_text(purpose, matters),
                    _laws(kept.legal_basis),
                    _articles(kept.legal_basis),
                    _joined(ranks),
                    _joined(purpose.requesters or kept.requesters),
                    kept.issuer,
                    _levels(purpose, matters),
                    _type(purpose, matters),
                    _kept_reason(kept, lists),
                )
            )
    return ProofTable(ProofListKind.kept, "registry/proofs-kept.yaml", KEPT_COLUMNS, _numbered(rows))


def _kept_reason(kept: KeptProof, lists: ProofLists) -> str:
    if kept.pledge is PledgeApplicability.NOT_APPLICABLE:
        return kept.reason or ""
    listed = "(见实行告知承诺制的证明事项目录)" if lists.key(kept.name) in lists.pledges else ""
    return f"适用告知承诺{listed}" + (f";{kept.reason}" if kept.reason else "")


def cancelled_table(registries: Registries, snapshot: Snapshot | None = None) -> ProofTable:
    matters = _Matters(snapshot)
    rows: list[tuple[str, ...]] = []
    for item in registries.cancelled_proofs or ():
        purposes = [_purpose_text(p, matters) for p in item.purposes] or [""]
        for purpose in purposes:
            rows.append(
                (
                    item.name,
                    purpose,
                    _laws(item.former_basis),
                    item.issuer or "",
                    item.cancelled_by,
                    item.replacement.value,
                    item.how or "",
                )
            )
    return ProofTable(ProofListKind.cancelled, "registry/proofs-cancelled.yaml", CANCELLED_COLUMNS, _numbered(rows))


def pledge_bases(name: str, registries: Registries, own: Sequence[LegalBasis]) -> Sequence[LegalBasis]:
    """A 告知承诺 proof's basis: its own, else the 保留证明事项清单's for the same proof."""
    if own:
        return own
    lists = ProofLists(registries)
    kept = lists.kept.get(lists.key(name))
    return kept.legal_basis if kept is not None else ()


def pledge_table(registries: Registries, snapshot: Snapshot | None = None) -> ProofTable:
    matters = _Matters(snapshot)
    rows: list[tuple[str, ...]] = []
    for entry in registries.pledge_catalog or ():
        bases = pledge_bases(entry.name, registries, entry.legal_basis)
        check_time = entry.check_time
        when = ""
        if check_time is not None:
            when = check_time.describe() + (f"({check_time.note})" if check_time.note else "")
        codes: list[str | None] = [*entry.matters] or [None]
        for code in codes:
            base = matters.get(code)
            rows.append(
                (
                    entry.name,
                    base.name if base is not None else (ALL_MATTERS if code is None else ""),
                    code or "",
                    _laws(bases),
                    entry.content,
                    entry.check,
                    when,
                    _joined(entry.requesters),
                    entry.issuer or "",
                )
            )
    return ProofTable(ProofListKind.pledge, "registry/pledge-catalog.yaml", PLEDGE_COLUMNS, _numbered(rows))


BUILDERS: dict[ProofListKind, Callable[[Registries, Snapshot | None], ProofTable]] = {
    ProofListKind.kept: kept_table,
    ProofListKind.cancelled: cancelled_table,
    ProofListKind.pledge: pledge_table,
}


def proof_tables(
    registries: Registries, snapshot: Snapshot | None = None, kinds: Sequence[ProofListKind] = tuple(ProofListKind)
) -> list[ProofTable]:
    return [BUILDERS[k](registries, snapshot) for k in ProofListKind if k in kinds]


# -- renderings -------------------------------------------------------------------------------------------------


def _safe(cell: str) -> str:
    """A cell a spreadsheet would evaluate gets a leading apostrophe (as `export` does)."""
    return guard_formula(cell)


def table_csv(table: ProofTable) -> bytes:
    """UTF-8 with BOM and CRLF, so Excel opens it as is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([[_safe(c) for c in row] for row in table.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _md_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def table_markdown(table: ProofTable) -> bytes:
    unit = "适用事项" if table.kind is ProofListKind.pledge else "用途"
    lines = [f"# {table.title}", "", f"来源: `{table.source}`,共 {len(table.rows)} 行(每项证明的每个{unit}一行)。", ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def table_json(table: ProofTable) -> bytes:
    doc = {
        "list": table.title,
        "kind": table.kind.value,
        "source": table.source,
        "columns": list(table.columns),
        "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def table_xlsx(table: ProofTable) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(c) for c in row])
    for column in sheet.columns:
        letter = column[0].column_letter
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[letter].width = min(max(6, width * 2), 60)
        for c in column:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ListFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    json = "json"


RENDERERS: dict[ListFormat, Callable[[ProofTable], bytes]] = {
    ListFormat.csv: table_csv,
    ListFormat.xlsx: table_xlsx,
    ListFormat.md: table_markdown,
    ListFormat.json: table_json,
}
