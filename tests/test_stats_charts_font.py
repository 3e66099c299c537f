"""Issue 24 item 7: charts draw Chinese with the Simplified Chinese face. NotoSansCJK-Regular.ttc (fonts-noto-cjk)
holds JP, KR, SC, TC and HK faces, JP first: drawing with the file's first face gave 54 of the 136 CJK characters
of the embedded catalogue's charts their Japanese glyph forms. A configured MATTERCLI_CJK_FONT without Chinese
glyphs is refused (exit 2, a Chinese message) instead of drawing boxes with exit 0."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import matplotlib
import pytest
from typer.testing import CliRunner

from mattercli.cli import app
from mattercli.stats.charts import FONT_ENV, ChartError, ChartSpec, Series, choose_face, render_chart

runner = CliRunner()
ROOT = Path(__file__).parent.parent
NOTO = next(
    (p for p in (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
                 Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")) if p.is_file()),
    None,
)  # fmt: skip
needs_noto = pytest.mark.skipif(NOTO is None, reason="fonts-noto-cjk is not installed")
LATIN_ONLY = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def chart_text() -> str:
    """Every character the committed charts of the embedded catalogue draw."""
    doc = json.loads((ROOT / "reports" / "charts" / "charts.json").read_text(encoding="utf-8"))
    return "".join("".join([c["title"], *c["categories"], *(s["name"] for s in c["series"])]) for c in doc["charts"])


@needs_noto
def test_the_simplified_chinese_face_of_the_collection_is_chosen() -> None:
    assert NOTO is not None
    face = choose_face(NOTO)
    assert (face.family, face.index) == ("Noto Sans CJK SC", 2)  # before: face 0, Noto Sans CJK JP


@needs_noto
def test_chart_labels_get_chinese_glyph_forms() -> None:
    from fontTools.ttLib import TTCollection

    assert NOTO is not None
    collection = TTCollection(str(NOTO))
    names = [f["name"].getBestFamilyName() for f in collection.fonts]
    jp = collection.fonts[names.index("Noto Sans CJK JP")].getBestCmap()
    sc = collection.fonts[names.index("Noto Sans CJK SC")].getBestCmap()
    cjk = sorted({ch for ch in chart_text() if ord(ch) > 0x2E7F})
    differ = "".join(ch for ch in cjk if jp[ord(ch)] != sc[ord(ch)])
    assert len(differ) > 40  # the labels have many characters whose forms differ between JP and SC …
    spec = ChartSpec("t", differ[:30], ["直骨"], [Series("当前", [1.0], "#2b6cb0")], "count", ["工作区"])
    svg = render_chart(spec, NOTO)["svg"].decode("utf-8")
    faces = set(re.findall(r'<path id="([^"]+)-[0-9a-f]+"', svg))
    assert faces == {"NotoSansCJKsc-Regular"}, faces  # … and every glyph drawn is the SC face's
    assert "(Noto Sans CJK SC)" in svg  # the face is named in the SVG's metadata


def test_a_configured_font_without_chinese_glyphs_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert LATIN_ONLY.is_file()
    copy = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", copy)
    monkeypatch.setenv(FONT_ENV, str(LATIN_ONLY))
    out = tmp_path / "stats.json"
    result = runner.invoke(
        app, ["stats", str(copy), "--no-cache", "-f", "json", "-o", str(out), "--charts-dir", str(tmp_path / "c")]
    )
    assert result.exit_code == 2, result.output  # before: exit 0 and boxes for every Chinese character
    assert "没有中文字形" in result.stderr and FONT_ENV in result.stderr
    assert not (tmp_path / "c").exists() and not out.exists()  # refused before anything is written
    with pytest.raises(ChartError, match="没有中文字形"):
        choose_face(LATIN_ONLY)


def test_a_file_that_is_no_font_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "x.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(ChartError, match="不是字体"):
        choose_face(bogus)
