"""Charts drawn from the two-commit catalogue: the files exist, are real pictures, and Chinese renders as glyphs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from mattercli.stats.charts import (
    BASELINE_COLOUR,
    CURRENT_COLOUR,
    FONT_ENV,
    ChartError,
    chart_specs,
    find_cjk_font,
    render_chart,
    write_charts,
)
from mattercli.stats.run import StatsReport, build_report, load_inputs
from stats_fixture import make_repo

FONT = find_cjk_font()
needs_font = pytest.mark.skipif(FONT is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> StatsReport:
    repo = make_repo(tmp_path_factory.mktemp("stats-charts") / "catalog")
    return build_report(load_inputs(repo, baseline="v1", with_head=False), by=["type"])


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_chart_data_follows_the_figures(report: StatsReport) -> None:
    specs = {s.id: s for s in chart_specs(report)}
    assert list(specs) == [
        "matters-by-type", "matters-by-level", "matters-by-department", "matters-by-region", "service-shares",
        "time-limits-by-type", "reform-changes",
    ]  # fmt: skip
    by_type = specs["matters-by-type"]
    assert by_type.categories == ["行政许可", "行政处罚", "行政检查"]
    assert [s.values for s in by_type.series] == [[4, 2, 1], [3, 1, 1]]  # baseline, then current
    # issue 24: the title said 占实施清单事项的比例, but the shares count 依申请 entries (收费 every entry)
    assert specs["service-shares"].title == "办事便利度(占依申请实施清单事项的比例)"
    assert specs["service-shares"].categories[-1] == "收费事项占比(占全部实施清单事项)"
    shares = specs["service-shares"].series[1].values
    # 依申请 shares (I1 I6 I7): 即办 1/3, 一次不跑 2/3, 最多跑一次 3/3, 全程网办 2/3; 收费 over all five: 1/5
    assert shares == pytest.approx([100 / 3, 200 / 3, 100.0, 200 / 3, 20.0], abs=1e-3)
    reform = specs["reform-changes"]
    assert reform.categories == ["取消", "下放", "合并", "改码", "暂停", "新增"]
    assert reform.series[0].values == [1, 1, 1, 1, 1, 3]
    assert reform.series[1].values == [1, None, 1, 1, 1, 2]  # base entries are never delegated
    time = specs["time-limits-by-type"]
    # only 依申请 entries are timed: 行政处罚 has no 承诺办结时限 and 行政检查 no limits at all
    assert time.categories == ["行政许可"]
    assert time.series[0].values == pytest.approx([20.0])
    assert time.sources == ["工作区"]


@needs_font
def test_charts_are_written_as_real_png_and_svg(report: StatsReport, tmp_path: Path) -> None:
    result = write_charts(report, tmp_path / "charts")
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    ids = [c["id"] for c in manifest["charts"]]
    assert len(result.files) == 2 * len(ids) == 14
    for chart in ids:
        png = tmp_path / "charts" / f"{chart}.png"
        assert png.stat().st_size > 5_000
        with Image.open(png) as image:
            assert image.format == "PNG" and image.width >= 800 and image.height >= 250
            colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}  # type: ignore[union-attr]
        assert len(colours) > 20  # anti-aliased text and bars, not a blank canvas
        assert rgb(CURRENT_COLOUR) in colours or chart == "time-limits-by-type"
    with Image.open(tmp_path / "charts" / "matters-by-type.png") as image:
        colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}  # type: ignore[union-attr]
    assert {rgb(CURRENT_COLOUR), rgb(BASELINE_COLOUR)} <= colours


@needs_font
def test_svg_draws_chinese_with_real_glyphs(report: StatsReport) -> None:
    assert FONT is not None
    spec = next(s for s in chart_specs(report) if s.id == "matters-by-type")
    svg = render_chart(spec, FONT)["svg"].decode("utf-8")
    for label in ("行政许可", "行政处罚", "行政检查", spec.title):
        assert f"<!-- {label} -->" in svg
    glyphs = set(re.findall(r'<path id="([^"]+-[0-9a-f]+)"', svg))
    assert len(glyphs) >= len(set("行政许可处罚检查实施清单事项数按类型"))
    assert not any(g.endswith("-0") for g in glyphs), "a .notdef glyph (a box) was drawn"


@needs_font
def test_rendering_is_deterministic(report: StatsReport) -> None:
    assert FONT is not None
    spec = chart_specs(report)[0]
    assert render_chart(spec, FONT) == render_chart(spec, FONT)


def test_no_cjk_font_is_an_error_not_boxes(
    report: StatsReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "missing.ttf"))
    assert find_cjk_font() is None
    with pytest.raises(ChartError, match="fonts-noto-cjk"):
        write_charts(report, tmp_path / "charts")
    assert not (tmp_path / "charts").exists()
