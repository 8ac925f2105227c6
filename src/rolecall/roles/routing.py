"""Routing a free-text request to the persona that owns the work.

Each capability lists keywords. A request matches a keyword when the phrase
appears as whole words (case-insensitive, a trailing plural 's' allowed). The
capability with the most distinct matched keywords wins; a tie between
capabilities of different owners is ambiguous, and ambiguous or unmatched
requests go to the orchestrator, saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import Capability
from rolecall.roles.persona import NeverJob, Persona

__all__ = ["CapabilityMatch", "Route", "RouteStatus", "route"]

RouteStatus = Literal["matched", "ambiguous", "unmatched"]


@dataclass(frozen=True, slots=True)
class CapabilityMatch:
    capability: Capability
    owners: tuple[Persona, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """Where a request goes, and why."""

    request: str
    status: RouteStatus
    persona: Persona
    match: CapabilityMatch | None
    candidates: tuple[CapabilityMatch, ...]
    must_not: tuple[tuple[Persona, NeverJob], ...]

    @property
    def explanation(self) -> str:
        if self.status == "matched" and self.match is not None:
            words = ", ".join(f"'{k}'" for k in self.match.keywords)
            return f"matched {words} -> capability '{self.match.capability.id}'"
        if self.status == "ambiguous":
            tied = "; ".join(f"'{m.capability.id}' ({', '.join(p.name for p in m.owners)})" for m in self.candidates)
            return f"ambiguous: equally strong matches for {tied}; the orchestrator decides"
        return "no capability keyword matched; the orchestrator decides"


@cache
def _pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(keyword.lower())}(?:e?s)?(?![a-z0-9])")


def route(cast: Cast, request: str) -> Route:
    text = request.lower()
    matches: list[CapabilityMatch] = []
    for capability in cast.capabilities:
        hits = tuple(k for k in capability.keywords if _pattern(k).search(text))
        if hits:
            matches.append(CapabilityMatch(capability, cast.owners_of(capability.id), hits))
    if not matches:
        return Route(request, "unmatched", cast.orchestrator, None, (), ())
    best = max(len(m.keywords) for m in matches)
    top = tuple(m for m in matches if len(m.keywords) == best)
    owner_sets = {tuple(p.id for p in m.owners) for m in top}
    if len(owner_sets) > 1:
        return Route(request, "ambiguous", cast.orchestrator, None, top, ())
    winner = top[0]
    must_not = tuple((p, entry) for p in cast.personas if (entry := p.never_entry(winner.capability.id)) is not None)
    return Route(request, "matched", winner.owners[0], winner, top, must_not)
