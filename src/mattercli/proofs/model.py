"""What `mattercli proofs` finds, as data: the analyses (`Section`), their options, and the findings with their
evidence — duplicate clusters, cycles, shareable and baseless proofs — gathered in a `ProofReport`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mattercli.check.proof_review import DEFAULT_OPTIONS, ReviewOptions
from mattercli.model.codes import MaterialKind
from mattercli.proofs.index import Occurrence, Skipped
from mattercli.proofs.similarity import DEFAULT_THRESHOLD

#: Material categories that are proofs (证照 certificates and licences, 证明 proofs); 申请表 and 其他材料 are not.
PROOF_KINDS = frozenset({MaterialKind.CERTIFICATE.value, MaterialKind.PROOF.value})
#: Names shorter than this are never joined by similarity (two characters: one change is half the name).
SHORT_NAME_MIN_LENGTH = 3


class Section(StrEnum):
    """The four analyses (`--kind`)."""

    duplicates = "duplicates"
    cycles = "cycles"
    shareable = "shareable"
    baseless = "baseless"
    review = "review"

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    Section.duplicates: "重复证明",
    Section.cycles: "循环证明",
    Section.shareable: "可共享证明",
    Section.baseless: "无依据证明",
    Section.review: "证明事项审查",
}


class LabelledEnum(StrEnum):
    """An id used in JSON (value) with a Chinese and an English label."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class DuplicateKind(LabelledEnum):
    NAME_VARIANCE = ("name-variance", "名称不一", "names vary")
    SEVERAL_MATTERS = ("several-matters", "多事项重复索要", "asked by several matters")
    SAME_MATTER = ("same-matter", "同一事项重复索要", "asked twice by one matter")


class ShareReason(LabelledEnum):
    GOVERNMENT_SOURCE = ("government-source", "来源渠道为政府部门核发", "source: issued by a government body")
    GOVERNMENT_ISSUER = ("government-issuer", "出具单位为政府部门", "issuer is a government department")


class BaselessReason(LabelledEnum):
    NO_BASIS = ("no-basis", "无设定依据", "no legal basis")
    NOT_LISTED = ("not-listed", "未列入证明事项清单", "not on the published proof list")


@dataclass(frozen=True)
class ProofOptions:
    sections: frozenset[Section] = frozenset(Section)
    #: Edit similarity (1 - edits / longer length) at which two different names are the same proof.
    threshold: float = DEFAULT_THRESHOLD
    #: Also report a proof asked under one consistent name by at least this many matters (None: never).
    several_matters: int | None = None
    jobs: int = 1
    #: Report a matter that needs a proof it issues itself (a renewal needs the old licence); off by default.
    self_loops: bool = False
    #: Cycles are enumerated up to this many matters long, and at most `max_cycles` of them.
    max_cycle_length: int = 8
    max_cycles: int = 1000
    #: The 证明事项 review's options (`[tool.mattercli.proof-rules]`, the same as validate's rules).
    review: ReviewOptions = DEFAULT_OPTIONS


#: Where a proof is asked for: file and line of the material, the matter (code, 基本编码, name), its department and
#: the material's name as written (`.material`). The occurrence record itself, so evidence costs no copies.
Ref = Occurrence


@dataclass(frozen=True, slots=True)
class Variant:
    """One way a proof's name is written, and how often."""

    name: str
    key: str
    qualifiers: tuple[str, ...]
    occurrences: int
    matters: int


class SimilarityRule(LabelledEnum):
    EDIT_SIMILARITY = ("edit-similarity", "名称相似度达到阈值", "edit similarity reaches the threshold")
    ONE_CHARACTER = (
        "one-character",
        "与目录中的标准名称或同义词仅差一个字",
        "one character off a registered name or synonym",
    )


@dataclass(frozen=True, slots=True)
class SimilarNames:
    """Evidence for a fuzzy join: two normalised names, their similarity and the rule that joined them."""

    a: str
    b: str
    similarity: float
    rule: SimilarityRule


