"""Renderers of a `ProofReport`, one class per format behind `RENDERERS` (JSON, CSV, XLSX, Markdown).

Every tabular format draws the same `Table`s (`finding_tables`, `evidence_table`), and the terminal tables in the CLI
do too, so formats never disagree. Output holds no timing and no absolute path: one catalogue, one output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from mattercli import __version__
from mattercli.proofs import (
    BaselessProof,
    DuplicateCluster,
    LabelledEnum,
    ProofCycle,
    ProofReport,
    Ref,
    Section,
    ShareableGroup,
    Variant,
)

JSON_FORMAT_VERSION = 1
UTF8_BOM = "\ufeff"

TEXT = {
    "title": ("证明材料清理", "Proof clean-up"),
    "source": ("数据来源", "source"),
    "totals": ("共读取 {files} 个事项文件({matters} 个有效事项),材料 {materials} 条,其中证照证明 {proofs} 条",
               "read {files} matter files ({matters} valid matters): {materials} materials, {proofs} of them proofs"),
    "summary": ("结论", "Summary"),
    "none": ("未发现", "none found"),
    "no": ("编号", "No."),
    "canonical": ("建议标准名称", "suggested name"),
    "in_dictionary": ("目录标准名称", "in dictionary"),
    "kinds": ("问题类型", "finding"),
    "variants": ("名称变体(次数)", "variants (count)"),
    "matters": ("事项数", "matters"),
    "entries": ("事项文件数", "matter files"),
    "departments": ("部门数", "departments"),
    "similar": ("相似名称依据", "similar names"),
    "cycle": ("环路", "cycle"),
    "length": ("环长", "length"),
    "issuer": ("出具单位", "issuer"),
    "department_kind": ("部门性质", "body type"),
    "proof": ("证明名称", "proof"),
    "reasons": ("原因", "reasons"),
    "list_mode": ("证明事项清单办理方式", "proof-list handling"),
    "occurrences": ("出现次数", "occurrences"),
    "section": ("分析", "analysis"),
    "material": ("材料名称(原文)", "material as written"),
    "code": ("事项编码", "matter code"),
    "basic_code": ("基本编码", "basic code"),
    "matter_name": ("事项名称", "matter"),
    "department": ("部门", "department"),
    "file": ("文件", "file"),
    "line": ("行", "line"),
    "note": ("说明", "note"),
    "evidence": ("明细", "evidence"),
    "yes": ("是", "yes"),
    "no_": ("否", "no"),
    "unstated": ("未注明", "not stated"),
    "variant": ("名称变体", "variant name"),
    "standard": ("与建议标准名称一致", "matches the suggested name"),
    "requires": ("要求 {proof},由 {target} 出具", "asks for {proof}, issued by {target}"),
    "skipped": ("未纳入分析的文件(无法读取或不符合 schema,见 mattercli validate)",
                "files left out (unreadable or failing the schema; see mattercli validate)"),
    "truncated": ("环路过多,只列出前 {n} 个", "too many cycles: only the first {n} are listed"),
    "notes": ("提示", "notes"),
}  # fmt: skip


def t(key: str, lang: str, **kwargs: Any) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**kwargs) if kwargs else text


def section_label(section: Section, lang: str) -> str:
    return section.value if lang == "en" else section.label


def labels(items: Iterable[LabelledEnum], lang: str) -> str:
    return ("; " if lang == "en" else "、").join(item.label(lang) for item in items)


def finding_id(section: Section, number: int) -> str:
    """Stable numbering within one report: D1, C1, S1, B1."""
    return f"{section.value[0].upper()}{number}"


# --------------------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------------------


def ref_dict(ref: Ref) -> dict[str, Any]:
    return {
        "file": ref.file,
        "line": ref.line,
        "code": ref.matter_code,
        "basic_code": ref.basic_code,
        "name": ref.matter_name,
        "department": ref.department,
        "material": ref.material,
    }


def variant_dict(v: Variant) -> dict[str, Any]:
    return {
        "name": v.name,
        "key": v.key,
        "qualifiers": list(v.qualifiers),
        "occurrences": v.occurrences,
        "matters": v.matters,
    }


def duplicate_dict(c: DuplicateCluster, number: int) -> dict[str, Any]:
    return {
        "id": finding_id(Section.duplicates, number),
        "canonical": c.canonical,
        "in_dictionary": c.in_dictionary,
        "kinds": [k.value for k in c.kinds],
        "kinds_zh": [k.zh for k in c.kinds],
        "keys": list(c.keys),
        "matters": c.matters,
        "entries": c.entries,
        "departments": list(c.departments),
        "variants": [variant_dict(v) for v in c.variants],
        "similar": [{"a": s.a, "b": s.b, "similarity": s.similarity, "rule": s.rule.value} for s in c.similar],
        "repeated_in": list(c.repeated_in),
        "refs": [ref_dict(r) for r in c.refs],
    }


def cycle_dict(c: ProofCycle, number: int) -> dict[str, Any]:
    return {
        "id": finding_id(Section.cycles, number),
        "matters": list(c.matters),
        "path": c.path(),
        "steps": [
            {
                "matter": s.matter,
                "matter_name": s.matter_name,
                "proof": s.proof,
                "issued_by": s.issued_by,
                "issued_by_name": s.issued_by_name,
                "refs": [ref_dict(r) for r in s.refs],
            }
            for s in c.steps
        ],
    }


def shareable_dict(g: ShareableGroup, first: int) -> dict[str, Any]:
    return {
        "issuer": g.issuer,
        "department_kind": g.department_kind,
        "proofs": [
            {
                "id": finding_id(Section.shareable, first + i),
                "name": p.name,
                "key": p.key,
                "reasons": [r.value for r in p.reasons],
                "reasons_zh": [r.zh for r in p.reasons],
                "list_mode": p.list_mode,
                "matters": p.matters,
                "variants": [variant_dict(v) for v in p.variants],
                "refs": [ref_dict(r) for r in p.refs],
            }
            for i, p in enumerate(g.proofs)
        ],
    }


def baseless_dict(b: BaselessProof, number: int) -> dict[str, Any]:
    return {
        "id": finding_id(Section.baseless, number),
        "name": b.name,
        "key": b.key,
        "reasons": [r.value for r in b.reasons],
        "reasons_zh": [r.zh for r in b.reasons],
        "matters": b.matters,
        "occurrences": [{**ref_dict(o.ref), "reasons": [r.value for r in o.reasons]} for o in b.occurrences],
    }


def _shareable_dicts(report: ProofReport) -> Iterator[dict[str, Any]]:
    first = 1
    for group in report.shareable:
        yield shareable_dict(group, first)
        first += len(group.proofs)


def report_document(report: ProofReport) -> dict[str, Any]:
    """The JSON document with each section's findings as an iterator (built one at a time as they are written)."""
    chosen = set(report.sections)
    return {
        "tool": "mattercli",
        "command": "proofs",
        "format_version": JSON_FORMAT_VERSION,
        "version": __version__,
        "source": {"label": report.label, "commit": report.commit},
        "options": {
            "sections": [s.value for s in report.sections],
            "threshold": report.threshold,
            "several_matters": report.several_matters,
        },
        "summary": {
            "files": report.files,
            "matters": report.matters,
            "materials": report.materials,
            "proofs": report.proofs,
            "skipped": len(report.skipped),
            **{s.value: (report.count(s) if s in chosen else None) for s in Section},
        },
        "notes": list(report.notes),
        "skipped": [{"file": s.file, "reason": s.reason} for s in report.skipped],
        "duplicates": (
            (duplicate_dict(c, i) for i, c in enumerate(report.duplicates, 1)) if Section.duplicates in chosen else None
        ),
        "cycles": (cycle_dict(c, i) for i, c in enumerate(report.cycles, 1)) if Section.cycles in chosen else None,
        "cycles_truncated": report.cycles_truncated,
        "shareable": _shareable_dicts(report) if Section.shareable in chosen else None,
        "baseless": (
            (baseless_dict(b, i) for i, b in enumerate(report.baseless, 1)) if Section.baseless in chosen else None
        ),
    }


