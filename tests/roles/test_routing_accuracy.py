"""Routing accuracy on the labelled requests of ``routing_requests.toml``.

The figures are printed in every run (also with ``pytest -q``) so a change to the
router or to a keyword list shows its effect on all three shipped casts.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from rolecall.roles import resolve_cast, route, shipped_casts

REQUESTS = Path(__file__).with_name("routing_requests.toml")
FLOOR = 0.90


@dataclass(frozen=True)
class Labelled:
    text: str
    cast: str
    persona: str
    capability: str | None
    also: str | None


@dataclass(frozen=True)
class Outcome:
    request: Labelled
    persona: str
    capability: str | None
    also: str | None

    @property
    def correct(self) -> bool:
        wanted = self.request
        return (
            self.persona == wanted.persona
            and self.also == wanted.also
            and (wanted.capability is None or self.capability == wanted.capability)
        )

    def miss(self) -> str:
        got = self.persona + (f" + {self.also}" if self.also else "")
        want = self.request.persona + (f" + {self.request.also}" if self.request.also else "")
        return f"  miss [{self.request.cast}] {self.request.text!r}: expected {want}, got {got}"


def _labelled() -> list[Labelled]:
    with REQUESTS.open("rb") as f:
        rows = tomllib.load(f)["request"]
    return [Labelled(r["text"], r["cast"], r["persona"], r.get("capability"), r.get("also")) for r in rows]


def _outcome(request: Labelled) -> Outcome:
    result = route(resolve_cast(request.cast), request.text)
    capability = result.match.capability.id if result.match else None
    also = result.also.persona.id if result.also else None
    return Outcome(request, result.persona.id, capability, also)


def test_labelled_set_is_large_and_consistent() -> None:
    labelled = _labelled()
    assert len(labelled) >= 100
    assert {r.cast for r in labelled} == set(shipped_casts())
    for r in labelled:
        cast = resolve_cast(r.cast)
        assert r.persona in cast, r.text
        assert r.also is None or r.also in cast, r.text
        assert r.capability is None or cast.owns(r.persona, r.capability), r.text
    assert len({(r.cast, r.text) for r in labelled}) == len(labelled), "duplicate request"


def test_routing_accuracy_on_labelled_requests(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = [_outcome(r) for r in _labelled()]
    total = Counter(o.request.cast for o in outcomes)
    right = Counter(o.request.cast for o in outcomes if o.correct)
    overall = sum(right.values()) / len(outcomes)
    lines = ["", "routing accuracy on tests/roles/routing_requests.toml:"]
    lines += [
        f"  {cast:<13} {right[cast]:>3}/{total[cast]:<3} {right[cast] / total[cast]:6.1%}" for cast in sorted(total)
    ]
    lines.append(f"  {'overall':<13} {sum(right.values()):>3}/{len(outcomes):<3} {overall:6.1%}")
    lines += [o.miss() for o in outcomes if not o.correct]
    with capsys.disabled():
        print("\n".join(lines))
    assert overall >= FLOOR, "\n".join(lines)
