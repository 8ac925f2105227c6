"""The final report of a run, computed from its events (never claimed).

Summary and outcome, the run's figures (see :mod:`rolecall.figures`), an agent
performance table, a phase table, the critical path, and optimisation
opportunities found in the data: the most idle personas, the tasks that alone
bound the plan, and work that was ready but waited for a busy persona.

A run blocked at the gate did no work, so its report is short: what is
missing, who must provide it, and what was not started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rolecall import events as ev
from rolecall._words import count, joined, outcome_words
from rolecall.figures import FiguresTally, RunFigures, duration
from rolecall.render.critical import PhaseLinks, critical_ties
from rolecall.render.lanes import Lanes
from rolecall.render.parts import live_start

__all__ = ["AgentFigures", "ReportBuilder", "report_text"]

_NAMED = 5
"""Tasks named in one piece of advice before the rest are counted."""


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
    slots: int = 0

    @property
    def success_rate(self) -> float:
        return self.tasks / len(self.attempted) if self.attempted else 0.0

    @property
    def busy_per_slot(self) -> int:
        """Activity time per slot in use: a persona working in parallel is not busy for longer than the run."""
        return round(self.busy / self.slots) if self.slots else self.busy

    def idle(self, makespan: int) -> int:
        return max(0, makespan - self.busy_per_slot)


class ReportBuilder:
    """Feed events in order; :meth:`markdown` renders the report."""

    def __init__(self) -> None:
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None
        self.verdict: ev.GateVerdict | None = None
        self.checks: list[ev.GateChecked] = []
        self.agents: dict[str, AgentFigures] = {}
        self.names: dict[str, str] = {}
        self.phases: list[ev.PhaseFinished] = []
        self.phase_started: dict[str, ev.PhaseStarted] = {}
        self.ready_at: dict[str, int] = {}
        self.waited: list[tuple[int, str, str, int]] = []  # (time waited, task, persona, ready at)
        self.skipped: set[str] = set()
        self.unreached: list[str] = []
        self.tally = FiguresTally()
        self.lanes = Lanes()
        self.links = PhaseLinks()
        # Dispatch on the event's class: one lookup per event, whatever the number of kinds handled.
        self._on: dict[type, Callable[[Any], None]] = {
            ev.TaskStarted: self._task_started,
            ev.TaskFinished: self._task_finished,
            ev.TaskFailed: self._task_failed,
            ev.TaskSubmitted: self.tally,
            ev.TaskAssigned: self._task_assigned,
            ev.TaskSkipped: self._task_skipped,
            ev.TaskUnreached: self._task_unreached,
            ev.Redirect: self._redirect,
            ev.PhaseStarted: self._phase_started,
            ev.PhaseFinished: self._phase_finished,
            ev.PhaseGateOpened: self.links,
            ev.CheckInHeld: self.links,
            ev.DecisionMade: self.links,
            ev.GateChecked: self.checks.append,
            ev.GateVerdict: self._gate_verdict,
            ev.RunStarted: self._run_started,
            ev.RunFinished: self._run_finished,
        }

    def _agent(self, persona: str) -> AgentFigures:
        figures = self.agents.get(persona)
        if figures is None:
            figures = self.agents[persona] = AgentFigures(persona)
        return figures

    def __call__(self, event: ev.Event) -> None:
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    def _task_started(self, event: ev.TaskStarted) -> None:
        self.tally(event)
        agent = self._agent(event.persona)
        agent.busy += event.duration
        self.lanes.place(event.persona, event.at, event.at + event.duration)
        if event.activity != "review":
            agent.attempted.add(event.task)
            agent.work_time += event.duration
        ready = self.ready_at.pop(event.task, None)
        if ready is not None and event.at > ready:
            self.waited.append((event.at - ready, event.task, event.persona, ready))

    def _task_finished(self, event: ev.TaskFinished) -> None:
        self.tally(event)
        self._agent(event.persona).tasks += 1

    def _task_failed(self, event: ev.TaskFailed) -> None:
        self.tally(event)
        self._agent(event.persona).failed_attempts += 1

    def _task_assigned(self, event: ev.TaskAssigned) -> None:
        self.ready_at[event.task] = event.at

    def _task_skipped(self, event: ev.TaskSkipped) -> None:
        self.skipped.add(event.task)

    def _task_unreached(self, event: ev.TaskUnreached) -> None:
        self.unreached.append(event.task)

    def _redirect(self, event: ev.Redirect) -> None:
        self._agent(event.from_persona).redirected += 1
        self._agent(event.actor).issued += 1
        self._agent(event.to_persona).took_over += 1

    def _phase_started(self, event: ev.PhaseStarted) -> None:
        self.links(event)
        self.phase_started[event.phase] = event

    def _phase_finished(self, event: ev.PhaseFinished) -> None:
        self.links(event)
        self.phases.append(event)

    def _gate_verdict(self, event: ev.GateVerdict) -> None:
        self.verdict = event

    def _run_started(self, event: ev.RunStarted) -> None:
        self.tally(event)
        self.start = event
        self.names = {p.id: p.name for p in event.personas}

    def _run_finished(self, event: ev.RunFinished) -> None:
        self.tally(event)
        self.final = event

    # -- rendering ---------------------------------------------------------------

    def markdown(self, heading_level: int = 2, *, start_line: bool = True) -> str:
        """The report; ``start_line=False`` leaves out how to read a live run's times, for a view that said it."""
        start, final, figures = self.start, self.final, self.tally.figures()
        if start is None or final is None or figures is None:
            return "incomplete event stream: no run_started or run_finished event\n"
        h = "#" * heading_level
        out = [f"{h} Final report: {start.title}", ""]
        live = live_start(start) if start_line else ""
        if live:
            out += [f"{live}.", ""]
        if figures.blocked:
            out += self._blocked(h, start, figures)
        else:
            out += [f"**Outcome:** {outcome_words(final.outcome)} ({final.reason}).", ""]
            for agent in self.agents.values():
                agent.slots = self.lanes.used(agent.persona)
            out += self._figures(h, figures) + self._agent_table(h, final) + self._phase_table(h, start)
            out += self._critical_path(h, start) + self._opportunities(h, start, figures)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n"

    def _name(self, persona: str) -> str:
        return self.names.get(persona, persona)

    def _duration(self, amount: int) -> str:
        return duration(amount, self.start.clock if self.start is not None else "minutes")

    # -- a blocked run -------------------------------------------------------------

    def _blocked(self, h: str, start: ev.RunStarted, figures: RunFigures) -> list[str]:
        missing = [c for c in self.checks if not c.ok]
        verifier = self.verdict.actor if self.verdict else start.orchestrator
        handle = next((p.handle for p in start.personas if p.id == verifier), f"@{verifier}")
        out = [
            f"**Outcome:** blocked at the prerequisites gate: {count(len(missing), 'requirement')} missing, "
            "nothing was started.",
            "",
            f"{h}# Missing prerequisites",
            "",
            *[f"- {c.requirement} ({c.requirement_kind})" + (f": {c.detail}" if c.detail else "") for c in missing],
            "",
            f"The user must provide {'it' if len(missing) == 1 else 'them'} where the run takes place; "
            f"{self._name(verifier)} ({handle}) checks the prerequisites again on the next run.",
            "",
        ]
        by_phase: dict[str, list[ev.TaskView]] = {}
        for task in start.plan:
            by_phase.setdefault(task.phase, []).append(task)
        out += [
            f"{h}# Not started",
            "",
            f"{count(len(start.plan), 'task')} in {count(len(by_phase), 'phase')}, {figures.text('planned_work')}:",
            "",
        ]
        for phase, title in zip(start.phases, start.phase_titles, strict=True):
            tasks = by_phase.get(phase, [])
            if tasks:
                out.append(
                    f"- {title}: " + "; ".join(f"{t.summary} (`{t.id}`, {self._name(t.persona)})" for t in tasks)
                )
        return [*out, ""]

    # -- a run that did work ---------------------------------------------------------

    def _figures(self, h: str, figures: RunFigures) -> list[str]:
        split = figures.split.parts(figures.clock) if figures.split is not None else []
        how = "in parallel" if figures.mode == "parallel" else "one task at a time (sequential mode)"
        rows = [
            ("planned work", self._duration(figures.planned_work), "expected times of the plan, each task once"),
            (
                "work done",
                self._duration(figures.work_done),
                "every activity that ran" + (f", including {joined(split)}" if split else ""),
            ),
            ("makespan", self._duration(figures.makespan), f"from GO to the end of the last activity, {how}"),
            ("critical path", self._duration(figures.critical_path), "the plan's longest dependency chain"),
            ("speed-up", figures.speedup_text(), "planned work divided by the makespan"),
        ]
        out = [f"{h}# Figures", "", "| Figure | Value | What it is |", "|---|---|---|"]
        out += [f"| {name} | {value} | {meaning} |" for name, value, meaning in rows]
        return [*out, ""]

    def _agent_table(self, h: str, final: ev.RunFinished) -> list[str]:
        workers = [a for a in self._ordered_agents() if a.attempted or a.busy or a.issued or a.redirected]
        if not workers:
            return []
        out = [f"{h}# Agent performance", ""]
        out.append("| Agent | Tasks | Success rate | Avg time | Slots | Busy | Idle | Redirected | Redirects issued |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for a in workers:
            rate = f"{round(100 * a.success_rate)}%" if a.attempted else "-"
            avg = self._duration(a.work_time // a.tasks) if a.tasks else "-"
            busy = self._duration(a.busy_per_slot) if a.busy else "-"
            idle = self._duration(a.idle(final.makespan)) if a.busy else "-"
            out.append(
                f"| {self._name(a.persona)} | {a.tasks} | {rate} | {avg} | {a.slots or '-'} | {busy} | {idle} | "
                f"{a.redirected} | {a.issued} |"
            )
        out += [
            "",
            "Busy and idle are per slot: activity time divided by the slots the persona used at once, so "
            "neither exceeds the makespan.",
        ]
        return [*out, ""]

    def _ordered_agents(self) -> list[AgentFigures]:
        order = [p.id for p in self.start.personas] if self.start else []
        rank = {pid: i for i, pid in enumerate(order)}
        return sorted(self.agents.values(), key=lambda a: (rank.get(a.persona, len(rank)), a.persona))

    def _phase_table(self, h: str, start: ev.RunStarted) -> list[str]:
        finished = {p.phase: p for p in self.phases}
        out = [f"{h}# Phases", "", "| Phase | Tasks | Status | Time |", "|---|---:|---|---:|"]
        counts: dict[str, int] = {}
        for task in start.plan:
            counts[task.phase] = counts.get(task.phase, 0) + 1
        for phase, title in zip(start.phases, start.phase_titles, strict=True):
            done = finished.get(phase)
            began = self.phase_started.get(phase)
            if done is None:
                # The run is over (this is its final report): a phase it left open did not finish.
                status, time = ("did not finish" if began else "not started"), "-"
            else:
                status = "complete" if not done.failed else f"{done.failed} failed"
                if done.skipped:
                    status += f", {done.skipped} skipped"
                title, time = done.title, self._duration(done.at - done.started_at)
            if began is not None and began.stream:
                title += " (stream, alongside the phases)"
            out.append(f"| {title} | {counts.get(phase, 0)} | {status} | {time} |")
        return [*out, ""]

    def _critical_path(self, h: str, start: ev.RunStarted) -> list[str]:
        path = [t for t in start.plan if t.critical]
        if not path:
            return []
        shown = " -> ".join(f"{t.id} ({self._name(t.persona)}, {self._duration(t.expected_time)})" for t in path[:30])
        more = f" -> ... {len(path) - 30} more" if len(path) > 30 else ""
        return [f"{h}# Critical path", "", shown + more, ""]

    def _opportunities(self, h: str, start: ev.RunStarted, figures: RunFigures) -> list[str]:
        makespan = figures.makespan
        tips: list[str] = []
        idle = sorted(
            ((a.idle(makespan), a.persona) for a in self.agents.values() if a.busy),
            key=lambda x: (-x[0], x[1]),
        )
        idle = [(m, p) for m, p in idle if m > 0][:3]
        if idle and makespan:
            shown = ", ".join(
                f"{self._name(p)} idle {self._duration(m)} ({round(100 * m / makespan)}%)" for m, p in idle
            )
            tips.append(f"Most idle (per slot): {shown}; they could take on work earlier or in parallel.")
        if figures.outcome == "completed":
            tips += self._critical_advice(start, figures)
        waited = sorted(self.waited, key=lambda w: (-w[0], w[1]))[:5]
        for wait, task, persona, ready in waited:
            tips.append(
                f"{task} was ready at {self._duration(ready)} but waited {self._duration(wait)} for "
                f"{self._name(persona)} to be free; another owner or a higher capacity would run it in parallel."
            )
        if not tips:
            return []
        return [f"{h}# Optimisation opportunities", "", *[f"{i}. {t}" for i, t in enumerate(tips, start=1)], ""]

    def _critical_advice(self, start: ev.RunStarted, figures: RunFigures) -> list[str]:
        """Name a task as worth shortening only if it alone bounds the run; tied tasks together or not at all."""
        if not any(t.critical for t in start.plan):
            return []
        if figures.mode == "sequential":
            return [
                "In sequential mode one task runs at a time, so shortening any task shortens the run; "
                f"in parallel the plan needs no less than its {figures.text('critical_path')}."
            ]
        ties = critical_ties(start, self.links)
        if ties.rivals is None:
            return [
                f"The critical path has {count(len(ties.path), 'task')}; the events do not show the phase order "
                "well enough to tell which of them bound the run alone, so none is named."
            ]
        alone = [t.id for t, rivals in zip(ties.path, ties.rivals, strict=True) if not self._ran(rivals)]
        groups = [(t, self._ran(rivals)) for t, rivals in zip(ties.path, ties.rivals, strict=True)]
        groups = [(t, rivals) for t, rivals in groups if rivals]
        tips: list[str] = []
        if alone:
            # Tasks that bound the run alone are all named while a reader can take them in.
            names = (
                joined(alone, "or")
                if len(alone) <= 2 * _NAMED
                else f"any of the {len(alone)} path tasks not tied below"
            )
            tips.append(
                f"The critical path has {count(len(ties.path), 'task')}; shortening {names} shortens the run: "
                f"{'it lies' if len(alone) == 1 else 'each lies'} on every critical path."
            )
        shown = []
        for task, rivals in groups[:_NAMED]:
            if len(rivals) < _NAMED:
                shown.append(f"{task.id} with {joined([r.id for r in rivals])}")
            else:
                shown.append(f"a tie of {len(rivals) + 1} tasks (too many to name)")
        if shown:
            more = f", and {count(len(groups) - len(shown), 'more tie')}" if len(groups) > len(shown) else ""
            tips.append(
                f"Tied on the critical path (as long side by side, no slack on either): {'; '.join(shown)}{more}. "
                "Shortening one task of a tie alone does not shorten the run; shorten every task of the tie or none."
            )
        return tips

    def _ran(self, rivals: tuple[ev.TaskView, ...]) -> list[ev.TaskView]:
        """Rivals a decision did not skip: a skipped alternative takes no time."""
        return [r for r in rivals if r.id not in self.skipped]


def report_text(events: Iterable[ev.Event]) -> str:
    builder = ReportBuilder()
    for event in events:
        builder(event)
    return builder.markdown(heading_level=1)
