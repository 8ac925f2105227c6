"""The progress line a live run keeps on the terminal: who works on what, for how long, done of total.

Only on a terminal: in CI (not a TTY) a run prints nothing while it goes and
everything it did is in ``run.log`` and ``events.jsonl``.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TYPE_CHECKING, TextIO

from rolecall import events as ev
from rolecall.render.parts import clock

if TYPE_CHECKING:
    from rolecall.live.backend import LiveBackend

__all__ = ["Progress"]

_EVERY = 0.25
"""Seconds between redraws: often enough to see the clock move, rarely enough to cost nothing."""


class Progress:
    """An event sink that counts settled tasks, and a redraw hook for the backend's polling loop."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int | None = None) -> None:
        self.total = total
        self.settled = 0
        self.stream = stream or sys.stderr
        # One terminal row, always: a line that wraps cannot be cleared with a carriage return.
        self.width = width if width is not None else max(20, shutil.get_terminal_size((100, 24)).columns - 1)
        self._drawn = 0.0
        self._shown = False

    def __call__(self, event: ev.Event, /) -> None:
        settles = isinstance(event, ev.TaskFinished | ev.TaskSkipped | ev.TaskUnreached)
        if settles or (isinstance(event, ev.TaskFailed) and event.next == "give_up"):
            self.settled += 1

    def redraw(self, backend: object) -> None:
        now = time.monotonic()
        if now - self._drawn < _EVERY:
            return
        self._drawn = now
        self.stream.write("\r\x1b[K" + self.line(backend)[: self.width])
        self.stream.flush()
        self._shown = True

    def line(self, backend: object) -> str:
        live: LiveBackend = backend  # type: ignore[assignment]
        parts = [f"[{clock(live.elapsed(), 'seconds')}] {self.settled}/{self.total} tasks settled"]
        for run in live.live:
            seconds = int(time.monotonic() - run.launched)
            parts.append(f"{run.activity.persona}: {run.task.id} ({run.activity.activity}) {clock(seconds, 'seconds')}")
        return " | ".join(parts)

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
