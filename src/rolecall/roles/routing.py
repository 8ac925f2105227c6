"""Routing a free-text request to the persona that owns the work.

Normalisation
    The request and every keyword are read the same way: lower case,
    apostrophes dropped ("night's" is "nights"), any other character that is not
    a letter or digit is a word break, determiners ("the", "a", "our"...) are
    left out, and each word is reduced by :func:`stem`. A keyword matches a run
    of request words when their stems, written together, are equal, so
    "roll back", "roll-back", "rolled back" and "rollback" are one phrase, and
    "deploys", "deployed", "deploying" and "deployment" are all "deploy".

Weighing
    A keyword weighs the sum of its words' inverse document frequencies over the
    cast's capabilities (a word listed by one capability counts more than one
    listed by five), so longer and rarer phrases count more. Where keywords
    overlap only the longest counts ("security review" hides "security"). The
    position of a match in its clause scales it (:data:`ROLE_FACTOR`): the words
    a clause leads with name the work (x2), words after "for", "of", "with"...
    only say what it is for (x0.5). A capability scores the sum of its matched
    keywords, each counted once.

Decision
    The best capability wins and goes to its first owner in cast order. When a
    capability of other owners scores within :data:`TIE_MARGIN` of it the
    request is ambiguous, and ambiguous or unmatched requests go to the
    orchestrator, saying so. When a later clause asks to check the work of an
    earlier one ("implement X and get it reviewed") and the two have different
    owners, the route names both: the owner of the work, and in ``Route.also``
    the persona who checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import Capability
from rolecall.roles.keyword_index import Keyword, KeywordIndex, keyword_index
from rolecall.roles.persona import NeverJob, Persona
from rolecall.roles.words import HitRole, Word, lookup_keys, phrase_words, request_words, stem

__all__ = [
    "CHECK_VERBS",
    "ROLE_FACTOR",
    "TIE_MARGIN",
    "CapabilityMatch",
    "HitRole",
    "KeywordHit",
    "Route",
    "RouteStatus",
    "Secondary",
    "route",
    "stem",
]

RouteStatus = Literal["matched", "ambiguous", "unmatched"]

TIE_MARGIN = 0.1
"""A runner-up of other owners scoring within this fraction of the best is a tie."""

ROLE_FACTOR: dict[HitRole, float] = {"lead": 2.0, "body": 1.0, "context": 0.5}
"""How much a match counts by its place in the clause."""

CHECK_VERBS: dict[str, str] = {
    "review": "reviews",
    "audit": "audits",
    "verif": "verifies",
    "validat": "validates",
    "critiqu": "critiques",
    "evaluat": "evaluates",
    "assess": "assesses",
    "approv": "approves",
    "test": "tests",
}
"""Stems of the words that ask to check work, and the verb naming the checker's part."""


# ---------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class KeywordHit:
    """One keyword found in the request."""

    keyword: str
    """The keyword as written in ``cast.toml``."""
    text: str
    """The request's words it matched, as written there ("Rolled back")."""
    weight: float
    """The keyword's specificity times its role factor."""
    role: HitRole
    after: str
    """For a ``context`` hit, the word it follows ("for")."""
    clause: int


@dataclass(frozen=True, slots=True)
class CapabilityMatch:
    capability: Capability
    owners: tuple[Persona, ...]
    hits: tuple[KeywordHit, ...]
    score: float

    @property
    def keywords(self) -> tuple[str, ...]:
        """The matched keywords, each once, as written in ``cast.toml``."""
        return tuple(dict.fromkeys(h.keyword for h in self.hits))


@dataclass(frozen=True, slots=True)
class Secondary:
    """A second persona the request involves: it checks the primary owner's work."""

    persona: Persona
    match: CapabilityMatch
    verb: str
    """Its part, from the request's own word: "reviews", "audits", "validates"..."""


