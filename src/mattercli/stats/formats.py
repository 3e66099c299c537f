"""Renderers of a `StatsReport`, one class per format behind `RENDERERS` (JSON, CSV, Markdown, HTML).

Markdown, HTML and the terminal table (in the CLI) all draw the same `Table`s from `report_tables`, so they never
disagree. Output holds no timing and no absolute path: the same catalogue gives the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from mattercli.stats.bundles import BUNDLE_FIGURES, PER_BUNDLE, bundle_rows, notes, section_dict, totals_rows
from mattercli.stats.model import DIMENSIONS
from mattercli.stats.records import MatterRecord, SourceInfo
from mattercli.stats.run import (
    FIGURE_BY_ID,
    POPULATION_EN,
    POPULATION_NOTES,
    TABLE_FIGURES,
    Figure,
    FigureValue,
    Measure,
    StatsReport,
    Unit,
)

JSON_FORMAT_VERSION = 1

TEXT = {
    "title": ("事项目录统计", "Catalogue statistics"),
    "current": ("当前", "current"),
    "baseline": ("基准", "baseline"),
    "figure": ("指标", "figure"),
    "population": ("统计范围", "population"),
    "value": ("数值", "value"),
    "from": ("计算自", "computed from"),
    "was": ("基准 ", "was "),
    "filters": ("筛选", "filters"),
    "none": ("无(全部在用事项)", "none (all active matters)"),
    "sources": ("数据来源", "sources"),
    "worktree_head": ("所在提交 HEAD", "on HEAD"),
    "skipped": ("未计入的文件(无法读取或不符合 schema,见 mattercli validate)",
                "files left out (unreadable or failing the schema; see mattercli validate)"),
    "by": ("按{name}", "By {name}"),
    "summary": ("汇总指标", "Figures"),
    "dim_meaning": ("分组依据", "grouped by"),
    "definitions": ("各指标定义见 docs/stats.md。", "Definitions: docs/stats.md."),
    "volumes": ("办件量", "case volumes"),
    "volumes_none": ("未记录(按办件量加权的比例不给出)", "none recorded (no weighted shares)"),
    "volumes_year": ("{year} 年度;有办件量的依申请事项少于 {coverage} 时不给出加权比例",
                     "year {year}; weighted shares withheld below {coverage} coverage of 依申请 entries"),
    "populations": ("统计范围说明", "Populations"),
    "population_note": ("说明", "meaning"),
}  # fmt: skip


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return en if lang == "en" else zh


def figure_name(figure: Figure, lang: str) -> str:
    return figure.name_en if lang == "en" else figure.name_zh


def population_text(figure: Figure, lang: str) -> str:
    return POPULATION_EN.get(figure.population, figure.population) if lang == "en" else figure.population


def _trim(number: float, places: int) -> str:
    text = f"{number:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float | int | None, unit: Unit) -> str:
    if value is None:
        return "—"
    if unit is Unit.RATIO:
        return f"{_trim(value * 100, 1)}%"
    if unit is Unit.COUNT and float(value).is_integer():
        return str(int(value))
    return _trim(float(value), 2)


def format_measure(figure: Figure, measure: Measure | None, detail: bool = True) -> str:
    """`96.5%(1098/1137)` for a ratio, `3.25(130/40)` for a mean, the number otherwise; `—` when undefined."""
    if measure is None:
        return "—"
    text = format_number(measure.value, figure.unit)
    if measure.value is None and measure.note:
        return f"{text}({measure.note})" if detail else text
    if detail and measure.denominator is not None and figure.unit in (Unit.RATIO, Unit.MEAN):
        numerator = format_number(measure.numerator, Unit.DAYS)
        denominator = format_number(measure.denominator, Unit.DAYS)
        text += f"({numerator}/{denominator})"
    return text


def source_text(source: SourceInfo, lang: str) -> str:
    if source.commit is None and source.head:
        return f"{source.label}({t('worktree_head', lang)} {source.head[:10]})"
    return source.label


def round_number(value: float | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return round(value, 6)


def measure_dict(measure: Measure | None, sources: tuple[str, ...]) -> dict[str, Any] | None:
    if measure is None:
        return None
    out: dict[str, Any] = {
        "value": round_number(measure.value),
        "numerator": round_number(measure.numerator),
        "denominator": round_number(measure.denominator),
        "from": list(sources),
    }
    if measure.note:
        out["note"] = measure.note
    return out


def value_dict(value: FigureValue) -> dict[str, Any]:
    return {
        "current": measure_dict(value.current, value.current_from),
        "baseline": measure_dict(value.baseline, value.baseline_from),
    }


def figure_dict(figure: Figure) -> dict[str, Any]:
    return {
        "id": figure.id,
        "name_zh": figure.name_zh,
        "name_en": figure.name_en,
        "kind": figure.kind,
        "population": figure.population,
        "formula": figure.formula,
        "practice": figure.practice,
        "unit": figure.unit.value,
        "needs_baseline": figure.needs_baseline,
    }


def member_dict(record: MatterRecord) -> dict[str, Any]:
    return {"code": record.code, "name": record.name, "file": record.file, "department": record.department}


def members_dict(report: StatsReport, figure_id: str) -> dict[str, Any]:
    """`members`: the matters a counting change figure counted (so a count can be checked matter by matter)."""
    if figure_id not in report.members:
        return {}
    return {"members": [member_dict(r) for r in report.members[figure_id]]}


def report_dict(report: StatsReport) -> dict[str, Any]:
    """The JSON document (documented in docs/stats.md)."""
    return {
        "tool": "mattercli",
        "command": "stats",
        "format_version": JSON_FORMAT_VERSION,
        "sources": {
            "current": report.current.to_dict(),
            "baseline": report.baseline.to_dict() if report.baseline else None,
        },
        "volume_basis": {"year": report.volume_basis.year, "min_coverage": report.volume_basis.min_coverage},
        "filters": [f.to_dict() for f in report.filters],
        "skipped": {side: list(files) for side, files in report.skipped.items()},
        "figures": [
            {**figure_dict(v.figure), **value_dict(v), **members_dict(report, v.figure.id)} for v in report.figures
        ],
        "breakdowns": [
            {
                "dimension": b.dimension,
                "name_zh": DIMENSIONS[b.dimension].name_zh,
                "name_en": DIMENSIONS[b.dimension].name_en,
                "meaning": DIMENSIONS[b.dimension].meaning,
                "figures": list(b.figure_ids),
                "groups": [
                    {"key": g.key, "label": g.label, "figures": {v.figure.id: value_dict(v) for v in g.values}}
                    for g in b.groups
                ],
            }
            for b in report.breakdowns
        ],
        "bundles": section_dict(report.bundles) if report.bundles is not None else None,
    }


# ---------------------------------------------------------------------------------------------------------------
# Tables shared by Markdown, HTML and the terminal
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    notes: list[str] = field(default_factory=list)


def header_lines(report: StatsReport, lang: str) -> list[str]:
    lines = [f"{t('current', lang)}: {source_text(report.current, lang)}"]
    if report.baseline:
        lines.append(f"{t('baseline', lang)}: {source_text(report.baseline, lang)}")
    sep = ", " if lang == "en" else "、"
    filters = [
        f"{DIMENSIONS[f.dimension].name_en if lang == 'en' else DIMENSIONS[f.dimension].name_zh} = {sep.join(f.values)}"
        for f in report.filters
    ]
    lines.append(f"{t('filters', lang)}: {'; '.join(filters) if filters else t('none', lang)}")
    basis = report.volume_basis
    if basis.year is None:
        lines.append(f"{t('volumes', lang)}: {t('volumes_none', lang)}")
    else:
        detail = t("volumes_year", lang).format(year=basis.year, coverage=f"{basis.min_coverage:.0%}")
        lines.append(f"{t('volumes', lang)}: {detail}")
    return lines


def _cell(value: FigureValue | None, lang: str) -> str:
    if value is None:
        return "—"
    text = format_measure(value.figure, value.current, detail=False)
    if value.baseline is not None:
        text += f"({t('was', lang)}{format_measure(value.figure, value.baseline, detail=False)})"
    return text


def summary_table(report: StatsReport, lang: str) -> Table:
    has_baseline = report.baseline is not None
    headers = [t("figure", lang), t("population", lang), t("current", lang)]
    headers += [t("baseline", lang)] if has_baseline else []
    headers += [t("from", lang)]
    rows = []
    for v in report.figures:
        row = [figure_name(v.figure, lang), population_text(v.figure, lang), format_measure(v.figure, v.current)]
        if has_baseline:
            row.append(format_measure(v.figure, v.baseline) if v.baseline else "—")
        if v.figure.needs_baseline:
            row.append(" → ".join(v.current_from))
        else:
            row.append(" / ".join(v.current_from + v.baseline_from))
        rows.append(row)
    numeric = [False, False, True] + ([True] if has_baseline else []) + [False]
    return Table(t("summary", lang), headers, rows, numeric, [t("definitions", lang)])


def breakdown_tables(report: StatsReport, lang: str) -> list[Table]:
    tables = []
    sources = " → ".join(s.label for s in (report.baseline, report.current) if s is not None)
    for b in report.breakdowns:
        dim = DIMENSIONS[b.dimension]
        ids = [i for i in (TABLE_FIGURES if b.full else b.figure_ids) if i in b.figure_ids]
        name = dim.name_en if lang == "en" else dim.name_zh
        headers = [name] + [figure_name(FIGURE_BY_ID[i], lang) for i in ids]
        rows = []
        for g in b.groups:
            label = g.label if g.label == g.key else f"{g.label}({g.key})"
            rows.append([label] + [_cell(g.value(i), lang) for i in ids])
        notes = [f"{t('dim_meaning', lang)}: {dim.meaning}", f"{t('from', lang)}: {sources}"]
        tables.append(Table(t("by", lang).format(name=name), headers, rows, [False] + [True] * len(ids), notes))
    return tables


def population_table(report: StatsReport, lang: str) -> Table:
    """Each population the summary's figures count, explained in one Chinese sentence (统计范围说明)."""
    seen = list(dict.fromkeys(v.figure.population for v in report.figures))
    rows = [[population_text_of(p, lang), POPULATION_NOTES.get(p, "")] for p in seen]
    return Table(t("populations", lang), [t("population", lang), t("population_note", lang)], rows, [False, False])