def report_dict(report: ProofReport) -> dict[str, Any]:
    """The JSON document (docs/proofs.md, "JSON output") as plain data; a section not asked for is null."""
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in report_document(report).items()}


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _scalar(value: Any) -> bool:
    return type(value) in _SCALARS


def _flat(value: Any) -> bool:
    """A record written on one line: scalars, or lists of scalars (type checks only: called 300,000 times)."""
    if type(value) is dict:
        for item in value.values():
            kind = type(item)
            if kind is list:
                if not all(type(x) in _SCALARS for x in item):
                    return False
            elif kind not in _SCALARS:
                return False
        return True
    return type(value) is list and all(type(x) in _SCALARS for x in value)


def write_json(value: Any, out: list[str], depth: int = 0) -> None:
    """Indented JSON whose leaf records (refs, variants, lists of codes) take one line each.

    Equivalent to `json.dumps(value)` as data; records go through the C encoder, so 300,000 refs take seconds, not
    the minute the pure-Python indenting encoder needs, and no whole-document tree is ever built.
    """
    if (depth and _flat(value)) or _scalar(value):
        out.append(json.dumps(value, ensure_ascii=False))
        return
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + "\n" + inner + json.dumps(key, ensure_ascii=False) + ": ")
            write_json(item, out, depth + 1)
        out.append("\n" + pad + "}")
        return
    empty = True
    for i, item in enumerate(value):
        out.append(("[" if i == 0 else ",") + "\n" + inner)
        write_json(item, out, depth + 1)
        empty = False
    out.append("[]" if empty else "\n" + pad + "]")


