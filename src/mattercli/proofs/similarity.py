"""Near-duplicate material names (户口簿 / 户口薄): pairs of distinct normalised names whose edit similarity reaches
a threshold, found with rapidfuzz over length blocks so that names too different in length are never compared."""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist, extract

try:  # rapidfuzz's multi-threaded similarity matrix needs numpy (installed with the `charts` or `fast` extra)
    import numpy as np
except ImportError:  # pragma: no cover - exercised by tests that block numpy
    np = None  # type: ignore[assignment]

#: 1 - edits / longer length. 0.8 still joins one wrong character in a 5- or 6-character name (0.8, 0.83) and
#: never joins 3- or 4-character names that differ at all (结婚证 / 离婚证 = 0.67, 结婚证明 / 离婚证明 = 0.75).
DEFAULT_THRESHOLD = 0.8
#: Rows × columns of one similarity matrix (float32): ~80 MB at most.
_MAX_CELLS = 20_000_000
_EPSILON = 1e-6  # rapidfuzz compares cutoffs in single precision
#: Characters that tell documents apart when they are the only difference: 一级 / 二级, 2023 / 2024, A / B.
_DISTINGUISHING = frozenset("0123456789零一二三四五六七八九十百千甲乙丙丁" + string.ascii_letters)


@dataclass(frozen=True, slots=True)
class SimilarPair:
    a: int  # index into the keys given, a < b
    b: int
    similarity: float


def similarity(a: str, b: str) -> float:
    """Normalised edit similarity, 1.0 for equal strings."""
    return float(Levenshtein.normalized_similarity(a, b))


def only_distinguishing_edits(a: str, b: str) -> bool:
    """Whether every edit between a and b changes a numeral or letter (一级 / 二级 are different documents)."""
    ops = Levenshtein.editops(a, b)
    if not len(ops):
        return False
    for op in ops:
        chars = []
        if op.tag in ("replace", "delete"):
            chars.append(a[op.src_pos])
        if op.tag in ("replace", "insert"):
            chars.append(b[op.dest_pos])
        if not all(c in _DISTINGUISHING for c in chars):
            return False
    return True


def shortest_fuzzy_length(threshold: float) -> int:
    """The shortest name that may differ by one edit and still reach `threshold` (5 at 0.8)."""
    length = 1
    while int((1 - threshold) * length + 1e-9) < 1:
        length += 1
    return length


def one_substitution_pairs(keys: Sequence[str], min_length: int, max_length: int) -> list[SimilarPair]:
    """Pairs of keys of equal length in [min_length, max_length] that differ in exactly one character (户口簿 /
    户口薄), except a numeral or letter; found by bucketing each key with one position masked out."""
    buckets: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if min_length <= len(key) <= max_length:
            for pos in range(len(key)):
                buckets[(pos, key[:pos] + key[pos + 1 :])].append(i)
    pairs: set[tuple[int, int]] = set()
    for (pos, _), members in buckets.items():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                ca, cb = keys[a][pos], keys[b][pos]
                if ca != cb and not (ca in _DISTINGUISHING and cb in _DISTINGUISHING):
                    pairs.add((min(a, b), max(a, b)))
    return [SimilarPair(a, b, similarity(keys[a], keys[b])) for a, b in sorted(pairs)]


def max_partner_length(length: int, threshold: float) -> int:
    """The longest name that can still reach `threshold` against a name of `length` (edits ≥ length difference)."""
    return int(length / threshold + 1e-9)


def similar_pairs(keys: Sequence[str], threshold: float = DEFAULT_THRESHOLD, workers: int = 1) -> list[SimilarPair]:
    """Pairs of distinct keys with similarity ≥ threshold, except pairs that differ only in numerals or letters.

    Keys are blocked by length: a key of length L is compared only with keys of length L … L / threshold, and
    lengths where no edit at all is allowed (L < 1 / (1 - threshold)) are skipped.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        by_length[len(key)].append(i)
    lengths = sorted(by_length)
    pairs: list[SimilarPair] = []
    for la in lengths:
        longest = max_partner_length(la, threshold)
        if int((1 - threshold) * longest + 1e-9) < 1:
            continue  # not one edit allowed at this length: only exact matches, which are not ours to find
        rows = by_length[la]
        cols = [i for lb in lengths if la <= lb <= longest for i in by_length[lb]]
        if len(cols) < 2:
            continue
        _compare_block(keys, rows, cols, threshold, workers, pairs)
    return pairs


def _compare_block(
    keys: Sequence[str], rows: list[int], cols: list[int], threshold: float, workers: int, out: list[SimilarPair]
) -> None:
    col_keys = [keys[i] for i in cols]
    if np is None:  # no numpy: the same cells one row at a time (slower, single-threaded), same pairs
        for a in rows:
            found = extract(
                keys[a],
                col_keys,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=threshold - _EPSILON,
                limit=None,
            )
            for _, _score, c in sorted(found, key=lambda hit: hit[2]):  # column order, as the matrix gives them
                _consider(keys, a, cols[c], threshold, out)
        return
    step = max(1, _MAX_CELLS // len(cols))
    for start in range(0, len(rows), step):
        row_ids = rows[start : start + step]
        matrix = cdist(
            [keys[i] for i in row_ids],
            col_keys,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=threshold - _EPSILON,  # rapidfuzz's own cutoff drops the exact boundary (4/5 = 0.8)
            dtype=np.float32,
            workers=workers,
        )
        for r, c in zip(*np.nonzero(matrix), strict=True):
            _consider(keys, row_ids[int(r)], cols[int(c)], threshold, out)


def _consider(keys: Sequence[str], a: int, b: int, threshold: float, out: list[SimilarPair]) -> None:
    """Keep the pair (a, b) the matrix found at the cutoff, unless it is not a near duplicate after all."""
    if a >= b and len(keys[a]) == len(keys[b]):
        return  # each same-length pair once, and never a key with itself
    if keys[a] == keys[b] or only_distinguishing_edits(keys[a], keys[b]):
        return
    score = similarity(keys[a], keys[b])  # exact value (the matrix is float32)
    if score < threshold - 1e-12:
        return
    out.append(SimilarPair(min(a, b), max(a, b), score))
