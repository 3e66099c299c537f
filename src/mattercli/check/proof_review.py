"""The 司法局 review of proofs (证明事项审查), shared by the `validate` rules and the `proofs` report.

One function per check, on plain facts of a material and its matter, so that the rules (which see pydantic
matters) and `mattercli proofs` (which sees compact occurrence records) decide the same way:

- `basis_rank`: every 设定依据 of a 证明 ranks below 法律, 行政法规, 地方性法规 and 国务院决定 (《优化营商环境条例》
  第四十四条); a basis that is only a 部门规章 (or 地方政府规章) is reported at its own configurable severity;
- `list_mismatch`: what the three published lists say and what an implementation still asks disagree;
- `community_issued`: a proof issued by a 居委会/村委会 that the 民政部 and five other ministries say they should
  not issue (bundled list, `data/community-proofs.yaml`, with its source);
- `pledge_scope`: 告知承诺 offered on a matter touching 国家安全, 公共安全, 生态环境, 人身健康, 生命财产安全 or
  金融审慎 without a 告知承诺说明 (domains by keyword, `data/pledge-sensitive.yaml`, replaceable in the config).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from mattercli.catalogue.yamlio import load_text
from mattercli.check.findings import Severity
from mattercli.model import (
    BaseEntry,
    CancelledProof,
    ImplementationEntry,
    KeptProof,
    Material,
    PledgeEntry,
    ProofReplacement,
)
from mattercli.model.codes import LawRank, MaterialKind, MaterialSource, Necessity
from mattercli.model.normalize import material_key, normalise
from mattercli.model.registry import FETCHED_REPLACEMENTS

if TYPE_CHECKING:
    from mattercli.catalogue.catalog import Registries

#: Ranks a 证明事项 may rest on (《优化营商环境条例》第四十四条: 法律、法规或者国务院决定).
SUFFICIENT_RANKS = frozenset(
    {LawRank.LAW, LawRank.ADMIN_REGULATION, LawRank.LOCAL_REGULATION, LawRank.STATE_COUNCIL_DECISION}
)
#: Where the options live in the config file: `[tool.mattercli.proof-rules]` (config.ProofRulesConfig).
OPTIONS_KEY = "proof-rules"


@dataclass(frozen=True)
class ReviewOptions:
    """What an office may tune: the severity of a basis that is only a 规章 (None: not reported), and the
    keyword table that says which matters touch the domains where 告知承诺 needs a reason."""

    department_rule: Severity | None = Severity.WARNING
    local_rule: Severity | None = Severity.ERROR
    sensitive_domains: Mapping[str, tuple[str, ...]] | None = None  # None: the bundled table

    def domains(self) -> Mapping[str, tuple[str, ...]]:
        return self.sensitive_domains if self.sensitive_domains is not None else bundled_sensitive_domains()

    def fingerprint(self) -> str:
        domains = sorted((k, tuple(v)) for k, v in self.domains().items())
        return repr((self.department_rule, self.local_rule, domains))


DEFAULT_OPTIONS = ReviewOptions()


def options_of(extra: Mapping[str, Any]) -> ReviewOptions:
    found = extra.get(OPTIONS_KEY)
    return found if isinstance(found, ReviewOptions) else DEFAULT_OPTIONS


# -- bundled data -----------------------------------------------------------------------------------------------


def _data(name: str) -> Any:
    text = resources.files("mattercli.data").joinpath(name).read_text(encoding="utf-8")
    doc = load_text(text, f"mattercli/data/{name}")
    if doc.data is None:  # pragma: no cover - shipped data is tested
        raise ValueError(f"mattercli/data/{name}: {doc.problems}")
    return doc.data


@dataclass(frozen=True)
class CommunityList:
    """不应由基层群众性自治组织出具证明事项清单: the names (normalised identity -> name as published), the patterns
    that say an issuer is a 居委会/村委会, and where the list comes from."""

    source: str
    published: str
    names: Mapping[str, str]
    bodies: tuple[re.Pattern[str], ...]

    def is_community_body(self, issuer: str | None) -> bool:
        return issuer is not None and any(p.search(issuer) for p in self.bodies)


@cache
def community_list() -> CommunityList:
    data = _data("community-proofs.yaml")
    names: dict[str, str] = {}
    for item in data["证明事项"]:
        for written in (item["名称"], *item.get("同义词", ())):
            names.setdefault(normalise(written).key, item["名称"])
    return CommunityList(
        source=data["来源"],
        published=str(data["发布日期"]),
        names=names,
        bodies=tuple(re.compile(p) for p in data["自治组织"]),
    )


@cache
def bundled_sensitive_domains() -> Mapping[str, tuple[str, ...]]:
    return {domain: tuple(words) for domain, words in _data("pledge-sensitive.yaml").items()}


# -- the three lists as lookups -----------------------------------------------------------------------------------


class ProofLists:
    """保留 / 取消 / 告知承诺目录 by material identity (normalised name through the dictionary's synonyms)."""

    def __init__(self, registries: Registries) -> None:
        self.synonyms = registries.synonyms
        self.present = registries.keeps_proof_lists
        self.law_by_name = registries.law_by_name
        self.kept: dict[str, KeptProof] = {}
        self.cancelled: dict[str, CancelledProof] = {}
        self.pledges: dict[str, list[PledgeEntry]] = {}
        for kept in registries.kept_proofs or ():
            self.kept.setdefault(self.key(kept.name), kept)
        for cancelled in registries.cancelled_proofs or ():
            self.cancelled.setdefault(self.key(cancelled.name), cancelled)
        for pledge in registries.pledge_catalog or ():
            self.pledges.setdefault(self.key(pledge.name), []).append(pledge)

    def key(self, name: str) -> str:
        return material_key(name, self.synonyms)

    def listed(self, key: str) -> bool:
        return key in self.kept or key in self.cancelled or key in self.pledges

    def mode(self, key: str) -> str | None:
        """How the lists handle a proof: the 替代方式 of a cancelled one, 告知承诺, 保留, or None (not listed)."""
        if key in self.cancelled:
            return self.cancelled[key].replacement.value
        if key in self.pledges:
            return ProofReplacement.PLEDGE.value
        if key in self.kept:
            return "保留"
        return None

    def pledge_for(self, key: str, basic_code: str) -> PledgeEntry | None:
        """The 告知承诺目录 entry that covers this proof on this matter (an entry without 适用事项 covers all)."""
        for entry in self.pledges.get(key, ()):
            if not entry.matters or basic_code in entry.matters:
                return entry
        return None

    def rank(self, law: str) -> LawRank | None:
        found = self.law_by_name.get(law)
        return found.rank if found is not None else None


# -- facts and problems ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaterialFacts:
    """What the checks need of one 申请材料."""

    name: str
    kind: str  # 材料类别 label
    source: str  # 来源渠道 label
    necessity: str  # 必要性 label
    issuer: str | None
    laws: tuple[str, ...]  # 法律法规名称 of its 设定依据
    pledge: bool  # 告知承诺: the applicant may promise instead


@dataclass(frozen=True, slots=True)
class MatterFacts:
    """What the checks need of the matter that asks for it."""

    implementation: bool
    basic_code: str
    name: str
    department: str  # 实施主体 (implementation) or 主管部门 (base)
    pledge_note: str | None


@dataclass(frozen=True)
class Problem:
    """A check's result: the rule, its message key and arguments, and a severity when it is not the rule's own."""

    rule: str
    key: str
    args: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


def _ranked(laws: Iterable[str], lists: ProofLists) -> list[tuple[str, LawRank]] | None:
    """Each law with its rank; None when a law is not in laws.yaml (registry-reference reports that)."""
    out = []
    for law in laws:
        rank = lists.rank(law)
        if rank is None:
            return None
        out.append((law, rank))
    return out


def _describe(ranked: Sequence[tuple[str, LawRank]]) -> str:
    return "、".join(f"《{law}》({rank.value})" for law, rank in ranked)


def basis_rank(name: str, laws: Sequence[str], lists: ProofLists, options: ReviewOptions) -> Problem | None:
    """`proof-basis-rank` for a proof resting on `laws` (a 证明 material, or a 保留 entry)."""
    if not laws:
        return None  # no basis at all: the baseless analysis and the 保留 list's own schema say so
    ranked = _ranked(laws, lists)
    if ranked is None or any(rank in SUFFICIENT_RANKS for _, rank in ranked):
        return None
    ranks = {rank for _, rank in ranked}
    args = {"value": name, "bases": _describe(ranked)}
    if ranks <= {LawRank.DEPARTMENT_RULE}:
        if options.department_rule is None:
            return None
        return Problem("proof-basis-rank", "department-rule", args, options.department_rule)
    if ranks <= {LawRank.DEPARTMENT_RULE, LawRank.LOCAL_RULE}:
        if options.local_rule is None:
            return None
        return Problem("proof-basis-rank", "local-rule", args, options.local_rule)
    return Problem("proof-basis-rank", "below", args)


def is_proof(material: MaterialFacts) -> bool:
    return material.kind == MaterialKind.PROOF.value


def list_mismatch(material: MaterialFacts, matter: MatterFacts, lists: ProofLists) -> list[Problem]:
    """`proof-list-mismatch` for one material of an implementation entry (the lists govern what applicants are
    asked locally; a base entry states the national baseline)."""
    if not matter.implementation or not lists.present:
        return []
    key = lists.key(material.name)
    out: list[Problem] = []
    required = material.necessity == Necessity.REQUIRED.value
    brought = material.source == MaterialSource.APPLICANT.value
    cancelled = lists.cancelled.get(key)
    if cancelled is not None:
        args = {
            "value": material.name,
            "listed": cancelled.name,
            "mode": cancelled.replacement.value,
            "document": cancelled.cancelled_by,
        }
        if cancelled.replacement in (ProofReplacement.CANCEL, ProofReplacement.COVERED):
            out.append(Problem("proof-list-mismatch", "cancelled", args))
        elif cancelled.replacement in FETCHED_REPLACEMENTS and brought and required:
            out.append(Problem("proof-list-mismatch", "fetched-required", args))
        elif cancelled.replacement is ProofReplacement.PLEDGE and required and not material.pledge:
            out.append(Problem("proof-list-mismatch", "cancelled-pledge", args))
    pledge = lists.pledge_for(key, matter.basic_code)
    if pledge is not None and required and not material.pledge:
        out.append(
            Problem("proof-list-mismatch", "pledge-not-offered", {"value": material.name, "listed": pledge.name})
        )
    return out


def community_issued(material: MaterialFacts, lists: ProofLists) -> Problem | None:
    """`community-proof`: a proof a 居委会/村委会 issues that the 六部门 list says they should not."""
    community = community_list()
    if not community.is_community_body(material.issuer):
        return None
    key = normalise(material.name).key
    listed = community.names.get(key) or community.names.get(lists.synonyms.get(key, key))
    if listed is None:
        return None
    return Problem("community-proof", "listed", {"value": material.name, "issuer": material.issuer, "listed": listed})


def sensitive_domains(matter: MatterFacts, options: ReviewOptions) -> list[str]:
    """The domains whose keywords occur in the matter's name or department, in table order."""
    text = f"{matter.name} {matter.department}"
    return [domain for domain, words in options.domains().items() if any(w in text for w in words)]


def pledge_scope(matter: MatterFacts, offered: Sequence[str], options: ReviewOptions) -> Problem | None:
    """`pledge-scope`: materials `offered` by 告知承诺 on a sensitive matter without a 告知承诺说明."""
    if not offered or matter.pledge_note:
        return None
    domains = sensitive_domains(matter, options)
    if not domains:
        return None
    return Problem("pledge-scope", "no-reason", {"value": matter.name, "domains": domains, "materials": list(offered)})


def facts_of_material(material: Material) -> MaterialFacts:
    return MaterialFacts(
        name=material.name,
        kind=material.kind.value,
        source=material.source.value,
        necessity=material.necessity.value,
        issuer=material.issuer,
        laws=tuple(b.law for b in material.legal_basis),
        pledge=material.pledge,
    )


def facts_of_matter(matter: BaseEntry | ImplementationEntry) -> MatterFacts:
    implementation = isinstance(matter, ImplementationEntry)
    return MatterFacts(
        implementation=implementation,
        basic_code=matter.basic_code,
        name=matter.name,
        department=matter.body.name if isinstance(matter, ImplementationEntry) else matter.guiding_department,
        pledge_note=matter.pledge_note,
    )
