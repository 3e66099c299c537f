"""Writing an export: each list is built here (one at a time) and handed, with every format to write, to a worker
while the next list is built; then formats with matter pages get their index and the matter pages in chunks.
A task carries all it needs (pickled), so a worker holds no more than the list or pages it writes; each writes
its files into the same temporary tree and returns their sha256 sums."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from mattercli.catalogue.bundles import BundleReport
from mattercli.export.bundles import BundleWork, bundle_list
from mattercli.export.catalogue import Catalogue
from mattercli.export.formats import EXPORTERS, Exporter, ExportFormat
from mattercli.export.formats.base import ExportInfo, MatterPage, SiteMatter
from mattercli.export.lists import BASE_GROUP, ExportList, ListBuilder, ListSpec, ListSummary
from mattercli.export.output import TreeWriter
from mattercli.export.workers import Workers

PAGES_PER_TASK = 500
#: Write tasks in flight per worker: a list's rows can be large, and the next list is built meanwhile anyway.
WRITES_PER_WORKER = 2


@dataclass(frozen=True)
class ListWork:
    export: ExportList

    def run(self, exporter: Exporter, info: ExportInfo, out: TreeWriter) -> None:
        exporter.write_list(info, out, self.export)


@dataclass(frozen=True)
class IndexWork:
    lists: list[ListSummary]
    matters: list[SiteMatter]

    def run(self, exporter: Exporter, info: ExportInfo, out: TreeWriter) -> None:
        exporter.write_index(info, out, self.lists, self.matters)


@dataclass(frozen=True)
class PagesWork:
    pages: list[MatterPage]

    def run(self, exporter: Exporter, info: ExportInfo, out: TreeWriter) -> None:
        exporter.write_pages(info, out, self.pages)


@dataclass(frozen=True)
class WriteTask:
    root: Path
    info: ExportInfo
    formats: tuple[ExportFormat, ...]
    work: ListWork | IndexWork | PagesWork | BundleWork


_EXPORTERS: dict[ExportFormat, Exporter] = {}  # one instance per format and process


def _exporter(fmt: ExportFormat) -> Exporter:
    if fmt not in _EXPORTERS:
        _EXPORTERS[fmt] = EXPORTERS[fmt]()
    return _EXPORTERS[fmt]


def run_task(task: WriteTask) -> dict[str, str]:
    """Write one task's files (in a worker, or in this process); their sha256 sums by path."""
    out = TreeWriter(task.root)
    for fmt in task.formats:
        task.work.run(_exporter(fmt), task.info, out)
    return out.hashes


def page_formats(formats: Sequence[ExportFormat]) -> tuple[ExportFormat, ...]:
    """The formats with matter pages, in the order records.LoadPlan.bodies follows."""
    return tuple(f for f in formats if EXPORTERS[f].matter_pages)


def site_entries(catalogue: Catalogue, on_lists: bytearray) -> list[int]:
    """The matters on the exported lists plus the base entries they implement, by department (registry order),
    then code — the HTML site's matters."""
    entries = catalogue.entries
    chosen = {i for i, flag in enumerate(on_lists) if flag}
    for i in list(chosen):
        base = catalogue.base_index.get(entries[i].basic_code) if entries[i].is_implementation else None
        if base is not None:
            chosen.add(base)
    rank = catalogue.lookups.department_rank
    return sorted(
        chosen, key=lambda i: (rank.get(entries[i].department, len(rank)), entries[i].department, entries[i].code)
    )


def site_matter(catalogue: Catalogue, index: int) -> SiteMatter:
    entry = catalogue.entries[index]
    region = catalogue.lookups.region_name(entry.region) if entry.region is not None else BASE_GROUP
    return SiteMatter(entry.code, entry.name, entry.department, entry.type.value, region)


def matter_page(catalogue: Catalogue, index: int, body: str) -> MatterPage:
    entry = catalogue.entries[index]
    base = catalogue.base_of(entry)
    return MatterPage(
        entry.code,
        entry.name,
        entry.department,
        entry.is_implementation,
        (base.code, base.name) if base is not None else None,
        body,
    )


def _tasks(
    catalogue: Catalogue,
    specs: Sequence[ListSpec],
    formats: tuple[ExportFormat, ...],
    info: ExportInfo,
    root: Path,
    summaries: list[ListSummary],
    stages: deque[str] | None = None,
    totals: dict[str, int] | None = None,
    bundles: BundleReport | None = None,
) -> Iterator[WriteTask]:
    """The write tasks in order; each task's stage ("lists" or "pages") is appended to `stages` as it is made, and
    `totals` holds each stage's task count once it is known."""
    stages = deque() if stages is None else stages
    totals = {} if totals is None else totals
    totals["lists"] = len(specs) + (1 if bundles is not None else 0)
    builder = ListBuilder(catalogue)
    for export in builder.build(specs):
        summaries.append(ListSummary(export.spec, len(export.rows)))
        stages.append("lists")
        yield WriteTask(root, info, formats, ListWork(export))
        del export  # its rows are freed once written (or handed to a worker), before the next list is built
    with_pages = page_formats(formats)
    if bundles is not None:
        members = {impl for f in bundles.figures for _code, _name, impl in f.members if impl}
        linked: set[str] = set()
        if with_pages:  # member matters get their pages on the site, so the bundle pages can link them
            for i, entry in enumerate(catalogue.entries):
                if entry.code in members:
                    builder.on_lists[i] = 1
                    linked.add(entry.code)
        export = bundle_list(bundles)
        summaries.append(ListSummary(export.spec, len(export.rows)))
        stages.append("lists")
        yield WriteTask(root, info, formats, BundleWork(export, bundles, frozenset(linked)))
    if not with_pages:
        return
    site = site_entries(catalogue, builder.on_lists)
    matters = [site_matter(catalogue, i) for i in site]
    totals["pages"] = 1 + len(with_pages) * -(-len(site) // PAGES_PER_TASK)
    stages.append("pages")
    yield WriteTask(root, info, with_pages, IndexWork(list(summaries), matters))
    for position, fmt in enumerate(with_pages):
        indexes = iter(site)
        while chunk := list(islice(indexes, PAGES_PER_TASK)):
            pages = [matter_page(catalogue, i, catalogue.body(i)[position]) for i in chunk]
            stages.append("pages")
            yield WriteTask(root, info, (fmt,), PagesWork(pages))


def write_export(
    catalogue: Catalogue,
    specs: Sequence[ListSpec],
    formats: Sequence[ExportFormat],
    info: ExportInfo,
    out: TreeWriter,
    workers: Workers,
    progress: Callable[[str, int, int], None] | None = None,
    bundles: BundleReport | None = None,
) -> list[ListSummary]:
    """Build the lists of `specs` (and, given `bundles`, the 一件事事项清单) and write them in every format into `out`; the lists as written.
    `progress(stage, done, total)` as tasks finish: stage "lists" (lists written), then "pages" (the HTML index
    and matter pages, in tasks of PAGES_PER_TASK pages)."""
    summaries: list[ListSummary] = []
    stages: deque[str] = deque()
    totals: dict[str, int] = {}
    done: dict[str, int] = {}
    tasks = _tasks(catalogue, specs, tuple(formats), info, out.root, summaries, stages, totals, bundles)
    for hashes in workers.map(run_task, tasks, WRITES_PER_WORKER):
        out.merge(hashes)
        stage = stages.popleft()  # results come back in the order the tasks were made
        done[stage] = done.get(stage, 0) + 1
        if progress is not None:
            progress(stage, done[stage], totals.get(stage, done[stage]))
    return summaries
