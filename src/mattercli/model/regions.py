"""GB/T 2260 administrative division codes (行政区划代码) from the dated snapshot bundled in mattercli/data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["LEVELS", "Region", "RegionTable", "region_table"]

_DATA_PACKAGE = "mattercli.data"
_TSV_NAME = "gbt2260.tsv"
_META_NAME = "gbt2260.meta.json"
_HEADER = ["code", "name", "level", "parent"]

LEVELS: tuple[str, ...] = ("省级", "地市级", "区县级")
"""Division levels as written in the ``level`` column, from the top down."""


@dataclass(frozen=True, slots=True)
class Region:
    """One division: 6-digit code, Chinese name, level (省级/地市级/区县级) and parent code (None for a province)."""

    code: str
    name: str
    level: str
    parent: str | None


def _is_six_digits(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


class RegionTable:
    """The bundled division table, loaded from package data on first use and then kept."""

    def __init__(self) -> None:
        self._loaded: tuple[dict[str, Region], str] | None = None

    def _data(self) -> tuple[dict[str, Region], str]:
        if self._loaded is not None:
            return self._loaded
        data = files(_DATA_PACKAGE)
        meta = json.loads(data.joinpath(_META_NAME).read_text(encoding="utf-8"))
        lines = data.joinpath(_TSV_NAME).read_text(encoding="utf-8").splitlines()
        if not lines or lines[0].split("\t") != _HEADER:
            raise ValueError(f"{_TSV_NAME}: unexpected header {lines[:1]!r}")
        regions: dict[str, Region] = {}
        for lineno, line in enumerate(lines[1:], start=2):
            if not line:
                continue
            fields = line.split("\t")
            if len(fields) != len(_HEADER):
                raise ValueError(f"{_TSV_NAME}:{lineno}: expected 4 fields, got {len(fields)}")
            code, name, level, parent = fields
            if not _is_six_digits(code) or level not in LEVELS or code in regions:
                raise ValueError(f"{_TSV_NAME}:{lineno}: bad row {line!r}")
            regions[code] = Region(code=code, name=name, level=level, parent=parent or None)
        self._loaded = (regions, str(meta["snapshot"]))
        return self._loaded

    def _load(self) -> dict[str, Region]:
        return self._data()[0]

    @property
    def snapshot(self) -> str:
        """Snapshot month of the bundled data, ``YYYY-MM``."""
        return self._data()[1]

    def get(self, code: str) -> Region | None:
        """The division with this exact 6-digit code, or None."""
        return self._load().get(code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._load()

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self) -> Iterator[Region]:
        return iter(self._load().values())

    def province_of(self, code: str) -> Region | None:
        """The provincial-level division containing a known code (itself for a province), or None."""
        if self.get(code) is None:
            return None
        return self.get(code[:2] + "0000")

    def path(self, code: str) -> list[Region]:
        """Divisions from the province down to ``code`` inclusive; empty if the code is unknown."""
        chain: list[Region] = []
        region = self.get(code)
        while region is not None:
            chain.append(region)
            region = self.get(region.parent) if region.parent is not None else None
        chain.reverse()
        return chain

    def is_valid(self, code: str) -> bool:
        """True for a known 6-digit code, or a 12-digit code whose first 6 digits are known."""
        if _is_six_digits(code):
            return code in self
        if len(code) == 12 and code.isascii() and code.isdigit():
            return code[:6] in self
        return False


@cache
def region_table() -> RegionTable:
    """The shared RegionTable (created once; its data is read on first use)."""
    return RegionTable()
