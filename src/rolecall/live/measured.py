"""A finished live run's stream with measured durations where the views expect them.

``task_started.duration`` is what every view reads as the time an activity
took (timeline bars, busy time, the work split), and the plan's expected
times in ``run_started`` are what planned work, the critical path and the
speed-up are computed from. When an activity starts, a live run only knows
the scenario's estimates, and that is what the stream written as the run goes
carries. Once the run has finished, the stream is rewritten with what was
measured: each activity's duration is the time from its ``task_started`` to
the event that closed it, and each task's expected time is the time its
accepted work took (zero for a task that never finished), so planned work
and the critical path are the run's own and the speed-up is the parallelism
the cast really achieved. A replay is already exact: the same pass leaves it
unchanged.
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
    took: dict[str, int] = {}
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
        if started.activity != "review" and isinstance(event, ev.TaskSubmitted | ev.TaskFinished):
            took[event.task] = event.at - started.at
    return _replan(out, took)


def _replan(events: list[ev.Event], took: dict[str, int]) -> list[ev.Event]:
    """The plan's figures from measured work: expected times, planned work, the critical path."""
    first, last = events[0], events[-1]
    if not isinstance(first, ev.RunStarted) or not isinstance(last, ev.RunFinished):
        return events
    finished = {e.task for e in events if isinstance(e, ev.TaskFinished)}
    work = {t.id: took.get(t.id, 0) if t.id in finished else 0 for t in first.plan}
    deps = {t.id: t.depends_on for t in first.plan}
    ends: dict[str, int] = {}

    def end(task: str) -> int:
        # Iterative: a plan of 100k chained tasks must not hit the recursion limit.
        stack = [task]
        while stack:
            top = stack[-1]
            pending = [d for d in deps.get(top, ()) if d not in ends and d in work]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            ends[top] = work[top] + max((ends[d] for d in deps.get(top, ()) if d in ends), default=0)
        return ends[task]

    critical_time = max((end(t) for t in work), default=0)
    critical: set[str] = {t for t, e in ends.items() if e == critical_time and critical_time > 0}
    frontier = list(critical)
    while frontier:
        task = frontier.pop()
        for d in deps.get(task, ()):
            if d in ends and d not in critical and ends[d] == ends[task] - work[task]:
                critical.add(d)
                frontier.append(d)
    plan = tuple(dataclasses.replace(t, expected_time=work[t.id], critical=t.id in critical) for t in first.plan)
    events[0] = dataclasses.replace(first, plan=plan, sequential_time=sum(work.values()), critical_time=critical_time)
    events[-1] = dataclasses.replace(last, critical_time=critical_time)
    for k, event in enumerate(events):
        if isinstance(event, ev.TaskAssigned):
            events[k] = dataclasses.replace(event, expected_time=work.get(event.task, 0))
    return events
