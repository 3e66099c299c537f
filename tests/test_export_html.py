"""The static HTML site: self-contained (no server, no fetch, relative links only) and searchable in a real
browser — headless Chromium opens index.html from the file system with a query in the URL."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from typer.testing import CliRunner

from export_helpers import FOOD, rich_catalogue
from mattercli.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHANGCHENG_CODE = "11330102MB0000019G4000104001000"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = rich_catalogue(tmp_path_factory.mktemp("site"))
    out = root.parent / "out"
    result = CliRunner().invoke(app, ["export", str(root), "-o", str(out), "-f", "html"])
    assert result.exit_code == 0, result.output
    return out / "html"


def chromium(tmp_path: Path, url: str, *extra: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def search(tmp_path: Path, site: Path, suffix: str) -> tuple[int, list[str]]:
    dom = chromium(tmp_path, (site / "index.html").as_uri() + suffix, "--dump-dom")
    count = re.search(r'<p id="result-count">找到 (\d+) 个事项', dom)
    assert count, dom[:2000]
    section = dom.split('<ol id="results">', 1)[1].split("</ol>", 1)[0]
    return int(count.group(1)), re.findall(r'href="matters/([0-9A-Z]+)\.html"', section)


def test_site_pages_exist_and_link_only_to_relative_files(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert (site / "index.html") in pages
    assert (site / "matters" / f"{SHANGCHENG_CODE}.html").is_file()
    assert (site / "lists" / "权责清单.html").is_file()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "fetch(" not in text and "XMLHttpRequest" not in text
        for link in re.findall(r'(?:href|src)="([^"]+)"', text):
            assert not re.match(r"^[a-z]+:", link) and not link.startswith("/"), f"{page.name}: {link}"
            target = (page.parent / unquote(link.split("#", 1)[0])).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to a missing {link}"


def test_department_tree_lists_each_department_with_its_matters(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    tree = index.split('<section id="departments">', 1)[1]
    departments = re.findall(r"<summary>(.+?)\((\d+)\)</summary>", tree)
    assert departments == [
        ("国家市场监督管理总局", "2"),
        ("杭州市西湖区市场监督管理局", "2"),
        ("杭州市上城区市场监督管理局", "1"),
    ]


def test_search_index_cannot_break_out_of_its_script_element(tmp_path: Path) -> None:
    root = rich_catalogue(tmp_path)
    food = root / FOOD
    food.write_text(
        food.read_text(encoding="utf-8").replace("事项名称: 食品经营许可", "事项名称: 食品</script><b>x</b>"), "utf-8"
    )
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["export", str(root), "-o", str(out), "-f", "html"]).exit_code == 0
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    embedded = index.split('<script id="search-index" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "\\u003c/script\\u003e" in embedded and "<" not in embedded
    assert "食品&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in index


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")
def test_search_in_headless_chromium_finds_a_matter_by_a_chinese_keyword(tmp_path: Path, site: Path) -> None:
    found, codes = search(tmp_path, site, "#q=" + quote("上城区 食品"))
    assert (found, codes) == (1, [SHANGCHENG_CODE])
    found, codes = search(tmp_path, site, "?q=" + quote("行政处罚"))
    assert found == 2 and all(code.endswith("000204001000") for code in codes)
    found, codes = search(tmp_path, site, "#q=" + quote("不存在的事项"))
    assert (found, codes) == (0, [])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")
def test_screenshot_of_a_search(tmp_path: Path, site: Path) -> None:
    shot = tmp_path / "search.png"
    url = (site / "index.html").as_uri() + "#q=" + quote("食品经营许可")
    chromium(tmp_path, url, f"--screenshot={shot}", "--window-size=1200,900", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
