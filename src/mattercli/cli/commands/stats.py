"""`mattercli stats`: reform statistics of a catalogue (精简比例、最多跑一次、时限压缩……) pinned to commits."""

from __future__ import annotations

import difflib
import sys
from io import StringIO
from pathlib import Path
from typing import Annotated, ClassVar

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.gitio import GitError
from mattercli.check.config import git_toplevel
from mattercli.cli import ui
from mattercli.cli.console import SafeConsole
from mattercli.cli.errors import EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, OutputOption, output_format
from mattercli.stats.charts import ChartError, chart_font, require_charts, write_charts
from mattercli.stats.formats import RENDERERS, Renderer, StatsFormat, format_measure, header_lines, report_tables, t
from mattercli.stats.model import DIMENSIONS, StatsError
from mattercli.stats.run import FIGURES, StatsReport, build_report, load_inputs

NAME = "stats"
DEFAULT_CHARTS_DIR = Path("reports/charts")


class TableRenderer(Renderer):
    """Rich tables in the terminal (Chinese headers; --lang en for English)."""

    format: ClassVar[StatsFormat] = StatsFormat.table

    def __init__(self, lang: str = "zh", color: bool = False, width: int | None = 200) -> None:
        super().__init__(lang)
        self.color = color
        self.width = width

    def render(self, report: StatsReport) -> str:
        buffer = StringIO()
        console = SafeConsole(file=buffer, force_terminal=self.color, no_color=not self.color, width=self.width)
        console.print(f"[bold]{escape(t('title', self.lang))}[/]")
        for line in header_lines(report, self.lang):
            console.print(escape(line))
        for table in report_tables(report, self.lang):
            rich_table = RichTable(title=table.title, title_justify="left", title_style="bold")
            for header, numeric in zip(table.headers, table.numeric, strict=True):
                rich_table.add_column(header, justify="right" if numeric else "left", overflow="fold")
            for row in table.rows:
                rich_table.add_row(*(escape(c) for c in row))
            console.print()
            console.print(rich_table)
            for note in table.notes:
                console.print(f"[dim]{escape(note)}[/]")
        for side, files in report.skipped.items():
            unit = "{n} files" if self.lang == "en" else "{n} 个"
            head = f"{t('skipped', self.lang)} {t(side, self.lang)}: {unit}"
            lines = ui.skipped_lines([(file, "") for file in files], self.lang, head)
            for i, line in enumerate(lines):
                console.print(escape(line), style="yellow" if i == 0 else None)
        return buffer.getvalue()


ALL_RENDERERS: dict[StatsFormat, type[Renderer]] = {**RENDERERS, StatsFormat.table: TableRenderer}

ByOption = Annotated[
    list[str] | None,
    typer.Option(
        "--by", help=f"分组维度(可重复): {' | '.join(DIMENSIONS)}(或中文名,如 办理性质) / breakdown (repeatable)"
    ),
]
WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        help="筛选(可重复): 部门=… 事项类型=行政许可 区划=330106 层级=区县级 / filter (repeatable)",
    ),
]


#: A ratio's matters are those of the count it divides.
RATIO_COUNTS = {"impl_reduction_ratio": "impl_cancelled", "base_reduction_ratio": "base_cancelled"}


def explain_figures(report: StatsReport, ids: list[str], lang: str) -> str:
    """What `--explain` prints: each figure's definition, its value and the matters it counts."""
    known = [v.figure.id for v in report.figures]
    all_ids = [f.id for f in FIGURES]
    lines: list[str] = []
    for figure_id in ids:
        if figure_id not in all_ids:
            close = difflib.get_close_matches(figure_id, all_ids, n=3, cutoff=0.4)
            hint = f"(是否想用: {'、'.join(close)})" if close else ""
            raise UsageError(f"--explain {figure_id}: 没有这个统计项{hint};`mattercli stats -f json` 列出全部 id")
        if figure_id not in known:
            raise UsageError(f"--explain {figure_id}: 这是与基准版本比较的统计项,需要 --baseline REV")
        value = report.value(figure_id)
        figure = value.figure
        en = lang == "en"
        lines.append(f"{figure.name_en if en else figure.name_zh} ({figure.id})")
        lines.append(f"  {'population' if en else '统计范围'}: {figure.population}")
        lines.append(f"  {'formula' if en else '计算'}: {figure.formula}")
        measure = value.current
        shown = "-" if measure is None else format_measure(figure, measure)
        lines.append(f"  {'value' if en else '数值'}: {shown}  ({' → '.join(value.current_from)})")
        counted = RATIO_COUNTS.get(figure_id, figure_id)
        members = report.members.get(counted)
        if members is not None:
            label = "matters counted" if en else "计入的事项"
            if counted != figure_id:
                label += f" ({counted})"
            lines.append(f"  {label}: {len(members)}")
            lines += [f"    {r.code}  {r.name}  {r.file}" for r in members]
        lines.append("")
    return "\n".join(lines)


