"""Words for people: counts with the right plural, lists and outcomes, shared by every view."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["count", "joined", "outcome_words"]


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``count(1, "task")`` -> ``1 task``; ``count(3, "task")`` -> ``3 tasks``; ``plural`` for irregular nouns."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {plural if plural is not None else noun + 's'}"


def joined(items: Sequence[str], last: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``a, b and c``; ``last="or"`` for alternatives."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


_OUTCOMES = {
    "completed": "completed",
    "blocked_at_gate": "blocked at the prerequisites gate",
    "stopped_at_decision": "stopped at a decision",
    "failed": "failed",
}


def outcome_words(outcome: str) -> str:
    """A run's outcome as a reader says it: ``blocked_at_gate`` -> ``blocked at the prerequisites gate``."""
    return _OUTCOMES.get(outcome, outcome.replace("_", " "))