def population_text_of(population: str, lang: str) -> str:
    return POPULATION_EN.get(population, population) if lang == "en" else population


def bundle_tables(report: StatsReport, lang: str) -> list[Table]:
    """一件事: the totals (now, baseline, change) and one row per bundle (docs/bundles.md)."""
    section = report.bundles
    if section is None:
        return []
    en = lang == "en"
    headers, rows = totals_rows(section, lang)
    totals = Table("一件事 bundles" if en else "一件事", headers, rows, [False] + [True] * (len(headers) - 1))
    headers, rows = bundle_rows(section, lang)
    numeric = [False, False, True, True] + [True] * (len(headers) - 4)
    title = "一件事 bundles, each" if en else "一件事(逐项)"
    return [totals, Table(title, headers, rows, numeric, notes(section, lang))]


def report_tables(report: StatsReport, lang: str) -> list[Table]:
    return [summary_table(report, lang), *breakdown_tables(report, lang), *bundle_tables(report, lang)]


# ---------------------------------------------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------------------------------------------


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class Renderer:
    format: ClassVar[StatsFormat]

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang

    def render(self, report: StatsReport) -> str:
        raise NotImplementedError


class JsonRenderer(Renderer):
    format = StatsFormat.json

    def render(self, report: StatsReport) -> str:
        return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "dimension", "group_key", "group_label", "figure", "name", "population", "side", "value", "numerator",
    "denominator", "from",
)  # fmt: skip


