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
from rolecall.orchestrator.graph import Graph, longest_paths, topological_order, trace_path

__all__ = ["closed_by", "measured"]


def closed_by(event: ev.Event) -> tuple[str, str] | None:
    """The (task, persona) whose activity ``event`` closes, if it closes one."""
    if isinstance(event, ev.TaskSubmitted | ev.TaskFinished | ev.TaskFailed):
        return event.task, event.persona
    if isinstance(event, ev.ReviewRound):
        return event.task, event.reviewer
    return None


def measured(events: Sequence[ev.Event]) -> list[ev.Event]:
    """``events`` with every closed activity's ``task_started.duration`` set to the time it took."""
    out: list[ev.Event] = list(events)
    open_: dict[tuple[str, str], int] = {}
    took: dict[str, int] = {}
    for position, event in enumerate(out):
        if isinstance(event, ev.TaskStarted):
            open_[(event.task, event.persona)] = position
            continue
        key = closed_by(event)
        start = open_.pop(key, None) if key is not None else None
        if start is None:
            continue  # not a close, or an approval or an exhausted review loop, which close no activity
        started = out[start]
        assert isinstance(started, ev.TaskStarted)
        out[start] = dataclasses.replace(started, duration=event.at - started.at)
        if started.activity != "review" and isinstance(event, ev.TaskSubmitted | ev.TaskFinished):
            took[started.task] = event.at - started.at
    return _replan(out, took)


def _replan(events: list[ev.Event], took: dict[str, int]) -> list[ev.Event]:
    """The plan's figures from measured work: expected times, planned work, the critical path.

    The critical path is found as the plan finds it (:mod:`rolecall.orchestrator.graph`), over
    each task's ``depends_on``.
    """
    first, last = events[0], events[-1]
    if not isinstance(first, ev.RunStarted) or not isinstance(last, ev.RunFinished):
        return events
    finished = {e.task for e in events if isinstance(e, ev.TaskFinished)}
    tasks = first.plan
    index = {t.id: k for k, t in enumerate(tasks)}
    work = [took.get(t.id, 0) if t.id in finished else 0 for t in tasks]
    graph = Graph(tuple(tuple(index[d] for d in t.depends_on if d in index) for t in tasks))
    order, _ = topological_order(graph)  # acyclic: the stream's plan was planned
    finish, via = longest_paths(graph, order, work)
    critical_time = max(finish, default=0)
    critical = set(trace_path(finish, via, len(tasks))) if critical_time > 0 else set()
    plan = tuple(dataclasses.replace(t, expected_time=work[k], critical=k in critical) for k, t in enumerate(tasks))
    events[0] = dataclasses.replace(first, plan=plan, sequential_time=sum(work), critical_time=critical_time)
    events[-1] = dataclasses.replace(last, critical_time=critical_time)
    for k, event in enumerate(events):
        if isinstance(event, ev.TaskAssigned) and event.task in index:
            events[k] = dataclasses.replace(event, expected_time=work[index[event.task]])
    return events
