"""The states a task goes through in a run, shared by the tracker and the steps that read it."""

from __future__ import annotations

__all__ = ["FAILED", "FINISHED", "PENDING", "QUEUED", "SKIPPED", "TERMINAL"]

# Small ints, not an enum: the simulation reads and writes one per task per event.
PENDING, QUEUED, FINISHED, FAILED, SKIPPED = 0, 1, 2, 3, 4
TERMINAL = (FINISHED, FAILED, SKIPPED)
"""States a task never leaves."""
