"""Charts of a `StatsReport` (PNG and SVG, matplotlib), with a CJK font found on the system so Chinese renders.

Each chart is first described as data (`ChartSpec`: categories, series, the snapshots it comes from); the data of
every chart is written to `charts.json` beside the images, so a test can tell when committed charts are stale
without comparing pixels. SVG and PNG output is deterministic for one matplotlib version and font file.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from struct import error as struct_error
from typing import Any

from mattercli.catalogue.fsutil import atomic_write_bytes, atomic_write_text
from mattercli.stats.bundles import chart_categories, chart_values
from mattercli.stats.run import FIGURE_BY_ID, StatsReport, Unit

#: Environment variable naming a font file to use instead of searching.
FONT_ENV = "MATTERCLI_CJK_FONT"
#: Where Debian and other systems put CJK fonts (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei, macOS, Windows).
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
#: Family names of CJK fonts matplotlib may already know (searched when no candidate file exists).
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei",
                "Microsoft YaHei", "PingFang SC", "Heiti SC")  # fmt: skip

TOP_DEPARTMENTS = 15
CURRENT_COLOUR = "#2b6cb0"
BASELINE_COLOUR = "#a0aec0"
SECOND_COLOUR = "#dd6b20"
MANIFEST = "charts.json"


class ChartError(Exception):
    """Charts cannot be drawn (no CJK font, matplotlib missing); the message says what to install."""


#: What to install for charts (matplotlib is an optional extra, left out of what validate needs).
CHARTS_INSTALL = (
    "画图需要可选组件 charts:pip install 'mattercli[charts]'(从仓库安装时: pip install 'mattercli[charts] @ "
    "git+<仓库地址>@<版本>',或 pip install matplotlib) / charts need the optional extra: "
    "pip install 'mattercli[charts]'"
)


def require_charts() -> None:
    """ChartError saying how to install the `charts` extra, unless matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ChartError(CHARTS_INSTALL) from exc


def find_cjk_font() -> Path | None:
    """A font file with Chinese glyphs: $MATTERCLI_CJK_FONT, a well-known path, or a family matplotlib knows."""
    env = os.environ.get(FONT_ENV)
    if env:
        return Path(env) if Path(env).is_file() else None
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name in CJK_FAMILIES:
            return Path(entry.fname)
    return None


#: Characters every chart draws (titles, axes, the type labels): a font must have them all.
CJK_SAMPLE = "实施清单事项数按类型行政许可处罚办事便利度依申请比例计算自工作日基准当前"
#: Family names of a collection's faces that mean Simplified Chinese (Noto Sans CJK SC, PingFang SC, Source Han
#: Sans SC/CN): a .ttc holds one face per region, and its first face is often Japanese (Noto Sans CJK JP), whose
#: glyph forms differ from the Chinese ones for many characters (直, 骨, 说 …).
_SC_FACE = re.compile(r"(?:\bSC\b|\bCN\b|\bGB\b|Hans|简)", re.IGNORECASE)


@dataclass(frozen=True)
class CjkFont:
    """A face of a font file: `index` in a collection (.ttc), its family name for matplotlib."""

    path: Path
    index: int
    family: str


