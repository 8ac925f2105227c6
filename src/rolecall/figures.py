"""The figures of a run, defined once and worded once, for every view.

- **planned work**: the sum of the expected times of the plan, each task once
  (``run_started.sequential_time``): the work the plan asks for, done one
  after another by a single persona.
- **work done**: the time of every activity that ran: successful work,
  failed attempts, reviews and rework (``run_finished.sequential_time``).
- **makespan**: the time from GO to the end of the last activity.
- **critical path**: the length of the plan's longest dependency chain; no
  schedule can finish sooner.
- **speed-up**: planned work divided by the makespan, for a completed run.
  Both sides are the same work, once one after another and once as the run
  scheduled it, so the ratio says what running in parallel bought. Dividing
  the work *done* instead would reward failures: every failed attempt would
  add to the numerator and make the run look faster.

The wording lives here too (``planned work 9h``, ``speed-up 0.77x (slower
than one after another)``) so the summary, transcript, report, HTML page and
``rolecall plan`` name each figure the same way.

Every time is in the unit of its stream (``run_started.clock``): virtual
minutes in a replay (``2h 30m``), wall-clock seconds in a live run
(``2m 05s``). The unit is passed along with the number rather than assumed,
so a live run can never be printed as if its seconds were minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rolecall.events import (
    Event,
    RunFinished,
    RunStarted,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    TaskSubmitted,
)
from rolecall.events.types import Clock

__all__ = [
    "LABELS",
    "Figure",
    "FiguresTally",
    "RunFigures",
    "WorkSplit",
    "duration",
    "in_stream_unit",
    "said",
]

Figure = Literal["planned_work", "work_done", "makespan", "critical_path", "speedup"]

LABELS: dict[Figure, str] = {
    "planned_work": "planned work",
    "work_done": "work done",
    "makespan": "makespan",
    "critical_path": "critical path",
    "speedup": "speed-up",
}
"""How each figure is named wherever it is printed."""


def duration(amount: int, unit: Clock = "minutes") -> str:
    """A time span in the unit of its stream.

    Minutes: ``45`` -> ``45m``, ``120`` -> ``2h``, ``150`` -> ``2h 30m``.
    Seconds: ``45`` -> ``45s``, ``125`` -> ``2m 05s``, ``3725`` -> ``1h 02m 05s``,
    ``3600`` -> ``1h``; like minutes, trailing zero units are left out.
    """
    if unit == "seconds":
        hours, rest = divmod(amount, 3600)
        mins, secs = divmod(rest, 60)
        if hours:
            shown = [f"{hours}h", f"{mins:02d}m", f"{secs:02d}s"]
        elif mins:
            shown = [f"{mins}m", f"{secs:02d}s"]
        else:
            return f"{secs}s"
        while shown[-1].startswith("00"):
            shown.pop()
        return " ".join(shown)
    hours, mins = divmod(amount, 60)
    if hours and mins:
        return f"{hours}h {mins:02d}m"
    if hours:
        return f"{hours}h"
    return f"{mins}m"


def in_stream_unit(minutes: int, unit: Clock) -> int:
    """A limit written in minutes (``max_makespan``), in the unit of the stream it is held against."""
    return minutes * 60 if unit == "seconds" else minutes


def said(figure: Figure, amount: int, unit: Clock = "minutes") -> str:
    """A figure with its name: ``said("planned_work", 540)`` -> ``planned work 9h``."""
    return f"{LABELS[figure]} {duration(amount, unit)}"


@dataclass(frozen=True, slots=True)
class WorkSplit:
    """Where the work done went besides the work that succeeded (in the stream's unit)."""

    failed_attempts: int = 0
    reviews: int = 0
    rework: int = 0

    def parts(self, unit: Clock = "minutes") -> list[str]:
        named = (("failed attempts", self.failed_attempts), ("reviews", self.reviews), ("rework", self.rework))
        return [f"{duration(amount, unit)} {name}" for name, amount in named if amount]


@dataclass(frozen=True, slots=True)
class RunFigures:
    """The figures of one run; build with :meth:`of_run`, :meth:`of` or :class:`FiguresTally`."""

    planned_work: int
    work_done: int
    makespan: int
    critical_path: int
    mode: Literal["parallel", "sequential"]
    outcome: str
    split: WorkSplit | None = None
    """How the work done divides; ``None`` when only the two end events were seen."""
    clock: Clock = "minutes"
    """The unit of every figure above: the stream's ``run_started.clock``."""

    @classmethod
    def of_run(cls, started: RunStarted, finished: RunFinished, split: WorkSplit | None = None) -> RunFigures:
        return cls.of(
            finished,
            planned_work=started.sequential_time,
            critical_path=started.critical_time,
            mode=started.mode,
            split=split,
            clock=started.clock,
        )

    @classmethod
    def of(
        cls,
        finished: RunFinished,
        *,
        planned_work: int,
        critical_path: int,
        mode: Literal["parallel", "sequential"],
        split: WorkSplit | None = None,
        clock: Clock = "minutes",
    ) -> RunFigures:
        """From a plan's own figures and the run's end (what ``rolecall plan`` holds)."""
        return cls(
            planned_work=planned_work,
            work_done=finished.sequential_time,
            makespan=finished.makespan,
            critical_path=critical_path,
            mode=mode,
            outcome=finished.outcome,
            split=split,
            clock=clock,
        )

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> RunFigures | None:
        """The figures of a whole stream, or ``None`` without ``run_started`` and ``run_finished``."""
        tally = FiguresTally()
        for event in events:
            tally(event)
        return tally.figures()

    # -- the figures ------------------------------------------------------------

    @property
    def speedup(self) -> float | None:
        """Planned work / makespan for a completed run; ``None`` when there is nothing honest to compare."""
        if self.outcome != "completed" or self.makespan <= 0 or self.planned_work <= 0:
            return None  # no planned work: a live run whose tasks each took under a second
        return self.planned_work / self.makespan

    @property
    def blocked(self) -> bool:
        return self.outcome == "blocked_at_gate"

    # -- the words ----------------------------------------------------------------

    def text(self, figure: Figure) -> str:
        """One figure with its name: ``makespan 4h 35m``, ``speed-up 1.96x (49% less time ...)``."""
        if figure == "speedup":
            return f"{LABELS['speedup']} {self.speedup_text()}"
        if figure == "work_done":
            extra = self.split.parts(self.clock) if self.split is not None else []
            base = said("work_done", self.work_done, self.clock)
            return f"{base} ({', '.join(extra)})" if extra else base
        amount = {"planned_work": self.planned_work, "makespan": self.makespan, "critical_path": self.critical_path}
        return said(figure, amount[figure], self.clock)

    def speedup_text(self) -> str:
        """The speed-up and what it means: ``1.96x (49% less time than one after another)``."""
        ratio = self.speedup
        if ratio is None:
            if self.blocked:
                return "n/a (blocked at the gate: nothing ran)"
            if self.outcome != "completed":
                return "n/a (the run did not complete)"
            if self.makespan <= 0:
                return "n/a (no time passed)"
            return "n/a (no task took a measurable time)"
        shown = f"{ratio:.2f}x"
        mode = "sequential mode: " if self.mode == "sequential" else ""
        if shown == "1.00x":
            return f"{shown} ({mode}as long as one after another)"
        if ratio < 1:
            return f"{shown} ({mode}slower than one after another)"
        saved = round(100 * (self.planned_work - self.makespan) / self.planned_work)
        return f"{shown} ({mode}{saved}% less time than one after another)"

    def headline(self) -> str:
        """The comparison in one sentence, the same in every view."""
        if self.blocked:
            return f"Nothing ran: the run was blocked at the gate; {self.text('planned_work')} waits."
        if self.outcome != "completed":
            return (
                f"{self.text('makespan').capitalize()} before the run ended {_ENDED.get(self.outcome, '')}, "
                f"against {self.text('planned_work')}; {self.text('work_done')}; no speed-up: the run did not complete."
            )
        return (
            f"{self.text('makespan').capitalize()} for {self.text('planned_work')}: "
            f"{self.text('speedup')}; {self.text('work_done')}; {self.text('critical_path')}."
        )


_ENDED = {"failed": "with failed tasks", "stopped_at_decision": "at a decision"}


def _ignore(event: Event) -> None:
    """An event that concerns no figure."""


class FiguresTally:
    """Feed every event in order; :meth:`figures` once ``run_finished`` has passed.

    Linear in the events: one dictionary entry per open work attempt, so a
    failed attempt's time is known when its ``task_failed`` arrives.
    """

    def __init__(self) -> None:
        self._plan: tuple[int, int, Literal["parallel", "sequential"], Clock] | None = None
        self._finished: RunFinished | None = None
        self._open_work: dict[tuple[str, str], int] = {}
        self._failed = 0
        self._reviews = 0
        self._rework = 0
        # Dispatch on the event's class: most events concern no figure and cost one lookup.
        self._on: dict[type, Callable[[Any], None]] = {
            TaskStarted: self._activity,
            TaskFailed: self._attempt_failed,
            TaskFinished: self._closed,
            TaskSubmitted: self._closed,
            RunStarted: self._run_started,
            RunFinished: self._run_finished,
        }

    def __call__(self, event: Event) -> None:
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    def handler(self, kind: type) -> Callable[[Any], None]:
        """What this tally does with an event of class ``kind``, for a view that dispatches itself."""
        return self._on.get(kind, _ignore)

    def _activity(self, event: TaskStarted) -> None:
        if event.activity == "work":
            self._open_work[(event.task, event.persona)] = event.duration
        elif event.activity == "review":
            self._reviews += event.duration
        else:
            self._rework += event.duration

    def _attempt_failed(self, event: TaskFailed) -> None:
        # An exhausted review loop fails the task without an open attempt: nothing to add.
        self._failed += self._open_work.pop((event.task, event.persona), 0)

    def _closed(self, event: TaskFinished | TaskSubmitted) -> None:
        self._open_work.pop((event.task, event.persona), None)

    def _run_started(self, event: RunStarted) -> None:
        # Only the numbers: the plan inside can be 100k task views.
        self._plan = (event.sequential_time, event.critical_time, event.mode, event.clock)

    def _run_finished(self, event: RunFinished) -> None:
        self._finished = event

    def figures(self) -> RunFigures | None:
        if self._plan is None or self._finished is None:
            return None
        planned, critical, mode, clock = self._plan
        split = WorkSplit(failed_attempts=self._failed, reviews=self._reviews, rework=self._rework)
        return RunFigures.of(
            self._finished, planned_work=planned, critical_path=critical, mode=mode, split=split, clock=clock
        )
