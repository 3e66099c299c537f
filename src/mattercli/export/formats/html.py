"""A static HTML site of the exported lists: index.html (search, lists, department → matter tree), a page per list
(html_list.py) and a page per matter. It works from the file system and offline: the search index is embedded in
index.html and searched by plain JavaScript (no fetch, no server); the stylesheet and the script are relative
links to assets/ (their sources: mattercli/data/site/).

index.html reads a query from `?q=…` or `#q=…`, so a search can be opened (and tested) by URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from enum import Enum
from functools import cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from mattercli.export.elements import Matter, render_scalar
from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo, MatterPage, SiteMatter, source_text
from mattercli.export.formats.html_list import head_style, list_body
from mattercli.export.lists import ExportList, ListSummary, Row
from mattercli.export.output import TextSink, TreeWriter

SITE_TITLE = "政务服务事项清单"
NAME_COLUMNS = frozenset({"事项名称", "基本目录.事项名称", "编码", "实施编码", "基本编码"})


@cache
def asset(name: str) -> str:
    """A file of the site's assets (mattercli/data/site/): style.css, site.js."""
    return resources.files("mattercli.data").joinpath("site", name).read_text(encoding="utf-8")


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def embed_json(data: Any) -> str:
    """JSON that is safe inside <script>: no <, > or & that could end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_head(title: str, css: str, body_class: str = "", head: str = "") -> str:
    """A page up to its body's content (page()); `head` goes at the end of <head>."""
    attrs = f' class="{body_class}"' if body_class else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n"
        f'<link rel="stylesheet" href="{css}">\n{head}</head>\n<body{attrs}>\n'
    )


def page_tail(source: str) -> str:
    """A page after its body's content (page())."""
    return f'\n<footer class="source">{e(source)}</footer>\n</body>\n</html>\n'


def page(title: str, body: str, css: str, source: str, body_class: str = "") -> str:
    return page_head(title, css, body_class) + body + page_tail(source)


def element_html(value: Any) -> str:
    """Any element value: nested elements as tables, lists as numbered items."""
    if isinstance(value, BaseModel):
        return '<table class="sub">' + model_rows(value) + "</table>"
    if isinstance(value, list):
        if value and isinstance(value[0], BaseModel):
            return '<ol class="items">' + "".join(f"<li>{element_html(v)}</li>" for v in value) + "</ol>"
        return e("、".join(str(render_scalar(v)) for v in value))
    if isinstance(value, Enum | bool | int | str):
        return e(render_scalar(value))
    return e(value)


@cache
def _headed_fields(cls: type[BaseModel]) -> list[tuple[str, str]]:
    """(attribute, <th> cell) of each element of a model, in model order."""
    return [(name, f"<tr><th>{e(field.alias or name)}</th><td>") for name, field in cls.model_fields.items()]


def model_rows(model: BaseModel) -> str:
    rows = []
    for name, head in _headed_fields(type(model)):
        value = getattr(model, name)
        if value is None or value == [] or value == "":
            continue
        rows.append(f"{head}{element_html(value)}</td></tr>")
    return "".join(rows)


class HtmlExporter(Exporter):
    """html/index.html, html/lists/<清单>.html, html/matters/<编码>.html, html/assets/style.css."""

    format = ExportFormat.html
    matter_pages = True

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        with out.text_stream(f"html/lists/{export.stem}.html") as sink:
            self.write_list_page(info, export, sink)

    @staticmethod
    def matter_body(matter: Matter) -> str:
        return f'<table class="element">{model_rows(matter)}</table>'

    def write_index(
        self, info: ExportInfo, out: TreeWriter, lists: Sequence[ListSummary], matters: Sequence[SiteMatter]
    ) -> None:
        out.text("html/assets/style.css", asset("style.css"))
        out.text("html/assets/site.js", asset("site.js"))
        out.text("html/index.html", self.index(info, lists, matters))

    def write_pages(self, info: ExportInfo, out: TreeWriter, pages: Sequence[MatterPage]) -> None:
        source = source_text(info)
        for matter in pages:
            out.text(f"html/matters/{matter.code}.html", self.matter_page(matter, source))

    def index(self, info: ExportInfo, lists: Sequence[ListSummary], matters: Sequence[SiteMatter]) -> str:
        source = source_text(info)
        index = [[m.code, m.name, m.department, m.type, m.region] for m in matters]
        parts = [
            f"<header><h1>{e(SITE_TITLE)}</h1>",
            f'<p class="source">{e(source)};事项目录 schema {e(info.schema_version)};共 {len(matters)} 个事项</p>',
            "</header>",
            '<form id="search-form" role="search" onsubmit="return false">',
            '<label for="q">搜索事项:</label> <input id="q" type="search" autocomplete="off" '
            'placeholder="事项名称、编码、部门、类型……">',
            "</form>",
            '<section id="search"><p id="result-count"></p><ol id="results"></ol></section>',
            '<section id="lists"><h2>清单</h2><ul>',
        ]
        for export in lists:
            href = f"lists/{quote(export.stem)}.html"
            parts.append(f'<li><a href="{e(href)}">{e(export.name)}</a>({export.rows} 行)</li>')
        parts.append('</ul></section>\n<section id="departments"><h2>按部门</h2>')
        groups: dict[str, list[SiteMatter]] = {}
        for m in matters:
            groups.setdefault(m.department, []).append(m)
        for department, items in groups.items():
            parts.append(f"<details><summary>{e(department)}({len(items)})</summary><ul>")
            parts.extend(
                f'<li><a href="matters/{e(m.code)}.html">{e(m.name)}</a> <span class="code">{e(m.code)}</span></li>'
                for m in items
            )
            parts.append("</ul></details>")
        parts.append("</section>")
        parts.append(f'<script id="search-index" type="application/json">{embed_json(index)}</script>')
        parts.append('<script src="assets/site.js"></script>')
        return page(SITE_TITLE, "\n".join(parts), "assets/style.css", source)

    def _cells(self, export: ExportList, row: Row) -> str:
        cells = []
        for column, value in zip(export.columns, row.values, strict=True):
            text = e(value)
            if column.path in NAME_COLUMNS and value != "":
                text = f'<a href="../matters/{e(row.code)}.html">{text}</a>'
            cells.append(f"<td>{text}</td>")
        return "".join(cells)

    def list_body(self, info: ExportInfo, export: ExportList) -> Iterator[str]:
        """The list page's content, part by part (joined by newlines): html_list.list_body."""
        return list_body(info, export, self._cells, embed_json, SITE_TITLE)

    def write_list_page(self, info: ExportInfo, export: ExportList, sink: TextSink) -> None:
        sink.write(page_head(export.name, "../assets/style.css", "list", head_style(info, export)))
        sink.join("\n", self.list_body(info, export))
        sink.write(page_tail(source_text(info)))

    def matter_page(self, matter: MatterPage, source: str) -> str:
        kind = "实施清单事项" if matter.implementation else "基本目录事项"
        parts = [
            f'<nav><a href="../index.html">{e(SITE_TITLE)}</a> › {e(matter.department)}</nav>',
            f"<h1>{e(matter.name)}</h1>",
            f'<p class="meta">{kind} · <span class="code">{e(matter.code)}</span></p>',
        ]
        if matter.base is not None:
            code, name = matter.base
            parts.append(f'<p>基本目录: <a href="{e(code)}.html">{e(name)}</a>({e(code)})</p>')
        parts.append(matter.body)
        return page(matter.name, "\n".join(parts), "../assets/style.css", source)
