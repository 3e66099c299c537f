"""Material-name normalisation: the identity of a material (材料) independent of script, width, brackets and
qualifiers such as 原件/复印件, so that 居民身份證（原件） and 【居民身份证】复印件 are the same material."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import opencc

#: Qualifiers that describe how a material is handed in, not what it is; longest first so 原件及复印件 wins.
QUALIFIERS = (
    "正本和副本",
    "正副本",
    "原件及复印件",
    "原件和复印件",
    "原件或复印件",
    "复印件加盖公章",
    "加盖公章",
    "加盖单位公章",
    "复印件",
    "影印件",
    "扫描件",
    "电子版",
    "电子件",
    "原件",
    "正本",
    "副本",
    "一份",
    "两份",
    "二份",
    "三份",
    "1份",
    "2份",
    "3份",
)
_BRACKETS = "()[]{}<>（）【】〔〕［］｛｝《》〈〉「」『』"
_STRIP_RE = re.compile(r"[\s\u3000·•.,，。、:：;；!！?？\"'“”‘’_\-—~～/\\|]+")
_CONNECTORS = "及和或与并、"
_BRACKET_RE = re.compile(f"[{re.escape(_BRACKETS)}]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A material name split into its identity (`key`) and the qualifiers that were taken off it."""

    key: str
    qualifiers: tuple[str, ...]


@lru_cache(maxsize=200_000)
def normalise(name: str) -> NormalisedName:
    """Identity of a material name: simplified, half-width, no brackets/punctuation/space, qualifiers removed."""
    text = unicodedata.normalize("NFKC", name)
    text = _t2s().convert(text)
    text = _BRACKET_RE.sub(" ", text)
    whole = _STRIP_RE.sub("", text)
    found: list[str] = []
    for qualifier in QUALIFIERS:
        if qualifier in text:
            found.append(qualifier)
            text = text.replace(qualifier, " ")
    key = _STRIP_RE.sub("", text)
    if not key.strip(_CONNECTORS):
        # The name is nothing but qualifiers (e.g. 原件及复印件): it is its own identity.
        return NormalisedName(whole or _STRIP_RE.sub("", name), ())
    return NormalisedName(key, tuple(found))


def material_key(name: str, synonyms: Mapping[str, str] | None = None) -> str:
    """The key two materials share when they are the same material; synonyms map normalised keys to standard."""
    key = normalise(name).key
    if synonyms:
        return synonyms.get(key, key)
    return key