class CsvRenderer(Renderer):
    """Long format: one row per (group, figure, side); the summary has an empty dimension."""

    format = StatsFormat.csv

    def _rows(self, dimension: str, key: str, label: str, values: tuple[FigureValue, ...]) -> list[list[Any]]:
        rows = []
        for v in values:
            side_now = "change" if v.figure.needs_baseline else "current"
            for side, measure, sources in (
                (side_now, v.current, v.current_from),
                ("baseline", v.baseline, v.baseline_from),
            ):
                if measure is None:
                    continue
                rows.append([
                    dimension, key, label, v.figure.id, figure_name(v.figure, self.lang),
                    population_text(v.figure, self.lang), side,
                    round_number(measure.value), round_number(measure.numerator), round_number(measure.denominator),
                    " → ".join(sources),
                ])  # fmt: skip
        return rows

    def render(self, report: StatsReport) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(self._rows("", "", "", report.figures))
        for b in report.breakdowns:
            for g in b.groups:
                writer.writerows(self._rows(b.dimension, g.key, g.label, g.values))
        writer.writerows(self._bundle_rows(report))
        return buffer.getvalue()

    def _bundle_rows(self, report: StatsReport) -> list[list[Any]]:
        """一件事: dimension `bundle`, an empty group for the totals, then each bundle by its 编码."""
        section = report.bundles
        if section is None:
            return []
        rows: list[list[Any]] = []
        population = "一件事" if self.lang != "en" else "bundles"
        sides = [("current", section.current, section.current_from)]
        if section.baseline is not None:
            sides.append(("baseline", section.baseline, section.baseline_from or ""))
        for side, bundles, source in sides:
            for f in BUNDLE_FIGURES:
                name = f.name_en if self.lang == "en" else f.name_zh
                value = round_number(getattr(bundles.totals, f.field))
                rows.append(["bundle", "", "", f.id, name, population, side, value, None, None, source])
            for figures in bundles.figures:
                for prop, zh, en in PER_BUNDLE:
                    value = round_number(getattr(figures, prop))
                    rows.append([
                        "bundle", figures.code, figures.name, f"bundle_{prop}", en if self.lang == "en" else zh,
                        population, side, value, None, None, source,
                    ])  # fmt: skip
        return rows


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownRenderer(Renderer):
    format = StatsFormat.markdown

    def render(self, report: StatsReport) -> str:
        lines = [f"# {t('title', self.lang)}", ""]
        lines += [f"- {_md_escape(line)}" for line in header_lines(report, self.lang)]
        tables = report_tables(report, self.lang)
        for table in [tables[0], population_table(report, self.lang), *tables[1:]]:
            lines += ["", f"## {table.title}", ""]
            lines.append("| " + " | ".join(_md_escape(h) for h in table.headers) + " |")
            lines.append("|" + "|".join("---:" if n else "---" for n in table.numeric) + "|")
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in table.rows]
            if table.notes:
                lines += ["", *(f"{_md_escape(n)}  " for n in table.notes)]
        lines += _skipped_lines(report, self.lang, "- ")
        return "\n".join(lines).rstrip() + "\n"