# --------------------------------------------------------------------------------------------------------------
# Tables shared by CSV, XLSX, Markdown and the terminal
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    section: Section | None
    title: str
    headers: list[str]
    rows: list[list[Any]]
    numeric: list[bool]


def _variants_text(variants: Sequence[Variant], limit: int | None) -> str:
    shown = ";".join(f"{v.name}×{v.occurrences}" for v in variants[:limit])
    return shown + (f";…(+{len(variants) - limit})" if limit is not None and len(variants) > limit else "")


def duplicate_table(report: ProofReport, lang: str, limit: int | None = None) -> Table:
    keys = ("no", "canonical", "in_dictionary", "kinds", "variants", "matters", "entries", "departments", "similar")
    rows = [
        [
            finding_id(Section.duplicates, i),
            c.canonical,
            t("yes" if c.in_dictionary else "no_", lang),
            labels(c.kinds, lang),
            _variants_text(c.variants, limit),
            c.matters,
            c.entries,
            len(c.departments),
            ";".join(f"{s.a}≈{s.b}({s.similarity:g})" for s in c.similar),
        ]
        for i, c in enumerate(report.duplicates, 1)
    ]
    numeric = [k in ("matters", "entries", "departments") for k in keys]
    return Table(Section.duplicates, section_label(Section.duplicates, lang), [t(k, lang) for k in keys], rows, numeric)


def cycle_table(report: ProofReport, lang: str, limit: int | None = None) -> Table:
    keys = ("no", "cycle", "length")
    rows = [[finding_id(Section.cycles, i), c.path(), len(c.steps)] for i, c in enumerate(report.cycles, 1)]
    return Table(Section.cycles, section_label(Section.cycles, lang), [t(k, lang) for k in keys], rows,
                 [False, False, True])  # fmt: skip


def shareable_table(report: ProofReport, lang: str, limit: int | None = None) -> Table:
    keys = ("no", "issuer", "department_kind", "proof", "reasons", "list_mode", "matters", "variants")
    rows = []
    number = 0
    for group in report.shareable:
        for p in group.proofs:
            number += 1
            rows.append(
                [
                    finding_id(Section.shareable, number),
                    group.issuer or t("unstated", lang),
                    group.department_kind or "",
                    p.name,
                    labels(p.reasons, lang),
                    p.list_mode or "",
                    p.matters,
                    _variants_text(p.variants, limit),
                ]
            )
    numeric = [k == "matters" for k in keys]
    return Table(Section.shareable, section_label(Section.shareable, lang), [t(k, lang) for k in keys], rows, numeric)


