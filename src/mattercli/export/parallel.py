"""Running the exporters: every format's parts (a list, a chunk of HTML pages) in worker processes when there is
more than one CPU to use. Workers are forked, so they share the built lists without pickling them; each writes
its files into the same temporary tree and returns their sha256 sums."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from mattercli.export.formats import EXPORTERS, ExportBundle, Exporter, ExportFormat
from mattercli.export.output import TreeWriter

Unit = tuple[ExportFormat, int]
#: Formats whose parts cost most, started first so that the workers finish together.
_COST_ORDER = (ExportFormat.xlsx, ExportFormat.html, ExportFormat.json, ExportFormat.md, ExportFormat.csv)

# Worker-process state, inherited through fork.
_STATE: tuple[ExportBundle, Path] | None = None
_EXPORTERS: dict[ExportFormat, Exporter] = {}


def _exporter(fmt: ExportFormat) -> Exporter:
    if fmt not in _EXPORTERS:
        _EXPORTERS[fmt] = EXPORTERS[fmt]()
    return _EXPORTERS[fmt]


def _run(unit: Unit) -> dict[str, str]:
    assert _STATE is not None
    bundle, root = _STATE
    out = TreeWriter(root)
    _exporter(unit[0]).write_part(bundle, out, unit[1])
    return out.hashes


def units(bundle: ExportBundle, formats: Sequence[ExportFormat]) -> list[Unit]:
    ordered = sorted(formats, key=_COST_ORDER.index)
    return [(fmt, part) for fmt in ordered for part in range(_exporter(fmt).parts(bundle))]


def write_formats(bundle: ExportBundle, formats: Sequence[ExportFormat], out: TreeWriter, jobs: int) -> None:
    """Write every format into `out`; in `jobs` forked workers when that can help."""
    global _STATE
    work = units(bundle, formats)
    if jobs <= 1 or len(work) < 2 or "fork" not in get_all_start_methods():
        for fmt, part in work:
            _exporter(fmt).write_part(bundle, out, part)
        return
    _STATE = (bundle, out.root)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
            for hashes in pool.map(_run, work):
                out.merge(hashes)
    finally:
        _STATE = None
