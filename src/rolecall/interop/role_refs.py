"""Finding the persona a piece of free text names: "Backend Developer", "DB Architect", "backend_developer".

Role-boundary files name the receiver of out-of-scope work in many ways: a
title, a shortened title, a snake_case role key, a file name. Each persona is
known by all of them; a reference resolves only when exactly one persona
matches, so an ambiguous "Developers" is reported rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["RoleDirectory", "split_aside"]

# Abbreviations the source cast uses for whole words of its titles.
_SYNONYMS = {"db": "database", "pm": "product manager"}
_LEAD_INS = re.compile(
    r"^(?:that'?s|that is|it'?s|this is|work with|working with|need|needs|with|for|ask|see)\s+", re.IGNORECASE
)
_TRAILING = re.compile(r"(?:'s)?\s+(?:job|work|role|team)$", re.IGNORECASE)


def _words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s ", " "))
    out: list[str] = []
    for word in words:
        out.extend(_SYNONYMS.get(word, word).split())
    # Plural and singular name the same role ("Developers", "Developer").
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in out]


def _clean(text: str) -> str:
    text = re.sub(r"\([^()]*\)", " ", text).strip()
    text = _LEAD_INS.sub("", text).strip()
    text = _TRAILING.sub("", text).strip()
    return text


def split_aside(aside: str) -> tuple[str, str]:
    """``that's UI/UX Designer - I implement their designs`` -> (``UI/UX Designer``, ``I implement their designs``)."""
    parts = re.split(r"\s+[-–—]\s+", aside, maxsplit=1)
    target = _clean(parts[0])
    return target, parts[1].strip() if len(parts) > 1 else ""


@dataclass
class RoleDirectory:
    """Every way the source names each persona."""

    _aliases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def add(self, persona_id: str, *names: str) -> None:
        known = self._aliases.setdefault(persona_id, [])
        for name in names:
            words = tuple(_words(name))
            if words and words not in known:
                known.append(words)

    def resolve(self, text: str) -> str | None:
        """The one persona ``text`` names, or None when it names none or several."""
        wanted = tuple(_words(_clean(text)))
        if not wanted:
            return None
        exact = [pid for pid, aliases in self._aliases.items() if wanted in aliases]
        if len(exact) == 1:
            return exact[0]
        if exact:
            return None
        contained = [
            pid for pid, aliases in self._aliases.items() if any(set(wanted) <= set(alias) for alias in aliases)
        ]
        return contained[0] if len(contained) == 1 else None