def baseless_table(report: ProofReport, lang: str, limit: int | None = None) -> Table:
    keys = ("no", "proof", "reasons", "matters", "occurrences")
    rows = [
        [finding_id(Section.baseless, i), b.name, labels(b.reasons, lang), b.matters, len(b.occurrences)]
        for i, b in enumerate(report.baseless, 1)
    ]
    numeric = [k in ("matters", "occurrences") for k in keys]
    return Table(Section.baseless, section_label(Section.baseless, lang), [t(k, lang) for k in keys], rows, numeric)


_FINDING_TABLES = {
    Section.duplicates: duplicate_table,
    Section.cycles: cycle_table,
    Section.shareable: shareable_table,
    Section.baseless: baseless_table,
}


def finding_tables(report: ProofReport, lang: str, limit: int | None = None) -> list[Table]:
    """One table per selected section, one row per finding (at most `limit` name variants in a cell)."""
    return [_FINDING_TABLES[s](report, lang, limit) for s in report.sections]


EVIDENCE_KEYS = ("section", "no", "proof", "kinds", "material", "code", "matter_name", "department", "file", "line",
                 "note")  # fmt: skip


def _evidence_row(section: Section, fid: str, proof: str, kinds: str, ref: Ref, note: str, lang: str) -> list[Any]:
    return [
        section_label(section, lang),
        fid,
        proof,
        kinds,
        ref.material,
        ref.matter_code,
        ref.matter_name,
        ref.department,
        ref.file,
        ref.line if ref.line is not None else "",
        note,
    ]


def evidence_rows(report: ProofReport, lang: str) -> list[list[Any]]:
    """One row per place a finding's proof is asked for: the detail an editor works through."""
    rows: list[list[Any]] = []
    chosen = set(report.sections)
    if Section.duplicates in chosen:
        for i, c in enumerate(report.duplicates, 1):
            kinds = labels(c.kinds, lang)
            for ref in c.refs:
                note = t("standard" if ref.material == c.canonical else "variant", lang)
                rows.append(_evidence_row(Section.duplicates, finding_id(Section.duplicates, i), c.canonical, kinds,
                                          ref, note, lang))  # fmt: skip
    if Section.cycles in chosen:
        for i, cycle in enumerate(report.cycles, 1):
            for step in cycle.steps:
                note = t("requires", lang, proof=step.proof, target=f"{step.issued_by}「{step.issued_by_name}」")
                for ref in step.refs:
                    rows.append(_evidence_row(Section.cycles, finding_id(Section.cycles, i), step.proof, "", ref,
                                              note, lang))  # fmt: skip
    if Section.shareable in chosen:
        number = 0
        for group in report.shareable:
            for p in group.proofs:
                number += 1
                for ref in p.refs:
                    rows.append(_evidence_row(Section.shareable, finding_id(Section.shareable, number), p.name,
                                              labels(p.reasons, lang), ref, group.issuer or t("unstated", lang),
                                              lang))  # fmt: skip
    if Section.baseless in chosen:
        for i, b in enumerate(report.baseless, 1):
            for o in b.occurrences:
                rows.append(_evidence_row(Section.baseless, finding_id(Section.baseless, i), b.name,
                                          labels(o.reasons, lang), o.ref, "", lang))  # fmt: skip
    return rows


def evidence_table(report: ProofReport, lang: str) -> Table:
    return Table(None, t("evidence", lang), [t(k, lang) for k in EVIDENCE_KEYS], evidence_rows(report, lang),
                 [k == "line" for k in EVIDENCE_KEYS])  # fmt: skip


