"""一件事 bundles: reading `bundles/<编码>.yaml`, resolving each member (基本编码) to the implementation entry of the
bundle's region, and the reduction figures (减环节, 减材料, 减时限, 减跑动, 减表单) that validate, stats, export
and diff share. See docs/bundles.md for the definitions of the figures."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from mattercli.catalogue.catalog import BUNDLES_DIR, YAML_SUFFIXES
from mattercli.catalogue.snapshot import Snapshot, parse_matter
from mattercli.catalogue.yamlio import Document
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.bundle import Bundle
from mattercli.model.codes import CaseKind, Level, MaterialKind, MatterStatus
from mattercli.model.normalize import material_key
from mattercli.model.schema import validator_for

#: 行使层级 rank: 国家级 0 … 村(社区)级 5; a member resolves to the entry at the highest level (smallest rank).
LEVEL_RANK: dict[str, int] = {level.value: rank for rank, level in enumerate(Level)}


@dataclass(frozen=True, slots=True)
class LoadedBundle:
    """One bundle file: its catalogue-relative path, the document, and the model when the file is valid."""

    file: str
    document: Document
    bundle: Bundle | None


def bundle_files(snapshot: Snapshot) -> list[str]:
    return [rel for rel in snapshot.files_under(BUNDLES_DIR) if rel.endswith(YAML_SUFFIXES)]


def parse_bundle(doc: Document) -> Bundle | None:
    if not isinstance(doc.data, dict) or validator_for("bundle").errors(doc.data):
        return None
    with contextlib.suppress(ValidationError):
        return Bundle.model_validate(doc.data)
    return None


def load_bundles(snapshot: Snapshot) -> list[LoadedBundle]:
    """Every bundle file of the snapshot, in path order (invalid ones with `bundle` None)."""
    out = []
    for rel in bundle_files(snapshot):
        doc = snapshot.document(rel)
        if doc is not None:
            out.append(LoadedBundle(rel, doc, parse_bundle(doc)))
    return out


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the checks and figures need of one matter (a base or implementation entry)."""

    file: str
    code: str
    basic_code: str
    name: str
    implementation: bool
    active: bool
    region: str | None
    level_rank: int
    #: (normalised identity, name as written) of each 申请材料
    materials: tuple[tuple[str, str], ...] = ()
    #: 承诺办结时限 in working days (a 即办件 promises 0); else 法定办结时限; None when neither is given
    days: float | None = None
    visits: int | None = None
    steps: int = 0  # 办理流程 环节
    forms: int = 0  # 申请材料 of 材料类别 申请表
    department: str = ""
    form_keys: tuple[str, ...] = ()  # identities of those 申请表


