"""A list's page of the HTML site: the table (a box that scrolls both ways under a sticky header; cards on a phone),
filters by 事项类型 / 部门 / 行使层级 / 区划 and a search (assets/site.js), pages of PAGE_SIZE rows, links to the same
list in the other exported formats, and its print layout (A4 landscape, the list's title, 区划 and version in the
page margins of every printed page).

Only the first page's rows are laid out when the page opens — the others carry the class `pg` (hidden) until the
script turns pages — so a list of 100,000 rows opens about as fast as one of 100; without the script (noscript)
every row shows, and printing prints every row the filters keep.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from html import escape
from typing import Any
from urllib.parse import quote

from mattercli.export.formats.base import ExportFormat, ExportInfo, source_text, titled
from mattercli.export.lists import FACETS, ExportList, Row
from mattercli.model.codes import Level, MatterType

#: Rows on a page when it opens; the reader picks another size (0 = every row).
PAGE_SIZE = 100
PAGE_SIZES = (50, 100, 200, 500, 0)
#: The formats a list page links to (the same list), in this order.
DOWNLOADS = (ExportFormat.xlsx, ExportFormat.csv, ExportFormat.json)
WIDTH_SAMPLE = 500  # rows read to size a column
MIN_EM, MAX_EM = 3.5, 20.0
#: The longest value a column of codes holds (33-character 实施编码 with 业务办理项): such columns are not capped at MAX_EM.
MAX_CODE = 40
#: Facet values in code-table order (事项类型, 行使层级); 部门 and 区划 keep the list's order.
_FACET_ORDER: dict[int, dict[str, int]] = {
    0: {t.value: i for i, t in enumerate(MatterType)},
    2: {lv.value: i for i, lv in enumerate(Level)},
}
PRINT_FONT = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif'


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def css_string(text: str) -> str:
    """A CSS string literal of any text: quotes, backslashes, markup and control characters as hex escapes, so
    that it can neither end the string nor the <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or not ch.isprintable():
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def text_em(text: str) -> float:
    """How wide a line of text is, in em: a CJK character 1, another about 0.66 (digits are 0.55–0.64 em in common
    sans fonts, DejaVu Sans the widest: a 31-digit code must not wrap its last digits)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.66 for ch in text)


def column_widths(export: ExportList) -> list[float]:
    """Each column's width in em: the definition's 列宽 (XLSX characters, a CJK character counting two), else from
    the longest line of the first rows; long texts (legal bases) stop at MAX_EM and wrap."""
    sample = export.rows[:WIDTH_SAMPLE]
    widths = []
    for i, column in enumerate(export.columns):
        if column.width:
            em = column.width * 0.5
        else:
            lines = [line for r in sample for line in str(r.values[i]).split("\n")]
            em = max(max((text_em(line) for line in lines), default=0), min(text_em(export.headers[i]), 4))
            if lines and all(len(line) <= MAX_CODE and line.isascii() and " " not in line for line in lines):
                widths.append(round(max(em + 1.2, MIN_EM), 1))  # codes (a 31-digit 实施编码) never wrap
                continue
        widths.append(round(min(max(em + 1.2, MIN_EM), MAX_EM), 1))  # + the cell's padding
    return widths


def region_text(export: ExportList) -> str:
    spec = export.spec
    code = spec.region or (spec.definition.filter.regions[0] if len(spec.definition.filter.regions) == 1 else None)
    if code is None:
        return "区划:全部"
    return f"区划:{spec.region_name}({code})" if spec.region_name else f"区划:{code}"


def version_text(info: ExportInfo, export: ExportList) -> str:
    """The list's edition (its definition's 版本, e.g. 2022年) and the export's 更新日期 / 版本, or the draft label."""
    edition = f"清单版本 {export.definition.version} · " if export.definition.version else ""
    return edition + source_text(info)


def head_style(info: ExportInfo, export: ExportList) -> str:
    """The page's own rules: its print margins (title, 区划, version on every page) and its cards' labels."""
    font = f"font-family:{PRINT_FONT};font-size:8pt;color:#57606a"
    right = f"{region_text(export)} · {version_text(info, export)}"
    labels = "".join(
        f".list-table td:nth-child({i})::before{{content:{css_string(h)}}}" for i, h in enumerate(export.headers, 1)
    )
    return (
        "<style>\n"
        f"@page{{size:A4 landscape;margin:16mm 10mm 14mm;"
        f"@top-left{{content:{css_string(titled(export.name, info))};{font};font-weight:bold}}"
        f"@top-right{{content:{css_string(right)};{font}}}}}\n"
        f"@media screen and (max-width:40rem){{{labels}}}\n"
        "</style>\n"
        "<noscript><style>tr.pg{display:table-row!important}section.pg{display:block!important}"
        "@media screen and (max-width:40rem){tr.pg{display:block!important}}</style></noscript>\n"
    )


