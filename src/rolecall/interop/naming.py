"""Turning other tools' free text into rolecall identifiers, titles and keywords.

Persona ids, handles and capability ids have strict patterns (see
``docs/personas.md``); the names in other tools' files do not. Everything here
is deterministic so the same source files always give the same cast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "MAX_PERSONA_ID",
    "capability_segment",
    "collapse",
    "core_phrase",
    "humanize",
    "keywords_for",
    "match_tokens",
    "persona_id",
    "unique",
]

# A handle is '@' + id and may be at most 64 characters long.
MAX_PERSONA_ID = 63
_MAX_SEGMENT = 40

# Verbs that open a duty ("Implement Server Actions ...") but say nothing about
# which work it is; dropping them lets "Write Server Actions" meet
# "Implement Server Actions for mutations".
# fmt: off
_LEADING_VERBS = frozenset(
    [
        "add", "analyze", "analyse", "build", "check", "choose", "clarify", "conduct", "configure", "containerize",
        "coordinate", "create", "customize", "define", "design", "develop", "do", "enforce", "ensure", "establish",
        "find", "handle", "implement", "integrate", "maintain", "make", "manage", "monitor", "optimize", "optimise",
        "perform", "plan", "prioritize", "process", "provide", "review", "run", "set", "setup", "validate", "verify",
        "write",
    ]
)
# fmt: on
_CONNECTORS = re.compile(r"\s+(?:for|with|using|via|in|on|to|from|by|when|so|inside|within|under)\s+", re.IGNORECASE)
# fmt: off
_STOPWORDS = frozenset(
    [
        "a", "an", "and", "any", "all", "as", "at", "be", "by", "etc", "for", "from", "in", "into", "is", "it", "its",
        "my", "new", "of", "on", "or", "our", "that", "the", "their", "them", "this", "to", "up", "using", "via",
        "with", "your",
    ]
)
# fmt: on
_SUFFIXES = ("izations", "ization", "isation", "ations", "ments", "ment", "ings", "ing", "ize", "ise", "ed", "es", "s")


def collapse(text: str) -> str:
    """All runs of whitespace as one space, trimmed: folded YAML and wrapped lines read as one line."""
    return " ".join(text.split())


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def _slug(text: str, limit: int) -> str:
    slug = ""
    for word in _ascii_words(text):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def persona_id(text: str) -> str:
    """``Backend Developer`` -> ``backend-developer``; ``""`` when nothing usable is left."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", folded).strip("-_")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    return cleaned[:MAX_PERSONA_ID].rstrip("-_")


def capability_segment(text: str, limit: int = _MAX_SEGMENT) -> str:
    """One dot-free segment of a capability id (no ``_``): ``research_agent`` -> ``research-agent``."""
    return _slug(text, limit)


def unique(candidate: str, taken: Iterable[str], limit: int = MAX_PERSONA_ID) -> str:
    """``candidate``, or ``candidate-2``, ``-3``... so that it is not in ``taken``."""
    used = set(taken)
    if candidate not in used:
        return candidate
    n = 2
    while True:
        suffix = f"-{n}"
        attempt = candidate[: limit - len(suffix)] + suffix
        if attempt not in used:
            return attempt
        n += 1


def humanize(identifier: str) -> str:
    """``api-scaffolding_fastapi-pro`` -> ``Api Scaffolding Fastapi Pro``."""
    words = [w for w in re.split(r"[\s_-]+", identifier) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or identifier


def _drop_parentheses(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text)


def core_phrase(phrase: str) -> str:
    """The work a duty names, without its opening verb, asides or qualifiers.

    ``Implement UI pages with Next.js App Router`` -> ``ui pages``;
    ``Write database queries (using schema from DB Architect)`` -> ``database queries``.
    """
    text = collapse(_drop_parentheses(phrase))
    text = re.split(r"\s+[-–—]\s+|:\s", text, maxsplit=1)[0]
    words = text.split(" ")
    if len(words) > 1 and words[0].lower() in _LEADING_VERBS:
        words = words[2:] if words[0].lower() == "set" and words[1].lower() == "up" else words[1:]
    rest = " ".join(words)
    head = _CONNECTORS.split(rest, maxsplit=1)[0]
    core = (head or rest or text).strip(" .,;").lower()
    return core or collapse(phrase).lower()


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def match_tokens(text: str) -> frozenset[str]:
    """Content words of ``text``, crudely stemmed, for comparing two descriptions of one kind of work."""
    words = _ascii_words(_drop_parentheses(text))
    if len(words) > 1 and words[0] in _LEADING_VERBS:
        words = words[2:] if words[:2] == ["set", "up"] else words[1:]
    return frozenset(_stem(w) for w in words if w not in _STOPWORDS)


def keywords_for(*phrases: str) -> tuple[str, ...]:
    """Routing keywords: each phrase's core, when it is short enough to appear in a request."""
    out: list[str] = []
    for phrase in phrases:
        core = core_phrase(phrase)
        if core and 1 <= len(core.split()) <= 4 and core not in out:
            out.append(core)
    return tuple(out)
