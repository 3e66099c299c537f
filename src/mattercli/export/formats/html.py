"""A static HTML site of the exported lists: index.html (search, lists, department → matter tree), a page per list
and a page per matter. It works from the file system: the search index is embedded in index.html and searched
by plain JavaScript (no fetch, no server); the one stylesheet is a relative link.

index.html reads a query from `?q=…` or `#q=…`, so a search can be opened (and tested) by URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from enum import Enum
from functools import cache
from html import escape
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from mattercli.export.elements import Matter, render_scalar
from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo, MatterPage, SiteMatter, source_text
from mattercli.export.lists import ExportList, ListSummary, Row
from mattercli.export.output import TextSink, TreeWriter

SITE_TITLE = "政务服务事项清单"
NAME_COLUMNS = frozenset({"事项名称", "基本目录.事项名称", "编码", "实施编码", "基本编码"})

STYLE = """\
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:72rem;
padding:1rem 1.5rem;color:#1f2328;line-height:1.5}
a{color:#0b57d0}h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;
padding-bottom:.2rem;margin-top:1.6rem}.source{color:#57606a;font-size:.9rem}
#search-form{margin:1rem 0}#q{font-size:1.1rem;padding:.4rem .6rem;width:min(36rem,100%);border:1px solid #8c959f;
border-radius:6px}#result-count{font-weight:bold}.meta{color:#57606a;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}th,td{border:1px solid #d0d7de;
padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa;position:sticky;top:0}
table.element th{width:10rem;white-space:nowrap}table.sub{margin:0}ol.items{margin:0;padding-left:1.4rem}
details{margin:.2rem 0}summary{cursor:pointer;font-weight:600}details ul{margin:.2rem 0 .6rem}
.code{font-family:monospace;color:#57606a;font-size:.85rem}nav{font-size:.9rem;margin-bottom:.5rem}
.wide{overflow-x:auto}.wide th{white-space:nowrap}body.list{max-width:none}
"""

SEARCH_JS = """\
(function () {
  var data = JSON.parse(document.getElementById("search-index").textContent);
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("result-count");
  var MAX = 200;
  var texts = data.map(function (e) { return e.join(" ").toLowerCase(); });
  function initial() {
    var q = new URLSearchParams(location.search).get("q");
    if (!q && location.hash.indexOf("#q=") === 0) {
      q = decodeURIComponent(location.hash.slice(3).replace(/\\+/g, " "));
    }
    return q || "";
  }
  function search(q) {
    var terms = q.toLowerCase().split(/\\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { count.textContent = ""; document.body.removeAttribute("data-results"); return; }
    var found = 0;
    for (var i = 0; i < data.length; i++) {
      var ok = true;
      for (var j = 0; j < terms.length; j++) {
        if (texts[i].indexOf(terms[j]) < 0) { ok = false; break; }
      }
      if (!ok) { continue; }
      found++;
      if (found > MAX) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "matters/" + data[i][0] + ".html";
      a.textContent = data[i][1];
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + data[i][0] + " · " + data[i][2] + " · " + data[i][3];
      li.appendChild(meta);
      list.appendChild(li);
    }
    count.textContent = "找到 " + found + " 个事项" + (found > MAX ? "(显示前 " + MAX + " 个)" : "");
    document.body.setAttribute("data-results", String(found));
  }
  input.addEventListener("input", function () {
    search(input.value);
    try { history.replaceState(null, "", "#q=" + encodeURIComponent(input.value)); } catch (e) { /* file: URLs */ }
  });
  var q = initial();
  input.value = q;
  search(q);
})();
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def embed_json(data: Any) -> str:
    """JSON that is safe inside <script>: no <, > or & that could end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_head(title: str, css: str, body_class: str = "") -> str:
    """A page up to its body's content (page())."""
    attrs = f' class="{body_class}"' if body_class else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n"
        f'<link rel="stylesheet" href="{css}">\n</head>\n<body{attrs}>\n'
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
            self.write_list_page(export, source_text(info), sink)

    @staticmethod
    def matter_body(matter: Matter) -> str:
        return f'<table class="element">{model_rows(matter)}</table>'

    def write_index(
        self, info: ExportInfo, out: TreeWriter, lists: Sequence[ListSummary], matters: Sequence[SiteMatter]
    ) -> None:
        out.text("html/assets/style.css", STYLE)
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
        parts.append(f"<script>\n{SEARCH_JS}</script>")
        return page(SITE_TITLE, "\n".join(parts), "assets/style.css", source)

    def _cells(self, export: ExportList, row: Row) -> str:
        cells = []
        for column, value in zip(export.columns, row.values, strict=True):
            text = e(value)
            if column.path in NAME_COLUMNS and value != "":
                text = f'<a href="../matters/{e(row.code)}.html">{text}</a>'
            cells.append(f"<td>{text}</td>")
        return "<tr>" + "".join(cells) + "</tr>"

    def list_body(self, export: ExportList) -> Iterator[str]:
        """The list page's content, part by part (joined by newlines)."""
        yield f'<nav><a href="../index.html">{e(SITE_TITLE)}</a></nav>'
        yield f"<h1>{e(export.name)}</h1>"
        if export.definition.description:
            yield f"<p>{e(export.definition.description)}</p>"
        yield f'<p class="population">统计范围:{e(export.definition.population())}</p>'
        yield f'<p class="source">共 {len(export.rows)} 行</p>'
        head = "<tr>" + "".join(f"<th>{e(h)}</th>" for h in export.headers) + "</tr>"
        for group, rows in export.groups():
            if group is not None:
                yield f"<h2>{e(group)}({len(rows)})</h2>"
            yield f'<div class="wide"><table><thead>{head}</thead><tbody>'
            yield from (self._cells(export, row) for row in rows)
            yield "</tbody></table></div>"

    def write_list_page(self, export: ExportList, source: str, sink: TextSink) -> None:
        sink.write(page_head(export.name, "../assets/style.css", "list"))
        sink.join("\n", self.list_body(export))
        sink.write(page_tail(source))

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
