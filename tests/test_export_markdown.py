"""Issue 24 item 1: the Markdown export shows hostile names and notes literally. A matter name with
`<img onerror=…>` or a note with `[x](javascript:…)` must not become HTML or a link when the `.md` is rendered (a
code-hosting site, a wiki); Markdown syntax in data is escaped; links go only to http(s) and relative targets."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from markdown_it import MarkdownIt

from export_helpers import FOOD, rich_catalogue
from mattercli.export import ExportOptions, export_catalog
from mattercli.export.formats import ExportFormat
from mattercli.model.safetext import markdown_link, markdown_text, safe_link_target

NAME = "<img src=x onerror=alert(1)>食品经营许可"
NOTE = "[点此办理](javascript:alert(document.cookie)) **粗** _斜_ `码` ~~删~~ a|b <script>x()</script> &lt;i&gt;"
DESCRIPTION = "# 不是标题\n- 不是列表\n1. 不是编号 ![图](http://x.example/a.png)"


def render(text: str) -> str:
    """HTML as a CommonMark renderer with GFM tables and raw HTML allowed (as GitLab, Gitea and wikis do) gives it."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(text)


@pytest.fixture(scope="module")
def hostile_md(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = rich_catalogue(tmp_path_factory.mktemp("md"))
    food = root / FOOD
    text = food.read_text(encoding="utf-8").replace("事项名称: 食品经营许可", f'事项名称: "{NAME}"')
    food.write_text(text + f'备注: "{NOTE}"\n办理地点: "https://zwfw.example.gov.cn/a_(b)"\n', encoding="utf-8")
    shutil.rmtree(root / "lists")
    (root / "lists").mkdir()
    (root / "lists" / "t.yaml").write_text(
        f"名称: '<b>清单</b>'\n文件名: t\n说明: {json.dumps(DESCRIPTION, ensure_ascii=False)}\n列:\n  - 要素: 事项名称\n  - 要素: 备注\n  - 要素: 办理地点\n",
        encoding="utf-8",
    )
    out = root.parent / "out"
    export_catalog(ExportOptions(path=root, output=out, formats=(ExportFormat.md,)))
    return (out / "md" / "t.md").read_text(encoding="utf-8")


def test_html_in_names_and_notes_never_renders_as_html(hostile_md: str) -> None:
    html = render(hostile_md)
    assert not re.search(r"<(img|script|b)\b", html), html  # before: <img src=x onerror=alert(1)> went through
    assert "&lt;img src=x onerror=alert(1)&gt;食品经营许可" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_javascript_links_never_become_links(hostile_md: str) -> None:
    html = render(hostile_md)
    assert "javascript:" in html  # shown as text …
    assert not re.search(r"href=\"(?!https?://)", html), html  # … never as a link; before: href="javascript:…"
    assert '<a href="https://zwfw.example.gov.cn/a_%28b%29">' in html  # a web address stays a link


def test_markdown_syntax_in_data_is_shown_literally(hostile_md: str) -> None:
    html = render(hostile_md)
    for tag in ("<strong>", "<em>", "<code>", "<s>", "<del>", "<h2>", "<ul>", "<ol>"):
        assert tag not in html, tag
    assert "**粗** _斜_ `码` ~~删~~ a|b" in html  # the note reads as written
    assert "&amp;lt;i&amp;gt;" in html  # an entity in data is data, not a character
    rows = [line for line in hostile_md.splitlines() if "食品经营许可" in line and line.startswith("| ")]
    assert rows and all(line.count(" | ") == 2 for line in rows)  # `|` in a note cannot split the row


@pytest.mark.parametrize(
    "target, safe",
    [
        ("https://zwfw.zj.gov.cn/x", True),
        ("http://example.org", True),
        ("../html/matters/000104001000.html", True),
        ("附件/样表.pdf", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("mailto:a@b.c", False),
    ],
)
def test_link_targets(target: str, safe: bool) -> None:
    assert safe_link_target(target) is safe
    link = markdown_link("办理", target)
    assert ("](" in link) is safe
    assert "href" not in render(link) or safe


def test_markdown_text_helper() -> None:
    assert markdown_text("a|b\nc") == "a\\|b<br>c"
    assert markdown_text("1. x", line_start=True) == "1\\. x"
    assert markdown_text("- x", line_start=True) == "\\- x"
    assert markdown_text("<img>") == "&lt;img&gt;"
