"""A short plain-text summary of a run, computed from its events."""

from __future__ import annotations

from collections.abc import Iterable

from rolecall.orchestrator.events import (
    Event,
    GateVerdict,
    RunFinished,
    RunStarted,
    TaskFinished,
    TaskStarted,
)
from rolecall.render._format import duration, percent_faster, speedup

__all__ = ["SummaryBuilder", "summary_text"]


class SummaryBuilder:
    """Accumulates what a summary needs while events stream past."""

    def __init__(self) -> None:
        self.start: RunStarted | None = None
        self.verdict: GateVerdict | None = None
        self.final: RunFinished | None = None
        self.busy: dict[str, int] = {}
        self.done: dict[str, int] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, TaskStarted):
            self.busy[event.persona] = self.busy.get(event.persona, 0) + event.duration
        elif isinstance(event, TaskFinished):
            self.done[event.persona] = self.done.get(event.persona, 0) + 1
        elif isinstance(event, RunStarted):
            # keep a copy without the plan: holding 100k task views for the whole run costs memory
            self.start = event.model_copy(update={"plan": ()})
        elif isinstance(event, GateVerdict):
            self.verdict = event
        elif isinstance(event, RunFinished):
            self.final = event

    def text(self) -> str:
        start, verdict, final = self.start, self.verdict, self.final
        if start is None or final is None:
            return "incomplete event stream: no run_started or run_finished event\n"
        lines = [f"{start.title} ({start.scenario}), cast {start.cast}, {start.mode} mode"]
        if verdict is not None:
            missing = f": missing {', '.join(verdict.missing)}" if verdict.missing else ""
            lines.append(f"Gate:       {verdict.verdict} ({verdict.checked} requirements checked){missing}")
        lines.append(f"Outcome:    {final.outcome} ({final.reason})")
        if final.outcome != "blocked_at_gate":
            seq, par = final.sequential_time, final.makespan
            lines.append(
                f"Time:       {duration(par)} in parallel against {duration(seq)} sequential: "
                f"{speedup(seq, par)} speed-up, {percent_faster(seq, par)} faster"
            )
            lines.append(f"Critical:   {duration(final.critical_time)} (longest dependency chain)")
        lines.append(
            f"Tasks:      {final.finished} finished, {final.failed} failed, {final.skipped} skipped, "
            f"{final.unreached} unreached of {final.tasks}"
        )
        lines.append(f"Messages:   {final.handoffs} handoffs, {final.redirects} redirects")
        if self.busy:
            shown = ", ".join(f"{p} {self.done.get(p, 0)} ({duration(m)})" for p, m in self.busy.items())
            lines.append(f"Work:       {shown}")
        return "\n".join(lines) + "\n"


def summary_text(events: Iterable[Event]) -> str:
    builder = SummaryBuilder()
    for event in events:
        builder(event)
    return builder.text()
