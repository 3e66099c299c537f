"""Reform statistics of a catalogue (精简比例、最多跑一次占比、时限压缩……), each pinned to the commit it comes from.

`compute_stats` reads the catalogue at a revision (and a baseline), selects the active matters `--where` keeps, and
evaluates every figure of `mattercli.stats.figures.FIGURES` — the one table of definitions — overall and per group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mattercli.catalogue.bundles import BundleReport, bundle_report
from mattercli.catalogue.catalog import find_root
from mattercli.catalogue.snapshot import GitSnapshot, Snapshot, open_snapshot
from mattercli.diff.actions import fates
from mattercli.model.regions import region_table
from mattercli.stats.bundles import BundleSection
from mattercli.stats.cache import Parser, RecordCache, load_records
from mattercli.stats.figures import (
    COUNT_FIGURES,
    FIGURE_BY_ID,
    FIGURES,
    POPULATION_EN,
    POPULATION_NOTES,
    TABLE_FIGURES,
    Comparison,
    Figure,
    Measure,
    Unit,
    members_of,
)
from mattercli.stats.model import (
    DEFAULT_MIN_VOLUME_COVERAGE,
    DIMENSIONS,
    Change,
    Filter,
    Population,
    StatsError,
    VolumeBasis,
    apply_filters,
    dimension_id,
    group_keys,
    parse_filters,
    partition,
    resolve_filters,
)
from mattercli.stats.records import MatterRecord, SourceInfo, source_of

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureValue:
    """A figure's value now (`current`; for a change figure, the comparison) and at the baseline (state figures
    only), each with the snapshot labels it was computed from."""

    figure: Figure
    current: Measure | None
    baseline: Measure | None
    current_from: tuple[str, ...]
    baseline_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str
    values: tuple[FigureValue, ...]

    def value(self, figure_id: str) -> FigureValue | None:
        return next((v for v in self.values if v.figure.id == figure_id), None)


@dataclass(frozen=True, slots=True)
class Breakdown:
    dimension: str
    figure_ids: tuple[str, ...]
    groups: tuple[Group, ...]
    full: bool  # named with --by: every figure per group


@dataclass(frozen=True, slots=True)
class StatsReport:
    current: SourceInfo
    baseline: SourceInfo | None
    volume_basis: VolumeBasis
    filters: tuple[Filter, ...]
    figures: tuple[FigureValue, ...]
    breakdowns: tuple[Breakdown, ...]
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "current"/"baseline" -> files
    #: figure id -> the matters a counting change figure counted (code order), for the whole selection
    members: dict[str, tuple[MatterRecord, ...]] = field(default_factory=dict)
    #: the 一件事 figures (None when neither side has bundles/)
    bundles: BundleSection | None = None

    def value(self, figure_id: str) -> FigureValue:
        return next(v for v in self.figures if v.figure.id == figure_id)


@dataclass(frozen=True, slots=True)
class StatsInputs:
    """Everything loaded from the snapshots; reports with different breakdowns are built from it cheaply."""

    current: SourceInfo
    baseline: SourceInfo | None
    current_records: tuple[MatterRecord, ...]
    baseline_records: tuple[MatterRecord, ...] | None
    changes: dict[str, Change]
    baseline_active: frozenset[str]  # codes 在用 at the baseline, whole catalogue
    filters: tuple[Filter, ...]
    region_names: dict[str, str]
    skipped: dict[str, tuple[str, ...]]
    current_bundles: BundleReport | None = None
    baseline_bundles: BundleReport | None = None

    def volume_years(self) -> list[int]:
        """Years some current implementation entry has a 办件量 for, in order."""
        return sorted({y for r in self.current_records for y, _ in r.volumes})


def with_registry_volumes(
    records: tuple[MatterRecord, ...], by_code: Mapping[str, Mapping[int, int]]
) -> tuple[MatterRecord, ...]:
    """Records with the 办件量 of registry/case-volumes.yaml added; for a year the matter file gives, its own wins."""
    if not by_code:
        return records
    out = []
    for r in records:
        extra = by_code.get(r.code)
        if extra:
            years = {**extra, **dict(r.volumes)}
            r = replace(r, volumes=tuple(sorted(years.items())))
        out.append(r)
    return tuple(out)


def _close(item: Snapshot | RecordCache) -> None:
    if isinstance(item, GitSnapshot):
        item.repo.close()
    elif isinstance(item, RecordCache):
        item.close()


#: (stage, done, total): how far a long run has come, for a progress bar.
StageProgress = Callable[[str, int, int], None]


def _stage(progress: StageProgress | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def load_inputs(
    path: Path,
    rev: str | None = None,
    baseline: str | None = None,
    where: Sequence[str] = (),
    jobs: int = 0,
    with_head: bool = True,
    use_cache: bool = True,
    progress: StageProgress | None = None,
) -> StatsInputs:
    """Read the catalogue holding `path` at `rev` (None: the work tree) and, if given, at `baseline`; with
    `use_cache`, records are kept by content under the catalogue's .mattercli-cache/ for the next run.
    `progress(stage, done, total)` follows the reading: stage "current", then "baseline"."""
    filters = parse_filters(where)
    snapshots: list[Snapshot | RecordCache] = []
    try:
        now = open_snapshot(path, rev)
        snapshots.append(now)
        before = open_snapshot(path, baseline) if baseline is not None else None
        if before is not None:
            snapshots.append(before)
        registries = now.registries()
        baseline_volumes = before.registries().case_volumes_by_code() if before else {}
        # One synonym table for both versions, so a proof is one identity on both sides (the current one wins).
        synonyms = {**before.registries().synonyms, **registries.synonyms} if before else registries.synonyms
        cache = RecordCache(find_root(path) if use_cache else None, synonyms)
        snapshots.append(cache)
        # One parser for both versions: its worker processes, if any, are started once, before records pile up.
        with Parser(synonyms, jobs) as parser:
            current = load_records(now, synonyms, cache, parser=parser, progress=_stage(progress, "current"))
            previous = (
                load_records(before, synonyms, cache, parser=parser, progress=_stage(progress, "baseline"))
                if before
                else None
            )
        sources = (source_of(now, with_head), source_of(before, with_head) if before else None)
        # 一件事: only the member files are read again (their paths come from the records)
        bundles_now = bundle_report(now, synonyms, [r.file for r in current.records])
        bundles_then = (
            bundle_report(before, synonyms, [r.file for r in previous.records]) if before and previous else None
        )
    finally:
        for item in snapshots:
            _close(item)
    names = {r.code: r.name for r in region_table()}
    names.update({r.code: r.name for r in registries.regions})
    aliases = {d.short_name: d.name for d in registries.departments if d.short_name}
    aliases.update({d.uscc: d.name for d in registries.departments if d.uscc})
    everything = (*current.records, *(previous.records if previous else ()))
    filters = resolve_filters(filters, everything, aliases, names)
    return StatsInputs(
        current=sources[0],
        baseline=sources[1],
        current_records=with_registry_volumes(current.records, registries.case_volumes_by_code()),
        baseline_records=with_registry_volumes(previous.records, baseline_volumes) if previous else None,
        changes=fates(previous.records, current.records) if previous else {},
        baseline_active=frozenset(r.code for r in previous.records if r.active) if previous else frozenset(),
        filters=filters,
        region_names=names,
        skipped={"current": current.skipped, **({"baseline": previous.skipped} if previous else {})},
        current_bundles=bundles_now,
        baseline_bundles=bundles_then,
    )


def _values(
    inputs: StatsInputs, now: Population, before: Population | None, ids: Sequence[str]
) -> tuple[FigureValue, ...]:
    out = []
    cur_from = (inputs.current.label,)
    base_from = (inputs.baseline.label,) if inputs.baseline else ()
    comparison = None
    if before is not None:
        comparison = Comparison(before, now, inputs.changes, inputs.baseline_active)
    for figure_id in ids:
        figure = FIGURE_BY_ID[figure_id]
        if figure.state is not None:
            then = figure.state(before) if before is not None else None
            out.append(FigureValue(figure, figure.state(now), then, cur_from, base_from if then is not None else ()))
        elif figure.change is not None and comparison is not None:
            out.append(FigureValue(figure, figure.change(comparison), None, base_from + cur_from))
    return tuple(out)


def _group_label(inputs: StatsInputs, dimension: str, key: str) -> str:
    if dimension == "region":
        return inputs.region_names.get(key, key)
    return key


def volume_basis(inputs: StatsInputs, year: int | None, min_coverage: float | None) -> VolumeBasis:
    """The 办件量 basis: `year` (default: the latest year any current entry has a volume for) and the coverage."""
    years = inputs.volume_years()
    if year is not None and years and year not in years:
        raise StatsError(f"没有 {year} 年度的办件量(有: {'、'.join(map(str, years))})")
    chosen = year if year is not None else (years[-1] if years else None)
    coverage = DEFAULT_MIN_VOLUME_COVERAGE if min_coverage is None else min_coverage
    if not 0 <= coverage <= 1:
        raise StatsError(f"办件量覆盖率下限须在 0 与 1 之间,而不是 {coverage}")
    return VolumeBasis(chosen, coverage)


def build_report(
    inputs: StatsInputs,
    by: Sequence[str] = (),
    volume_year: int | None = None,
    min_volume_coverage: float | None = None,
) -> StatsReport:
    """Figures for the selection, and a breakdown per dimension: counts for each, every figure for those in `by`
    (a dimension id or its Chinese name: `nature` or `办理性质`). Weighted shares use the 办件量 of `volume_year`."""
    unknown = [d for d in by if dimension_id(d) is None]
    if unknown:
        raise StatsError(f"未知分组维度: {', '.join(unknown)}(可用: {', '.join(DIMENSIONS)}、办理性质)")
    by = [i for i in (dimension_id(d) for d in by) if i is not None]
    basis = volume_basis(inputs, volume_year, min_volume_coverage)
    now = apply_filters(Population.of(inputs.current_records, basis), inputs.filters)
    before = None
    if inputs.baseline_records is not None:
        before = apply_filters(Population.of(inputs.baseline_records, basis), inputs.filters)
    ids = [f.id for f in FIGURES if f.state is not None or before is not None]
    breakdowns = []
    for dim_id, dimension in DIMENSIONS.items():
        full = dim_id in by
        group_ids = [
            i for i in (ids if full else COUNT_FIGURES) if dim_id != "region" or FIGURE_BY_ID[i].kind != "base"
        ]
        now_parts = partition(now, dimension)
        before_parts = partition(before, dimension) if before is not None else None
        groups = tuple(
            Group(key, _group_label(inputs, dim_id, key),
                  _values(inputs, now_parts[key], before_parts[key] if before_parts is not None else None, group_ids))
            for key in group_keys(dimension, [p for p in (now, before) if p is not None])
        )  # fmt: skip
        breakdowns.append(Breakdown(dim_id, tuple(group_ids), groups, full))
    members: dict[str, tuple[MatterRecord, ...]] = {}
    if before is not None:
        comparison = Comparison(before, now, inputs.changes, inputs.baseline_active)
        for figure_id in ids:
            picked = members_of(FIGURE_BY_ID[figure_id], comparison)
            if picked is not None:
                members[figure_id] = tuple(picked)
    return StatsReport(
        current=inputs.current,
        baseline=inputs.baseline,
        volume_basis=basis,
        filters=inputs.filters,
        figures=_values(inputs, now, before, ids),
        breakdowns=tuple(breakdowns),
        skipped=inputs.skipped,
        members=members,
        bundles=bundle_section(inputs),
    )


def bundle_section(inputs: StatsInputs) -> BundleSection | None:
    """The 一件事 figures of both sides, or None when there are no bundles on either side."""
    now, then = inputs.current_bundles, inputs.baseline_bundles
    if now is None or (not now.bundles and not (then and then.bundles)):
        return None
    baseline_from = inputs.baseline.label if inputs.baseline and then is not None else None
    return BundleSection(now, inputs.current.label, then, baseline_from)


def compute_stats(
    path: Path,
    rev: str | None = None,
    baseline: str | None = None,
    where: Sequence[str] = (),
    by: Sequence[str] = (),
    jobs: int = 0,
    with_head: bool = True,
    use_cache: bool = True,
    volume_year: int | None = None,
    min_volume_coverage: float | None = None,
    progress: StageProgress | None = None,
) -> StatsReport:
    """The statistics of the catalogue holding `path` (see `load_inputs` and `build_report`)."""
    inputs = load_inputs(path, rev, baseline, where, jobs, with_head, use_cache, progress)
    return build_report(inputs, by, volume_year, min_volume_coverage)


__all__ = [
    "COUNT_FIGURES",
    "FIGURES",
    "FIGURE_BY_ID",
    "POPULATION_EN",
    "POPULATION_NOTES",
    "TABLE_FIGURES",
    "Breakdown",
    "Change",
    "Comparison",
    "Figure",
    "FigureValue",
    "Group",
    "Measure",
    "StageProgress",
    "StatsError",
    "StatsInputs",
    "StatsReport",
    "Unit",
    "build_report",
    "compute_stats",
    "load_inputs",
]