def facts_of(matter: BaseEntry | ImplementationEntry, file: str, synonyms: Mapping[str, str]) -> MemberFacts:
    materials = tuple((material_key(m.name, synonyms), m.name) for m in matter.materials)
    form_keys = tuple(material_key(m.name, synonyms) for m in matter.materials if m.kind is MaterialKind.FORM)
    forms = len(form_keys)
    legal = matter.legal_time_limit.working_days if matter.legal_time_limit else None
    if isinstance(matter, ImplementationEntry):
        promised = matter.promised_time_limit.working_days if matter.promised_time_limit else None
        if promised is None and matter.case_kind is CaseKind.IMMEDIATE:
            promised = 0.0
        return MemberFacts(
            file, matter.code, matter.basic_code, matter.name, True, matter.status is MatterStatus.ACTIVE,
            matter.region, LEVEL_RANK.get(matter.level.value, 9), materials,
            promised if promised is not None else legal, matter.visits, len(matter.process), forms, matter.body.name,
            form_keys,
        )  # fmt: skip
    rank = min((LEVEL_RANK.get(lv.value, 9) for lv in matter.levels), default=9)
    return MemberFacts(
        file, matter.code, matter.basic_code, matter.name, False, matter.status is MatterStatus.ACTIVE, None, rank,
        materials, legal, None, 0, forms, matter.guiding_department, form_keys,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ResolvedMember:
    """A member as the bundle names it, its base entry and the implementation entry it resolves to in the region."""

    index: int
    basic_code: str
    base: MemberFacts | None
    implementation: MemberFacts | None
    #: 在用 implementation entries of this 基本编码 in the bundle's region (the chosen one among them)
    candidates: tuple[MemberFacts, ...] = ()

    @property
    def name(self) -> str:
        for facts in (self.implementation, self.base):
            if facts is not None:
                return facts.name
        return self.basic_code


class MatterLookup:
    """Matters by code, for resolving members: base entries by 基本编码, implementation entries by 基本编码."""

    def __init__(self, matters: Iterable[MemberFacts]) -> None:
        self.bases: dict[str, MemberFacts] = {}
        self.implementations: dict[str, list[MemberFacts]] = {}
        self.by_code: dict[str, MemberFacts] = {}
        for m in matters:
            self.by_code.setdefault(m.code, m)
            if m.implementation:
                self.implementations.setdefault(m.basic_code, []).append(m)
            else:
                self.bases.setdefault(m.basic_code, m)

    def resolve(self, bundle: Bundle) -> list[ResolvedMember]:
        out = []
        for i, member in enumerate(bundle.members):
            base = self.bases.get(member.basic_code)
            in_region = sorted(
                (m for m in self.implementations.get(member.basic_code, ()) if m.region == bundle.region and m.active),
                key=lambda m: (m.level_rank, m.code),
            )
            chosen: MemberFacts | None
            if member.implementation_code is not None:
                chosen = next((m for m in in_region if m.code == member.implementation_code), None)
            else:
                chosen = in_region[0] if in_region else None
            out.append(ResolvedMember(i, member.basic_code, base, chosen, tuple(in_region)))
        return out


# ---------------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleFigures:
    """One bundle's figures: each `*_before` over the resolved member entries, `*_after` of the bundle itself.

    减环节 = Σ members' 办理流程 环节 − the bundle's; 减材料 = the members' distinct materials (by identity,
    `normalize.material_key`) − the bundle's (its 申请材料 plus the integrated 申请表); 减时限 = Σ members' 承诺办结时限
    (working days) − the bundle's 承诺时限; 减跑动 = Σ members' 到办事现场次数 − the bundle's; 减表单 = Σ members'
    申请表 − the bundle's (1 with an integrated 申请表)."""

    code: str
    name: str
    file: str
    region: str
    tier: str
    batch: str | None
    lead: str
    partners: tuple[str, ...]
    members: tuple[tuple[str, str, str | None], ...]  # (基本编码, 事项名称, 实施编码 or None) per member
    resolved: int
    promised_days: float
    promised_text: str
    visits: int
    steps_before: int
    steps_after: int
    materials_before: int
    materials_after: int
    days_before: float
    days_after: float
    visits_before: int
    visits_after: int
    forms_before: int
    forms_after: int
    #: materials asked by two or more members: (identity, name, member 基本编码s)
    shared: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def complete(self) -> bool:
        return self.resolved == len(self.members)

    @property
    def fewer_steps(self) -> int:
        return self.steps_before - self.steps_after

    @property
    def fewer_materials(self) -> int:
        return self.materials_before - self.materials_after

    @property
    def fewer_days(self) -> float:
        return self.days_before - self.days_after

    @property
    def fewer_visits(self) -> int:
        return self.visits_before - self.visits_after

    @property
    def fewer_forms(self) -> int:
        return self.forms_before - self.forms_after

    def reductions(self) -> dict[str, float | int]:
        return {
            "减环节": self.fewer_steps,
            "减材料": self.fewer_materials,
            "减时限": self.fewer_days,
            "减跑动": self.fewer_visits,
            "减表单": self.fewer_forms,
        }


def shared_materials(resolved: Sequence[ResolvedMember]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Materials (by identity) that two or more resolved members ask for: what the bundle should ask once."""
    askers: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for r in resolved:
        if r.implementation is None:
            continue
        for key, name in r.implementation.materials:
            names.setdefault(key, name)
            codes = askers.setdefault(key, [])
            if r.basic_code not in codes:
                codes.append(r.basic_code)
    return [(key, names[key], tuple(codes)) for key, codes in askers.items() if len(codes) > 1]


def figures_of(loaded: LoadedBundle, resolved: Sequence[ResolvedMember]) -> BundleFigures:
    bundle = loaded.bundle
    assert bundle is not None
    impls = [r.implementation for r in resolved if r.implementation is not None]
    distinct = {key for m in impls for key, _name in m.materials}
    after_materials = len(bundle.materials) + (1 if bundle.form is not None else 0)
    return BundleFigures(
        code=bundle.code,
        name=bundle.name,
        file=loaded.file,
        region=bundle.region,
        tier=bundle.tier.value,
        batch=bundle.batch,
        lead=bundle.lead,
        partners=tuple(bundle.partners),
        members=tuple((r.basic_code, r.name, r.implementation.code if r.implementation else None) for r in resolved),
        resolved=len(impls),
        promised_days=bundle.promised_time_limit.working_days,
        promised_text=bundle.promised_time_limit.describe(),
        visits=bundle.visits,
        steps_before=sum(m.steps for m in impls),
        steps_after=len(bundle.process),
        materials_before=len(distinct),
        materials_after=after_materials,
        days_before=sum(m.days or 0.0 for m in impls),
        days_after=bundle.promised_time_limit.working_days,
        visits_before=sum(m.visits or 0 for m in impls),
        visits_after=bundle.visits,
        forms_before=sum(m.forms for m in impls),
        forms_after=1 if bundle.form is not None else 0,
        shared=tuple(shared_materials(resolved)),
    )


@dataclass(frozen=True, slots=True)
class BundleTotals:
    """The figures over all (在用) bundles: counts, and each reduction summed."""

    bundles: int
    member_matters: int  # Σ members over the bundles
    distinct_matters: int  # distinct member 基本编码
    fewer_steps: int
    fewer_materials: int
    fewer_days: float
    fewer_visits: int
    fewer_forms: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "一件事数": self.bundles,
            "涉及事项数": self.member_matters,
            "涉及不同事项数": self.distinct_matters,
            "减环节": self.fewer_steps,
            "减材料": self.fewer_materials,
            "减时限": self.fewer_days,
            "减跑动": self.fewer_visits,
            "减表单": self.fewer_forms,
        }


def totals_of(figures: Sequence[BundleFigures]) -> BundleTotals:
    return BundleTotals(
        bundles=len(figures),
        member_matters=sum(len(f.members) for f in figures),
        distinct_matters=len({code for f in figures for code, _n, _c in f.members}),
        fewer_steps=sum(f.fewer_steps for f in figures),
        fewer_materials=sum(f.fewer_materials for f in figures),
        fewer_days=sum(f.fewer_days for f in figures),
        fewer_visits=sum(f.fewer_visits for f in figures),
        fewer_forms=sum(f.fewer_forms for f in figures),
    )


@dataclass(frozen=True)
class BundleReport:
    """Every bundle of a snapshot with its figures (在用 bundles only) and the totals."""

    bundles: tuple[LoadedBundle, ...]
    figures: tuple[BundleFigures, ...]
    totals: BundleTotals
    skipped: tuple[str, ...] = field(default_factory=tuple)  # bundle files that are not valid

    def by_code(self) -> dict[str, BundleFigures]:
        return {f.code: f for f in self.figures}


def member_paths(bundles: Sequence[LoadedBundle], matter_files: Iterable[str]) -> list[str]:
    """The matter files that may be members of `bundles`: named after a member's 基本编码 or a code ending with it
    (base/<基本编码>.yaml, impl/<区划>/<实施编码>.yaml — the layout rule file-name asks for), so that only those are
    read."""
    wanted = {m.basic_code for b in bundles if b.bundle for m in b.bundle.members}
    out = []
    for rel in matter_files:
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem[-12:] in wanted:
            out.append(rel)
    return out


def bundle_report(
    snapshot: Snapshot, synonyms: Mapping[str, str], matter_files: Iterable[str] | None = None
) -> BundleReport:
    """The bundles of `snapshot` and their figures; member matters are read from the files named after them."""
    loaded = load_bundles(snapshot)
    facts = []
    if loaded:
        files = snapshot.matter_files() if matter_files is None else matter_files
        for rel in member_paths(loaded, files):
            doc = snapshot.document(rel)
            matter = parse_matter(doc) if doc is not None else None
            if matter is not None:
                facts.append(facts_of(matter, rel, synonyms))
    return report_from(loaded, MatterLookup(facts))


def report_from(loaded: Sequence[LoadedBundle], lookup: MatterLookup) -> BundleReport:
    figures = []
    for item in loaded:
        if item.bundle is not None and item.bundle.status is MatterStatus.ACTIVE:
            figures.append(figures_of(item, lookup.resolve(item.bundle)))
    figures.sort(key=lambda f: f.code)
    skipped = tuple(item.file for item in loaded if item.bundle is None)
    return BundleReport(tuple(loaded), tuple(figures), totals_of(figures), skipped)
