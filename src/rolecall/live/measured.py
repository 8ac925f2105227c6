"""A finished live run's stream with each activity's measured duration in its ``task_started``.

``task_started.duration`` is what every view reads as the time an activity
took (timeline bars, busy time, the work split). When an activity starts, a
live run only knows the scenario's estimate, and that is what the stream
written as the run goes carries; once the run has finished, each activity's
duration is the time between its ``task_started`` and the event that closed
it, and the stream is rewritten with it. A replay's durations are already
exact, so the same pairing leaves a replay's stream unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from rolecall import events as ev

__all__ = ["measured"]


def measured(events: Sequence[ev.Event]) -> list[ev.Event]:
    """``events`` with every closed activity's ``task_started.duration`` set to the time it took."""
    out: list[ev.Event] = list(events)
    open_: dict[tuple[str, str], int] = {}
    for position, event in enumerate(out):
        if isinstance(event, ev.TaskStarted):
            open_[(event.task, event.persona)] = position
            continue
        if isinstance(event, ev.TaskSubmitted | ev.TaskFinished | ev.TaskFailed):
            key = (event.task, event.persona)
        elif isinstance(event, ev.ReviewRound):
            key = (event.task, event.reviewer)
        else:
            continue
        start = open_.pop(key, None)
        if start is None:
            continue  # an approval or an exhausted review loop closes no activity of its own
        started = out[start]
        assert isinstance(started, ev.TaskStarted)
        out[start] = dataclasses.replace(started, duration=event.at - started.at)
    return out
