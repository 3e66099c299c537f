"""The embedded catalogue passes every check except the one planted 只减不增 problem listed in its README."""

from __future__ import annotations

from pathlib import Path

from mattercli.validation import validate

CATALOG = Path(__file__).parent.parent / "catalog"
PLANTED_FILE = "impl/330106/11330106003041529B4000111001000.yaml"


def test_only_the_planted_only_reduce_problem() -> None:
    report = validate([CATALOG])
    assert [(f.rule, f.file) for f in report.findings] == [("only-reduce", PLANTED_FILE)]
    assert "经营场所房屋租赁合同" in report.findings[0].message
    assert PLANTED_FILE in (CATALOG / "README.md").read_text(encoding="utf-8")


def test_catalogue_size_and_coverage() -> None:
    report = validate([CATALOG])
    assert report.matters >= 120
    impl_regions = {p.name for p in (CATALOG / "impl").iterdir() if p.is_dir()}
    assert impl_regions == {"330000", "330100", "330106"}