@cache
def _faces(path: Path) -> tuple[tuple[int, str, frozenset[int]], ...]:
    """(index, family name, code points with a glyph) of every face of a font file; () when it is no font."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError  # type: ignore[import-untyped]

    faces = []
    try:
        with path.open("rb") as handle:
            if handle.read(4) == b"ttcf":
                handle.seek(0)
                collection = TTCollection(handle)
                fonts = list(collection.fonts)
            else:
                handle.seek(0)
                fonts = [TTFont(handle)]
            for index, font in enumerate(fonts):
                name = font["name"].getBestFamilyName() or path.stem
                faces.append((index, str(name), frozenset(font.getBestCmap() or {})))
    except (TTLibError, OSError, KeyError, AssertionError, ValueError, struct_error):
        return ()
    return tuple(faces)


def choose_face(path: Path) -> CjkFont:
    """The Simplified Chinese face of `path` (the SC face of a collection, else the first face that has every
    character of CJK_SAMPLE). ChartError when the file has no such face: tofu (boxes) is never drawn."""
    faces = _faces(path)
    if not faces:
        raise ChartError(f"字体文件无法读取或不是字体: {path}(环境变量 {FONT_ENV} 或系统字体)/ not a font file")
    sample = {ord(ch) for ch in CJK_SAMPLE}
    complete = [(i, name) for i, name, cmap in faces if sample <= cmap]
    if not complete:
        index, name, cmap = faces[0]
        missing = "".join(ch for ch in CJK_SAMPLE if ord(ch) not in cmap)
        raise ChartError(
            f"字体 {path}({name})没有中文字形(缺少「{missing[:12]}」等 {len(missing)} 个字),图中汉字会显示为方框。"
            f"请将环境变量 {FONT_ENV} 设为含简体中文字形的字体文件,如 NotoSansCJK-Regular.ttc(fonts-noto-cjk)"
            f"或 wqy-microhei.ttc(fonts-wqy-microhei) / the font has no Chinese glyphs"
        )
    proportional = [(i, n) for i, n in complete if "mono" not in n.lower()] or complete
    simplified = [(i, n) for i, n in proportional if _SC_FACE.search(n)]
    index, family = (simplified or proportional)[0]
    return CjkFont(path, index, family)


def chart_font() -> CjkFont:
    """The face charts are drawn with; ChartError (what to install, or why a configured font is refused)."""
    font = find_cjk_font()
    if font is None:
        configured = os.environ.get(FONT_ENV)
        where = f"环境变量 {FONT_ENV} 指定的字体文件不存在: {configured}。" if configured else ""
        raise ChartError(
            f"{where}找不到中文字体,图中汉字会显示为方框。请安装 fonts-noto-cjk 或 fonts-wqy-microhei"
            f"(apt-get install fonts-wqy-microhei),或用环境变量 {FONT_ENV} 指定字体文件"
        )
    return choose_face(font)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str


@dataclass(frozen=True)
class ChartSpec:
    """One chart as data: horizontal bars, one bar per series for each category."""

    id: str
    title: str
    categories: list[str]
    series: list[Series]
    unit: str  # "count", "percent", "days" or "reduction"
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _count_series(report: StatsReport, dimension: str, lang: str, top: int | None = None) -> ChartSpec | None:
    breakdown = next(b for b in report.breakdowns if b.dimension == dimension)

    def size(group: Any) -> float:
        value = group.value("impl_count")
        return max(_value(value, "current") or 0.0, _value(value, "baseline") or 0.0)

    groups = [g for g in breakdown.groups if size(g) > 0]
    if not groups:
        return None
    if top is not None:
        groups = sorted(groups, key=lambda g: -size(g))[:top]
    names = {"type": ("事项类型", "type"), "department": ("实施主体", "implementing body"),
             "region": ("行政区划", "region"), "level": ("行使层级", "level")}[dimension]  # fmt: skip
    title = _t(lang, f"实施清单事项数(按{names[0]})", f"Implementation entries by {names[1]}")
    if top is not None and len([g for g in breakdown.groups if size(g) > 0]) > top:
        title += _t(lang, f",前 {top} 个", f", top {top}")
    categories = [g.label if g.label == g.key else f"{g.label}({g.key})" for g in groups]
    series = [Series(_label(report, lang), [_value(g.value("impl_count"), "current") for g in groups], CURRENT_COLOUR)]
    if report.baseline is not None:
        series.insert(0, Series(_label(report, lang, True), [_value(g.value("impl_count"), "baseline") for g in groups],
                                BASELINE_COLOUR))  # fmt: skip
    return ChartSpec(f"matters-by-{dimension}", title, categories, series, "count", _sources(report))


def _value(value: Any, side: str) -> float | None:
    measure = getattr(value, side, None) if value is not None else None
    return None if measure is None or measure.value is None else float(measure.value)


def _label(report: StatsReport, lang: str, baseline: bool = False) -> str:
    source = report.baseline if baseline else report.current
    assert source is not None
    return f"{_t(lang, '基准', 'baseline') if baseline else _t(lang, '当前', 'current')} {source.label}"


def _sources(report: StatsReport) -> list[str]:
    return [s.label for s in (report.baseline, report.current) if s is not None]


def _shares(report: StatsReport, lang: str) -> ChartSpec:
    ids = ("immediate_share", "zero_visit_share", "max_one_visit_share", "full_online_share", "fee_share")
    names = [FIGURE_BY_ID[i].name_en if lang == "en" else FIGURE_BY_ID[i].name_zh for i in ids]

    def pct(v: float | None) -> float | None:
        return None if v is None else round(v * 100, 4)

    series = [Series(_label(report, lang), [pct(_value(report.value(i), "current")) for i in ids], CURRENT_COLOUR)]
    if report.baseline is not None:
        series.insert(0, Series(_label(report, lang, True), [pct(_value(report.value(i), "baseline")) for i in ids],
                                BASELINE_COLOUR))  # fmt: skip
    # 即办, 一次不跑, 最多跑一次, 全程网办 count 依申请 entries (as reform reports do); 收费 counts every entry.
    title = _t(
        lang, "办事便利度(占依申请实施清单事项的比例)", "Service shares (of on-application implementation entries)"
    )
    names[-1] += _t(lang, "(占全部实施清单事项)", " (of all entries)")
    return ChartSpec("service-shares", title, names, series, "percent", _sources(report))


def _time_limits(report: StatsReport, lang: str) -> ChartSpec | None:
    breakdown = next(b for b in report.breakdowns if b.dimension == "type")
    if "legal_days_mean" not in breakdown.figure_ids:
        return None
    groups = [g for g in breakdown.groups if _value(g.value("legal_days_mean"), "current") is not None]
    if not groups:
        return None
    legal = [_value(g.value("legal_days_mean"), "current") for g in groups]
    promised = [_value(g.value("promised_days_mean"), "current") for g in groups]
    series = [
        Series(_t(lang, "平均法定办结时限", "mean legal limit"), [_round(v) for v in legal], BASELINE_COLOUR),
        Series(_t(lang, "平均承诺办结时限", "mean promised limit"), [_round(v) for v in promised], CURRENT_COLOUR),
    ]
    title = _t(lang, f"办结时限(工作日,按事项类型) {report.current.label}",
               f"Time limits (working days, by type) {report.current.label}")  # fmt: skip
    return ChartSpec("time-limits-by-type", title, [g.label for g in groups], series, "days", [report.current.label])


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def _reform(report: StatsReport, lang: str) -> ChartSpec | None:
    if report.baseline is None:
        return None
    rows = (
        ("cancelled", "取消", "cancelled"),
        ("delegated", "下放", "delegated"),
        ("merged", "合并", "merged"),
        ("renumbered", "改码", "renumbered"),
        ("suspended", "暂停", "suspended"),
        ("added", "新增", "added"),
    )
    ids = {v.figure.id for v in report.figures}

    def values(prefix: str) -> list[float | None]:
        return [
            _value(report.value(f"{prefix}_{r[0]}"), "current") if f"{prefix}_{r[0]}" in ids else None for r in rows
        ]

    series = [
        Series(_t(lang, "实施清单事项", "implementation entries"), values("impl"), CURRENT_COLOUR),
        Series(_t(lang, "基本目录事项", "base entries"), values("base"), SECOND_COLOUR),
    ]
    title = _t(lang, f"事项变化 {report.baseline.label} → {report.current.label}",
               f"Changes {report.baseline.label} → {report.current.label}")  # fmt: skip
    categories = [r[2] if lang == "en" else r[1] for r in rows]
    return ChartSpec("reform-changes", title, categories, series, "count", _sources(report))


def _bundles(report: StatsReport, lang: str) -> ChartSpec | None:
    """一件事: the reductions in total (减环节, 减材料, 减时限, 减跑动, 减表单), now and at the baseline."""
    section = report.bundles
    if section is None or not section.current.figures:
        return None
    series = [Series(_label(report, lang), chart_values(section, "current"), CURRENT_COLOUR)]
    if section.baseline is not None and report.baseline is not None:
        series.insert(0, Series(_label(report, lang, True), chart_values(section, "baseline"), BASELINE_COLOUR))
    count = section.current.totals.bundles
    title = _t(lang, f"一件事减环节、减材料、减时限(工作日)、减跑动、减表单(共 {count} 个一件事)",
               f"一件事 bundles: reductions in total ({count} bundles)")  # fmt: skip
    return ChartSpec("bundle-reductions", title, chart_categories(lang), series, "reduction", _sources(report))


def chart_specs(report: StatsReport, lang: str = "zh") -> list[ChartSpec]:
    """The charts a report gives (the time-limit chart needs the report's type breakdown built with every figure)."""
    specs = [
        _count_series(report, "type", lang),
        _count_series(report, "level", lang),
        _count_series(report, "department", lang, TOP_DEPARTMENTS),
        _count_series(report, "region", lang),
        _shares(report, lang),
        _time_limits(report, lang),
        _reform(report, lang),
        _bundles(report, lang),
    ]
    return [s for s in specs if s is not None]


# ---------------------------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------------------------


def _format(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "days":
        return f"{value:.1f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _draw(spec: ChartSpec, lang: str) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    n = len(spec.categories)
    k = len(spec.series)
    fig = Figure(figsize=(9, max(2.6, 0.32 * n * max(k, 1) + 1.6)), dpi=120)
    ax = fig.add_subplot()
    height = 0.8 / k
    top = max((v for s in spec.series for v in s.values if v is not None), default=0.0)
    low = min((v for s in spec.series for v in s.values if v is not None), default=0.0)
    for j, series in enumerate(spec.series):
        positions = [i + (j - (k - 1) / 2) * height for i in range(n)]
        values = [math.nan if v is None else v for v in series.values]
        bars = ax.barh(positions, values, height=height * 0.92, color=series.colour, label=series.name)
        labels = ["" if v is None else _format(v, spec.unit) for v in series.values]
        ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    ax.set_yticks(range(n), spec.categories)
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, low * 1.15), (top or 1) * 1.15)  # a reduction may be negative (一件事 slower)
    if spec.unit == "count":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(spec.title, fontsize=11, loc="left", pad=14 if k > 1 else 6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e2e8f0", linewidth=0.6)
    ax.set_axisbelow(True)
    units = {
        "percent": ("百分比(%)", "percent"),
        "days": ("工作日", "working days"),
        "count": ("事项数", "matters"),
        "reduction": ("减少量(环节、份、工作日、次、张)", "reduction (steps, materials, days, visits, forms)"),
    }
    ax.set_xlabel(_t(lang, *units[spec.unit]), fontsize=8, color="#4a5568")
    if k > 1:
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=k, fontsize=8, frameon=False)
    source = " → ".join(spec.sources)
    fig.text(0.005, 0.005, _t(lang, f"计算自: {source}", f"computed from: {source}"), fontsize=7, color="#4a5568")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def render_chart(spec: ChartSpec, font: Path | CjkFont, lang: str = "zh") -> dict[str, bytes]:
    """The chart as {"png": bytes, "svg": bytes}, drawn with `font` (a file: its Simplified Chinese face)."""
    import matplotlib

    face = font if isinstance(font, CjkFont) else choose_face(font)
    _register(face)
    family = face.family
    stamp = f"mattercli stats; matplotlib {matplotlib.__version__}; {face.path.name} ({family})"
    rc = {
        "font.family": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "mattercli-stats",
        "path.simplify": True,
    }
    out: dict[str, bytes] = {}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig = _draw(spec, lang)
        for fmt, metadata in (("png", {"Software": stamp}), ("svg", {"Date": None, "Creator": stamp})):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=metadata)
            out[fmt] = buffer.getvalue()
    return out