@dataclass(frozen=True)
class DuplicateCluster:
    canonical: str  # the suggested standard name: the dictionary's, else the most used form
    in_dictionary: bool
    kinds: tuple[DuplicateKind, ...]
    keys: tuple[str, ...]  # normalised identities joined in this cluster
    variants: tuple[Variant, ...]
    matters: int  # distinct 基本编码 asking for it
    entries: int  # distinct matter files asking for it
    departments: tuple[str, ...]
    similar: tuple[SimilarNames, ...]
    repeated_in: tuple[str, ...]  # files that ask for it more than once
    #: The places that make it a finding: names written otherwise than `canonical`, every place in a file that asks
    #: twice, and (with `several_matters`) every place. `places` is every place the proof is asked for.
    refs: tuple[Ref, ...]
    places: tuple[Ref, ...]


@dataclass(frozen=True)
class CycleStep:
    matter: str  # 基本编码
    matter_name: str
    proof: str  # dictionary standard name of the proof this matter asks for
    issued_by: str  # 基本编码 of the matter that issues it
    issued_by_name: str
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class ProofCycle:
    steps: tuple[CycleStep, ...]

    @property
    def matters(self) -> tuple[str, ...]:
        return tuple(s.matter for s in self.steps)

    def path(self) -> str:
        parts = [f"{s.matter}「{s.matter_name}」 —{s.proof}→ " for s in self.steps]
        first = self.steps[0]
        return "".join(parts) + f"{first.matter}「{first.matter_name}」"


@dataclass(frozen=True)
class ShareableProof:
    name: str  # canonical name
    key: str
    reasons: tuple[ShareReason, ...]
    list_mode: str | None  # 办理方式 on the 证明事项清单, when listed
    variants: tuple[Variant, ...]
    matters: int
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class ShareableGroup:
    issuer: str | None  # None: the issuing body is not stated
    department_kind: str | None  # 部门性质 when the issuer is registered
    proofs: tuple[ShareableProof, ...]


@dataclass(frozen=True, slots=True)  # one per place: slots keep it small
class BaselessOccurrence:
    ref: Ref
    reasons: tuple[BaselessReason, ...]


@dataclass(frozen=True)
class BaselessProof:
    name: str
    key: str
    reasons: tuple[BaselessReason, ...]
    matters: int
    occurrences: tuple[BaselessOccurrence, ...]


@dataclass(frozen=True)
class ReviewFinding:
    """One 证明事项 review problem (the rules proof-basis-rank, proof-list-mismatch, community-proof, pledge-scope)
    and every place it is found: materials of matters, or entries of a registry list (a place whose matter code
    is empty and whose matter name is the list's)."""

    rule: str
    severity: str  # error | warning | info
    proof: str
    message: str
    message_en: str
    refs: tuple[Ref, ...]


@dataclass
class ProofReport:
    label: str
    commit: str | None
    sections: tuple[Section, ...]
    files: int
    matters: int
    materials: int
    proofs: int  # occurrences of materials that are proofs
    skipped: list[Skipped]
    notes: list[str] = field(default_factory=list)
    threshold: float = DEFAULT_THRESHOLD
    several_matters: int | None = None
    duplicates: list[DuplicateCluster] = field(default_factory=list)
    cycles: list[ProofCycle] = field(default_factory=list)
    cycles_truncated: bool = False
    shareable: list[ShareableGroup] = field(default_factory=list)
    baseless: list[BaselessProof] = field(default_factory=list)
    review: list[ReviewFinding] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, section: Section) -> int:
        return {
            Section.duplicates: len(self.duplicates),
            Section.cycles: len(self.cycles),
            Section.shareable: sum(len(g.proofs) for g in self.shareable),
            Section.baseless: len(self.baseless),
            Section.review: len(self.review),
        }[section]

    @property
    def has_findings(self) -> bool:
        return any(self.count(s) for s in self.sections)
