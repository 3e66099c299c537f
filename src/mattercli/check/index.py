"""Compact per-matter summaries that cross-file checks run on, so the catalogue never has to sit in memory whole."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import CaseKind, TimeUnit
from mattercli.model.normalize import material_key


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
class BasisRef:
    """One 设定依据 of a matter, as the drift rules compare it: the law and article, normalised (drift_key)."""

    law: str
    article: str | None
    index: int
    #: 设定依据 or 实施依据
    element: str = "设定依据"


def drift_key(text: str) -> str:
    """Text as the drift rules compare it: NFKC (full-width forms and brackets become half-width), no white space,
    no 《》 around a law's name."""
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("《》<>")


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
    #: False for a file that failed the schema: only its code is known, so only uniqueness is checked.
    complete: bool = True
    #: a base entry's 别名 (as written)
    aliases: tuple[str, ...] = ()
    #: the matter's own 设定依据 and 实施依据 (not those of its materials or fees)
    bases: tuple[BasisRef, ...] = ()
    #: a base entry's 不认领 regions (行政区划代码)
    not_claimed: tuple[str, ...] = ()
    #: an implementation entry's 承诺办结时限 (a 即办件 without one promises 0 工作日), for the 一件事 rules
    promised_limit: LimitRef | None = None


def share_parts(summary: MatterSummary, shared: dict[Any, Any]) -> None:
    """Point the summary's materials, time limit and repeated short strings at one shared instance each. Summaries
    made per file (or unpickled from worker processes) are all distinct objects: at 200,000 matters sharing saves
    about half of validate's memory. Frozen dataclass: the fields are set through object.__setattr__."""
    materials = summary.materials
    if materials:
        object.__setattr__(summary, "materials", tuple([shared.setdefault(m, m) for m in materials]))
    for attr in ("kind", "type", "status", "levels", "region", "legal_limit", "promised_limit"):
        value = getattr(summary, attr)
        if value is not None:
            object.__setattr__(summary, attr, shared.setdefault(value, value))


def _code_text(value: object, width: int) -> object:
    """An unquoted all-digit code that YAML read as a number, back as the code it was meant to be."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**width:
        return str(value).zfill(width)
    return value


def partial_summary(data: dict[str, object], file: str) -> MatterSummary | None:
    """What can be said of a matter file that failed the schema: its code, so cross-file checks do not cascade."""
    impl_code, basic_code = _code_text(data.get("实施编码"), 31), _code_text(data.get("基本编码"), 12)
    code = impl_code if isinstance(impl_code, str) else basic_code if isinstance(basic_code, str) else None
    if code is None:
        return None
    name = data.get("事项名称")
    return MatterSummary(
        file=file,
        kind="implementation" if "实施编码" in data else "base",
        code=code,
        basic_code=basic_code if isinstance(basic_code, str) else "",
        name=name if isinstance(name, str) else "",
        type="",
        status="",
        levels=(),
        materials=(),
        legal_limit=None,
        charges_fee=False,
        region=None,
        complete=False,
    )


def summarise(matter: BaseEntry | ImplementationEntry, file: str, synonyms: Mapping[str, str]) -> MatterSummary:
    limit = matter.legal_time_limit
    aliases: tuple[str, ...] = ()
    not_claimed: tuple[str, ...] = ()
    promised = None
    if isinstance(matter, ImplementationEntry):
        kind, levels, region = "implementation", (matter.level.value,), matter.region
        if matter.promised_time_limit is not None:
            p = matter.promised_time_limit
            promised = LimitRef(p.value, p.unit.value, p.working_days)
        elif matter.case_kind is CaseKind.IMMEDIATE:
            promised = LimitRef(0, TimeUnit.WORKING_DAY.value, 0.0)
    else:
        kind, levels, region = "base", tuple(level.value for level in matter.levels), None
        aliases = tuple(matter.aliases)
        not_claimed = tuple(n.region for n in matter.not_claimed)
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
        aliases=aliases,
        bases=tuple(
            BasisRef(drift_key(b.law), drift_key(b.article) if b.article else None, i, element)
            for element, found in (("设定依据", matter.legal_basis), ("实施依据", matter.implementation_basis))
            for i, b in enumerate(found)
        ),
        not_claimed=not_claimed,
        promised_limit=promised,
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
