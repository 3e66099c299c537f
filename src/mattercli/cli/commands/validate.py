"""`mattercli validate`: check catalogue files against the schema and every rule."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.catalog import REGISTRY_DIR
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.locate import scope_paths
from mattercli.check.config import Preset, load_config
from mattercli.check.engine import ValidateOptions, default_jobs, validate
from mattercli.check.findings import FailOn, Report, Severity
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from mattercli.cli.options import Lang, LangOption, PathsArgument
from mattercli.cli.reporters import REPORTERS, SUFFIX_FORMATS, ReportFormat, ReportSettings

PROGRESS_MIN_FILES = 500


NAME = "validate"

FormatsOption = Annotated[
    list[ReportFormat] | None,
    typer.Option(
        "--format",
        "-f",
        help="输出格式,可重复 / output format, repeatable: text json sarif junit github markdown",
        show_default=False,
    ),
]
OutputsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        help="写入文件(可重复;格式由 --format 或后缀 .sarif .xml .md .json 决定) / write a report to FILE",
        show_default=False,
    ),
]


#: Formats a file whose suffix implies a format may also hold.
SUFFIX_ACCEPTS: dict[ReportFormat, frozenset[ReportFormat]] = {
    ReportFormat.json: frozenset({ReportFormat.json, ReportFormat.sarif}),
    ReportFormat.text: frozenset({ReportFormat.text, ReportFormat.github}),
    ReportFormat.sarif: frozenset({ReportFormat.sarif}),
    ReportFormat.junit: frozenset({ReportFormat.junit}),
    ReportFormat.markdown: frozenset({ReportFormat.markdown}),
}


def plan_outputs(
    formats: Sequence[ReportFormat], outputs: Sequence[Path], github_actions: bool
) -> list[tuple[ReportFormat, Path | None]]:
    """Pair formats with output files: a file's suffix claims its format, other files take the remaining formats
    in order, and at most one format is left for standard output (GitHub annotations by default in Actions).

    A suffix that names another format than the file would get (`-f json -o r.sarif`) is a usage error, not JSON
    in a .sarif file. In GitHub Actions, when no report goes to standard output, the annotations do: writing
    files never silences them."""
    remaining = list(formats)
    plan: list[tuple[ReportFormat, Path | None]] = []
    unclaimed: list[Path] = []
    for out in outputs:
        implied = SUFFIX_FORMATS.get(out.suffix.lower())
        if implied is not None and implied in remaining:
            remaining.remove(implied)
            plan.append((implied, out))
        elif implied is not None and not formats:
            plan.append((implied, out))
        elif implied is not None and (fits := [f for f in remaining if f in SUFFIX_ACCEPTS[implied]]):
            remaining.remove(fits[0])  # SARIF is JSON, annotations are text: `-f sarif -o r.json` is fine
            plan.append((fits[0], out))
        elif implied is not None:
            asked = ", ".join(f.value for f in remaining) or "-"
            raise UsageError(
                f"--output {out}: 后缀 {out.suffix} 表示 {implied.value} 格式,但没有对应的 --format {implied.value}"
                f"(剩余: {asked})/ the suffix means {implied.value}, no --format {implied.value} is left for it"
            )
        else:
            unclaimed.append(out)
    for out in unclaimed:
        if remaining:
            plan.append((remaining.pop(0), out))
        elif not formats:
            plan.append((ReportFormat.text, out))
        else:
            raise UsageError(f"--output {out}: 没有对应的 --format / no --format left for this file")
    if len(remaining) > 1:
        names = ", ".join(f.value for f in remaining)
        raise UsageError(
            f"只有一种格式可以写到标准输出,其余请用 --output 指定文件 / only one format to stdout: {names}"
        )
    if remaining:
        plan.append((remaining[0], None))
    elif not plan:
        plan.append((ReportFormat.github if github_actions else ReportFormat.text, None))
    elif github_actions and all(fmt is not ReportFormat.github and out is not None for fmt, out in plan):
        plan.append((ReportFormat.github, None))
    return plan


def command(
    paths: PathsArgument = None,
    format: FormatsOption = None,
    output: OutputsOption = None,
    lang: LangOption = Lang.zh,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="达到该严重程度即以退出码 1 结束(默认取配置,否则 error) / lowest severity that fails",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数 / worker processes")] = 0,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="停用规则(可重复) / turn a rule off (repeatable)")
    ] = None,
    enable: Annotated[
        list[str] | None, typer.Option("--enable", help="启用规则(可重复) / turn a rule on (repeatable)")
    ] = None,
    preset: Annotated[
        Preset | None, typer.Option("--preset", help="规则预设 / rule preset: default | strict", show_default=False)
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="配置文件(默认: 目录根的 mattercli.toml 或 pyproject.toml)", show_default=False),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="基线文件:其中已有的问题不算失败 / baseline file", show_default=False),
    ] = None,
    write_baseline: Annotated[
        bool,
        typer.Option(
            "--write-baseline",
            help="把本次的问题写入基线(--baseline 文件,或配置的 baseline,或 mattercli-baseline.json)",
        ),
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="只校验自 git 修订版本 REV 以来变更的事项及受影响的跨文件检查 / only what changed since REV",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="使用 .mattercli-cache/ 缓存逐文件结果 / per-file cache")
    ] = True,
    pre_commit: Annotated[
        bool,
        typer.Option(
            "--pre-commit",
            help="PATHS 中的文件视为已变更(pre-commit 传入的文件),连同自 --changed-since(默认 HEAD)以来的变更及其"
            "影响的跨文件检查一并校验;目录指明事项目录 / the files in PATHS are changed (as pre-commit passes them)",
        ),
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="在终端显示进度条")] = True,
) -> int:
    """校验事项目录:结构、编码、同码同源、只减不增、名录引用……报告全部问题。 Validate a catalogue."""
    github_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    plan = plan_outputs(format or [], output or [], github_actions)
    named: list[Path] | None = None
    if pre_commit:  # folders name the catalogue; files are what pre-commit passes, wherever they are
        folders, named = _hook_paths(paths or [])
        changed_since = changed_since or "HEAD"
        location = ui.catalogue(None, folders)
        targets = scope_paths(location.root, folders)
    else:
        location = ui.catalogue(None, paths or [])
        targets = scope_paths(location.root, paths or [])
    loaded = load_config(location.root, config)
    options = ValidateOptions(
        jobs=jobs or default_jobs(),
        config=loaded,
        preset=preset,
        cache=cache,
        baseline=baseline,
        write_baseline=write_baseline,
        changed_since=changed_since,
        changed_files=named,
    )
    unknown = [r for r in [*(disable or []), *(enable or [])] if r not in options.registry]
    if unknown:
        raise UsageError(f"未知规则: {', '.join(unknown)}(用 `mattercli rules` 查看全部规则)")
    options.disabled = frozenset(disable or [])
    options.enabled = frozenset(enable or [])
    report = _run(targets, options, progress)
    if report.files == 0 and changed_since is None and not _names_registry(location.root, targets):
        where = ", ".join(str(p) for p in paths or [location.root])
        raise UsageError(f"{where} 中没有事项文件(*.yaml),没有可校验的内容 / no matter files to validate")
    effective_fail_on = fail_on or loaded.config.fail_on or FailOn.ERROR
    for fmt, out in plan:
        color = out is None and fmt is ReportFormat.text and ui.use_color()
        settings = ReportSettings(lang.value, color, effective_fail_on, out, options.registry)
        text = REPORTERS[fmt](settings=settings).render(report)
        if out is not None:
            atomic_write_text(out, text)
        else:
            sys.stdout.write(text)
    if "baseline_written" in report.details:
        count = len(report.baselined)
        print(f"mattercli: 已将 {count} 个问题写入基线 {report.details['baseline_written']}", file=sys.stderr)
    return EXIT_FINDINGS if report.failed(effective_fail_on) else EXIT_OK


def _hook_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """--pre-commit: the folders given (the catalogue; none: found as every command finds it) and the files
    (what pre-commit passes: files outside the catalogue and other files are left alone)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"路径不存在 / no such file or folder: {missing[0]}")
    return [p for p in paths if p.is_dir()], [p for p in paths if not p.is_dir()]


def _names_registry(root: Path, targets: Sequence[Path]) -> bool:
    """Whether the paths name registry files (checked without any matter file)."""
    registry = (root / REGISTRY_DIR).resolve()
    return any(p.resolve() == registry or registry in p.resolve().parents for p in targets)


def _run(paths: list[Path], options: ValidateOptions, progress: bool) -> Report:
    with ui.progress_bars(progress, PROGRESS_MIN_FILES) as update:
        return validate(paths, options, progress=lambda done, total: update("校验中", done, total))


__all__ = ["NAME", "Severity", "command", "plan_outputs"]