def chart_directory(root: Path, given: Path | None) -> Path:
    """Where charts go: --charts-dir, else reports/charts in the current folder — never inside the catalogue (the
    charts would then be catalogue files, and show in diff): from inside it, below the repository root instead."""
    if given is not None:
        if _inside(given, root):
            raise UsageError(
                f"--charts-dir {given} 在事项目录 {root} 之内;图表不能写进事项目录 / not inside the catalogue"
            )
        return given
    folder = DEFAULT_CHARTS_DIR
    if not _inside(folder, root):
        return folder
    top = git_toplevel(root)
    for base in (top, root.parent):
        if base is not None and not _inside(base / DEFAULT_CHARTS_DIR, root):
            return base / DEFAULT_CHARTS_DIR
    raise UsageError("当前目录在事项目录之内,请用 --charts-dir 指定事项目录之外的图表目录")


def _inside(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def command(
    path: Annotated[Path | None, typer.Argument(help="目录或其中的文件(默认: 当前目录)", show_default=False)] = None,
    rev: Annotated[str | None, typer.Option("--rev", help="统计该 git 修订版本(默认: 工作区)")] = None,
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="与该 git 修订版本比较(取消/下放/合并/新增、精简比例……)")
    ] = None,
    by: ByOption = None,
    where: WhereOption = None,
    format: Annotated[
        StatsFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式(默认: 由 --output 的后缀决定,否则 table) / output format (default: from the --output suffix)",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    charts: Annotated[bool, typer.Option("--charts", help=f"画图(PNG+SVG)到 {DEFAULT_CHARTS_DIR}/")] = False,
    charts_dir: Annotated[
        Path | None, typer.Option("--charts-dir", help="图表目录(隐含 --charts) / chart directory")
    ] = None,
    reproducible: Annotated[
        bool,
        typer.Option("--reproducible", help="不写工作区所在的 HEAD 提交号,输出只随数据变化 / omit the HEAD id"),
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数")] = 0,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="按内容缓存已读事项(.mattercli-cache/) / reuse parsed files")
    ] = True,
    explain: Annotated[
        list[str] | None,
        typer.Option(
            "--explain",
            metavar="FIGURE",
            help="说明一个数字:定义、计算式,以及计入的每个事项(可重复,如 impl_cancelled) / list what a figure counts",
            show_default=False,
        ),
    ] = None,
    volume_year: Annotated[
        int | None,
        typer.Option("--volume-year", help="按该年度办件量加权(默认: 有办件量的最近年度) / case-volume year"),
    ] = None,
    min_volume_coverage: Annotated[
        float | None,
        typer.Option(
            "--min-volume-coverage",
            min=0.0,
            max=1.0,
            help="有办件量的依申请事项少于此比例时不给出加权比例(默认 0.8) / minimum case-volume coverage",
        ),
    ] = None,
    lang: LangOption = Lang.zh,
) -> int:
    """统计事项目录:按类型、部门、区划、层级计数;与基准版本比较取消、下放、合并、精简比例;材料、时限、跑动次数、
    全程网办、收费。每个数字注明其计算所依据的提交。 Reform statistics of a catalogue."""
    format = output_format(StatsFormat, format, output, StatsFormat.table)
    location = ui.catalogue(None, [path] if path is not None else [])
    target = location.root
    chart_folder = chart_directory(location.root, charts_dir) if charts or charts_dir else None
    font = None
    if chart_folder is not None:
        try:
            require_charts()  # before any work: the charts extra is not installed
            font = chart_font()  # … or no CJK font, or a configured one without Chinese glyphs
        except ChartError as exc:
            raise UsageError(str(exc)) from exc
    try:
        with ui.progress_bars() as update:
            stages = {"current": "读取事项", "baseline": f"读取基准版本 {baseline}"}
            inputs = load_inputs(
                target,
                rev,
                baseline,
                where or [],
                jobs,
                with_head=not reproducible,
                use_cache=cache,
                progress=lambda stage, done, total: update(stages[stage], done, total),
            )
        report = build_report(inputs, by or [], volume_year, min_volume_coverage)
        chart_report = (
            build_report(inputs, sorted({*(by or []), "type"}), volume_year, min_volume_coverage)
            if charts or charts_dir
            else None
        )
    except (StatsError, GitError) as exc:
        raise UsageError(str(exc)) from exc
    if explain:
        text = explain_figures(report, explain, lang.value)
        if output is not None:
            atomic_write_text(output, text)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    if format is StatsFormat.table:
        color = output is None and ui.use_color()
        renderer: Renderer = TableRenderer(lang.value, color=color, width=None if color else 200)
    else:
        renderer = ALL_RENDERERS[format](lang.value)
    text = renderer.render(report)
    if output is not None:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)
    if chart_report is not None:
        try:
            result = write_charts(chart_report, chart_folder or DEFAULT_CHARTS_DIR, lang.value, font)
        except ChartError as exc:
            raise UsageError(str(exc)) from exc
        ui.note(f"已生成 {len(result.files)} 个图表文件: {result.directory}")
    return EXIT_OK
