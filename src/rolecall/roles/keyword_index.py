"""The keyword index of a capability catalogue: every keyword by its lookup keys, weighted by rarity."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from rolecall.roles.catalogue import Capability
from rolecall.roles.words import DETERMINERS, lookup_keys, phrase_words, stem, weighs

__all__ = ["Keyword", "KeywordIndex", "keyword_index"]


@dataclass(frozen=True, slots=True)
class Keyword:
    text: str
    capability: int
    weight: float


@dataclass(frozen=True, slots=True)
class KeywordIndex:
    by_key: dict[str, tuple[Keyword, ...]]
    longest: int  # the most request words a keyword can span


@lru_cache(maxsize=16)
def keyword_index(capabilities: tuple[Capability, ...]) -> KeywordIndex:
    # Keyed on the catalogue itself, which is frozen: each cast's index is built
    # once and an edited catalogue is a different key.
    phrases = [[phrase_words(k) for k in c.keywords] for c in capabilities]
    document_frequency: dict[str, int] = {}
    for capability_phrases in phrases:
        for term in {stem(w) for words in capability_phrases for w in words if weighs(w)}:
            document_frequency[term] = document_frequency.get(term, 0) + 1
    total = len(capabilities)
    by_key: dict[str, list[Keyword]] = {}
    longest = 1
    for ci, (capability, capability_phrases) in enumerate(zip(capabilities, phrases, strict=True)):
        for text, words in zip(capability.keywords, capability_phrases, strict=True):
            words = [w for w in words if w not in DETERMINERS]
            if not words:
                continue
            weight = sum(math.log(1 + total / document_frequency[stem(w)]) for w in words if weighs(w))
            keyword = Keyword(text, ci, weight or 1.0)
            for key in lookup_keys(words, [stem(w) for w in words]):
                by_key.setdefault(key, []).append(keyword)
            # A one-word keyword may be written as up to three words ("endtoend").
            longest = max(longest, len(words) + 2)
    return KeywordIndex({k: tuple(v) for k, v in by_key.items()}, longest)
