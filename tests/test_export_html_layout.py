"""The exported site as its readers meet it, in headless Chromium (Debian package chromium, .ci/apt-packages.txt;
skipped when absent), driven over the DevTools pipe by scripts/headless_chromium.py:

- a phone (390 px): no page of the embedded catalogue's export is wider than the screen; list rows are cards
  labelled by their column; legal text gets the width of the screen;
- the list pages' filters (事项类型, 部门, 行使层级, 区划), search and pages, against the exported JSON;
- a header row that sticks while the table scrolls;
- printing: A4 landscape, every column, the header row and the list's title, 区划, version and page number on
  every page (a PDF printed by Chromium, read back with pypdf);
- a search link cut in the middle of a character (`#q=%E9%A3`) opens without an uncaught URIError.

The rules that need no browser (the print CSS, offline assets, the first page's rows) are tested without one.
"""

from __future__ import annotations

import io
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from export_helpers import generated_catalogue
from mattercli.cli import app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from headless_chromium import CHROMIUM, Browser, Page  # noqa: E402

PHONE = (390, 844)
DESKTOP = (1280, 900)
XIHU = "实施清单-330106-西湖区"
#: The matter page that was 598 px wide at 390 px (nested tables under a nowrap 10rem th).
WIDEST = "11330106003046768U4000704001000"
LEVEL_DIGIT = {
    "1": "国家级",
    "2": "省级",
    "3": "地市级",
    "4": "区县级",
    "5": "乡镇(街道)级",
    "6": "村(社区)级",
}  # 实施编码: USCC (18) + 行使层级 + 基本编码

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    result = CliRunner().invoke(app, ["export", str(ROOT / "catalog"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian package chromium)")
    with Browser() as b:
        yield b


def rows_of(export: Path, stem: str) -> list[dict]:
    return json.loads((export / "json" / f"{stem}.json").read_text(encoding="utf-8"))["rows"]


def list_url(export: Path, stem: str, state: str = "") -> str:
    return (export / "html" / "lists" / f"{stem}.html").as_uri() + state


def visible_rows(page: Page) -> int:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.list-table tbody tr')).filter(r => r.offsetParent !== null).length"
    )


# --- no browser needed -------------------------------------------------------------------------------------------


def test_site_is_offline_with_a_cjk_system_font_stack(export: Path) -> None:
    css = (export / "html" / "assets" / "style.css").read_text(encoding="utf-8")
    js = (export / "html" / "assets" / "site.js").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "fetch(" not in js and "XMLHttpRequest" not in js and "http" not in js
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"):
        assert f'"{font}"' in css
    docs = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    assert "PingFang SC" in docs and "Microsoft YaHei" in docs and "Noto Sans CJK SC" in docs
    for page in (export / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(?:href|src)="(?:https?:)?//', text), page.name


def test_print_rules_keep_every_column_and_repeat_the_header(export: Path) -> None:
    css = (export / "html" / "assets" / "style.css").read_text(encoding="utf-8")
    printing = css.split("@media print", 1)[1]
    assert ".list-table thead { display: table-header-group; }" in printing
    assert ".list-table col { width: auto !important; }" in printing  # the table fits the page: no column cut
    assert "width: 100% !important; table-layout: auto;" in printing
    assert "overflow: visible; max-height: none;" in printing  # the scrolling box would clip in print
    assert 'counter(page) " 页 / 共 " counter(pages)' in css
    page = (export / "html" / "lists" / f"{XIHU}.html").read_text(encoding="utf-8")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@page{size:A4 landscape;" in style
    assert '@top-left{content:"实施清单(西湖区)";' in style
    # 更新日期 of the commit (docs/export.md), or the draft label when catalog/ has uncommitted changes
    assert re.search(r'@top-right\{content:"区划:西湖区\(330106\) · (更新日期:\d{4}年\d+月\d+日 · 版本:|草稿)', style)


def test_list_page_links_to_the_same_list_in_the_other_formats(export: Path, tmp_path: Path) -> None:
    page = (export / "html" / "lists" / f"{XIHU}.html").read_text(encoding="utf-8")
    links = re.findall(r'<p class="downloads">.*?</p>', page)[0]
    for fmt in ("xlsx", "csv", "json"):
        href = f"../../{fmt}/{quote(XIHU)}.{fmt}"
        assert f'href="{href}"' in links
        assert (export / fmt / f"{XIHU}.{fmt}").is_file()
    out = tmp_path / "html-only"
    assert CliRunner().invoke(app, ["export", str(ROOT / "catalog"), "-o", str(out), "-f", "html"]).exit_code == 0
    alone = (out / "html" / "lists" / f"{XIHU}.html").read_text(encoding="utf-8")
    assert 'class="downloads"' not in alone  # no link to a file that was not exported


def test_only_the_first_page_of_a_long_list_is_laid_out_when_it_opens(tmp_path: Path) -> None:
    root = generated_catalogue(tmp_path / "gen", 400)
    out = tmp_path / "out"
    lists = str(ROOT / "catalog" / "lists")
    result = CliRunner().invoke(
        app, ["export", str(root), "-o", str(out), "-f", "html", "-f", "json", "--definitions", lists]
    )
    assert result.exit_code == 0, result.output
    longest = max((out / "json").glob("*.json"), key=lambda p: json.loads(p.read_text("utf-8"))["row_count"])
    total = json.loads(longest.read_text("utf-8"))["row_count"]
    assert total > 250
    page = (out / "html" / "lists" / f"{longest.stem}.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-f=\"[^\"]*\"( class=\"pg\")?>", page)
    assert len(rows) == total
    assert [bool(r) for r in rows] == [False] * 100 + [True] * (total - 100)
    assert "<noscript><style>tr.pg{display:table-row!important}" in page  # without the script: every row


def test_css_strings_in_a_page_cannot_end_the_style_element(tmp_path: Path) -> None:
    from mattercli.export.formats.html_list import css_string

    assert css_string('a"b\\c</style>\n') == '"a\\22 b\\5c c\\3c /style\\3e \\a "'


# --- 390 px ---------------------------------------------------------------------------------------------------------


@needs_chromium
def test_every_page_fits_a_390px_phone(export: Path, browser: Browser) -> None:
    site = export / "html"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 200  # index, every list, every matter
    widths = browser.evaluate_each([p.as_uri() for p in pages], "document.documentElement.scrollWidth", *PHONE)
    too_wide = {p.relative_to(site).as_posix(): w for p, w in zip(pages, widths, strict=True) if w > PHONE[0]}
    assert too_wide == {}


@needs_chromium
def test_legal_text_on_a_phone_gets_the_screen_width(export: Path, browser: Browser) -> None:
    tab = browser.open((export / "html" / "matters" / f"{WIDEST}.html").as_uri(), *PHONE)
    widths = tab.evaluate(
        "Array.from(document.querySelectorAll('td')).filter(td => td.children.length === 0"
        " && td.textContent.length > 30).map(td => [td.previousElementSibling.textContent,"
        " Math.round(td.getBoundingClientRect().width)])"
    )
    tab.close()
    clauses = [w for label, w in widths if label == "条款内容"]
    # a sentence gets at least 240 of the 390 px (≈ 16 characters a line, not one), a 条款内容 the card's width
    assert len(clauses) >= 3 and min(clauses) >= 300
    assert min(w for _, w in widths) >= 240


@needs_chromium
def test_list_rows_are_cards_labelled_by_their_column_on_a_phone(export: Path, browser: Browser) -> None:
    tab = browser.open(list_url(export, XIHU), *PHONE)
    display = tab.evaluate("getComputedStyle(document.querySelector('.list-table tbody tr')).display")
    labels = tab.evaluate(
        "Array.from(document.querySelector('.list-table tbody tr').children)"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    headers = tab.evaluate(
        "Array.from(document.querySelectorAll('.list-table')[0].tHead.rows[0].cells).map(th => th.textContent)"
    )
    tab.close()
    assert display == "block"
    assert labels == [f'"{h}"' for h in headers] and "咨询电话" in headers


# --- filters, search, pages, sticky header -----------------------------------------------------------------------------


@needs_chromium
def test_filters_select_the_rows_the_exported_list_holds(export: Path, browser: Browser) -> None:
    rows = rows_of(export, "权责清单")
    xihu = {r["code"] for r in rows_of(export, XIHU)}
    by_type = Counter(r["values"][4] for r in rows)
    by_department = Counter(r["group"] for r in rows)
    by_level = Counter(LEVEL_DIGIT[r["code"][18]] for r in rows)
    cases = [
        ("事项类型", "行政许可", by_type["行政许可"]),
        ("事项类型", "行政检查", by_type["行政检查"]),
        ("部门", "杭州市市场监督管理局", by_department["杭州市市场监督管理局"]),
        ("行使层级", "省级", by_level["省级"]),
        ("区划", "西湖区(330106)", sum(1 for r in rows if r["code"] in xihu)),
    ]
    tab = browser.open(list_url(export, "权责清单"), *DESKTOP)
    facets = tab.evaluate(
        "Array.from(document.querySelectorAll('#list-tools select[data-facet]')).map(s => s.dataset.facet)"
    )
    assert facets == ["事项类型", "部门", "行使层级", "区划"]
    assert tab.evaluate("document.body.dataset.rows") == str(len(rows))
    for facet, value, expected in cases:
        tab.goto(list_url(export, "权责清单", f"#{quote(facet)}={quote(value)}"))
        assert expected > 0
        assert tab.evaluate("document.body.dataset.rows") == str(expected), (facet, value)
        assert visible_rows(tab) == expected
    # two filters at once, then through the select as a reader would
    both = sum(1 for r in rows if r["values"][4] == "行政许可" and r["code"] in xihu)
    tab.goto(
        list_url(
            export, "权责清单", f"#{quote('事项类型')}={quote('行政许可')}&{quote('区划')}={quote('西湖区(330106)')}"
        )
    )
    assert tab.evaluate("document.body.dataset.rows") == str(both)
    tab.goto(list_url(export, "权责清单"))
    tab.evaluate(
        "(() => { const s = document.querySelector('select[data-facet=\"事项类型\"]');"
        " s.value = Array.from(s.options).find(o => o.dataset.value === '行政处罚').value;"
        " s.dispatchEvent(new Event('change')); })()"
    )
    assert tab.evaluate("document.body.dataset.rows") == str(by_type["行政处罚"])
    assert "行政处罚" in tab.evaluate("decodeURIComponent(location.hash)")
    tab.close()


@needs_chromium
def test_in_page_search_keeps_the_rows_holding_every_term(export: Path, browser: Browser) -> None:
    rows = rows_of(export, XIHU)
    expected = sum(1 for r in rows if any("食品" in str(v) for v in r["values"]))
    both = sum(
        1 for r in rows if any("食品" in str(v) for v in r["values"]) and any("许可" in str(v) for v in r["values"])
    )
    tab = browser.open(list_url(export, XIHU, "#q=" + quote("食品")), *DESKTOP)
    assert 0 < expected < len(rows)
    assert tab.evaluate("document.body.dataset.rows") == str(expected) == str(visible_rows(tab))
    tab.evaluate(
        "(() => { const q = document.getElementById('list-q'); q.value = '食品 许可';"
        " q.dispatchEvent(new Event('input')); })()"
    )
    assert tab.evaluate("document.body.dataset.rows") == str(both)
    assert tab.evaluate("document.getElementById('list-count').textContent") == f"筛选出 {both} 行(共 {len(rows)} 行)"
    tab.close()


@needs_chromium
def test_pages_show_a_page_of_rows_at_a_time_and_print_all(export: Path, browser: Browser) -> None:
    total = len(rows_of(export, "权责清单"))
    tab = browser.open(list_url(export, "权责清单", "#每页=50"), *DESKTOP)
    assert visible_rows(tab) == 50
    assert tab.evaluate("document.getElementById('page-info').textContent") == "第 1 / 2 页"
    tab.evaluate("document.getElementById('page-next').click()")
    assert visible_rows(tab) == total - 50
    assert tab.evaluate("document.getElementById('page-next').disabled") is True
    tab.goto(list_url(export, "权责清单", "#每页=50&页=2"))
    assert visible_rows(tab) == total - 50
    tab.send("Emulation.setEmulatedMedia", {"media": "print"})
    assert visible_rows(tab) == total  # printing prints every row, not the page on screen
    tab.close()


@needs_chromium
def test_the_header_row_sticks_while_the_table_scrolls(export: Path, browser: Browser) -> None:
    tab = browser.open(list_url(export, "一次办事项清单"), *DESKTOP)  # 87 rows in one table
    box = "document.querySelector('section.group:not(.pg) .table-box')"
    assert tab.evaluate(f"{box}.scrollHeight > {box}.clientHeight + 200")  # the box scrolls, the page header stays
    tab.evaluate(f"{box}.scrollIntoView(); {box}.scrollTop = 400")
    top, head = tab.evaluate(
        f"[{box}.getBoundingClientRect().top, {box}.querySelector('thead th').getBoundingClientRect().top]"
    )
    first = tab.evaluate(f"{box}.querySelector('tbody tr').getBoundingClientRect().top")
    tab.close()
    assert abs(head - top) <= 1.5 and first < top  # the first row went up under the header, which stayed


# --- print ------------------------------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
        assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595  # A4
        # CJK fonts map some characters to compatibility forms (⽇ for 日): compare the NFKC text, no spaces
        pages.append(nfkc(page.extract_text()))
    return pages


#: CJK Radicals Supplement forms some fonts map characters to, which NFKC leaves as they are
RADICALS = str.maketrans({"⻚": "页", "⺠": "民", "⻓": "长", "⻔": "门", "⻝": "食", "⻅": "见", "⻋": "车"})


def nfkc(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


@needs_chromium
@pytest.mark.parametrize(
    ("stem", "title", "region"),
    [(XIHU, "实施清单(西湖区)", "区划:西湖区(330106)"), ("权责清单", "权责清单", "区划:全部")],
)
def test_a_printed_list_keeps_every_column_and_names_itself_on_every_page(
    export: Path, browser: Browser, stem: str, title: str, region: str
) -> None:
    headers = [c["header"] for c in json.loads((export / "json" / f"{stem}.json").read_text("utf-8"))["columns"]]
    tab = browser.open(list_url(export, stem), *DESKTOP)
    pages = pdf_pages(tab.pdf())
    tab.close()
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert nfkc(title) in text and nfkc(region) in text, f"page {number}"
        assert "更新日期" in text or "草稿" in text, f"page {number}"
        assert f"第{number}页/共{len(pages)}页" in text
        assert "序号" in text and "事项名称" in text, f"page {number} lacks the header row"
    for header in headers:  # every column of the list is on the printed page (咨询电话, 监督电话, 通办范围 …)
        assert nfkc(header) in pages[0], header


# --- #q= links ----------------------------------------------------------------------------------------------------------


@needs_chromium
@pytest.mark.parametrize(
    ("fragment", "query"),
    [("%E9%A3%9F%E5%93", "食"), ("%E9%A3", ""), ("%", "%"), ("%E9%A3%9F%ZZ%E5%93%81", "食%ZZ品")],
)
def test_a_cut_search_link_opens_without_an_uncaught_error(
    export: Path, browser: Browser, fragment: str, query: str
) -> None:
    tab = browser.open((export / "html" / "index.html").as_uri() + "#q=" + fragment, *DESKTOP)
    errors = tab.uncaught_errors()
    value = tab.evaluate("document.getElementById('q').value")
    count = tab.evaluate("document.getElementById('result-count').textContent")
    tab.goto(list_url(export, XIHU, "#q=" + fragment))
    errors += tab.uncaught_errors()
    listed = tab.evaluate("document.getElementById('list-q').value")
    tab.close()
    assert errors == []
    assert value == query == listed
    if query == "食":
        assert re.fullmatch(r"找到 \d+ 个事项", count) and count != "找到 0 个事项"


def test_code_columns_are_wide_enough_for_their_codes_and_never_capped() -> None:
    """A 31-digit 实施编码 wrapped its last digits at 1280 px (the column was capped at MAX_EM like legal text):
    a column of codes gets its full width; long text is still capped and wraps."""
    from types import SimpleNamespace

    from mattercli.export.formats.html_list import MAX_EM, column_widths, text_em

    code, law = "11330106003041529B4000111001000", "《中华人民共和国食品安全法》第三十五条 " * 4
    rows = [SimpleNamespace(values=[code, law])]
    columns = [SimpleNamespace(width=None), SimpleNamespace(width=None)]
    export = SimpleNamespace(rows=rows, columns=columns, headers=["实施编码", "设定依据"])
    code_em, law_em = column_widths(export)  # type: ignore[arg-type]
    assert code_em >= text_em(code) + 1.0 > MAX_EM
    assert law_em == MAX_EM
