"""`mattercli proofs --kind review`: the 证明事项 review (proof_review's checks, the same as validate's rules
proof-basis-rank, proof-list-mismatch, community-proof and pledge-scope) as a section of the proofs report, each
problem with every place it is found.

The material index holds six elements of each material, not the ones the review needs (必要性, the laws of 设定依据,
告知承诺, 告知承诺说明), so the files that can have a problem are parsed again: those with a 证明 that states a basis,
an implementation asking for a proof on the cancelled list or the 告知承诺目录, a material issued by a 居委会/村委会,
or any mention of 告知承诺. The rest cannot have one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mattercli.catalogue.catalog import REGISTRY_DIR, Registries
from mattercli.catalogue.snapshot import Snapshot, parse_matter
from mattercli.check.findings import Severity
from mattercli.check.proof_review import (
    Problem,
    ProofLists,
    ReviewOptions,
    basis_rank,
    community_issued,
    community_list,
    facts_of_material,
    facts_of_matter,
    is_proof,
    list_mismatch,
    pledge_scope,
)
from mattercli.model import KeptProofList
from mattercli.model.codes import MaterialKind
from mattercli.proofs.index import MaterialForm, MaterialIndex, MatterInfo, Occurrence
from mattercli.proofs.model import ReviewFinding

PLEDGE_MARK = "告知承诺".encode()
_SEVERITY_ORDER = {Severity.ERROR.value: 0, Severity.WARNING.value: 1, Severity.INFO.value: 2}


@dataclass
class _Group:
    rule: str
    severity: str
    proof: str
    message: str
    message_en: str
    refs: list[Occurrence]


def _candidates(snapshot: Snapshot, index: MaterialIndex, registries: Registries, lists: ProofLists) -> list[str]:
    community = community_list()
    synonyms = registries.synonyms
    found: set[str] = set()
    proof = MaterialKind.PROOF.value
    for o in index.occurrences:
        form = o.form
        if (form.kind == proof and form.has_basis) or community.is_community_body(form.issuer):
            found.add(o.matter.file)
        elif o.matter.implementation and lists.present:
            key = synonyms.get(form.key, form.key)
            if key in lists.cancelled or key in lists.pledges:
                found.add(o.matter.file)
    for info in index.matters:
        if info.file not in found:
            raw = snapshot.read(info.file)
            if raw is not None and PLEDGE_MARK in raw:
                found.add(info.file)
    return sorted(found)


def find_review(
    snapshot: Snapshot, index: MaterialIndex, registries: Registries, options: ReviewOptions
) -> list[ReviewFinding]:
    from mattercli.check.rules import default_registry

    rules = default_registry()
    lists = ProofLists(registries)
    places = {(o.matter.file, o.position): o for o in index.occurrences}
    groups: dict[tuple[str, str], _Group] = {}

    def add(problem: Problem, proof: str, ref: Occurrence) -> None:
        rule = rules[problem.rule]
        zh, en = rule.render(problem.key, problem.args)
        severity = (problem.severity or rule.severity).value
        group = groups.setdefault((problem.rule, zh), _Group(problem.rule, severity, proof, zh, en, []))
        group.refs.append(ref)

    for rel in _candidates(snapshot, index, registries, lists):
        doc = snapshot.document(rel)
        matter = parse_matter(doc) if doc is not None else None
        if matter is None:
            continue
        matter_facts = facts_of_matter(matter)
        offered: list[str] = []
        first_offered: Occurrence | None = None
        for i, material in enumerate(matter.materials):
            ref = places.get((rel, i))
            if ref is None:
                continue
            facts = facts_of_material(material)
            problems: list[Problem] = []
            if is_proof(facts) and registries.laws:
                found = basis_rank(material.name, facts.laws, lists, options)
                if found is not None:
                    problems.append(found)
            problems.extend(list_mismatch(facts, matter_facts, lists))
            if (community := community_issued(facts, lists)) is not None:
                problems.append(community)
            for problem in problems:
                add(problem, material.name, ref)
            if material.pledge:
                offered.append(material.name)
                first_offered = first_offered or ref
        scope = pledge_scope(matter_facts, offered, options)
        if scope is not None and first_offered is not None:
            add(scope, "、".join(offered), first_offered)
    for problem, name, ref in _kept_problems(snapshot, registries, lists, options):
        add(problem, name, ref)
    out = [
        ReviewFinding(g.rule, g.severity, g.proof, g.message, g.message_en, tuple(sorted(g.refs, key=_place)))
        for g in groups.values()
    ]
    rule_order = {r.id: i for i, r in enumerate(rules)}
    out.sort(key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), rule_order.get(f.rule, 99), f.proof, f.message))
    return out


def _place(ref: Occurrence) -> tuple[str, int, int]:
    return (ref.matter.file, ref.line or 0, ref.position)


def _kept_problems(
    snapshot: Snapshot, registries: Registries, lists: ProofLists, options: ReviewOptions
) -> Iterable[tuple[Problem, str, Occurrence]]:
    """proof-basis-rank on the 保留证明事项清单's own entries, placed at the entry's 设定依据."""
    if not registries.laws or not registries.kept_proofs:
        return
    file = f"{REGISTRY_DIR}/{KeptProofList.FILE}"
    doc = snapshot.document(file)
    for i, kept in enumerate(registries.kept_proofs):
        problem = basis_rank(kept.name, [b.law for b in kept.legal_basis], lists, options)
        if problem is None:
            continue
        line = doc.locate(("保留证明事项", i, "设定依据"))[0] if doc is not None else None
        info = MatterInfo(file, "", "", "保留证明事项清单", False, kept.issuer)
        form = MaterialForm(kept.name, lists.key(kept.name), (), MaterialKind.PROOF.value, "", kept.issuer, True)
        yield problem, kept.name, Occurrence(info, form, line, i)
