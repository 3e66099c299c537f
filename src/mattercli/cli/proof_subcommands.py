"""`mattercli proofs lists` and `mattercli proofs pledge`: the 司法局's three published lists, and the 告知承诺书 for
one matter. Thin: the tables come from `mattercli.proofs.lists`, the letter from `mattercli.proofs.pledge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mattercli.catalogue.fsutil import atomic_write_bytes
from mattercli.catalogue.gitio import GitError
from mattercli.catalogue.snapshot import GitSnapshot, Snapshot, open_snapshot
from mattercli.cli import ui
from mattercli.cli.errors import EXIT_OK, UsageError
from mattercli.proofs.lists import RENDERERS, ListFormat, ProofListKind, proof_tables
from mattercli.proofs.pledge import (
    CATALOG_TEMPLATE,
    build_letter,
    default_template,
    find_matter,
    render_docx,
    render_markdown,
)

PathArgument = Annotated[Path | None, typer.Argument(help="目录或其中的文件(默认: 当前目录)", show_default=False)]
RevOption = Annotated[str | None, typer.Option("--rev", help="该 git 修订版本(默认: 工作区) / git revision")]


def _snapshot(path: Path | None, rev: str | None) -> tuple[Path, Snapshot]:
    root = ui.catalogue(None, [path] if path is not None else []).root
    try:
        return root, open_snapshot(root, rev)
    except GitError as exc:
        raise UsageError(str(exc)) from exc


def _close(snapshot: Snapshot) -> None:
    if isinstance(snapshot, GitSnapshot):
        snapshot.repo.close()


def lists_command(
    path: PathArgument = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录 / output folder")] = Path("证明事项清单"),
    list_: Annotated[
        list[ProofListKind] | None,
        typer.Option("--list", "-l", help="只导出这些清单: kept | cancelled | pledge(可重复)"),
    ] = None,
    format: Annotated[
        list[ListFormat] | None, typer.Option("--format", "-f", help="csv | xlsx | md | json(可重复,默认全部)")
    ] = None,
    rev: RevOption = None,
) -> int:
    """导出司法局公布的三张证明事项清单(保留、取消、实行告知承诺制的证明事项目录),每项证明的每个用途一行。
    Export the kept, cancelled and 告知承诺 proof lists in their published layouts."""
    _root, snapshot = _snapshot(path, rev)
    try:
        registries = snapshot.registries()
        if not registries.keeps_proof_lists:
            raise UsageError(
                "目录中没有证明事项清单(registry/proofs-kept.yaml、proofs-cancelled.yaml、pledge-catalog.yaml)"
            )
        tables = proof_tables(registries, snapshot, list_ or tuple(ProofListKind))
    finally:
        _close(snapshot)
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output 须为目录: {output}")
    output.mkdir(parents=True, exist_ok=True)
    formats = format or list(ListFormat)
    for table in tables:
        for fmt in ListFormat:
            if fmt in formats:
                target = output / f"{table.title}.{fmt.value}"
                atomic_write_bytes(target, RENDERERS[fmt](table))
                ui.detail(f"已写入 {target}({len(table.rows)} 行)")
    ui.note(f"已导出 {len(tables)} 张清单到 {output}")
    return EXIT_OK


def pledge_command(
    path: PathArgument = None,
    matter: Annotated[str, typer.Option("--matter", "-m", help="事项的实施编码或基本编码 / matter code")] = "",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件名前缀(写 .md 与 .docx) / output stem")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help=f"Markdown 模板(默认: 目录下 {CATALOG_TEMPLATE},否则内置模板)")
    ] = None,
    rev: RevOption = None,
) -> int:
    """为一个事项生成证明事项告知承诺书(Markdown 与 DOCX),模板可由各单位修改。
    Write the 告知承诺书 of a matter as Markdown and DOCX from an editable template."""
    if not matter:
        raise UsageError("需要 --matter CODE(实施编码或基本编码)")
    _root, snapshot = _snapshot(path, rev)
    try:
        file, found = find_matter(snapshot, matter)
        letter = build_letter(file, found, snapshot.registries())
        if template is not None:
            if not template.is_file():
                raise UsageError(f"模板文件不存在: {template}")
            text, where = template.read_text(encoding="utf-8"), str(template)
        elif (raw := snapshot.read(CATALOG_TEMPLATE)) is not None:
            text, where = raw.decode("utf-8"), CATALOG_TEMPLATE
        else:
            text, where = default_template(), "内置模板"
    finally:
        _close(snapshot)
    markdown = render_markdown(letter, text, where)
    stem = output if output is not None else Path(f"告知承诺书-{letter.matter_code}")
    md_path, docx_path = stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".docx")
    if stem.suffix in (".md", ".docx"):
        md_path, docx_path = stem.with_suffix(".md"), stem.with_suffix(".docx")
    atomic_write_bytes(md_path, markdown.encode("utf-8"))
    atomic_write_bytes(docx_path, render_docx(markdown))
    ui.note(f"已写入 {md_path} 与 {docx_path}:{len(letter.items)} 项证明(「{letter.matter_name}」,{file})")
    return EXIT_OK
