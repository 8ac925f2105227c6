"""A short plain-text summary of a run, computed from its events."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from rolecall._words import count
from rolecall.events import (
    Event,
    GateVerdict,
    RunFinished,
    RunStarted,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    TaskSubmitted,
)
from rolecall.figures import FiguresTally, duration
from rolecall.render.parts import live_start

__all__ = ["SummaryBuilder", "summary_text"]


class SummaryBuilder:
    """Accumulates what a summary needs while events stream past."""

    def __init__(self) -> None:
        self.start: RunStarted | None = None
        self.verdict: GateVerdict | None = None
        self.final: RunFinished | None = None
        self.busy: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.tally = FiguresTally()
        self.events = 0
        self._tally_started = self.tally.handler(TaskStarted)
        self._tally_finished = self.tally.handler(TaskFinished)
        # Dispatch on the event's class: one lookup per event, which matters at 100k tasks.
        # The tally's own handlers are called directly, not through its dispatch again.
        self._on: dict[type, Callable[[Any], None]] = {
            TaskStarted: self._started,
            TaskFinished: self._finished,
            TaskFailed: self.tally.handler(TaskFailed),
            TaskSubmitted: self.tally.handler(TaskSubmitted),
            RunStarted: self._run_started,
            GateVerdict: self._verdict,
            RunFinished: self._run_finished,
        }

    def __call__(self, event: Event) -> None:
        self.events += 1
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    def _started(self, event: TaskStarted) -> None:
        self._tally_started(event)
        self.busy[event.persona] = self.busy.get(event.persona, 0) + event.duration

    def _finished(self, event: TaskFinished) -> None:
        self._tally_finished(event)
        self.done[event.persona] = self.done.get(event.persona, 0) + 1

    def _run_started(self, event: RunStarted) -> None:
        self.tally(event)
        # keep a copy without the plan: holding 100k task views for the whole run costs memory
        self.start = dataclasses.replace(event, plan=())

    def _verdict(self, event: GateVerdict) -> None:
        self.verdict = event

    def _run_finished(self, event: RunFinished) -> None:
        self.tally(event)
        self.final = event

    def text(self) -> str:
        start, verdict, final, figures = self.start, self.verdict, self.final, self.tally.figures()
        if start is None:
            return "incomplete event stream: no run_started event\n"
        if final is None or figures is None:
            return (
                f"{_named(start)}, cast {start.cast}: the run did not finish "
                f"(no run_finished event; {self.events} events)\n"
            )
        lines = [f"{_named(start)}, cast {start.cast}, {start.mode} mode"]
        live = live_start(start)
        if live:
            lines.append(live)
        if verdict is not None:
            missing = f": missing {', '.join(verdict.missing)}" if verdict.missing else ""
            lines.append(f"Gate:       {verdict.verdict} ({count(verdict.checked, 'requirement')} checked){missing}")
        lines.append(f"Outcome:    {final.outcome} ({final.reason})")
        if figures.blocked:
            lines.append(f"Figures:    {figures.text('planned_work')}, not started")
        else:
            lines.append(
                f"Figures:    {figures.text('planned_work')}, {figures.text('work_done')}, "
                f"{figures.text('makespan')}, {figures.text('critical_path')}"
            )
            lines.append(f"Speed-up:   {figures.speedup_text()}")
        lines.append(
            f"Tasks:      {final.finished} finished, {final.failed} failed, {final.skipped} skipped, "
            f"{final.unreached} unreached of {final.tasks}"
        )
        lines.append(f"Messages:   {count(final.handoffs, 'handoff')}, {count(final.redirects, 'redirect')}")
        if self.busy:
            # Per persona the same figure as the run's: work done, every activity counted.
            shown = "; ".join(
                f"{p}: {count(self.done.get(p, 0), 'task')}, work done {duration(m, start.clock)}"
                for p, m in self.busy.items()
            )
            lines.append(f"By persona: {shown}")
        return "\n".join(lines) + "\n"


def _named(start: RunStarted) -> str:
    """``Title (name)``, once: some titles already end with their scenario's name."""
    named = f"({start.scenario})"
    return start.title if start.title.endswith(named) else f"{start.title} {named}"


def summary_text(events: Iterable[Event]) -> str:
    builder = SummaryBuilder()
    for event in events:
        builder(event)
    return builder.text()