@dataclass(frozen=True, slots=True)
class Route:
    """Where a request goes, and why."""

    request: str
    status: RouteStatus
    persona: Persona
    match: CapabilityMatch | None
    candidates: tuple[CapabilityMatch, ...]
    """The matched capabilities weighed for the route, best first (for a tie in the
    work of a work-and-check request, the checker's are left out)."""
    must_not: tuple[tuple[Persona, NeverJob], ...]
    also: Secondary | None = None

    @property
    def tied(self) -> tuple[CapabilityMatch, ...]:
        """The candidates too close to the best to call."""
        if not self.candidates:
            return ()
        floor = self.candidates[0].score * (1 - TIE_MARGIN)
        return tuple(m for m in self.candidates if m.score >= floor)

    @property
    def explanation(self) -> str:
        if self.status == "matched" and self.match is not None:
            return _explain_match(self, self.match)
        if self.status == "ambiguous":
            tied = "; ".join(
                f"'{m.capability.id}' ({_names(m.owners)}, score {m.score:.1f}: {_hits_text(m)})" for m in self.tied
            )
            return f"ambiguous: equally strong matches for {tied}; the orchestrator decides"
        return "no capability keyword matched; the orchestrator decides"


def _names(personas: Iterable[Persona]) -> str:
    return ", ".join(p.name for p in personas)


def _describe(hit: KeywordHit) -> str:
    notes = []
    if phrase_words(hit.text) != phrase_words(hit.keyword):
        notes.append(f'as "{hit.text}"')
    if hit.role == "lead":
        notes.append(f"leading words, x{ROLE_FACTOR['lead']:g}")
    elif hit.role == "context":
        notes.append(f"after '{hit.after}', x{ROLE_FACTOR['context']:g}")
    return f"'{hit.keyword}'" + (f" ({', '.join(notes)})" if notes else "")


def _hits_text(match: CapabilityMatch) -> str:
    return ", ".join(_describe(h) for h in match.hits)


def _explain_match(result: Route, match: CapabilityMatch) -> str:
    text = f"matched {_hits_text(match)} -> capability '{match.capability.id}' (score {match.score:.1f})"
    if result.also is not None:
        also = result.also
        lead = f"{result.persona.name} implements, {also.persona.name} {also.verb}"
        check = f"{_hits_text(also.match)} -> capability '{also.match.capability.id}' ({also.persona.name})"
        return f"{lead}: {text}; a later clause asks for the check: {check}"
    owners = {p.id for p in match.owners}
    rival = next((m for m in result.candidates if not owners & {p.id for p in m.owners}), None)
    if rival is None:
        return text
    return (
        f"{text}; ahead of '{rival.capability.id}' ({_names(rival.owners)}, score {rival.score:.1f}: "
        f"{_hits_text(rival)})"
    )


def _find_hits(index: KeywordIndex, words: Sequence[Word]) -> Iterator[tuple[int, int, Keyword]]:
    """Every keyword occurrence as (first word, end word, keyword).

    Each word starts at most ``index.longest`` lookups, so the cost grows linearly
    with the request."""
    for start in range(len(words)):
        stop = start
        while stop < min(len(words), start + index.longest) and words[stop].segment == words[start].segment:
            stop += 1
            span = words[start:stop]
            for key in lookup_keys([w.raw for w in span], [w.stem for w in span]):
                for keyword in index.by_key.get(key, ()):
                    yield start, stop, keyword


def _outermost(found: Iterable[tuple[int, int, Keyword]]) -> Iterator[tuple[int, int, Keyword]]:
    """Drop a hit lying inside a longer one: "security review" hides "security"."""
    reach = -1
    ordered = sorted(found, key=lambda f: (f[0], -f[1]))
    for (_, stop), same_span in groupby(ordered, key=lambda f: (f[0], f[1])):
        if stop <= reach:
            continue
        reach = stop
        # One hit per capability and span: "user story" and "user stories" are one.
        seen: set[int] = set()
        for hit in same_span:
            if hit[2].capability not in seen:
                seen.add(hit[2].capability)
                yield hit


def _hit(request: str, words: Sequence[Word], start: int, stop: int, keyword: Keyword) -> KeywordHit:
    span = words[start:stop]
    roles = {w.role for w in span}
    role: HitRole = "lead" if "lead" in roles else "body" if "body" in roles else "context"
    after = span[0].after if role == "context" else ""
    text = request[span[0].start : span[-1].end]
    return KeywordHit(keyword.text, text, keyword.weight * ROLE_FACTOR[role], role, after, span[0].clause)


