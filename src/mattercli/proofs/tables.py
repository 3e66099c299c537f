"""The tables every rendering of a `ProofReport` draws — one row per finding per analysis, and the evidence table
(one row per place a finding's proof is asked for) — with their Chinese and English labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mattercli.proofs.model import LabelledEnum, ProofReport, Ref, Section, Variant

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
    "rule": ("规则", "rule"),
    "severity": ("级别", "severity"),
    "message": ("问题", "problem"),
    "places": ("位置数", "places"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
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


def review_table(report: ProofReport, lang: str, limit: int | None = None) -> Table:
    keys = ("no", "rule", "severity", "proof", "message", "places")
    rows = [
        [finding_id(Section.review, i), r.rule, t(r.severity, lang), r.proof,
         r.message_en if lang == "en" else r.message, len(r.refs)]
        for i, r in enumerate(report.review, 1)
    ]  # fmt: skip
    numeric = [k == "places" for k in keys]
    return Table(Section.review, section_label(Section.review, lang), [t(k, lang) for k in keys], rows, numeric)


_FINDING_TABLES = {
    Section.duplicates: duplicate_table,
    Section.cycles: cycle_table,
    Section.shareable: shareable_table,
    Section.baseless: baseless_table,
    Section.review: review_table,
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
    if Section.review in chosen:
        for i, r in enumerate(report.review, 1):
            message = r.message_en if lang == "en" else r.message
            for ref in r.refs:
                rows.append(_evidence_row(Section.review, finding_id(Section.review, i), r.proof,
                                          f"{r.rule}({t(r.severity, lang)})", ref, message, lang))  # fmt: skip
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