_REGISTERED: set[Path] = set()


def _register(face: CjkFont) -> None:
    """Make every face of the file known to matplotlib once (a collection adds one entry per face, each with its
    family name, so the family chosen selects that face)."""
    from matplotlib import font_manager

    if face.path not in _REGISTERED:
        font_manager.fontManager.addfont(str(face.path))
        _REGISTERED.add(face.path)


@dataclass(frozen=True)
class ChartsResult:
    directory: Path
    files: list[Path]
    manifest: Path


def manifest_text(specs: Sequence[ChartSpec]) -> str:
    doc = {"charts": [{**s.to_dict(), "files": [f"{s.id}.png", f"{s.id}.svg"]} for s in specs]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _check_glyphs(face: CjkFont, specs: Sequence[ChartSpec]) -> None:
    """ChartError naming the characters of the charts' text that the face has no glyph for (they would be boxes)."""
    cmap = next(c for i, _, c in _faces(face.path) if i == face.index)
    text = "".join("".join([s.title, *s.categories, *(x.name for x in s.series), *s.sources]) for s in specs)
    missing = sorted({ch for ch in text if ord(ch) > 0x2E7F and ord(ch) not in cmap})
    if missing:
        raise ChartError(
            f"字体 {face.path}({face.family})缺少图中用到的 {len(missing)} 个字的字形:「{''.join(missing[:20])}」,"
            f"会画成方框;请用环境变量 {FONT_ENV} 指定字形更全的字体 / the font lacks glyphs the charts use"
        )


def write_charts(
    report: StatsReport, directory: Path, lang: str = "zh", font: Path | CjkFont | None = None
) -> ChartsResult:
    """Draw every chart of `report` into `directory` as <id>.png and <id>.svg, plus charts.json (their data)."""
    require_charts()
    face = chart_font() if font is None else (font if isinstance(font, CjkFont) else choose_face(font))
    specs = chart_specs(report, lang)
    _check_glyphs(face, specs)
    files = []
    for spec in specs:
        for fmt, data in render_chart(spec, face, lang).items():
            path = directory / f"{spec.id}.{fmt}"
            atomic_write_bytes(path, data)
            files.append(path)
    manifest = directory / MANIFEST
    atomic_write_text(manifest, manifest_text(specs))
    return ChartsResult(directory, files, manifest)


__all__ = [
    "CHARTS_INSTALL",
    "ChartError",
    "ChartSpec",
    "ChartsResult",
    "CjkFont",
    "Series",
    "Unit",
    "chart_font",
    "chart_specs",
    "choose_face",
    "find_cjk_font",
    "require_charts",
    "write_charts",
]
