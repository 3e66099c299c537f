"""`mattercli export`: every published list generated from the catalogue (数据同源) — definitions under `lists/`,
rows built once, rendered by one exporter per format, written atomically with a manifest of sha256 sums."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mattercli import __version__
from mattercli.catalogue.bundles import bundle_report
from mattercli.catalogue.catalog import CatalogError
from mattercli.catalogue.snapshot import open_snapshot
from mattercli.export.bundles import BUNDLE_LIST, bundle_list
from mattercli.export.catalogue import (
    PARALLEL_FROM,
    WORKTREE_LABEL,
    Skipped,
    Source,
    close_snapshot,
    load_catalogue,
    source_of,
)
from mattercli.export.definitions import LoadedDefinition, definitions_from_directory, definitions_from_snapshot
from mattercli.export.formats import DEFAULT_FORMATS, EXPORTERS, ExportFormat
from mattercli.export.formats.base import ExportInfo
from mattercli.export.lists import ListSpec, ListSummary, list_specs
from mattercli.export.output import MANIFEST, AtomicTree, OutputError, PreviousExport, check_target, previous_export
from mattercli.export.parallel import page_formats, write_export
from mattercli.export.records import LoadPlan, start_worker
from mattercli.export.spool import spool_directory
from mattercli.export.workers import Workers
from mattercli.model.schema import SCHEMA_VERSION

__all__ = ["ExportFormat", "ExportOptions", "ExportResult", "export_catalog"]


@dataclass
class ExportOptions:
    path: Path
    output: Path
    lists: Sequence[str] = ()
    #: () = every format — or, for -l into a previous export, that export's formats
    formats: Sequence[ExportFormat] = ()
    rev: str | None = None
    definitions: Path | None = None
    jobs: int = 1
    #: (stage, done, total) as the export goes: "read" (matter files parsed), "lists" (lists written), "pages"
    #: (HTML index and matter-page tasks written).
    progress: Callable[[str, int, int], None] | None = None


@dataclass
class ExportResult:
    output: Path
    source: Source
    lists: list[ListSummary]
    formats: list[ExportFormat]
    files: int
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    #: lists of a previous export in the folder that -l kept (made again from the same data)
    kept: tuple[str, ...] = ()


class UnknownListError(CatalogError):
    """`--list` named no list."""


def _selector(
    definitions: Sequence[LoadedDefinition], names: Sequence[str]
) -> tuple[list[LoadedDefinition], Callable[[ListSpec], bool] | None]:
    """The definitions to build and a predicate on the lists they give, for the names the user asked for."""
    if not names:
        return list(definitions), None
    wanted = set(names)

    def def_wanted(d: LoadedDefinition) -> bool:
        own = {d.definition.name, d.definition.stem}
        if own & wanted:
            return True
        return d.definition.split is not None and any(
            n.startswith((d.definition.name + "(", d.definition.stem + "-")) for n in wanted
        )

    chosen = [d for d in definitions if def_wanted(d)]

    def list_wanted(x: ListSpec) -> bool:
        return bool({x.name, x.stem, x.definition.name, x.definition.stem} & wanted)

    return chosen, list_wanted


def manifest(
    info: ExportInfo,
    lists: Sequence[ListSummary],
    formats: Sequence[ExportFormat],
    hashes: dict[str, str],
    skipped: list[Skipped],
    data_digest: str | None = None,
) -> str:
    """manifest.json: source, lists and rows, schema version, sha256 of every other file (docs/export.md)."""
    doc = {
        "tool": "mattercli",
        "version": info.tool_version,
        "schema_version": info.schema_version,
        "source": info.source.to_dict(),
        **({"data_digest": data_digest} if data_digest else {}),
        "formats": [f.value for f in formats],
        "lists": [
            {
                "name": x.name,
                "definition": x.spec.definition.name,
                "definition_file": x.spec.file,
                "population": x.spec.definition.population(),
                "file": x.stem,
                "region": x.spec.region,
                "rows": x.rows,
            }
            for x in lists
        ],
        "skipped": [{"file": s.file, "reason": s.reason} for s in skipped],
        "files": dict(sorted(hashes.items())),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _check_names(specs: Sequence[ListSpec], definitions: Sequence[LoadedDefinition], names: Sequence[str]) -> None:
    found = {n for x in specs for n in (x.name, x.stem, x.definition.name, x.definition.stem)}
    missing = [n for n in names if n not in found]
    if missing:
        available = "、".join(dict.fromkeys(d.definition.name for d in definitions))
        raise UnknownListError(
            f"没有这些清单: {'、'.join(missing)}(可选: {available})",
            f"no such list: {', '.join(missing)} (available: {available.replace('、', ', ')})",
        )


@dataclass(frozen=True, slots=True)
class MergePlan:
    """`-l` into a folder holding a previous export: the lists to build (those asked for, then the previous ones
    not asked for, which are kept) and the formats (the previous export's unless -f was given)."""

    previous: PreviousExport
    names: tuple[str, ...]
    kept: tuple[str, ...]
    formats: tuple[ExportFormat, ...]


def _merge_plan(target: Path, names: Sequence[str], formats: Sequence[ExportFormat]) -> MergePlan | None:
    """How `-l NAMES` joins the export already in `target` (None: there is none, or nothing of it to keep).
    Formats must agree: a list in other formats than its neighbours would make the folder half of each."""
    previous = previous_export(target)
    if previous is None:
        return None
    kept = tuple(stem for stem in previous.lists if stem not in set(names))
    if not kept:
        return None
    before = tuple(f for f in ExportFormat if f.value in previous.formats)
    if formats and set(formats) != set(before):
        raise OutputError(
            f"导出目录 {target} 中已有的导出格式为 {'、'.join(f.value for f in before)};-l 并入已有导出时格式须相同"
            f"(去掉 -f,或导出到另一个目录) / {target} holds an export in {', '.join(f.value for f in before)}: "
            "merging a list into it needs the same formats",
            f"{target} holds an export in {', '.join(f.value for f in before)}: merging a list into it (-l) needs the "
            "same formats (leave out -f, or export to another folder)",
        )
    return MergePlan(previous, (*names, *kept), kept, before or DEFAULT_FORMATS)


def _check_same_data(target: Path, plan: MergePlan, source: Source, digest: str) -> None:
    """The kept lists are made again from this export's source, so it must be the data they were made of: the same
    data digest (matter and registry files), or — for a manifest from before the digest was kept — the same commit.
    Another catalogue or another version would silently turn the kept lists into it: refuse (exit 2)."""
    previous = plan.previous
    same = (
        previous.data_digest == digest
        if previous.data_digest
        else bool(source.commit) and (previous.commit == source.commit)
    )
    if same:
        return
    shown = "、".join(plan.kept[:5]) + ("……" if len(plan.kept) > 5 else "")
    was = previous.commit[:12] if previous.commit else (previous.label or WORKTREE_LABEL)
    now = source.commit[:12] if source.commit else WORKTREE_LABEL
    raise OutputError(
        f"导出目录 {target} 中已有的导出出自另一份数据(已有: {was};本次: {now},事项或名录文件不同),含本次 -l 未选的 "
        f"{len(plan.kept)} 份清单({shown})。并入会让同一目录中的清单出自不同版本:请去掉 -l 重新导出全部清单,或导出到"
        f"另一个目录(-o 新目录) / {target} holds an export of other data ({was}, now {now}); export every list, or "
        "use another -o folder",
        f"{target} holds an export of other data ({was}; now {now}: other matter or registry files) with "
        f"{len(plan.kept)} lists that -l did not select; merging would mix versions in one folder: export every list "
        "(without -l), or to another folder (-o NEW)",
    )


def _check_kept_defined(plan: MergePlan, specs: Sequence[ListSpec]) -> None:
    defined = {x.stem for x in specs}
    gone = [stem for stem in plan.kept if stem not in defined]
    if gone:
        raise OutputError(
            f"导出目录中已有的清单 {'、'.join(gone)} 在现在的清单定义中已不存在,并入会删去它们:请去掉 -l 重新导出,"
            f"或导出到另一个目录 / the previous export holds lists no definition gives any more: {', '.join(gone)}",
            f"the previous export holds lists no definition gives any more ({', '.join(gone)}); merging would delete "
            "them: export without -l, or to another folder",
        )


def _stage(options: ExportOptions, stage: str) -> Callable[[int, int], None] | None:
    progress = options.progress
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def export_catalog(options: ExportOptions) -> ExportResult:
    """Export the lists of the catalogue at `options.path` (at `options.rev`) into `options.output`.

    Matter files are parsed in worker processes, which also make each list's cells; the lists are then built
    and written one at a time, so memory grows with the largest list, not the catalogue (docs/export.md,
    Performance and memory)."""
    started = time.perf_counter()
    check_target(options.output)  # fail before the catalogue is read
    merge = _merge_plan(options.output, options.lists, options.formats) if options.lists else None
    names: Sequence[str] = merge.names if merge else options.lists
    wanted_formats = merge.formats if merge else (options.formats or DEFAULT_FORMATS)
    formats = [f for f in ExportFormat if f in set(wanted_formats)]
    snapshot = open_snapshot(options.path, options.rev)
    try:
        info = ExportInfo(source_of(snapshot), __version__, SCHEMA_VERSION, tuple(formats))
        if options.definitions is not None:
            definitions = definitions_from_directory(options.definitions)
        else:
            definitions = definitions_from_snapshot(snapshot)
        if not definitions:
            raise CatalogError(
                "没有清单定义: 目录的 lists/ 下没有 YAML 文件(可用 --definitions 指定定义目录)",
                "no list definitions: the catalogue's lists/ holds no YAML file (--definitions names another folder)",
            )
        plain = [n for n in names if n != BUNDLE_LIST]
        bundles = bundle_report(snapshot, snapshot.registries().synonyms) if BUNDLE_LIST in names or not names else None
        if bundles is not None and not bundles.bundles:
            if BUNDLE_LIST in options.lists:
                raise UnknownListError(
                    f"目录中没有一件事(bundles/),无法导出{BUNDLE_LIST}",
                    f"the catalogue has no 一件事 (bundles/): {BUNDLE_LIST} cannot be exported",
                )
            bundles = None
        chosen, wanted = _selector(definitions, plain) if plain or not names else ([], lambda _x: False)
        bodies = [EXPORTERS[f].matter_body for f in page_formats(formats)]
        plan = LoadPlan([d.definition for d in chosen], snapshot.registries(), bodies)
        paths = snapshot.matter_files()
        jobs = options.jobs if len(paths) >= PARALLEL_FROM else 1
        with (
            Workers(jobs, start_worker, (plan,)) as workers,
            load_catalogue(
                snapshot, plan, workers, spool_directory(options.output), paths, progress=_stage(options, "read")
            ) as catalogue,
        ):
            del paths  # not needed once the catalogue is loaded (200,000 paths: ~20 MB)
            specs = list_specs(chosen, catalogue, wanted)
            if options.lists:
                _check_names(specs, definitions, [n for n in options.lists if n != BUNDLE_LIST])
            if merge is not None:
                _check_kept_defined(merge, [*specs, *([bundle_list(bundles).spec] if bundles else [])])
                _check_same_data(options.output, merge, info.source, catalogue.digest)
            with AtomicTree(options.output) as out:
                lists = write_export(catalogue, specs, formats, info, out, workers, options.progress, bundles)
                hashes = dict(out.hashes)
                out.text(MANIFEST, manifest(info, lists, formats, hashes, catalogue.skipped, catalogue.digest))
    finally:
        close_snapshot(snapshot)
    return ExportResult(
        Path(options.output),
        info.source,
        lists,
        formats,
        len(hashes) + 1,
        catalogue.skipped,
        time.perf_counter() - started,
        merge.kept if merge else (),
    )
