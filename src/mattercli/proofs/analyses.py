"""The four proof analyses over material occurrences: duplicate clusters (exact, synonym, similar names), cycles in
the graph matter → proof → issuing matter, proofs a government body issues, and proofs without a legal basis."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from mattercli.catalogue.catalog import Registries
from mattercli.check.proof_review import ProofLists
from mattercli.model import ProofDictionaryEntry
from mattercli.model.codes import DepartmentKind, MaterialKind, MaterialSource
from mattercli.model.normalize import normalise
from mattercli.proofs.index import Occurrence
from mattercli.proofs.model import (
    SHORT_NAME_MIN_LENGTH,
    BaselessOccurrence,
    BaselessProof,
    BaselessReason,
    CycleStep,
    DuplicateCluster,
    DuplicateKind,
    ProofCycle,
    ProofOptions,
    Ref,
    ShareableGroup,
    ShareableProof,
    ShareReason,
    SimilarityRule,
    SimilarNames,
    Variant,
)
from mattercli.proofs.similarity import SimilarPair, one_substitution_pairs, shortest_fuzzy_length, similar_pairs

# --------------------------------------------------------------------------------------------------------------
# Dictionary view
# --------------------------------------------------------------------------------------------------------------


class ProofCatalogue:
    """The proof dictionary and the three proof lists (保留 / 取消 / 告知承诺目录) as lookups by material identity."""

    def __init__(self, registries: Registries) -> None:
        self.registries = registries
        self.synonyms = registries.synonyms
        self.entries: dict[str, ProofDictionaryEntry] = {}
        for entry in registries.proofs:
            self.entries.setdefault(normalise(entry.name).key, entry)
        #: None when the catalogue keeps none of the three lists (then nothing is "not listed").
        self.lists: ProofLists | None = ProofLists(registries) if registries.keeps_proof_lists else None

    def identity(self, key: str) -> str:
        """A normalised key mapped to its dictionary standard name's key (itself when not in the dictionary)."""
        return self.synonyms.get(key, key)

    def entry(self, identity: str) -> ProofDictionaryEntry | None:
        return self.entries.get(identity)

    def is_government(self, issuer: str | None) -> bool:
        if issuer is None:
            return False
        department = self.registries.department_by_name.get(issuer)
        return department is not None and department.kind is DepartmentKind.GOVERNMENT