def _matches(cast: Cast, request: str) -> list[CapabilityMatch]:
    capabilities = cast.capabilities
    index = keyword_index(capabilities)
    words = request_words(request)
    per_capability: dict[int, list[KeywordHit]] = {}
    for start, stop, keyword in _outermost(_find_hits(index, words)):
        per_capability.setdefault(keyword.capability, []).append(_hit(request, words, start, stop, keyword))
    matches = [
        CapabilityMatch(capabilities[ci], cast.owners_of(capabilities[ci].id), tuple(hits), _score(hits))
        for ci, hits in sorted(per_capability.items())
    ]
    # Stable: equal scores keep cast.toml order.
    return sorted(matches, key=lambda m: -m.score)


def _score(hits: Iterable[KeywordHit]) -> float:
    """Each keyword counts once, where it weighs most: repeating a word adds nothing."""
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.keyword] = max(best.get(hit.keyword, 0.0), hit.weight)
    return sum(best.values())


# ---------------------------------------------------------------------------
# Deciding


def _owner_ids(match: CapabilityMatch) -> frozenset[str]:
    return frozenset(p.id for p in match.owners)


def _is_tie(best: CapabilityMatch, ranked: Sequence[CapabilityMatch]) -> bool:
    floor = best.score * (1 - TIE_MARGIN)
    return any(m.score >= floor and _owner_ids(m) != _owner_ids(best) for m in ranked if m is not best)


def _clause_match(match: CapabilityMatch, clause: int) -> CapabilityMatch:
    hits = tuple(h for h in match.hits if h.clause == clause)
    return CapabilityMatch(match.capability, match.owners, hits, _score(hits))


def _clause_winners(ranked: Sequence[CapabilityMatch]) -> dict[int, CapabilityMatch]:
    winners: dict[int, CapabilityMatch] = {}
    for match in ranked:
        for clause in sorted({h.clause for h in match.hits}):
            local = _clause_match(match, clause)
            if clause not in winners or local.score > winners[clause].score:
                winners[clause] = local
    return winners


def _check_verb(match: CapabilityMatch) -> str | None:
    """The checking verb a clause's winning hits use, if any ("reviewed" -> "reviews")."""
    for hit in match.hits:
        if hit.role == "context":
            continue
        for word in phrase_words(hit.text):
            verb = CHECK_VERBS.get(stem(word))
            if verb is not None:
                return verb
    return None


def _work_and_check(
    ranked: Sequence[CapabilityMatch],
) -> tuple[CapabilityMatch, Secondary] | None:
    """The work of an earlier clause and a later clause checking it, by different owners."""
    winners = _clause_winners(ranked)
    clauses = sorted(winners)
    for position in range(len(clauses) - 1, 0, -1):
        check = winners[clauses[position]]
        verb = _check_verb(check)
        if verb is None:
            continue
        # A clause already touching the checking capability ("testing the login
        # form") is about the check itself, not work to be checked.
        earlier = {
            winners[c].capability.id
            for c in clauses[:position]
            if not any(h.clause == c for h in _full(ranked, check).hits)
        }
        work = next(
            (m for m in ranked if m.capability.id in earlier and not _owner_ids(m) & _owner_ids(check)),
            None,
        )
        if work is not None:
            return work, Secondary(check.owners[0], _full(ranked, check), verb)
    return None


def _full(ranked: Sequence[CapabilityMatch], local: CapabilityMatch) -> CapabilityMatch:
    """The whole-request match of the capability a clause-local match belongs to."""
    return next(m for m in ranked if m.capability.id == local.capability.id)


def _must_not(cast: Cast, *matches: CapabilityMatch) -> tuple[tuple[Persona, NeverJob], ...]:
    return tuple(
        (p, entry) for m in matches for p in cast.personas if (entry := p.never_entry(m.capability.id)) is not None
    )


def route(cast: Cast, request: str) -> Route:
    ranked = tuple(_matches(cast, request))
    if not ranked:
        return Route(request, "unmatched", cast.orchestrator, None, (), ())
    paired = _work_and_check(ranked)
    if paired is not None:
        work, also = paired
        # Whoever checks, the work itself must have one clear owner.
        rest = tuple(m for m in ranked if not _owner_ids(m) & _owner_ids(also.match))
        if _is_tie(work, rest):
            return Route(request, "ambiguous", cast.orchestrator, None, rest, ())
        must_not = _must_not(cast, work, also.match)
        return Route(request, "matched", work.owners[0], work, ranked, must_not, also)
    best = ranked[0]
    if _is_tie(best, ranked):
        return Route(request, "ambiguous", cast.orchestrator, None, ranked, ())
    return Route(request, "matched", best.owners[0], best, ranked, _must_not(cast, best))
