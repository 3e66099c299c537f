"""The 一件事事项清单 of an export: one row per 在用 bundle with exactly the published columns (序号 | 一件事名称 |
牵头部门 | 配合部门 | 涉及事项 | 承诺时限 | 跑动次数 | 减材料 | 减时限), written by every tabular exporter; for the HTML
site, the list page and a page per bundle linking its member matters (docs/bundles.md)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from mattercli.catalogue.bundles import BundleFigures, BundleReport, LoadedBundle
from mattercli.export.elements import JOIN, Value
from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo, source_text
from mattercli.export.formats.html import SITE_TITLE, model_rows, page
from mattercli.export.lists import ExportList, ListSpec, Row
from mattercli.export.output import TreeWriter
from mattercli.model.lists import ListDefinition

BUNDLE_LIST = "一件事事项清单"
#: The published columns, in order (the spec: match exactly).
COLUMNS = ("序号", "一件事名称", "牵头部门", "配合部门", "涉及事项", "承诺时限", "跑动次数", "减材料", "减时限")
_WIDTHS = {"序号": 6, "一件事名称": 24, "牵头部门": 24, "配合部门": 36, "涉及事项": 48, "承诺时限": 10}


class BundleListDefinition(ListDefinition):
    """The 一件事事项清单's definition: fixed columns over bundles/ (not a definition file under lists/)."""

    def population(self) -> str:
        return "事项状态为在用的一件事(bundles/),每个一件事一行;减材料、减时限(工作日)的定义见 docs/bundles.md"


def bundle_definition() -> BundleListDefinition:
    return BundleListDefinition.model_validate(
        {
            "名称": BUNDLE_LIST,
            "说明": "高效办成一件事(国发〔2024〕3号):牵头部门、配合部门、涉及事项、承诺时限、跑动次数及减材料、减时限。",
            "列": [{"要素": c, **({"列宽": _WIDTHS[c]} if c in _WIDTHS else {})} for c in COLUMNS],
        }
    )


def _days(value: float) -> Value:
    return int(value) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def bundle_row(number: int, f: BundleFigures) -> Row:
    members = JOIN.join(name for _code, name, _impl in f.members)
    values: tuple[Value, ...] = (
        number, f.name, f.lead, JOIN.join(f.partners), members, f.promised_text, f.visits, f.fewer_materials,
        _days(f.fewer_days),
    )  # fmt: skip
    return Row(f.code, None, values)


def bundle_list(report: BundleReport) -> ExportList:
    definition = bundle_definition()
    spec = ListSpec(BUNDLE_LIST, BUNDLE_LIST, "bundles/", definition, -1)
    return ExportList(spec, [bundle_row(i, f) for i, f in enumerate(report.figures, 1)])


@dataclass(frozen=True)
class BundleWork:
    """A write task: the 一件事事项清单 in one format; for HTML the list page and one page per bundle."""

    export: ExportList
    report: BundleReport
    #: member implementation codes that have a matter page on the site
    pages: frozenset[str]

    def run(self, exporter: Exporter, info: ExportInfo, out: TreeWriter) -> None:
        if exporter.format is ExportFormat.html:
            write_html(info, out, self.export, self.report, self.pages)
        else:
            exporter.write_list(info, out, self.export)


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _bundle_href(code: str, prefix: str) -> str:
    return f"{prefix}bundles/{quote(code)}.html"


def list_page(export: ExportList, report: BundleReport, pages: frozenset[str], source: str) -> str:
    figures = report.by_code()
    parts = [
        f'<nav><a href="../index.html">{e(SITE_TITLE)}</a></nav>',
        f"<h1>{e(export.name)}</h1>",
        f"<p>{e(export.definition.description or '')}</p>",
        f'<p class="population">统计范围:{e(export.definition.population())}</p>',
        f'<p class="source">共 {len(export.rows)} 行</p>',
        '<div class="wide"><table><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in export.headers),
        "</tr></thead><tbody>",
    ]
    for row in export.rows:
        f = figures[row.code]
        cells = []
        for column, value in zip(COLUMNS, row.values, strict=True):
            if column == "一件事名称":
                text = f'<a href="{e(_bundle_href(row.code, "../"))}">{e(value)}</a>'
            elif column == "涉及事项":
                text = "；".join(_member_link(name, impl, pages, "../") for _c, name, impl in f.members)
            else:
                text = e(value)
            cells.append(f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return page(export.name, "\n".join(parts), "../assets/style.css", source, "list")


def _member_link(name: str, impl: str | None, pages: frozenset[str], prefix: str) -> str:
    if impl is not None and impl in pages:
        return f'<a href="{prefix}matters/{e(quote(impl))}.html">{e(name)}</a>'
    return e(name)


def bundle_page(loaded: LoadedBundle, f: BundleFigures, pages: frozenset[str], source: str) -> str:
    bundle = loaded.bundle
    assert bundle is not None
    rows = "".join(
        f"<tr><td>{e(code)}</td><td>{_member_link(name, impl, pages, '../')}</td><td>{e(impl or '—')}</td></tr>"
        for code, name, impl in f.members
    )
    figures = [
        ("环节", f.steps_before, f.steps_after, f.fewer_steps),
        ("材料", f.materials_before, f.materials_after, f.fewer_materials),
        ("时限(工作日)", _days(f.days_before), _days(f.days_after), _days(f.fewer_days)),
        ("跑动次数", f.visits_before, f.visits_after, f.fewer_visits),
        ("表单", f.forms_before, f.forms_after, f.fewer_forms),
    ]
    figure_rows = "".join(
        f"<tr><th>{e(name)}</th><td>{e(before)}</td><td>{e(after)}</td><td>{e(less)}</td></tr>"
        for name, before, after, less in figures
    )
    parts = [
        f'<nav><a href="../index.html">{e(SITE_TITLE)}</a> › <a href="../lists/{e(quote(BUNDLE_LIST))}.html">'
        f"{e(BUNDLE_LIST)}</a></nav>",
        f"<h1>{e(bundle.name)}</h1>",
        f'<p class="meta">一件事 · <span class="code">{e(bundle.code)}</span> · {e(bundle.tier.value)}'
        + (f" · 批次 {e(bundle.batch)}" if bundle.batch else "")
        + "</p>",
        "<h2>涉及事项</h2>",
        f"<table><thead><tr><th>基本编码</th><th>事项名称</th><th>实施编码({e(bundle.region)})</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
        "<h2>减环节、减材料、减时限、减跑动、减表单</h2>",
        "<table><thead><tr><th></th><th>成员事项合计</th><th>一件事</th><th>减少</th></tr></thead>"
        f"<tbody>{figure_rows}</tbody></table>",
        "<h2>要素</h2>",
        f'<table class="element">{model_rows(bundle)}</table>',
    ]
    return page(bundle.name, "\n".join(parts), "../assets/style.css", source)


def write_html(
    info: ExportInfo, out: TreeWriter, export: ExportList, report: BundleReport, pages: frozenset[str]
) -> None:
    source = source_text(info)
    out.text(f"html/lists/{export.stem}.html", list_page(export, report, pages, source))
    figures = report.by_code()
    for loaded in report.bundles:
        if loaded.bundle is not None and loaded.bundle.code in figures:
            code = loaded.bundle.code
            out.text(f"html/bundles/{code}.html", bundle_page(loaded, figures[code], pages, source))
