"""Words for people: counts with the right plural, shared by every view."""

from __future__ import annotations

__all__ = ["count"]


def count(n: int, noun: str) -> str:
    """``count(1, "task")`` -> ``1 task``; ``count(3, "task")`` -> ``3 tasks``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
