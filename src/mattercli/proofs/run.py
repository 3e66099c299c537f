"""Proof clean-up (证明材料清理): candidates to cancel or replace — duplicate, circular, shareable and baseless
proofs — each with the evidence an editor needs (which matters ask for it, where, under which names).

Definitions (docs/proofs.md):
- a *proof* is a material of 材料类别 证照 or 证明; its identity is `normalise(name).key` mapped through the proof
  dictionary's 同义词 (registry/proofs.yaml);
- *duplicates*: identities joined when their names are near-identical, reported when the names vary (名称不一) or
  one matter asks twice (同一事项重复索要); 多事项重复索要 (several matters) is shown, and reported on request;
- *cycles*: matter → proof → the matter that issues it (dictionary 出具事项) → … back to the first matter;
- *shareable*: source 政府部门核发, or the issuer is registered as a 政府部门 — fetch it by data sharing;
- *review*: the 司法局's review — the rules proof-basis-rank, proof-list-mismatch, community-proof and
  pledge-scope, with every place (proof_review_section);
- *baseless*: a 证明 with no 设定依据, or on none of the three proof lists (保留, 取消, 告知承诺目录) when the
  catalogue publishes any.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mattercli.catalogue.catalog import REGISTRY_DIR, Registries
from mattercli.catalogue.snapshot import Snapshot
from mattercli.model import CancelledProofList, KeptProofList, PledgeCatalog, ProofDictionary
from mattercli.proofs.analyses import (
    ProofCatalogue,
    find_baseless,
    find_cycles,
    find_duplicates,
    find_shareable,
)
from mattercli.proofs.index import MaterialIndex, ProgressFn, build_index
from mattercli.proofs.model import (
    PROOF_KINDS,
    BaselessOccurrence,
    BaselessProof,
    BaselessReason,
    CycleStep,
    DuplicateCluster,
    DuplicateKind,
    LabelledEnum,
    ProofCycle,
    ProofOptions,
    ProofReport,
    Ref,
    ReviewFinding,
    Section,
    ShareableGroup,
    ShareableProof,
    ShareReason,
    SimilarityRule,
    SimilarNames,
    Variant,
)
from mattercli.proofs.review_section import find_review

if TYPE_CHECKING:
    from mattercli.catalogue.store import JsonRecords as RecordCache

__all__ = [
    "PROOF_KINDS",
    "BaselessOccurrence",
    "BaselessProof",
    "BaselessReason",
    "CycleStep",
    "DuplicateCluster",
    "DuplicateKind",
    "LabelledEnum",
    "ProofCatalogue",
    "ProofCycle",
    "ProofOptions",
    "ProofReport",
    "Ref",
    "ReviewFinding",
    "Section",
    "ShareReason",
    "ShareableGroup",
    "ShareableProof",
    "SimilarNames",
    "SimilarityRule",
    "Variant",
    "analyse",
    "analyse_index",
]

# --------------------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------------------


def analyse(
    snapshot: Snapshot,
    options: ProofOptions | None = None,
    progress: ProgressFn | None = None,
    cache: RecordCache | None = None,
) -> ProofReport:
    """Run the selected proof analyses on a snapshot of a catalogue (files seen before come from `cache`)."""
    options = options or ProofOptions()
    started = time.perf_counter()
    registries = snapshot.registries()
    index = build_index(snapshot, options.jobs, progress, cache)
    report = analyse_index(index, registries, options)
    if Section.review in options.sections:
        report.review = find_review(snapshot, index, registries, options.review)
    report.label, report.commit = snapshot.label, snapshot.commit
    report.notes.extend(_registry_notes(snapshot, registries))
    report.seconds = time.perf_counter() - started
    return report


def _registry_notes(snapshot: Snapshot, registries: Registries) -> list[str]:
    notes = []
    for file_name, what in (
        (ProofDictionary.FILE, "证照证明目录"),
        (KeptProofList.FILE, "保留证明事项清单"),
        (CancelledProofList.FILE, "取消的证明事项清单"),
        (PledgeCatalog.FILE, "实行告知承诺制的证明事项目录"),
    ):
        if snapshot.exists(f"{REGISTRY_DIR}/{file_name}") and not registries.has(file_name):
            notes.append(
                f"{REGISTRY_DIR}/{file_name}({what})无法读取或未通过校验,已按不存在处理;请运行 mattercli validate"
            )
    return notes


def analyse_index(index: MaterialIndex, registries: Registries, options: ProofOptions) -> ProofReport:
    """The analyses over an already built material index (no I/O)."""
    proofs = ProofCatalogue(registries)
    sections = tuple(s for s in Section if s in options.sections)
    # A material the dictionary registers is a proof whatever its 材料类别 says.
    proof_occurrences = [o for o in index.occurrences if o.form.kind in PROOF_KINDS or o.form.key in proofs.synonyms]
    report = ProofReport(
        label="",
        commit=None,
        sections=sections,
        files=len(index.matters) + len(index.skipped),
        matters=len(index.matters),
        materials=len(index.occurrences),
        proofs=len(proof_occurrences),
        skipped=sorted(index.skipped, key=lambda s: s.file),
        threshold=options.threshold,
        several_matters=options.several_matters,
    )
    if index.skipped:
        report.notes.append(f"{len(index.skipped)} 个事项文件无法读取或未通过校验,未纳入分析;请运行 mattercli validate")
    if Section.duplicates in options.sections:
        report.duplicates = find_duplicates(proof_occurrences, proofs, options)
    if Section.cycles in options.sections:
        names = _matter_names(index)
        report.cycles, report.cycles_truncated = find_cycles(index.occurrences, proofs, names, options)
    if Section.shareable in options.sections:
        report.shareable = find_shareable(index.occurrences, proofs)
    if Section.baseless in options.sections:
        report.baseless = find_baseless(index.occurrences, proofs)
    return report


def _matter_names(index: MaterialIndex) -> dict[str, str]:
    """基本编码 -> matter name: the base entry's, else the first implementation's by file (order-independent)."""
    best: dict[str, tuple[bool, str, str]] = {}
    for info in index.matters:
        rank = (info.implementation, info.file, info.name)
        if info.basic_code not in best or rank < best[info.basic_code]:
            best[info.basic_code] = rank
    return {code: name for code, (_, _, name) in best.items()}