def _skipped_lines(report: StatsReport, lang: str, bullet: str) -> list[str]:
    files = [(side, f) for side, names in report.skipped.items() for f in names]
    if not files:
        return []
    return ["", f"## {t('skipped', lang)}", "", *(f"{bullet}{t(side, lang)}: {f}" for side, f in files)]


_CSS = (
    "body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif;margin:2em}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .6em}"
    "th{background:#eef}td.n{text-align:right;font-variant-numeric:tabular-nums}p.note{color:#555;margin:.2em 0}"
)


class HtmlRenderer(Renderer):
    format = StatsFormat.html

    def render(self, report: StatsReport) -> str:
        e = html.escape
        lang = "en" if self.lang == "en" else "zh-CN"
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}"><head><meta charset="utf-8"><title>{e(t("title", self.lang))}</title>',
            f"<style>{_CSS}</style></head><body>",
            f"<h1>{e(t('title', self.lang))}</h1><ul>",
            *(f"<li>{e(line)}</li>" for line in header_lines(report, self.lang)),
            "</ul>",
        ]
        tables = report_tables(report, self.lang)
        for table in [tables[0], population_table(report, self.lang), *tables[1:]]:
            out.append(f"<h2>{e(table.title)}</h2><table><thead><tr>")
            out.append("".join(f"<th>{e(h)}</th>" for h in table.headers) + "</tr></thead><tbody>")
            for row in table.rows:
                cells = "".join(
                    f'<td class="n">{e(c)}</td>' if n else f"<td>{e(c)}</td>"
                    for c, n in zip(row, table.numeric, strict=True)
                )
                out.append(f"<tr>{cells}</tr>")
            out.append("</tbody></table>")
            out += [f'<p class="note">{e(n)}</p>' for n in table.notes]
        skipped = _skipped_lines(report, self.lang, "")
        if skipped:
            out.append(f"<h2>{e(skipped[1][3:])}</h2><ul>")
            out += [f"<li>{e(line)}</li>" for line in skipped[3:]]
            out.append("</ul>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


#: Renderers of the core formats; the CLI adds the terminal table.
RENDERERS: dict[StatsFormat, type[Renderer]] = {
    cls.format: cls for cls in (JsonRenderer, CsvRenderer, MarkdownRenderer, HtmlRenderer)
}
