"""`mattercli export`: every published list generated from the catalogue (数据同源) — definitions under `lists/`,
rows built once, rendered by one exporter per format, written atomically with a manifest of sha256 sums."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mattercli import __version__
from mattercli.catalogue.catalog import CatalogError
from mattercli.catalogue.snapshot import open_snapshot
from mattercli.export.catalogue import PARALLEL_FROM, Skipped, Source, close_snapshot, load_catalogue, source_of
from mattercli.export.definitions import LoadedDefinition, definitions_from_directory, definitions_from_snapshot
from mattercli.export.formats import DEFAULT_FORMATS, EXPORTERS, ExportFormat
from mattercli.export.formats.base import ExportInfo
from mattercli.export.lists import ListSpec, ListSummary, list_specs
from mattercli.export.output import MANIFEST, AtomicTree, OutputError, check_target, previous_lists
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
    formats: Sequence[ExportFormat] = DEFAULT_FORMATS
    rev: str | None = None
    definitions: Path | None = None
    jobs: int = 1


@dataclass
class ExportResult:
    output: Path
    source: Source
    lists: list[ListSummary]
    formats: list[ExportFormat]
    files: int
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0


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
) -> str:
    """manifest.json: source, lists and rows, schema version, sha256 of every other file (docs/export.md)."""
    doc = {
        "tool": "mattercli",
        "version": info.tool_version,
        "schema_version": info.schema_version,
        "source": info.source.to_dict(),
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


def _check_partial(target: Path, specs: Sequence[ListSpec]) -> None:
    """An export folder is replaced as a whole (atomically): exporting some lists (-l) into a folder that holds a
    previous export with other lists would silently delete those. Refuse, saying how to do what was meant."""
    kept = [stem for stem in previous_lists(target) if stem not in {x.stem for x in specs}]
    if kept:
        shown = "、".join(kept[:5]) + ("……" if len(kept) > 5 else "")
        raise OutputError(
            f"导出目录 {target} 中已有一次导出,含本次 -l 未选的 {len(kept)} 份清单({shown})。导出目录整体替换,"
            f"只导出所选清单会删去它们:请导出到另一个目录(-o 新目录),或去掉 -l 重新导出全部清单 / "
            f"{target} holds {len(kept)} other lists that a partial export would delete; use another -o folder",
            f"{target} holds a previous export with {len(kept)} lists that -l did not select ({', '.join(kept[:5])}"
            f"{' …' if len(kept) > 5 else ''}). An export folder is replaced as a whole, so exporting only the "
            "selected lists would delete them: export to another folder (-o NEW), or without -l",
        )


def export_catalog(options: ExportOptions) -> ExportResult:
    """Export the lists of the catalogue at `options.path` (at `options.rev`) into `options.output`.

    Matter files are parsed in worker processes, which also make each list's cells; the lists are then built
    and written one at a time, so memory grows with the largest list, not the catalogue (docs/export.md,
    Performance and memory)."""
    started = time.perf_counter()
    check_target(options.output)  # fail before the catalogue is read
    formats = [f for f in ExportFormat if f in set(options.formats)]
    snapshot = open_snapshot(options.path, options.rev)
    try:
        info = ExportInfo(source_of(snapshot), __version__, SCHEMA_VERSION)
        if options.definitions is not None:
            definitions = definitions_from_directory(options.definitions)
        else:
            definitions = definitions_from_snapshot(snapshot)
        if not definitions:
            raise CatalogError(
                "没有清单定义: 目录的 lists/ 下没有 YAML 文件(可用 --definitions 指定定义目录)",
                "no list definitions: the catalogue's lists/ holds no YAML file (--definitions names another folder)",
            )
        chosen, wanted = _selector(definitions, options.lists)
        bodies = [EXPORTERS[f].matter_body for f in page_formats(formats)]
        plan = LoadPlan([d.definition for d in chosen], snapshot.registries(), bodies)
        paths = snapshot.matter_files()
        jobs = options.jobs if len(paths) >= PARALLEL_FROM else 1
        with (
            Workers(jobs, start_worker, (plan,)) as workers,
            load_catalogue(snapshot, plan, workers, spool_directory(options.output), paths) as catalogue,
        ):
            del paths  # not needed once the catalogue is loaded (200,000 paths: ~20 MB)
            specs = list_specs(chosen, catalogue, wanted)
            if options.lists:
                _check_names(specs, definitions, options.lists)
                _check_partial(options.output, specs)
            with AtomicTree(options.output) as out:
                lists = write_export(catalogue, specs, formats, info, out, workers)
                hashes = dict(out.hashes)
                out.text(MANIFEST, manifest(info, lists, formats, hashes, catalogue.skipped))
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
    )
