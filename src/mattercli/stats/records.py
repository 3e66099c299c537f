"""What `stats` needs of each matter, read from a snapshot (in worker processes for large catalogues).

A `MatterRecord` is small and picklable: the few elements the figures in `mattercli.stats.run` count, already reduced
(time limits in working days, material identities normalised), so figures never touch YAML or pydantic.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from mattercli.catalogue.catalog import iter_matter_files
from mattercli.catalogue.gitio import GitError, GitRepo
from mattercli.catalogue.snapshot import Snapshot, WorktreeSnapshot, parse_matter
from mattercli.catalogue.yamlio import DEFAULT_MAX_BYTES, load_bytes
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import CaseKind, HandlingNature, Level, MaterialKind, MatterStatus, OnlineDepth
from mattercli.model.normalize import material_key

IMPLEMENTATION = "implementation"
BASE = "base"
ACTIVE = MatterStatus.ACTIVE.value
#: 行使层级 labels from highest (国家级) to lowest (村(社区)级); a larger rank is a lower level.
LEVEL_RANK: dict[str, int] = {level.value: rank for rank, level in enumerate(Level)}


@dataclass(frozen=True, slots=True)
class MaterialFact:
    """One 申请材料: its normalised identity (`mattercli.model.normalize.material_key`) and whether it is a 证明."""

    key: str
    is_proof: bool


@dataclass(frozen=True, slots=True)
class MatterRecord:
    """One schema-valid matter file as the figures see it."""

    file: str
    kind: str  # IMPLEMENTATION or BASE
    code: str  # 实施编码 or 基本编码
    basic_code: str
    name: str
    type: str  # 事项类型 label
    status: str  # 事项状态 label
    department: str  # 实施主体名称 (implementation) or 主管部门 (base)
    region: str | None  # 行政区划代码 (implementation only)
    levels: tuple[str, ...]  # 行使层级: one for an implementation entry, those listed for a base entry
    materials: tuple[MaterialFact, ...]
    legal_days: float | None  # 法定办结时限 in working days
    promised_days: float | None  # 承诺办结时限 in working days; a 即办件 without one promises 0
    immediate: bool  # 办件类型 即办件
    visits: int | None  # 到办事现场次数
    full_online: bool  # 网上办理深度 reaches 办理 (全程网办)
    charges_fee: bool  # 是否收费
    merged_from: tuple[str, ...]  # 合并自
    previous_codes: tuple[str, ...]  # 原事项编码
    split_from: str | None = None  # 拆分自
    nature: str = HandlingNature.ON_APPLICATION.value  # 办理性质 (explicit, else implied by 事项类型)
    unsuitable: tuple[str, ...] = ()  # 不适宜.方式 declared (网上办理, 跑零次, 即办)
    volumes: tuple[tuple[int, int], ...] = ()  # 办件量 (年度, 件数) written in the matter, by year

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def on_application(self) -> bool:
        return self.nature == HandlingNature.ON_APPLICATION.value

    def volume(self, year: int) -> int | None:
        return next((count for y, count in self.volumes if y == year), None)

    @property
    def level_rank(self) -> int:
        """Rank of the lowest level this matter is exercised at (larger = lower)."""
        return max((LEVEL_RANK.get(level, -1) for level in self.levels), default=-1)


def record_of(matter: BaseEntry | ImplementationEntry, file: str, synonyms: Mapping[str, str]) -> MatterRecord:
    materials = tuple(
        MaterialFact(material_key(m.name, synonyms), m.kind is MaterialKind.PROOF) for m in matter.materials
    )
    legal = matter.legal_time_limit.working_days if matter.legal_time_limit else None
    common = {
        "file": file,
        "code": matter.code,
        "basic_code": matter.basic_code,
        "name": matter.name,
        "type": matter.type.value,
        "status": matter.status.value,
        "materials": materials,
        "legal_days": legal,
        "charges_fee": matter.charges_fee,
        "merged_from": tuple(matter.merged_from),
        "previous_codes": tuple(matter.previous_codes),
        "split_from": matter.split_from,
        "nature": matter.nature.value,
    }
    if isinstance(matter, ImplementationEntry):
        immediate = matter.case_kind is CaseKind.IMMEDIATE
        promised = matter.promised_time_limit.working_days if matter.promised_time_limit else None
        if promised is None and immediate:
            promised = 0.0
        return MatterRecord(
            kind=IMPLEMENTATION,
            department=matter.body.name,
            region=matter.region,
            levels=(matter.level.value,),
            promised_days=promised,
            immediate=immediate,
            visits=matter.visits,
            full_online=OnlineDepth.HANDLE in matter.online_depth,
            unsuitable=tuple(sorted({u.mode.value for u in matter.unsuitable})),
            volumes=tuple(sorted({v.year: v.count for v in matter.case_volumes}.items())),
            **common,
        )
    return MatterRecord(
        kind=BASE,
        department=matter.guiding_department,
        region=None,
        levels=tuple(level.value for level in matter.levels),
        promised_days=None,
        immediate=False,
        visits=None,
        full_online=False,
        **common,
    )


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where figures come from: the snapshot label, its commit (None for the work tree) and, for the work tree
    inside a git repository, the HEAD commit it sits on."""

    label: str
    commit: str | None
    head: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {"label": self.label, "commit": self.commit}
        if self.commit is None:
            out["head"] = self.head
        return out


