"""Words of requests and keywords, read the same way: tokens, clauses and a small stemmer.

Lower case, apostrophes dropped ("night's" is "nights"), any other character
that is not a letter or digit is a word break, determiners ("the", "a",
"our"...) left out, and each word reduced by :func:`stem`, so "roll back",
"roll-back", "rolled back" and "rollback" are one phrase, and "deploys",
"deployed", "deploying" and "deployment" are all "deploy".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["DETERMINERS", "HitRole", "Word", "lookup_keys", "phrase_words", "request_words", "stem", "weighs"]

HitRole = Literal["lead", "body", "context"]
"""Where a match sits in its clause: in the words the clause leads with, in the
rest of it, or after a word such as "for" that only says what the work is for."""


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Dropped before matching, so "review the code" also matches "review our code".
DETERMINERS = _word_set("a an the this these those our my your their its his her some")
# Start a new clause: each clause has its own leading words.
_CLAUSE_WORDS = _word_set("and then but also plus")
# What follows these only says what the work is for, where, or when.
_CONTEXT_WORDS = _word_set(
    "for of on in into from with without against about behind under over across at via by within after "
    "before during between per inside through around so that which where when while because since if "
    "until unless"
)
# Words that do not name the work: generic verbs, pronouns, modals, politeness.
_FILLER = _word_set(
    "add create make build write get set up put give do does did please let lets help need needs want "
    "would like could can should will must may might have has had is are was were be been being i we you "
    "me us it they them he she what who how any all every each other new just now quickly really "
    "go start sure to"
)

_APOSTROPHES = re.compile(r"['\u2019`]")
# Words (an apostrophe inside one is dropped: "night's" is "nights"), and the
# punctuation that ends a clause: "." only at the end of a sentence (not in
# "auth.py") and "-" only between spaces (not in "roll-back").
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019`][^\W_]+)*|[,;:!?()\[\]\u2013\u2014]|\.(?!\w)|(?<!\w)-(?!\w)")
_Z_SPELLING = re.compile(r"([iy])s(e|ed|es|ing|ation|ations)$")


# ---------------------------------------------------------------------------
# Normalisation


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Reduce a lower-case word to the form shared by its variants.

    A light suffix stemmer, one step from each group:

    - "-ise"/"-yse" spellings become "-ize"/"-yze" (summarise, summarize);
    - plurals and verb forms: -ies/-ied to -y, -sses to -ss, -es after x, ch,
      sh and z, -s (not after s, u or i), -ing and -ed when a vowel is left
      (a doubled final consonant is undoubled: shipping, ship);
    - derivations: -ibility, -ability, -mentation, -ification, -ify,
      -ization, -uration, -ation, -tion, -ment (deployment, deploy; not
      requirement, which would meet "required"), -ly;
    - a final "e" is dropped, so validate, validated and validating meet.

    Words of three letters or fewer and words with digits are left alone.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _Z_SPELLING.sub(r"\1z\2", word)
    word = _strip_derivation(_strip_inflection(word))
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def _strip_inflection(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("eed"):
        return word
    for suffix in ("ing", "ed"):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            if len(base) >= 3 and any(c in "aeiou" for c in base):
                return _undouble(base)
            return word
    return word


def _undouble(base: str) -> str:
    if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "aeiouylsz":
        return base[:-1]
    return base


# (suffix, replacement, shortest stem left before the replacement)
_DERIVATIONS: tuple[tuple[str, str, int], ...] = (
    ("ibility", "ibl", 2),
    ("ability", "abl", 2),
    ("mentation", "ment", 3),
    ("ification", "if", 3),
    ("ify", "if", 3),
    ("ization", "iz", 3),
    ("uration", "ur", 3),
    ("ation", "at", 3),
    ("tion", "t", 3),
    ("ly", "", 4),
)


def _strip_derivation(word: str) -> str:
    for suffix, replacement, shortest in _DERIVATIONS:
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            return base + replacement if len(base) >= shortest else word
    if word.endswith("ment"):
        base = word[:-4]
        if len(base) >= 5 and not base.endswith("e"):
            return base
    return word


@dataclass(frozen=True, slots=True)
class Word:
    raw: str
    stem: str
    segment: int  # punctuation-delimited run; a keyword never spans two
    clause: int
    role: HitRole
    after: str  # the context word this one follows, if any
    start: int  # where it is in the request, to quote it
    end: int


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    for found in _TOKEN.finditer(text):
        yield _APOSTROPHES.sub("", found.group().lower()), found.start(), found.end()


def request_words(text: str) -> list[Word]:
    """The request's words with their clause, role and stem; determiners left out."""
    words: list[Word] = []
    segment = clause = 0
    role: HitRole = "lead"
    after = ""
    leading = True  # still in the filler words before the clause's first content word
    for token, start, end in _tokens(text):
        if not token[0].isalnum():
            segment, clause, role, after, leading = segment + 1, clause + 1, "lead", "", True
            continue
        if token in _CLAUSE_WORDS:
            clause, role, after, leading = clause + 1, "lead", "", True
            words.append(Word(token, token, segment, clause, "body", "", start, end))
            continue
        if token in _CONTEXT_WORDS:
            role, after, leading = "context", token, False
        elif token in DETERMINERS or token in _FILLER:
            # The run of words the clause leads with ends at its first function word.
            if not leading and role == "lead":
                role = "body"
            if token in DETERMINERS:
                continue
        else:
            leading = False
        words.append(Word(token, stem(token), segment, clause, "body" if leading else role, after, start, end))
    return words


def phrase_words(phrase: str) -> list[str]:
    return [token for token, _, _ in _tokens(phrase) if token[0].isalnum()]


def lookup_keys(raws: Sequence[str], stems: Sequence[str]) -> set[str]:
    """How a run of words is looked up: its stems written together, and the stem of
    its words written together (so "type check" meets "typecheck" although "type"
    alone stems to "typ")."""
    return {"".join(stems), stem("".join(raws))}


def weighs(word: str) -> bool:
    return not (word in _CONTEXT_WORDS or word in _FILLER or word in _CLAUSE_WORDS or word in DETERMINERS)
