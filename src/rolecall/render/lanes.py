"""Lanes: which of a persona's slots each activity occupies, so concurrent work never overlaps.

A persona with capacity 2 can run two activities at once; a timeline drawing
both on one row hides one behind the other. Each activity takes the lowest
lane free at its start, so a persona that never works in parallel keeps one
lane and the lanes in use are the slots the run needed.
"""

from __future__ import annotations

import heapq

__all__ = ["Lanes"]


class Lanes:
    """Feed activities in start order with :meth:`place`; read the lanes each persona used."""

    def __init__(self) -> None:
        self._busy: dict[str, list[tuple[int, int]]] = {}  # persona -> heap of (end, lane)
        self._free: dict[str, list[int]] = {}  # persona -> heap of lanes free again
        self._used: dict[str, int] = {}

    def place(self, persona: str, start: int, end: int) -> int:
        """The 0-based lane of an activity of ``persona`` from ``start`` to ``end``."""
        busy = self._busy.setdefault(persona, [])
        free = self._free.setdefault(persona, [])
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane = self._used.get(persona, 0)
            self._used[persona] = lane + 1
        heapq.heappush(busy, (end, lane))
        return lane

    def used(self, persona: str) -> int:
        """How many lanes (slots) ``persona`` needed; 0 if it never worked."""
        return self._used.get(persona, 0)
