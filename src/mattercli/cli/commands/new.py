"""`mattercli new`: scaffold a matter file with the next free code, pre-filled and marked with TODOs."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from mattercli import __version__
from mattercli.cli import ui
from mattercli.cli.commands.diff import CatalogOption
from mattercli.cli.errors import UsageError
from mattercli.cli.options import Lang, LangOption
from mattercli.edit.bundle_scaffold import BundleRequest, NewBundle, plan_new_bundle, write_new_bundle
from mattercli.edit.scaffold import (
    NewMatter,
    NewMatterRequest,
    ScaffoldError,
    plan_new_matter,
    same_name,
    write_new_matter,
)
from mattercli.model.safetext import safe_lines

NAME = "new"


class NewFormat(StrEnum):
    text = "text"
    json = "json"


def render_text(planned: NewMatter, written: bool, lang: Lang) -> str:
    en = lang is Lang.en
    kind = {"base": ("基本编码", "basic code"), "implementation": ("实施编码", "implementation code")}[planned.kind]
    verb = ("created" if written else "would create") if en else ("已创建" if written else "将创建")
    lines = [
        f"{verb}: {planned.file} ({kind[1]} {planned.code})"
        if en
        else f"{verb}: {planned.file}({kind[0]} {planned.code})"
    ]
    return _with_todo_and_preview(lines, planned, written, "to fill in:" if en else "待填写:")


def _with_todo_and_preview(lines: list[str], planned: NewMatter | NewBundle, written: bool, label: str) -> str:
    """The headline `lines`, then what is left to fill in or check, then (a dry run) the file's text."""
    if planned.todo:
        lines.append(label)
        lines.extend(f"  - {item}" for item in planned.todo)
    if not written:
        lines.append("")
        lines.extend(planned.text.rstrip("\n").split("\n"))
    return safe_lines(lines)


def _json_report(planned: NewMatter | NewBundle, kind: str, written: bool) -> str:
    doc = {
        "tool": "mattercli",
        "version": __version__,
        "command": "new",
        "written": written,
        "file": planned.file,
        "path": str(planned.path),
        "kind": kind,
        "code": planned.code,
        "todo": list(planned.todo),
        "text": planned.text,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_json(planned: NewMatter, written: bool, lang: Lang) -> str:
    return _json_report(planned, planned.kind, written)


RENDERERS = {NewFormat.text: render_text, NewFormat.json: render_json}


def render_bundle_text(planned: NewBundle, written: bool, lang: Lang) -> str:
    en = lang is Lang.en
    verb = ("created" if written else "would create") if en else ("已创建" if written else "将创建")
    lines = [f"{verb}: {planned.file} ({'bundle' if en else '一件事'} {planned.code})"]
    return _with_todo_and_preview(lines, planned, written, "to check:" if en else "待核对:")


def render_bundle_json(planned: NewBundle, written: bool, lang: Lang) -> str:
    return _json_report(planned, "bundle", written)


BUNDLE_RENDERERS = {NewFormat.text: render_bundle_text, NewFormat.json: render_bundle_json}


def command(
    type: Annotated[str | None, typer.Option("--type", help="事项类型代码或名称,如 01 / 行政许可")] = None,
    dept: Annotated[
        str | None,
        typer.Option(
            "--dept", help="基本目录:主管部门(统一社会信用代码、名称或简称);实施清单:实施主体统一社会信用代码"
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="事项名称")] = None,
    base: Annotated[str | None, typer.Option("--base", help="新建实施清单事项:所实施的基本编码")] = None,
    level: Annotated[str | None, typer.Option("--level", help="行使层级代码或名称,如 4 / 区县级")] = None,
    region: Annotated[str | None, typer.Option("--region", help="6 位行政区划代码")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="新建子项:主项基本编码(以 00Y 结尾)")] = None,
    bundle: Annotated[
        bool,
        typer.Option("--bundle", help="新建一件事(bundles/<编码>.yaml):--name、--region、--dept(牵头部门)、--member"),
    ] = False,
    member: Annotated[
        list[str] | None, typer.Option("--member", help="一件事:成员事项的基本编码(可重复)", show_default=False)
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="一件事:配合部门(可重复)", show_default=False)
    ] = None,
    code: Annotated[str | None, typer.Option("--code", help="一件事编码(默认 <区划>-YJS-<下一个序号>)")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="一件事层级: 国家重点、省级、市级特色、县级特色")] = None,
    catalog: CatalogOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容 / show, write nothing")] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="不查 git 历史中已删除的编码 / skip git history")
    ] = False,
    format: Annotated[NewFormat, typer.Option("--format", "-f", help="输出格式 / output format")] = NewFormat.text,
    lang: LangOption = Lang.zh,
) -> int:
    """新建事项文件:分配下一个未用过的编码,按基本目录预填,标出待填写项。 Scaffold a new matter file."""
    root = ui.catalogue(catalog).root
    if bundle:
        wanted = BundleRequest(name, region, dept, member or [], code, tier, partner or [])
        try:
            new_bundle = plan_new_bundle(root, wanted)
            if not dry_run:
                write_new_bundle(new_bundle)
        except ScaffoldError as exc:
            raise UsageError(str(exc)) from exc
        sys.stdout.write(BUNDLE_RENDERERS[format](new_bundle, not dry_run, lang))
        return 0
    if member or partner or code or tier:
        raise UsageError("--member、--partner、--code、--tier 只用于 --bundle / only with --bundle")
    request = NewMatterRequest(type=type, dept=dept, name=name, base=base, level=level, region=region, parent=parent)
    try:
        planned = plan_new_matter(root, request, history=not no_history)
        for other in same_name(root, planned):
            ui.note(f"警告: 已有同名事项 {other}(是否重复新建?) / a matter of the same name exists")
        if not dry_run:
            write_new_matter(planned)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(RENDERERS[format](planned, not dry_run, lang))
    return 0
