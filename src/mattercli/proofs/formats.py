"""Renderers of a `ProofReport`, one class per format behind `RENDERERS` (JSON, CSV, XLSX, Markdown).

Every tabular format draws the same `Table`s (`proof_tables`), and the terminal tables in the CLI do too, so
formats never disagree. Output holds no timing and no absolute path: one catalogue, one output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, BinaryIO, ClassVar

from mattercli import __version__
from mattercli.proofs.model import (
    BaselessProof,
    DuplicateCluster,
    ProofCycle,
    ProofReport,
    Ref,
    ReviewFinding,
    Section,
    ShareableGroup,
    Variant,
)
from mattercli.proofs.tables import (
    Table,
    evidence_table,
    finding_id,
    finding_tables,
    header_lines,
    summary_pairs,
    t,
)

JSON_FORMAT_VERSION = 1
UTF8_BOM = "\ufeff"

# --------------------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------------------


def ref_dict(ref: Ref) -> dict[str, Any]:
    matter = ref.matter  # its parts directly, not through the properties: this runs once per place
    return {
        "file": matter.file,
        "line": ref.line,
        "code": matter.code,
        "basic_code": matter.basic_code,
        "name": matter.name,
        "department": matter.department,
        "material": ref.form.name,
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


def review_dict(r: ReviewFinding, number: int) -> dict[str, Any]:
    return {
        "id": finding_id(Section.review, number),
        "rule": r.rule,
        "severity": r.severity,
        "proof": r.proof,
        "message": r.message,
        "message_en": r.message_en,
        "refs": [ref_dict(ref) for ref in r.refs],
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
        "review": (review_dict(r, i) for i, r in enumerate(report.review, 1)) if Section.review in chosen else None,
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


def write_json(value: Any, write: Callable[[str], object], depth: int = 0) -> None:
    """Indented JSON whose leaf records (refs, variants, lists of codes) take one line each, handed to `write` piece
    by piece.

    Equivalent to `json.dumps(value)` as data; records go through the C encoder, so 300,000 refs take seconds, not
    the minute the pure-Python indenting encoder needs, and neither a whole-document tree nor the whole text is ever
    built: findings are turned into dicts one at a time as they are written.
    """
    if (depth and _flat(value)) or _scalar(value):
        write(json.dumps(value, ensure_ascii=False))
        return
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            write("{}")
            return
        write("{")
        for i, (key, item) in enumerate(value.items()):
            write(("," if i else "") + "\n" + inner + json.dumps(key, ensure_ascii=False) + ": ")
            write_json(item, write, depth + 1)
        write("\n" + pad + "}")
        return
    empty = True
    for i, item in enumerate(value):
        write(("[" if i == 0 else ",") + "\n" + inner)
        write_json(item, write, depth + 1)
        empty = False
    write("[]" if empty else "\n" + pad + "]")


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

    def write(self, report: ProofReport, handle: BinaryIO) -> None:
        """Write the rendering to `handle` (the bytes `render` returns); a format that can stream overrides this, so
        that its output is never held whole."""
        handle.write(self.render(report))


class JsonRenderer(Renderer):
    format = ProofFormat.json

    def render(self, report: ProofReport) -> bytes:
        buffer = io.BytesIO()
        self.write(report, buffer)
        return buffer.getvalue()  # the buffer's own bytes, not a copy

    def write(self, report: ProofReport, handle: BinaryIO) -> None:
        # Encoded as it is written: the document exists only as UTF-8 in `handle`, never as a list of pieces or a
        # str (a large catalogue's JSON is hundreds of megabytes).
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        try:
            write_json(report_document(report), text.write)
            text.write("\n")
            text.flush()
        finally:
            text.detach()  # the handle is the caller's: leave it open


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
