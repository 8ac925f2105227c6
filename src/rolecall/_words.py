"""Words for people: counts with the right plural, lists and outcomes, shared by every view."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["count", "joined", "outcome_words", "printable", "without_c0"]

_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (C0 but tab, newline and carriage return; DEL; C1): a terminal acts on them."""
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def printable(text: str) -> str:
    """``text`` with every control character a terminal would act on shown as U+FFFD.

    Values come from files and agents: an escape sequence in a task summary must
    not recolour, retitle or clear the terminal a transcript is printed on.
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub("\ufffd", text)


def without_c0(text: str) -> str:
    """``text`` with the C0 controls (escape, bell, NUL, ...; not tab and line breaks) shown as U+FFFD.

    What standard output gets: JSON escapes every C0 control itself, so a JSON
    Lines stream passes through unchanged while text meant for people cannot
    drive the terminal.
    """
    if _C0.search(text) is None:
        return text
    return _C0.sub("\ufffd", text)
