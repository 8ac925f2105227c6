"""Which critical-path tasks bound the plan alone, and which tie with a task alongside.

The plan marks one critical path, but several tasks can be just as long side
by side: in a Design phase of two 45-minute designs, shortening one of them
leaves the phase as long as before. Advice may only say "shortening X
shortens the run" for a task on *every* critical path; a task that ties is
named together with its rivals.

The stream carries each task's dependencies but not the order of phases, so
:class:`PhaseLinks` reads it off the run: a phase that starts right after
another finishes (with only check-ins and decisions between) waited for it,
and a phase gate names the tasks it waited for. Both are facts of the plan.
An order the run does not show (a second ``after`` that finished earlier)
stays unknown, which can hide a tie but never invent one; when the rebuilt
graph does not reproduce the plan's critical time, nothing is claimed.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from rolecall import events as ev

__all__ = ["CriticalTies", "PhaseLinks", "critical_ties"]

_CHAIN = (ev.CheckInHeld, ev.DecisionMade, ev.PhaseGateOpened, ev.PhaseStarted)


class PhaseLinks:
    """Feed events in order (all of them, or only the phase events and check-ins).

    ``phases[P]`` and ``tasks[P]`` are what phase P was seen to wait for. A phase
    started by another's end follows it directly in the stream, with only that
    phase's check-in, decision and gates between, so consecutive ``seq`` numbers
    are the link; any other event in between breaks it.
    """

    def __init__(self) -> None:
        self.phases: dict[str, list[str]] = {}
        self.tasks: dict[str, tuple[str, ...]] = {}
        self._finished = ""
        self._last = -2  # seq of the last event in the run of events right after a phase_finished

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.PhaseFinished):
            self._finished, self._last = event.phase, event.seq
            return
        if isinstance(event, ev.PhaseGateOpened):
            self.tasks[event.phase] = event.requires
        if event.seq != self._last + 1 or not isinstance(event, _CHAIN):
            return
        self._last = event.seq
        if isinstance(event, ev.PhaseStarted):
            self.phases.setdefault(event.phase, []).append(self._finished)


@dataclass(frozen=True, slots=True)
class CriticalTies:
    path: tuple[ev.TaskView, ...]
    """The plan's critical path, in order."""
    rivals: tuple[tuple[ev.TaskView, ...], ...] | None
    """Per path task, the tasks as long beside it (empty: it alone bounds the plan); ``None``: unknown."""


def critical_ties(start: ev.RunStarted, links: PhaseLinks) -> CriticalTies:
    plan = start.plan
    n, phases = len(plan), {p: k for k, p in enumerate(start.phases)}
    index = {t.id: i for i, t in enumerate(plan)}
    # Nodes: the tasks, then a start and an end node per phase, so a phase link costs one edge.
    size = n + 2 * len(phases)
    weight = [t.expected_time for t in plan] + [0] * (2 * len(phases))
    preds: list[list[int]] = [[] for _ in range(size)]
    for i, t in enumerate(plan):
        begin, end = n + 2 * phases[t.phase], n + 2 * phases[t.phase] + 1
        preds[i] += [index[d] for d in t.depends_on if d in index]
        preds[i].append(begin)
        preds[end].append(i)
    for phase, waited in links.phases.items():
        preds[n + 2 * phases[phase]] += [n + 2 * phases[q] + 1 for q in waited if q in phases]
    for phase, required in links.tasks.items():
        preds[n + 2 * phases[phase]] += [index[r] for r in required if r in index]
    order = _order(preds)
    if len(order) != size:
        return _unknown(plan)
    # Plain loops rather than max()/min() over generators: this runs once per edge at 100k tasks.
    earliest = [0] * size
    for v in order:
        best = 0
        for p in preds[v]:
            finish = earliest[p] + weight[p]
            if finish > best:
                best = finish
        earliest[v] = best
    total = max((earliest[i] + weight[i] for i in range(n)), default=0)
    latest = [total - w for w in weight]
    for v in reversed(order):
        bound = latest[v]
        for p in preds[v]:
            start_by = bound - weight[p]
            if start_by < latest[p]:
                latest[p] = start_by
    path = sorted((i for i, t in enumerate(plan) if t.critical), key=lambda i: (earliest[i], i))
    if total != start.critical_time or any(earliest[i] != latest[i] for i in path):
        return _unknown(plan)
    # A task without slack lies on some critical path; one overlapping a path task in time runs beside it.
    starts = [earliest[i] for i in path]
    on_path = set(path)
    rivals: list[list[ev.TaskView]] = [[] for _ in path]
    for i in range(n):
        if i in on_path or earliest[i] != latest[i] or not weight[i]:
            continue
        begin, end = earliest[i], earliest[i] + weight[i]
        k = max(0, bisect.bisect_right(starts, begin) - 1)
        while k < len(path) and starts[k] < end:
            if starts[k] + weight[path[k]] > begin:
                rivals[k].append(plan[i])
            k += 1
    return CriticalTies(tuple(plan[i] for i in path), tuple(tuple(r) for r in rivals))


def _unknown(plan: Sequence[ev.TaskView]) -> CriticalTies:
    return CriticalTies(tuple(t for t in plan if t.critical), None)


def _order(preds: list[list[int]]) -> list[int]:
    waiting = [len(p) for p in preds]
    succs: list[list[int]] = [[] for _ in preds]
    for v, before in enumerate(preds):
        for p in before:
            succs[p].append(v)
    ready = deque(v for v in range(len(preds)) if not waiting[v])
    order: list[int] = []
    while ready:
        v = ready.popleft()
        order.append(v)
        for s in succs[v]:
            waiting[s] -= 1
            if not waiting[s]:
                ready.append(s)
    return order