def _variants(occurrences: Iterable[Occurrence]) -> tuple[Variant, ...]:
    counts: Counter[str] = Counter()
    matters: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Occurrence] = {}
    for o in occurrences:
        counts[o.form.name] += 1
        matters[o.form.name].add(o.matter.basic_code)
        first.setdefault(o.form.name, o)
    return tuple(
        Variant(name, first[name].key, first[name].qualifiers, n, len(matters[name]))
        for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def _refs(occurrences: Iterable[Occurrence]) -> tuple[Ref, ...]:
    return tuple(sorted(occurrences, key=lambda o: (o.matter.file, o.position)))


def _canonical(identity: str, occurrences: Sequence[Occurrence], proofs: ProofCatalogue) -> tuple[str, bool]:
    entry = proofs.entry(identity)
    if entry is not None:
        return entry.name, True
    counts = Counter(o.form.key for o in occurrences)
    return min(counts, key=lambda k: (-counts[k], len(k), k)), False


# --------------------------------------------------------------------------------------------------------------
# Duplicates
# --------------------------------------------------------------------------------------------------------------


class _UnionFind:
    """Clusters of identities; a cluster holds at most one dictionary entry (the dictionary says which differ)."""

    def __init__(self, proofs: ProofCatalogue) -> None:
        self.proofs = proofs
        self.parent: dict[str, str] = {}
        self.entry: dict[str, ProofDictionaryEntry | None] = {}

    def add(self, item: str) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.entry[item] = self.proofs.entry(item)

    def find(self, item: str) -> str:
        self.add(item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ea, eb = self.entry[ra], self.entry[rb]
        if ea is not None and eb is not None and ea is not eb:
            return False  # two different registered proofs: never the same proof, however alike their names
        self.parent[rb] = ra
        self.entry[ra] = ea or eb
        return True


def find_duplicates(
    occurrences: Sequence[Occurrence], proofs: ProofCatalogue, options: ProofOptions
) -> list[DuplicateCluster]:
    """Clusters of one proof under several names (or asked twice by one matter, or by many matters)."""
    by_identity: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        by_identity[proofs.identity(o.form.key)].append(o)
    clusters = _UnionFind(proofs)
    for identity in sorted(by_identity):
        clusters.add(identity)
    similar: dict[str, list[SimilarNames]] = defaultdict(list)
    for a, b, score, rule in _similar_names({o.form.key for o in occurrences}, proofs, options):
        ia, ib = proofs.identity(a), proofs.identity(b)
        if ia != ib and clusters.union(ia, ib):
            similar[ia].append(SimilarNames(a, b, round(score, 4), rule))
    groups: dict[str, list[str]] = defaultdict(list)
    for identity in sorted(clusters.parent):
        groups[clusters.find(identity)].append(identity)
    out = []
    for members in groups.values():
        cluster = _duplicate_cluster(members, by_identity, similar, proofs, options)
        if cluster is not None:
            out.append(cluster)
    out.sort(key=lambda c: (-c.matters, -len(c.variants), c.canonical, c.keys))
    return out


def _similar_names(
    written: set[str], proofs: ProofCatalogue, options: ProofOptions
) -> Iterator[tuple[str, str, float, SimilarityRule]]:
    """Pairs (a written form, a written or registered form) that name the same proof: edit similarity ≥ threshold
    for names long enough to allow an edit; for shorter names (3 characters up), one character off a registered
    name or synonym while the other is not registered (户口薄 / 户口簿) — two registered names are two proofs."""
    # Written forms meet the dictionary's names too: 居民户口薄 (a typo) finds 居民户口簿 (a registered synonym)
    # even where no matter writes 居民户口簿.
    keys = sorted(written | set(proofs.synonyms))
    pairs: list[tuple[SimilarPair, SimilarityRule]] = [
        (p, SimilarityRule.EDIT_SIMILARITY)
        for p in similar_pairs(keys, options.threshold, workers=max(1, options.jobs))
    ]
    shortest = shortest_fuzzy_length(options.threshold)
    for p in one_substitution_pairs(keys, SHORT_NAME_MIN_LENGTH, shortest - 1):
        if (keys[p.a] in proofs.synonyms) != (keys[p.b] in proofs.synonyms):
            pairs.append((p, SimilarityRule.ONE_CHARACTER))
    for pair, rule in pairs:
        a, b = keys[pair.a], keys[pair.b]
        if a in written or b in written:
            yield a, b, pair.similarity, rule


def _duplicate_cluster(
    members: list[str],
    by_identity: dict[str, list[Occurrence]],
    similar: dict[str, list[SimilarNames]],
    proofs: ProofCatalogue,
    options: ProofOptions,
) -> DuplicateCluster | None:
    occ = [o for m in members for o in by_identity.get(m, ())]
    if not occ:
        return None
    variants = _variants(occ)
    near_misses = tuple(sorted({s for m in members for s in similar.get(m, ())}, key=lambda s: (s.a, s.b)))
    basic_codes = {o.matter.basic_code for o in occ}
    per_file = Counter((o.matter.file, proofs.identity(o.form.key)) for o in occ)
    repeated = tuple(sorted({file for (file, _), n in per_file.items() if n > 1}))
    kinds = []
    if len(variants) > 1 or near_misses:  # a misspelt name is a variant even where it is the only one written
        kinds.append(DuplicateKind.NAME_VARIANCE)
    if len(basic_codes) > 1:
        kinds.append(DuplicateKind.SEVERAL_MATTERS)
    if repeated:
        kinds.append(DuplicateKind.SAME_MATTER)
    several = options.several_matters is not None and len(basic_codes) >= max(2, options.several_matters)
    if not (DuplicateKind.NAME_VARIANCE in kinds or repeated or several):
        return None
    entry_identity = next((m for m in members if proofs.entry(m) is not None), None)
    canonical, in_dictionary = _canonical(entry_identity or members[0], occ, proofs)
    twice = set(repeated)
    shown = [o for o in occ if several or o.matter.file in twice or o.form.name != canonical]
    return DuplicateCluster(
        canonical=canonical,
        in_dictionary=in_dictionary,
        kinds=tuple(kinds),
        keys=tuple(sorted({o.form.key for o in occ})),
        variants=variants,
        matters=len(basic_codes),
        entries=len({o.matter.file for o in occ}),
        departments=tuple(sorted({o.matter.department for o in occ})),
        similar=near_misses,
        repeated_in=repeated,
        refs=_refs(shown),
        places=_refs(occ),
    )


# --------------------------------------------------------------------------------------------------------------
# Cycles
# --------------------------------------------------------------------------------------------------------------


def find_cycles(
    occurrences: Sequence[Occurrence], proofs: ProofCatalogue, names: dict[str, str], options: ProofOptions
) -> tuple[list[ProofCycle], bool]:
    """Every cycle matter → proof → issuing matter → … → first matter, at the level of 基本编码.

    An implementation entry asks on behalf of its matter and issues what its base issues, so the requirements of a
    base entry and all its implementations are one node's edges.
    """
    import networkx as nx  # type: ignore[import-untyped]

    edges: dict[tuple[str, str], dict[str, list[Occurrence]]] = defaultdict(lambda: defaultdict(list))
    for o in occurrences:
        entry = proofs.entry(proofs.identity(o.form.key))
        if entry is None or entry.issuing_matter is None:
            continue
        if entry.issuing_matter == o.matter.basic_code and not options.self_loops:
            continue
        edges[(o.matter.basic_code, entry.issuing_matter)][entry.name].append(o)
    graph = nx.DiGraph()
    graph.add_edges_from(sorted(edges))  # sorted: which cycles a capped run keeps must not vary
    cycles: list[ProofCycle] = []
    truncated = False
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        sub = graph.subgraph(component)
        if len(component) == 1 and not any(sub.has_edge(n, n) for n in component):
            continue
        for path in nx.simple_cycles(sub, length_bound=options.max_cycle_length):
            if len(cycles) >= options.max_cycles:
                truncated = True
                break
            cycles.append(_cycle(_rotate(path), edges, names))
    cycles.sort(key=lambda c: (len(c.steps), c.matters))
    return cycles, truncated


def _rotate(path: list[str]) -> list[str]:
    start = path.index(min(path))
    return path[start:] + path[:start]


def _cycle(
    path: list[str], edges: dict[tuple[str, str], dict[str, list[Occurrence]]], names: dict[str, str]
) -> ProofCycle:
    steps = []
    for i, matter in enumerate(path):
        target = path[(i + 1) % len(path)]
        for proof, occ in sorted(edges[(matter, target)].items()):
            steps.append(CycleStep(matter, names.get(matter, ""), proof, target, names.get(target, ""), _refs(occ)))
            break  # one proof per step names the cycle; others between the same matters are listed as refs
    return ProofCycle(tuple(steps))


# --------------------------------------------------------------------------------------------------------------
# Shareable
# --------------------------------------------------------------------------------------------------------------


def find_shareable(occurrences: Sequence[Occurrence], proofs: ProofCatalogue) -> list[ShareableGroup]:
    """Materials a government body issues, grouped by issuing body, then by proof."""
    grouped: dict[str | None, dict[str, list[tuple[Occurrence, tuple[ShareReason, ...]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    government = MaterialSource.GOVERNMENT.value
    for o in occurrences:
        reasons: list[ShareReason] = []
        if o.form.source == government:
            reasons.append(ShareReason.GOVERNMENT_SOURCE)
        if proofs.is_government(o.form.issuer):
            reasons.append(ShareReason.GOVERNMENT_ISSUER)
        if not reasons:
            continue
        identity = proofs.identity(o.form.key)
        issuer = o.form.issuer
        if issuer is None and (entry := proofs.entry(identity)) is not None:
            issuer = entry.issuer
        grouped[issuer][identity].append((o, tuple(reasons)))
    groups = []
    for issuer, by_identity in grouped.items():
        items = []
        for identity, hits in by_identity.items():
            occ = [o for o, _ in hits]
            found = tuple(r for r in ShareReason if any(r in rs for _, rs in hits))
            mode = proofs.lists.mode(identity) if proofs.lists is not None else None
            name, _ = _canonical(identity, occ, proofs)
            items.append(
                ShareableProof(
                    name=name,
                    key=identity,
                    reasons=found,
                    list_mode=mode,
                    variants=_variants(occ),
                    matters=len({o.matter.basic_code for o in occ}),
                    refs=_refs(occ),
                )
            )
        items.sort(key=lambda p: (-p.matters, p.name, p.key))
        department = proofs.registries.department_by_name.get(issuer) if issuer else None
        groups.append(ShareableGroup(issuer, department.kind.value if department else None, tuple(items)))
    groups.sort(key=lambda g: (g.issuer is None, -sum(p.matters for p in g.proofs), g.issuer or ""))
    return groups


# --------------------------------------------------------------------------------------------------------------
# Baseless
# --------------------------------------------------------------------------------------------------------------


def find_baseless(occurrences: Sequence[Occurrence], proofs: ProofCatalogue) -> list[BaselessProof]:
    """证明 materials with no 设定依据, or not on the 证明事项清单 (when the catalogue keeps one)."""
    by_identity: dict[str, list[BaselessOccurrence]] = defaultdict(list)
    occ_by_identity: dict[str, list[Occurrence]] = defaultdict(list)
    proof = MaterialKind.PROOF.value
    for o in occurrences:
        if o.form.kind != proof:
            continue
        identity = proofs.identity(o.form.key)
        reasons = []
        if not o.form.has_basis:
            reasons.append(BaselessReason.NO_BASIS)
        if proofs.lists is not None and not proofs.lists.listed(identity):
            reasons.append(BaselessReason.NOT_LISTED)
        if reasons:
            by_identity[identity].append(BaselessOccurrence(o, tuple(reasons)))
            occ_by_identity[identity].append(o)
    out = []
    for identity, hits in by_identity.items():
        occ = occ_by_identity[identity]
        name, _ = _canonical(identity, occ, proofs)
        out.append(
            BaselessProof(
                name=name,
                key=identity,
                reasons=tuple(r for r in BaselessReason if any(r in h.reasons for h in hits)),
                matters=len({o.matter.basic_code for o in occ}),
                occurrences=tuple(sorted(hits, key=lambda h: (h.ref.matter.file, h.ref.line or 0))),
            )
        )
    out.sort(key=lambda p: (-p.matters, p.name, p.key))
    return out
