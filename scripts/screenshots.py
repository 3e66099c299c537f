"""Screenshots of the exported site for docs/screenshots/: the embedded catalogue (catalog/) is exported to a
temporary folder and headless Chromium (Debian package chromium) shoots the index, a list page and a matter page
at 1280 px (desktop) and 390 px (phone) wide.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Each shot is the top of the page, as tall as the page up to a limit (--max-height), so that a phone shot shows
several cards. Run it after changing the site's look (src/mattercli/data/site/, export/formats/html*.py) and
look at the PNGs before committing them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from headless_chromium import Browser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mattercli.export import ExportOptions, export_catalog  # noqa: E402

#: (file stem, page within html/, what the reader sees there)
PAGES = [
    ("index", "index.html", "the lists and the search"),
    ("index-search", "index.html#q=" + quote("食品 许可"), "a search opened by URL"),
    ("list", "lists/" + quote("实施清单-330106-西湖区") + ".html", "a published list with filters and pages"),
    ("matter", "matters/11330106003046768U4000704001000.html", "a matter's elements"),
]
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    parser.add_argument("--max-height", type=int, default=2000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mattercli-shots-") as tmp:
        export_catalog(ExportOptions(args.catalog, Path(tmp) / "export"))
        site = Path(tmp) / "export" / "html"
        with Browser() as browser:
            for label, (width, height) in WIDTHS.items():
                tab = None
                for stem, page, _what in PAGES:
                    url = site.as_uri() + "/" + page
                    if tab is None:
                        tab = browser.open(url, width, height)
                    else:
                        tab.goto(url)
                    target = args.out / f"{stem}-{label}.png"
                    tab.screenshot(target, full_page=True, max_height=args.max_height)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                if tab is not None:
                    tab.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