def source_of(snapshot: Snapshot, with_head: bool = True) -> SourceInfo:
    head = None
    if snapshot.commit is None and with_head and isinstance(snapshot, WorktreeSnapshot):
        try:
            with GitRepo(snapshot.root) as repo:
                head = repo.resolve("HEAD")
        except GitError:
            head = None
    return SourceInfo(snapshot.label, snapshot.commit, head)


@dataclass(frozen=True, slots=True)
class LoadedRecords:
    records: tuple[MatterRecord, ...]
    #: Matter files left out because they cannot be read or fail the schema (`mattercli validate` says why).
    skipped: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------------------
# Records as plain values (what workers send back and the cache stores), and back
# ---------------------------------------------------------------------------------------------------------------

#: The elements of a record but its file, in declaration order.
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MatterRecord) if f.name != "file")
#: A record's FIELDS as plain values, its materials as (key, is_proof) pairs: a tuple of str, float, int, bool and
#: tuples pickles and unpickles in C, where a dataclass goes through Python code field by field.
RecordFields = tuple[Any, ...]
_MATERIALS = FIELDS.index("materials")


def fields_of(record: MatterRecord) -> RecordFields:
    values = [getattr(record, name) for name in FIELDS]
    values[_MATERIALS] = tuple((m.key, m.is_proof) for m in record.materials)
    return tuple(values)


class RecordBuilder:
    """Makes records from their fields with equal values shared: 200,000 records name a few thousand departments,
    matter names, levels, time limits and materials, and every chunk a worker sends back brings its own copies of
    them. Sharing them keeps a record to little more than its own file, code and list of materials."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._numbers: dict[float, float] = {}
        self._codes: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._facts: dict[tuple[str, bool], MaterialFact] = {}

    def _str(self, value: str) -> str:
        return self._strings.setdefault(value, value)

    def _number(self, value: float | None) -> float | None:
        # Floats only: 20 and 20.0 are equal keys, and an int must stay an int.
        return self._numbers.setdefault(value, value) if type(value) is float else value

    def _tuple(self, values: Sequence[str]) -> tuple[str, ...]:
        key = tuple(self._str(v) for v in values)
        return self._codes.setdefault(key, key)

    def _fact(self, pair: Sequence[Any]) -> MaterialFact:
        key = (str(pair[0]), bool(pair[1]))
        fact = self._facts.get(key)
        if fact is None:
            fact = self._facts[key] = MaterialFact(self._str(key[0]), key[1])
        return fact

    def _materials_of(self, pairs: Sequence[Sequence[Any]]) -> tuple[MaterialFact, ...]:
        # The facts are shared, not the tuples: half the material lists are a matter's own, and keeping every
        # list seen as a lookup key would cost more than it saves.
        return tuple(self._fact(pair) for pair in pairs)

    def record(self, file: str, values: Sequence[Any]) -> MatterRecord:
        """The record of `file` from its FIELDS values (a JSON list from the cache will do: lists become tuples)."""
        (kind, code, basic_code, name, type_, status, department, region, levels, materials, legal_days,
         promised_days, immediate, visits, full_online, charges_fee, merged_from, previous_codes,
         split_from, nature, unsuitable, volumes) = values  # fmt: skip
        s = self._str
        return MatterRecord(
            file=file,
            kind=s(kind),
            code=code,
            basic_code=s(basic_code),
            name=s(name),
            type=s(type_),
            status=s(status),
            department=s(department),
            region=None if region is None else s(region),
            levels=self._tuple(levels),
            materials=self._materials_of(materials),
            legal_days=self._number(legal_days),
            promised_days=self._number(promised_days),
            immediate=immediate,
            visits=visits,
            full_online=full_online,
            charges_fee=charges_fee,
            merged_from=self._tuple(merged_from),
            previous_codes=self._tuple(previous_codes),
            split_from=split_from,
            nature=s(nature),
            unsuitable=self._tuple(unsuitable),
            volumes=tuple((int(y), int(n)) for y, n in volumes),
        )


assert FIELDS == (
    "kind", "code", "basic_code", "name", "type", "status", "department", "region", "levels", "materials",
    "legal_days", "promised_days", "immediate", "visits", "full_online", "charges_fee", "merged_from",
    "previous_codes", "split_from", "nature", "unsuitable", "volumes",
), "RecordBuilder.record unpacks FIELDS by position"  # fmt: skip


# Worker-process state: the synonym table, set once per process.
_SYNONYMS: Mapping[str, str] = {}


def init_worker(synonyms: Mapping[str, str]) -> None:
    global _SYNONYMS
    _SYNONYMS = synonyms


def records_of_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[RecordFields | None]:
    """Parse (path, bytes) pairs with the synonym table `init_worker` set: each file's record fields, in order (the
    receiver knows the paths), or None for a file that fails the schema."""
    out: list[RecordFields | None] = []
    for rel, raw in chunk:
        matter = parse_matter(load_bytes(raw, rel, DEFAULT_MAX_BYTES))
        out.append(None if matter is None else fields_of(record_of(matter, rel, _SYNONYMS)))
    return out


def matter_files(snapshot: Snapshot) -> list[str]:
    if isinstance(snapshot, WorktreeSnapshot):
        # iter_matter_files yields paths under the (resolved) root: no need to resolve each one again.
        prefix = len(str(snapshot.root)) + 1
        return [str(p)[prefix:].replace(os.sep, "/") for p in iter_matter_files(snapshot.root)]
    return snapshot.matter_files()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
