"""Compact per-matter summaries that cross-file checks run on, so the catalogue never has to sit in memory whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mattercli.models import BaseEntry, ImplementationEntry
from mattercli.normalize import material_key


@dataclass(frozen=True, slots=True)
class MaterialRef:
    key: str
    name: str
    index: int


@dataclass(frozen=True, slots=True)
class LimitRef:
    value: int
    unit: str
    working_days: float

    def describe(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True, slots=True)
class MatterSummary:
    """What cross-file rules need of one matter file."""

    file: str
    kind: str
    code: str
    basic_code: str
    name: str
    type: str
    status: str
    levels: tuple[str, ...]
    materials: tuple[MaterialRef, ...]
    legal_limit: LimitRef | None
    charges_fee: bool
    region: str | None


def summarise(matter: BaseEntry | ImplementationEntry, file: str, synonyms: Mapping[str, str]) -> MatterSummary:
    limit = matter.legal_time_limit
    if isinstance(matter, ImplementationEntry):
        kind, levels, region = "implementation", (matter.level.value,), matter.region
    else:
        kind, levels, region = "base", tuple(level.value for level in matter.levels), None
    return MatterSummary(
        file=file,
        kind=kind,
        code=matter.code,
        basic_code=matter.basic_code,
        name=matter.name,
        type=matter.type.value,
        status=matter.status.value,
        levels=levels,
        materials=tuple(MaterialRef(material_key(m.name, synonyms), m.name, i) for i, m in enumerate(matter.materials)),
        legal_limit=LimitRef(limit.value, limit.unit.value, limit.working_days) if limit else None,
        charges_fee=matter.charges_fee,
        region=region,
    )


class CatalogIndex:
    """Summaries of every matter file, indexed by code."""

    def __init__(self, summaries: Iterable[MatterSummary]) -> None:
        self.summaries = sorted(summaries, key=lambda s: s.file)
        self.by_code: dict[str, list[MatterSummary]] = defaultdict(list)
        self.base_by_code: dict[str, MatterSummary] = {}
        for s in self.summaries:
            self.by_code[s.code].append(s)
            if s.kind == "base":
                self.base_by_code.setdefault(s.code, s)

    @property
    def implementations(self) -> list[MatterSummary]:
        return [s for s in self.summaries if s.kind == "implementation"]

    @property
    def bases(self) -> list[MatterSummary]:
        return [s for s in self.summaries if s.kind == "base"]
