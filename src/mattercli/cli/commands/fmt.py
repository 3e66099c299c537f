"""`mattercli fmt`: rewrite catalogue files in the canonical layout, keeping comments; `--check` for CI."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from mattercli import __version__
from mattercli.check.engine import default_jobs
from mattercli.cli.errors import EXIT_FINDINGS, EXIT_OK
from mattercli.cli.options import FmtPathsArgument, Lang, LangOption
from mattercli.edit.fmt import FileOutcome, FormatReport, format_paths
from mattercli.model.safetext import safe_lines

NAME = "fmt"


class FmtFormat(StrEnum):
    text = "text"
    json = "json"


def _t(lang: Lang, zh: str, en: str) -> str:
    return en if lang is Lang.en else zh


def _location(outcome: FileOutcome) -> str:
    problem = outcome.problem
    parts = [outcome.file]
    if problem is not None and problem.line is not None:
        parts.append(str(problem.line))
        if problem.column is not None:
            parts.append(str(problem.column))
    return ":".join(parts)


def render_text(report: FormatReport, lang: Lang) -> str:
    lines = []
    verb = _t(lang, "已格式化", "reformatted") if report.written else _t(lang, "需要格式化", "would reformat")
    for outcome in report.outcomes:
        if outcome.problem is not None:
            message = outcome.problem.message_en if lang is Lang.en else outcome.problem.message
            lines.append(f"{_location(outcome)}: {_t(lang, '无法格式化', 'cannot format')}: {message}")
        elif outcome.changed:
            lines.append(f"{verb}: {outcome.file}")
            for fix in outcome.restored:
                zh = f"{fix.key} 由数字 {fix.number} 恢复为编码"
                en = f"{fix.key}: number {fix.number} restored to code"
                lines.append(f'  {outcome.file}:{fix.line}: {_t(lang, zh, en)} "{fix.code}"')
    files, changed, problems = len(report.outcomes), len(report.changed), len(report.problems)
    if lang is Lang.en:
        summary = f"{files} files, {changed} {verb}, {problems} could not be formatted"
    else:
        summary = f"共 {files} 个文件,{verb} {changed} 个,无法格式化 {problems} 个"
    lines.append(summary)
    return safe_lines(lines)


def render_json(report: FormatReport, lang: Lang) -> str:
    files = []
    for outcome in report.outcomes:
        if outcome.problem is None and not outcome.changed:
            continue
        entry: dict[str, object] = {
            "file": outcome.file,
            "status": "error" if outcome.problem is not None else "changed",
        }
        if outcome.problem is not None:
            entry.update(
                line=outcome.problem.line,
                column=outcome.problem.column,
                message=outcome.problem.message_en if lang is Lang.en else outcome.problem.message,
                message_zh=outcome.problem.message,
                message_en=outcome.problem.message_en,
            )
        if outcome.diff is not None:
            entry["diff"] = outcome.diff
        entry["restored"] = [
            {"line": fix.line, "key": fix.key, "number": fix.number, "code": fix.code} for fix in outcome.restored
        ]
        files.append(entry)
    doc = {
        "tool": "mattercli",
        "version": __version__,
        "command": "fmt",
        "check": not report.written,
        "summary": {"files": len(report.outcomes), "changed": len(report.changed), "errors": len(report.problems)},
        "files": files,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {FmtFormat.text: render_text, FmtFormat.json: render_json}


def command(
    paths: FmtPathsArgument = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="只检查不写入,需要格式化则退出码 1 / write nothing; exit 1 if any would change"),
    ] = False,
    show_diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="显示将做的改动(统一差异格式),不写入;有改动则退出码 1 / show the changes, write nothing"
        ),
    ] = False,
    format: Annotated[FmtFormat, typer.Option("--format", "-f", help="输出格式 / output format")] = FmtFormat.text,
    lang: LangOption = Lang.zh,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数,0 = CPU 核数 / worker processes")] = 0,
) -> int:
    """按规范格式整理事项文件:要素顺序、缩进、编码加引号,保留注释。 Format catalogue files, keeping comments."""
    check = check or show_diff
    report = format_paths(paths or [], check=check, jobs=jobs or default_jobs())
    if show_diff and format is FmtFormat.text:
        for outcome in report.changed:
            sys.stdout.write(outcome.diff or "")
    sys.stdout.write(RENDERERS[format](report, lang))
    if report.problems or (check and report.changed):
        return EXIT_FINDINGS
    return EXIT_OK