def header_lines(report: ProofReport, lang: str) -> list[str]:
    source = report.label + (f" {report.commit}" if report.commit else "")
    if report.commit is None and lang == "en":
        source = "work tree"
    lines = [
        f"{t('source', lang)}: {source}",
        t(
            "totals",
            lang,
            files=report.files,
            matters=report.matters,
            materials=report.materials,
            proofs=report.proofs,
        ),
    ]
    return lines


def summary_pairs(report: ProofReport, lang: str) -> list[tuple[str, int]]:
    return [(section_label(s, lang), report.count(s)) for s in report.sections]


# --------------------------------------------------------------------------------------------------------------
# Renderers
# --------------------------------------------------------------------------------------------------------------


class ProofFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    markdown = "markdown"


class Renderer:
    format: ClassVar[ProofFormat]
    binary: ClassVar[bool] = False

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang

    def render(self, report: ProofReport) -> bytes:
        raise NotImplementedError


class JsonRenderer(Renderer):
    format = ProofFormat.json

    def render(self, report: ProofReport) -> bytes:
        out: list[str] = []
        write_json(report_document(report), out)
        out.append("\n")
        return "".join(out).encode("utf-8")


class CsvRenderer(Renderer):
    """The evidence table: one row per place a finding's proof is asked for; UTF-8 with BOM (Excel opens it)."""

    format = ProofFormat.csv

    def render(self, report: ProofReport) -> bytes:
        table = evidence_table(report, self.lang)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        return (UTF8_BOM + buffer.getvalue()).encode("utf-8")


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in table.headers) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in table.numeric) + "|")
    lines.extend("| " + " | ".join(_md(c) for c in row) + " |" for row in table.rows)
    return lines


class MarkdownRenderer(Renderer):
    format = ProofFormat.markdown

    def render(self, report: ProofReport) -> bytes:
        lang = self.lang
        out = [f"# {t('title', lang)}", ""]
        out.extend(f"- {line}" for line in header_lines(report, lang))
        out.extend(f"- {label}: {n}" for label, n in summary_pairs(report, lang))
        for note in report.notes:
            out.append(f"- {t('notes', lang)}: {note}")
        for table in finding_tables(report, lang):
            out.extend(["", f"## {table.title}", ""])
            out.extend(markdown_table(table) if table.rows else [t("none", lang)])
            if table.section is Section.cycles and report.cycles_truncated:
                out.extend(["", t("truncated", lang, n=len(report.cycles))])
        evidence = evidence_table(report, lang)
        if evidence.rows:
            out.extend(["", f"## {evidence.title}", ""])
            out.extend(markdown_table(evidence))
        if report.skipped:
            out.extend(["", f"## {t('skipped', lang)}", ""])
            out.extend(f"- `{s.file}` ({s.reason})" for s in report.skipped)
        return ("\n".join(out) + "\n").encode("utf-8")


class XlsxRenderer(Renderer):
    """A workbook: a summary sheet, one sheet per section (one row per finding) and the evidence sheet."""

    format = ProofFormat.xlsx
    binary = True

    def render(self, report: ProofReport) -> bytes:
        from openpyxl import Workbook  # type: ignore[import-untyped]
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
        from openpyxl.styles import Font  # type: ignore[import-untyped]

        lang = self.lang
        book = Workbook(write_only=True)  # streams rows: hundreds of thousands of evidence rows stay cheap
        summary = book.create_sheet(t("summary", lang))
        for line in header_lines(report, lang):
            summary.append([line])
        for label, n in summary_pairs(report, lang):
            summary.append([label, n])
        for note in report.notes:
            summary.append([t("notes", lang), note])
        for table in [*finding_tables(report, lang), evidence_table(report, lang)]:
            sheet = book.create_sheet(table.title[:31])
            sheet.freeze_panes = "A2"
            header = []
            for text in table.headers:
                cell = WriteOnlyCell(sheet, value=text)
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
            for row in table.rows:
                sheet.append(row)
        book.properties.creator = "mattercli"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


RENDERERS: dict[ProofFormat, type[Renderer]] = {
    cls.format: cls for cls in (JsonRenderer, CsvRenderer, MarkdownRenderer, XlsxRenderer)
}