class Facets:
    """The values of each FACETS field on one list, numbered for the rows' data-f attributes."""

    def __init__(self, rows: list[Row]) -> None:
        seen: list[dict[str, None]] = [{} for _ in FACETS]
        for row in rows:
            for k, values in enumerate(row.facets):
                seen[k].update(dict.fromkeys(values))
        self.values: list[list[str]] = []
        for k, found in enumerate(seen):
            order = _FACET_ORDER.get(k)
            if order is None:
                self.values.append(list(found))
            else:
                self.values.append(sorted(found, key=lambda v: order.get(v, len(order))))
        self._number = [{v: i for i, v in enumerate(values)} for values in self.values]
        self._attrs: dict[int, str] = {}  # rows of one matter share a facets tuple: its attribute is made once

    def attribute(self, row: Row) -> str:
        key = id(row.facets)
        attr = self._attrs.get(key)
        if attr is None:
            attr = " ".join(",".join(str(self._number[k][v]) for v in values) for k, values in enumerate(row.facets))
            self._attrs[key] = attr
        return attr

    def meta(self) -> list[dict[str, Any]]:
        return [{"name": name, "values": values} for name, values in zip(FACETS, self.values, strict=True)]


def downloads(info: ExportInfo, export: ExportList) -> str:
    links = [
        f'<a href="../../{f.value}/{e(quote(export.stem))}.{f.value}" download>{f.value.upper()}</a>'
        for f in DOWNLOADS
        if f in info.formats
    ]
    return f'<p class="downloads">下载本清单:{"".join(links)}</p>' if links else ""


def tools() -> str:
    """The filter bar (shown by the script, which adds a select per facet with two or more values)."""
    sizes = "".join(
        f'<option value="{n}"{" selected" if n == PAGE_SIZE else ""}>{n if n else "全部"}</option>' for n in PAGE_SIZES
    )
    return (
        '<form id="list-tools" role="search" onsubmit="return false" hidden>'
        '<label class="search">在本清单中搜索<input id="list-q" type="search" autocomplete="off" '
        'placeholder="事项名称、编码、部门、依据……"></label>'
        f'<label>每页行数<select id="page-size">{sizes}</select></label></form>'
    )


def pager() -> str:
    return (
        '<nav id="pager" class="pager" aria-label="分页">'
        '<button type="button" id="page-prev">上一页</button><span id="page-info"></span>'
        '<button type="button" id="page-next">下一页</button></nav>'
    )


def list_body(info: ExportInfo, export: ExportList, cells: Any, embed: Any, site_title: str) -> Iterator[str]:
    """The list page's content, part by part (joined by newlines); `cells` renders a row's <td>s, `embed` makes
    JSON safe inside <script>."""
    yield f'<nav><a href="../index.html">{e(site_title)}</a></nav>'
    yield f'<header class="list-head"><h1>{e(titled(export.name, info))}</h1>'
    if export.definition.description:
        yield f"<p>{e(export.definition.description)}</p>"
    yield f'<p class="population">统计范围:{e(export.definition.population())}</p>'
    yield f'<p class="source">共 {len(export.rows)} 行 · {e(region_text(export))} · {e(version_text(info, export))}</p>'
    yield downloads(info, export) + "</header>"
    yield tools()
    yield f'<p id="list-count" aria-live="polite">共 {len(export.rows)} 行</p>'
    facets = Facets(export.rows)
    widths = column_widths(export)
    cols = "".join(f'<col style="width:{w:g}em">' for w in widths)
    table_width = f"{sum(widths) + 0.1 * len(widths):g}em"  # table-layout: fixed lays out the columns as given
    head = "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in export.headers) + "</tr></thead>"
    shown = 0
    for group, rows in export.groups():
        hidden = " pg" if shown >= PAGE_SIZE else ""
        yield f'<section class="group{hidden}">'
        if group is not None:
            yield f"<h2>{e(group)}({len(rows)})</h2>"
        label = e(group if group is not None else export.name)
        yield (
            f'<div class="table-box" tabindex="0" role="region" aria-label="{label}">'
            f'<table class="list-table" style="width:{table_width}"><colgroup>{cols}</colgroup>{head}<tbody>'
        )
        for row in rows:
            page_class = ' class="pg"' if shown >= PAGE_SIZE else ""
            shown += 1
            yield f'<tr data-f="{facets.attribute(row)}"{page_class}>{cells(export, row)}</tr>'
        yield "</tbody></table></div></section>"
    yield pager()
    meta = {"facets": facets.meta(), "pageSize": PAGE_SIZE, "rows": len(export.rows)}
    yield f'<script id="list-meta" type="application/json">{embed(meta)}</script>'
    yield '<script src="../assets/site.js"></script>'
