"""Summaries from separate files share their materials and repeated strings once checked (validate's memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mattercli.catalogue.walk import scan_matter_files
from mattercli.check import engine as validation
from mattercli.check.engine import ValidateOptions, check_files

ROOT = Path(__file__).resolve().parent.parent / "catalog"


@pytest.mark.parametrize("jobs", [1, 2])
def test_checked_summaries_hold_each_equal_part_once(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "PARALLEL_MIN_FILES", 1)
    run = validation.Run(ROOT, ValidateOptions(cache=False, jobs=jobs))
    try:
        files = [(str(f.path), f.rel) for f in scan_matter_files(ROOT)]
        results = check_files(run.checker, files, jobs, None)
    finally:
        run.close()
    held: dict[object, set[int]] = {}
    for result in results:
        if result.summary is None:
            continue
        for material in result.summary.materials:
            held.setdefault(material, set()).add(id(material))
        held.setdefault(("type", result.summary.type), set()).add(id(result.summary.type))
    repeated = [part for part in held if sum(1 for r in results if r.summary and part in r.summary.materials) > 1]
    assert len(repeated) > 10  # the catalogue repeats materials (身份证, 营业执照 …) across matters
    assert all(len(ids) == 1 for ids in held.values()), "an equal material or string is held twice"
