"""Tests for the bundled GB/T 2260 division table (mattercli.model.regions)."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from mattercli.model.regions import LEVELS, Region, RegionTable, region_table


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return region_table()


def _meta() -> dict[str, object]:
    raw = files("mattercli.data").joinpath("gbt2260.meta.json").read_text(encoding="utf-8")
    meta: dict[str, object] = json.loads(raw)
    return meta


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("330000", "浙江省", "省级"),
        ("330100", "杭州市", "地市级"),
        ("330106", "西湖区", "区县级"),
        ("450000", "广西壮族自治区", "省级"),
        ("450100", "南宁市", "地市级"),
        ("110101", "东城区", "区县级"),
        ("710000", "台湾省", "省级"),
        ("810000", "香港特别行政区", "省级"),
        ("820000", "澳门特别行政区", "省级"),
    ],
)
def test_known_codes(table: RegionTable, code: str, name: str, level: str) -> None:
    region = table.get(code)
    assert region is not None
    assert region.name == name
    assert region.level == level
    assert code in table
    assert table.is_valid(code)


@pytest.mark.parametrize(
    "code", ["339999", "12345", "abcdef", "", "3301060", "990000", "\uff13\uff13\uff10\uff11\uff10\uff16"]
)
def test_invalid_codes(table: RegionTable, code: str) -> None:
    assert not table.is_valid(code)
    assert table.get(code) is None
    assert table.province_of(code) is None
    assert table.path(code) == []


def test_contains_non_str(table: RegionTable) -> None:
    assert 330106 not in table
    assert None not in table


def test_twelve_digit_codes(table: RegionTable) -> None:
    assert table.is_valid("330106000000")
    assert table.is_valid("330106001000")
    assert not table.is_valid("339999000000")
    assert not table.is_valid("33010600100x")
    assert not table.is_valid("3301060010000")
    # get() is exact: 12-digit codes are only accepted by is_valid().
    assert table.get("330106000000") is None


def test_province_of(table: RegionTable) -> None:
    province = table.province_of("330106")
    assert province is not None and province.code == "330000"
    assert table.province_of("330000") == table.get("330000")


def test_path(table: RegionTable) -> None:
    assert [r.code for r in table.path("330106")] == ["330000", "330100", "330106"]
    assert [r.name for r in table.path("450100")] == ["广西壮族自治区", "南宁市"]
    assert [r.code for r in table.path("330000")] == ["330000"]
    # A county directly under its province (no prefecture row) has a two-step path.
    assert [r.code for r in table.path("419001")] == ["410000", "419001"]


def test_rows_consistent(table: RegionTable) -> None:
    regions = list(table)
    assert len(table) == len(regions) > 3000
    assert len({r.code for r in regions}) == len(regions)
    provinces = [r for r in regions if r.level == "省级"]
    assert len(provinces) == 34
    for region in regions:
        assert isinstance(region, Region)
        assert re.fullmatch(r"[0-9]{6}", region.code)
        assert region.level in LEVELS
        assert region.name
        if region.level == "省级":
            assert region.parent is None and region.code.endswith("0000")
        else:
            assert region.parent is not None and region.parent in table
            assert region.parent[:2] == region.code[:2]


def test_meta_matches_table(table: RegionTable) -> None:
    meta = _meta()
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}", table.snapshot)
    assert meta["snapshot"] == table.snapshot
    assert meta["rows"] == len(table)
    assert isinstance(meta["source"], str) and meta["source"]


def test_region_table_is_cached() -> None:
    assert region_table() is region_table()


def test_region_is_frozen() -> None:
    region = Region(code="330106", name="西湖区", level="区县级", parent="330100")
    with pytest.raises(AttributeError):
        region.name = "x"  # type: ignore[misc, unused-ignore]
