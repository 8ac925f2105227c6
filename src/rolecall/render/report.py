"""The final report of a run, computed from its events (never claimed).

Summary and outcome, an agent performance table, a phase table, parallel time
against the work done one after another, the critical path, and optimisation
opportunities found in the data: the most idle personas, the tasks on the
critical path, and work that was ready but waited for a busy persona.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rolecall.orchestrator import events as ev
from rolecall.render._format import duration, percent_faster, speedup

__all__ = ["AgentFigures", "ReportBuilder", "report_text"]


@dataclass
class AgentFigures:
    persona: str
    tasks: int = 0
    failed_attempts: int = 0
    attempted: set[str] = field(default_factory=set)
    busy: int = 0
    work_time: int = 0
    redirected: int = 0
    issued: int = 0
    took_over: int = 0

    @property
    def success_rate(self) -> float:
        return self.tasks / len(self.attempted) if self.attempted else 0.0


class ReportBuilder:
    """Feed events in order; :meth:`markdown` renders the report."""

    def __init__(self) -> None:
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None
        self.verdict: ev.GateVerdict | None = None
        self.agents: dict[str, AgentFigures] = {}
        self.names: dict[str, str] = {}
        self.phases: list[ev.PhaseFinished] = []
        self.phase_started: dict[str, ev.PhaseStarted] = {}
        self.ready_at: dict[str, int] = {}
        self.waited: list[tuple[int, str, str, int]] = []  # (minutes, task, persona, ready at)
        self.work_start = 0

    def _agent(self, persona: str) -> AgentFigures:
        figures = self.agents.get(persona)
        if figures is None:
            figures = self.agents[persona] = AgentFigures(persona)
        return figures

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.TaskStarted):
            agent = self._agent(event.persona)
            agent.busy += event.duration
            if event.activity != "review":
                agent.attempted.add(event.task)
                agent.work_time += event.duration
            ready = self.ready_at.pop(event.task, None)
            if ready is not None and event.at > ready:
                self.waited.append((event.at - ready, event.task, event.persona, ready))
        elif isinstance(event, ev.TaskFinished):
            self._agent(event.persona).tasks += 1
        elif isinstance(event, ev.TaskFailed):
            self._agent(event.persona).failed_attempts += 1
        elif isinstance(event, ev.TaskAssigned):
            self.ready_at[event.task] = event.at
        elif isinstance(event, ev.Redirect):
            self._agent(event.from_persona).redirected += 1
            self._agent(event.actor).issued += 1
            self._agent(event.to_persona).took_over += 1
        elif isinstance(event, ev.PhaseStarted):
            self.phase_started[event.phase] = event
        elif isinstance(event, ev.PhaseFinished):
            self.phases.append(event)
        elif isinstance(event, ev.GateVerdict):
            self.verdict = event
            self.work_start = event.at
        elif isinstance(event, ev.RunStarted):
            self.start = event
            self.names = {p.id: p.name for p in event.personas}
        elif isinstance(event, ev.RunFinished):
            self.final = event

    # -- rendering ---------------------------------------------------------------

    def markdown(self, heading_level: int = 2) -> str:
        start, final = self.start, self.final
        if start is None or final is None:
            return "incomplete event stream: no run_started or run_finished event\n"
        h = "#" * heading_level
        out = [f"{h} Final report: {start.title}", ""]
        out += [f"**Outcome:** {final.outcome.replace('_', ' ')} ({final.reason}).", ""]
        if final.outcome != "blocked_at_gate":
            seq, par = final.sequential_time, final.makespan
            out += [
                f"**Time:** {duration(par)} in parallel against {duration(seq)} of work one after another: "
                f"{speedup(seq, par)} speed-up, {percent_faster(seq, par)} saved. "
                f"Critical path {duration(final.critical_time)}.",
                "",
            ]
        out += self._agent_table(h, final) + self._phase_table(h) + self._critical_path(h)
        out += self._opportunities(h, final)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n"

    def _name(self, persona: str) -> str:
        return self.names.get(persona, persona)

    def _agent_table(self, h: str, final: ev.RunFinished) -> list[str]:
        workers = [a for a in self._ordered_agents() if a.attempted or a.busy or a.issued or a.redirected]
        if not workers:
            return []
        out = [f"{h}# Agent performance", ""]
        out.append("| Agent | Tasks | Success rate | Avg time | Busy | Idle | Redirected | Redirects issued |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for a in workers:
            rate = f"{round(100 * a.success_rate)}%" if a.attempted else "-"
            avg = duration(a.work_time // a.tasks) if a.tasks else "-"
            idle = duration(max(0, final.makespan - a.busy)) if a.busy else "-"
            out.append(
                f"| {self._name(a.persona)} | {a.tasks} | {rate} | {avg} | {duration(a.busy)} | {idle} | "
                f"{a.redirected} | {a.issued} |"
            )
        return [*out, ""]

    def _ordered_agents(self) -> list[AgentFigures]:
        order = [p.id for p in self.start.personas] if self.start else []
        rank = {pid: i for i, pid in enumerate(order)}
        return sorted(self.agents.values(), key=lambda a: (rank.get(a.persona, len(rank)), a.persona))

    def _phase_table(self, h: str) -> list[str]:
        start = self.start
        if start is None:
            return []
        finished = {p.phase: p for p in self.phases}
        out = [f"{h}# Phases", "", "| Phase | Tasks | Status | Time |", "|---|---:|---|---:|"]
        counts: dict[str, int] = {}
        for task in start.plan:
            counts[task.phase] = counts.get(task.phase, 0) + 1
        for phase, title in zip(start.phases, start.phase_titles, strict=True):
            done = finished.get(phase)
            began = self.phase_started.get(phase)
            if done is None:
                status, time = ("in progress" if began else "not started"), "-"
            else:
                status = "complete" if not done.failed else f"{done.failed} failed"
                if done.skipped:
                    status += f", {done.skipped} skipped"
                title, time = done.title, duration(done.at - done.started_at)
            out.append(f"| {title} | {counts.get(phase, 0)} | {status} | {time} |")
        return [*out, ""]

    def _critical_path(self, h: str) -> list[str]:
        if self.start is None:
            return []
        path = [t for t in self.start.plan if t.critical]
        if not path:
            return []
        shown = " -> ".join(f"{t.id} ({self._name(t.persona)}, {duration(t.expected_time)})" for t in path[:30])
        more = f" -> ... {len(path) - 30} more" if len(path) > 30 else ""
        return [f"{h}# Critical path", "", shown + more, ""]

    def _opportunities(self, h: str, final: ev.RunFinished) -> list[str]:
        tips: list[str] = []
        idle = sorted(
            ((final.makespan - a.busy, a.persona) for a in self.agents.values() if a.busy),
            key=lambda x: (-x[0], x[1]),
        )
        idle = [(m, p) for m, p in idle if m > 0][:3]
        if idle and final.makespan:
            shown = ", ".join(
                f"{self._name(p)} idle {duration(m)} ({round(100 * m / final.makespan)}%)" for m, p in idle
            )
            tips.append(f"Most idle: {shown}; they could take on work earlier or in parallel.")
        if self.start is not None:
            path = [t.id for t in self.start.plan if t.critical]
            if path:
                tips.append(
                    f"The critical path has {len(path)} task{'s' if len(path) != 1 else ''}; shortening "
                    f"{', '.join(path[:5])}{' ...' if len(path) > 5 else ''} shortens the run."
                )
        waited = sorted(self.waited, key=lambda w: (-w[0], w[1]))[:5]
        for minutes, task, persona, ready in waited:
            tips.append(
                f"{task} was ready at {duration(ready)} but waited {duration(minutes)} for {self._name(persona)} "
                "to be free; another owner or a higher capacity would run it in parallel."
            )
        if not tips:
            return []
        return [f"{h}# Optimisation opportunities", "", *[f"{i}. {t}" for i, t in enumerate(tips, start=1)], ""]


def report_text(events: Iterable[ev.Event]) -> str:
    builder = ReportBuilder()
    for event in events:
        builder(event)
    return builder.markdown(heading_level=1)
