"""The building blocks of `mattercli stats`: populations, how a baseline entry changed, dimensions and filters.

`mattercli.stats.run` defines the figures on top of these; nothing here knows a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from mattercli.diff.actions import Fate, region_prefix
from mattercli.model.codes import HandlingNature, Level, MatterType
from mattercli.stats.records import BASE, IMPLEMENTATION, LEVEL_RANK, MatterRecord


class StatsError(ValueError):
    """A stats request that cannot be answered (bad --where filter, unknown dimension); the message says why."""


#: Weighted shares are withheld (no number) when fewer than this share of the matters have a 办件量 for the year.
DEFAULT_MIN_VOLUME_COVERAGE = 0.8


@dataclass(frozen=True, slots=True)
class VolumeBasis:
    """How the 办件量-weighted figures weigh: the year's volumes, and the coverage below which they say so instead
    of giving a number. `year` None: no 办件量 recorded anywhere."""

    year: int | None = None
    min_coverage: float = DEFAULT_MIN_VOLUME_COVERAGE


@dataclass(frozen=True, slots=True)
class Population:
    """The active (事项状态 在用) entries of one snapshot that a selection keeps, by kind."""

    impl: tuple[MatterRecord, ...]
    base: tuple[MatterRecord, ...]
    basis: VolumeBasis = VolumeBasis()

    @classmethod
    def of(cls, records: Iterable[MatterRecord], basis: VolumeBasis = VolumeBasis()) -> Population:
        impl: list[MatterRecord] = []
        base: list[MatterRecord] = []
        for record in records:
            if record.active:
                (impl if record.kind == IMPLEMENTATION else base).append(record)
        return cls(tuple(impl), tuple(base), basis)

    def select(self, keep: Callable[[MatterRecord], bool]) -> Population:
        return Population(tuple(r for r in self.impl if keep(r)), tuple(r for r in self.base if keep(r)), self.basis)

    def of_kind(self, kind: str) -> tuple[MatterRecord, ...]:
        return self.impl if kind == IMPLEMENTATION else self.base


# ---------------------------------------------------------------------------------------------------------------
# What became of each baseline entry
# ---------------------------------------------------------------------------------------------------------------


#: What became of each baseline entry: the one classification diff uses too (mattercli.diff.actions).
Change = Fate


# ---------------------------------------------------------------------------------------------------------------
# Dimensions (--by) and filters (--where)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dimension:
    """A way to split matters into groups. `keys` gives the groups a record belongs to (several for a base entry's
    行使层级, none when the population has no such element: base entries have no 行政区划代码)."""

    id: str
    name_zh: str
    name_en: str
    meaning: str  # what the key is, per population, for the docs
    keys: Callable[[MatterRecord], tuple[str, ...]]
    #: Fixed order of known keys (code tables); other keys sort by count, then by key.
    order: tuple[str, ...] = ()


def _region_keys(r: MatterRecord) -> tuple[str, ...]:
    return (r.region,) if r.region else ()


DIMENSIONS: dict[str, Dimension] = {
    d.id: d
    for d in (
        Dimension(
            "type", "事项类型", "matter type", "事项类型(两类事项均有)", lambda r: (r.type,), tuple(MatterType.labels())
        ),
        Dimension(
            "department",
            "部门",
            "department",
            "实施清单事项: 实施主体名称; 基本目录事项: 主管部门",
            lambda r: (r.department,),
        ),
        Dimension(
            "region",
            "行政区划",
            "region",
            "实施清单事项: 行政区划代码; 基本目录事项没有区划,不计入任何分组",
            _region_keys,
        ),
        Dimension(
            "nature",
            "办理性质",
            "handling nature",
            "办理性质(写明者从之,否则按事项类型:行政处罚、行政强制、行政检查、行政征收为依职权,其余为依申请)",
            lambda r: (r.nature,),
            tuple(n.value for n in HandlingNature),
        ),
        Dimension(
            "level",
            "行使层级",
            "level",
            "实施清单事项: 行使层级; 基本目录事项: 所列每个行使层级各计一次",
            lambda r: r.levels,
            tuple(Level.labels()),
        ),
    )
}

#: --where keys (Chinese first) -> dimension id.
FILTER_KEYS: dict[str, str] = {
    "事项类型": "type",
    "类型": "type",
    "type": "type",
    "部门": "department",
    "实施主体": "department",
    "主管部门": "department",
    "department": "department",
    "区划": "region",
    "行政区划": "region",
    "行政区划代码": "region",
    "region": "region",
    "层级": "level",
    "行使层级": "level",
    "level": "level",
    "办理性质": "nature",
    "nature": "nature",
}


@dataclass(frozen=True, slots=True)
class Filter:
    """One dimension's accepted values: a record passes when any of its keys matches any value. 区划 values match
    every region inside them (330100 matches 330106)."""

    dimension: str
    values: tuple[str, ...]

    def matches(self, record: MatterRecord) -> bool:
        keys = DIMENSIONS[self.dimension].keys(record)
        if self.dimension == "region":
            return any(k.startswith(region_prefix(v)) for k in keys for v in self.values)
        return any(k in self.values for k in keys)

    def to_dict(self) -> dict[str, object]:
        return {"dimension": self.dimension, "name_zh": DIMENSIONS[self.dimension].name_zh, "values": list(self.values)}


def _canonical_value(dimension: str, value: str) -> str:
    if dimension == "type":
        member = next((m for m in MatterType if m.value == value), None) or MatterType.from_code(value)
        if member is None:
            raise StatsError(f"未知事项类型「{value}」(可用: {'、'.join(MatterType.labels())})")
        return member.value
    if dimension == "level":
        level = next((m for m in Level if m.value == value), None) or Level.from_code(value)
        if level is None:
            raise StatsError(f"未知行使层级「{value}」(可用: {'、'.join(Level.labels())})")
        return level.value
    if dimension == "nature":
        if value not in {n.value for n in HandlingNature}:
            raise StatsError(f"未知办理性质「{value}」(可用: {'、'.join(n.value for n in HandlingNature)})")
        return value
    if dimension == "region" and not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise StatsError(f"区划须为 6 位行政区划代码,而不是「{value}」")
    return value


def parse_filters(expressions: Iterable[str]) -> tuple[Filter, ...]:
    """`部门=…`, `事项类型=行政许可`, `区划=330106`, `层级=区县级`: the same key repeated means either value,
    different keys must all hold. Values may be separated by commas (`区划=330106,330108`)."""
    values: dict[str, list[str]] = {}
    for expression in expressions:
        key, sep, raw = expression.partition("=")
        key = key.strip()
        if not sep or not raw.strip():
            raise StatsError(f"--where 须写成 键=值,如 部门=杭州市西湖区市场监督管理局,而不是「{expression}」")
        dimension = FILTER_KEYS.get(key)
        if dimension is None:
            raise StatsError(f"未知的筛选键「{key}」(可用: 事项类型、部门、区划、层级、办理性质)")
        for value in raw.replace(",", ",").split(","):
            if value.strip():
                values.setdefault(dimension, []).append(_canonical_value(dimension, value.strip()))
    return tuple(Filter(d, tuple(dict.fromkeys(v))) for d, v in values.items())


def resolve_filters(
    filters: Sequence[Filter],
    records: Iterable[MatterRecord],
    aliases: Mapping[str, str] | None = None,
    region_names: Mapping[str, str] | None = None,
) -> tuple[Filter, ...]:
    """The filters with department aliases (简称, 统一社会信用代码 → 名称) resolved, checked against the matters of
    both versions: a 部门 or 区划 value no matter has is a mistake (a typo, a name not registered) — StatsError naming
    the closest values — never a silent zero."""
    records = list(records)
    aliases = aliases or {}
    region_names = region_names or {}
    out = []
    for f in filters:
        if f.dimension not in ("department", "region"):
            out.append(f)
            continue
        seen = {k for r in records for k in DIMENSIONS[f.dimension].keys(r)}
        values = []
        for value in f.values:
            value = aliases.get(value, value) if f.dimension == "department" else value
            probe = Filter(f.dimension, (value,))
            if not any(probe.matches(r) for r in records):
                raise StatsError(_no_match(f.dimension, value, seen, region_names))
            values.append(value)
        out.append(Filter(f.dimension, tuple(dict.fromkeys(values))))
    return tuple(out)


def _no_match(dimension: str, value: str, seen: set[str], region_names: Mapping[str, str]) -> str:
    import difflib

    name = DIMENSIONS[dimension].name_zh
    if dimension == "region":
        named = {code: region_names.get(code, code) for code in seen}
        by_name = [c for c, n in named.items() if value in n]
        close = by_name or difflib.get_close_matches(value, sorted(seen), n=3, cutoff=0.5)
        shown = "、".join(f"{c}({named[c]})" if named[c] != c else c for c in close[:3])
    else:
        contains = sorted(k for k in seen if value in k or k in value)
        close = contains[:3] or difflib.get_close_matches(value, sorted(seen), n=3, cutoff=0.3)
        shown = "、".join(close)
    hint = f";最接近的: {shown}" if shown else ""
    if not shown and seen:
        some = sorted(seen)[:5]
        listed = "、".join(f"{c}({region_names[c]})" if c in region_names else c for c in some)
        hint = f";现有的如: {listed}" + ("……" if len(seen) > 5 else "")
    return f"--where {name}={value}: 两个版本中都没有这样的事项{hint} / no matter has {dimension} {value!r}"


def apply_filters(population: Population, filters: Sequence[Filter]) -> Population:
    if not filters:
        return population
    return population.select(lambda r: all(f.matches(r) for f in filters))


def dimension_id(name: str) -> str | None:
    """The dimension `--by` names: its id (`nature`) or one of its --where keys (`办理性质`)."""
    return name if name in DIMENSIONS else FILTER_KEYS.get(name)


def group_keys(dimension: Dimension, populations: Iterable[Population]) -> list[str]:
    """The groups of `dimension` seen in `populations`: code-table order first, then by size and key."""
    counts: dict[str, int] = defaultdict(int)
    for population in populations:
        for record in (*population.impl, *population.base):
            for key in dimension.keys(record):
                counts[key] += 1
    known = [k for k in dimension.order if k in counts]
    rest = sorted((k for k in counts if k not in dimension.order), key=lambda k: (-counts[k], k))
    return known + rest


def partition(population: Population, dimension: Dimension) -> Mapping[str, Population]:
    impl: dict[str, list[MatterRecord]] = defaultdict(list)
    base: dict[str, list[MatterRecord]] = defaultdict(list)
    for kind, target in ((IMPLEMENTATION, impl), (BASE, base)):
        for record in population.of_kind(kind):
            for key in dict.fromkeys(dimension.keys(record)):
                target[key].append(record)
    basis = population.basis
    return defaultdict(
        lambda: Population((), (), basis),
        {k: Population(tuple(impl.get(k, ())), tuple(base.get(k, ())), basis) for k in impl.keys() | base.keys()},
    )


__all__ = [
    "BASE",
    "DEFAULT_MIN_VOLUME_COVERAGE",
    "DIMENSIONS",
    "FILTER_KEYS",
    "IMPLEMENTATION",
    "LEVEL_RANK",
    "Change",
    "Dimension",
    "Filter",
    "Population",
    "StatsError",
    "VolumeBasis",
    "apply_filters",
    "dimension_id",
    "group_keys",
    "parse_filters",
    "partition",
    "region_prefix",
    "resolve_filters",
]
