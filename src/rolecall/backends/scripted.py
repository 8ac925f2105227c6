"""The scripted backend: every outcome comes from the scenario file, on a virtual clock."""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from rolecall.backends.base import Activity, Clock, Completion, Outcome

if TYPE_CHECKING:
    from rolecall.orchestrator.scenario import Task

__all__ = ["ScriptedBackend"]


class ScriptedBackend:
    """Activities take their planned minutes; ``fails`` and ``review.verdicts`` script how they end.

    The first ``task.fails`` work attempts of a task fail, whoever makes them,
    and an attempt listed in ``task.changes`` reports the files it changed;
    review round ``n`` returns ``review.verdicts[n - 1]``. Activities ending at
    the same minute complete in the order they started.
    """

    def __init__(self, clock: Clock = "minutes") -> None:
        self._clock: Clock = clock
        self._heap: list[tuple[int, int, Activity, Task, int]] = []
        self._order = 0
        self._now = 0

    @property
    def capacity(self) -> int | None:
        return None

    def start(self, activity: Activity, task: Task, now: int) -> int:
        self._order += 1
        heapq.heappush(self._heap, (now + activity.duration, self._order, activity, task, now))
        return now

    def time(self) -> int:
        return self._now

    @property
    def clock(self) -> Clock:
        """The scenario's unit: minutes, or seconds for a scenario frozen from a live run."""
        return self._clock

    @property
    def wall_start(self) -> str:
        return ""

    @property
    def running(self) -> bool:
        return bool(self._heap)

    def next_completions(self) -> tuple[int, list[Completion]]:
        heap = self._heap
        now = self._now = heap[0][0]
        done: list[Completion] = []
        while heap and heap[0][0] == now:
            _, _, activity, task, started = heapq.heappop(heap)
            done.append(Completion(activity, started, _outcome(activity, task)))
        return now, done


def _outcome(activity: Activity, task: Task) -> Outcome:
    if activity.activity == "review":
        review = task.review
        assert review is not None, "a review activity belongs to a task with a review"
        return Outcome(ok=True, verdict=review.verdicts[activity.attempt - 1])
    if activity.activity == "work" and task.changes:
        # A frozen live run: the files this attempt changed go to the coordinator, which judges them.
        changed = task.changed_by(activity.attempt)
        if activity.attempt <= task.fails:
            return Outcome(ok=False, files=changed)
        return Outcome(ok=True, deliverable=task.full_deliverable, files=changed)
    if activity.activity == "work" and activity.attempt <= task.fails:
        return Outcome(ok=False)
    return Outcome(ok=True, deliverable=task.full_deliverable)
