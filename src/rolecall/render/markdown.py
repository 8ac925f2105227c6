"""The Markdown transcript: the run told the way the source documents tell it.

A pure function of the event stream and the templates: phases become sections,
every message names its speaker with their @handle and the virtual time, and
handoffs, redirects, gate reports, check-ins and the summary are rendered from
the (user-editable) templates. Events are consumed one at a time, so a large
run renders while it streams.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rolecall._words import count
from rolecall.handoffs import TemplateLibrary, load_templates
from rolecall.orchestrator import events as ev
from rolecall.render._format import duration, percent_faster, speedup
from rolecall.render.mermaid import MermaidBuilder
from rolecall.render.report import ReportBuilder

__all__ = ["MarkdownTranscript", "clock", "markdown_transcript"]


def clock(minutes: int) -> str:
    """Virtual time as ``h:mm``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _first_line(text: str) -> str:
    """A deliverable as a handoff cites it: multi-line ones were quoted in full when finished."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    return text.strip() if len(lines) <= 1 else f"{lines[0].strip()} (full text above)"


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.split("\n")]


class MarkdownTranscript:
    """Feed events in order with ``transcript(event)``; read the result with :meth:`text`."""

    def __init__(self, templates: TemplateLibrary | None = None) -> None:
        self._templates = templates or load_templates()
        self._out: list[str] = []
        self._people: dict[str, ev.PersonaView] = {}
        self._orchestrator = ""
        self._tasks: dict[str, dict[str, Any]] = {}
        self._phases: dict[str, tuple[str, int]] = {}
        self._checks: list[ev.GateChecked] = []
        self._plan: dict[str, ev.TaskView] = {}
        self._by_phase: dict[str, list[ev.TaskView]] = {}
        self._workers: set[str] = set()
        self._phase_titles: dict[str, str] = {}
        self.line_of: dict[int, int] = {}
        self.report = ReportBuilder()
        self.diagrams = MermaidBuilder()
        self._started: set[str] = set()
        self._ended: dict[str, str] = {}  # task -> "done" | "skipped" | "failed"
        self._redirects: dict[str, ev.Redirect] = {}
        self._phase_done: dict[str, list[str]] = {}
        self._unreached: list[ev.TaskUnreached] = []
        self._title = ""

    # -- helpers ---------------------------------------------------------------

    def _name(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.name if person else pid

    def _handle(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.handle if person else f"@{pid}"

    def _speaker(self, pid: str) -> str:
        return f"**{self._name(pid)}** ({self._handle(pid)})"

    def _say(self, event: ev.EventBase, text: str, who: str | None = None) -> None:
        self._out.append(f"`[{clock(event.at)}]` {self._speaker(who or event.actor)}: {text}")
        self._out.append("")

    def _template(self, name: str, speaker: str, event: ev.EventBase, **values: Any) -> None:
        body = self._templates.for_speaker(name, speaker).render(values)
        self._out.append(f"`[{clock(event.at)}]` {self._speaker(speaker)}:")
        self._out.append("")
        self._out.extend(_quote(body))
        self._out.append("")

    def _summary(self, task_id: str) -> str:
        return str(self._tasks.get(task_id, {}).get("summary", task_id))

    # -- events ----------------------------------------------------------------

    def __call__(self, event: ev.Event) -> None:
        handler = getattr(self, f"_on_{event.kind}")
        self.line_of[event.seq] = len(self._out) + 1  # where this event's text starts
        self.report(event)
        self.diagrams(event)
        handler(event)

    def _on_run_started(self, e: ev.RunStarted) -> None:
        self._people = {p.id: p for p in e.personas}
        self._tasks = {t.id: {"summary": t.summary, "persona": t.persona, "phase": t.phase} for t in e.plan}
        self._plan = {t.id: t for t in e.plan}
        self._phase_titles = dict(zip(e.phases, e.phase_titles, strict=True))
        for task in e.plan:
            self._by_phase.setdefault(task.phase, []).append(task)
        self._orchestrator = e.orchestrator
        self._title = e.title
        overrides = {p.id: p.templates for p in e.personas if p.templates}
        if overrides:
            self._templates = self._templates.with_personas(overrides)
        self._out += [f"# {e.title}", "", f"**Request:** {e.request}", ""]
        if e.description:
            self._out += [e.description, ""]
        self._out += [
            f"Scenario `{e.scenario}` with cast `{e.cast}`, {e.mode} mode, {count(e.tasks, 'task')} "
            f"({duration(e.sequential_time)} of work if done one after another).",
            "",
        ]
        self._say(e, f"Assessing the request: {e.assessment}.")

    def _on_gate_checked(self, e: ev.GateChecked) -> None:
        self._checks.append(e)

    def _on_gate_verdict(self, e: ev.GateVerdict) -> None:
        self._out += ["## Prerequisites", ""]
        wanted = [f"{c.requirement} ({c.requirement_kind})" for c in self._checks]
        self._out.append(
            f"`[0:00]` {self._speaker(self._orchestrator)}: Starting with prerequisites "
            f"verification. {self._handle(e.actor)} {self._name(e.actor)}, verify we have:"
        )
        self._out += [f"- {w}" for w in wanted] + [""]
        checks = [
            f"{'✓' if c.ok else '✗'} {c.requirement} {'available' if c.ok else 'MISSING'}"
            + (f" ({c.detail})" if c.detail else "")
            for c in self._checks
        ]
        verdict = (
            "Prerequisites verified. Ready to proceed. GO."
            if e.verdict == "GO"
            else f"NO-GO: missing {', '.join(e.missing)}."
        )
        self._template(
            "gate-report",
            e.actor,
            e,
            verifier=self._name(e.actor),
            verifier_handle=self._handle(e.actor),
            checks=checks,
            verdict=verdict,
            missing=list(e.missing),
            next_phase="",
        )
        self._checks = []
        if e.verdict == "GO":
            self._say(e, "GO signal received. Moving on.", self._orchestrator)

    def _on_phase_started(self, e: ev.PhaseStarted) -> None:
        self._phases[e.phase] = (e.title, e.at)
        kind = "stream, alongside the phases" if e.stream else e.mode.upper()
        agents = len(e.personas)
        title = e.title
        if title[:1].isupper() and title[1:] == title[1:].lower():
            title = title[:1].lower() + title[1:]  # "Design" reads as "design phase"; "Backend API" stays
        self._out += [f"## Phase {e.index}: {e.title} ({kind})", ""]
        # The plan of the phase, as the orchestrator announces it; a task someone takes on
        # outside their role is not announced: its violation and redirect tell its story.
        announced = [
            f"{self._handle(t.persona)} {self._name(t.persona)}: {t.summary}"
            for t in self._by_phase.get(e.phase, [])
            if not t.attempted_by or t.attempted_by == t.persona
        ]
        self._template(
            "phase-start",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            phase=e.phase,
            title=title,
            mode=e.mode.upper(),
            count=agents,
            team=count(agents, "agent"),
            agents=announced,
        )

    def _on_phase_gate(self, e: ev.PhaseGateOpened) -> None:
        done = ", ".join(f"{self._summary(t)} ✓" for t in e.requires)
        self._say(e, f"{e.gate} open: {done}.")

    def _on_phase_finished(self, e: ev.PhaseFinished) -> None:
        self._template(
            "phase-finish",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            phase=e.phase,
            title=e.title,
            finished=e.finished,
            failed=e.failed,
            skipped=e.skipped,
            duration=duration(e.at - e.started_at),
        )
        self._ledger()

    _LEDGER_LIMIT = 60

    def _ledger(self) -> None:
        """The progress ledger of the source's todo list, after every phase."""
        total = len(self._plan)
        done = sum(1 for state in self._ended.values() if state in ("done", "skipped"))
        percent = round(100 * done / total) if total else 100
        lines = []
        if total <= self._LEDGER_LIMIT:
            for phase, tasks in self._by_phase.items():
                title = self._phase_titles.get(phase, phase)
                lines.append(f"- {title}")
                for t in tasks:
                    state = self._ended.get(t.id)
                    if state == "done":
                        lines.append(f"  - [x] {t.summary} ✓")
                    elif state == "skipped":
                        lines.append(f"  - [x] ~~{t.summary}~~ (skipped)")
                    elif t.id in self._started:
                        lines.append(f"  - [ ] {t.summary} (in progress)")
                    else:
                        lines.append(f"  - [ ] {t.summary}")
        self._out += ["<details><summary>Progress ledger</summary>", "", *lines, "", "</details>", ""] if lines else []
        self._out += [f"**Progress**: {done}/{total} tasks complete ({percent}%)", ""]

    def _on_task_assigned(self, e: ev.TaskAssigned) -> None:
        self._tasks[e.task] = {"summary": e.summary, "persona": e.persona, "phase": e.phase}
        note = {"fallback": " (fallback)", "escalation": " (escalated)", "unenforced": " (not enforced)"}
        line = f"{self._handle(e.persona)} {self._name(e.persona)}: {e.summary}{note.get(e.reason, '')}"
        phase = self._phases.get(e.phase)
        planned = self._plan.get(e.task)
        if phase is not None and phase[1] == e.at and e.reason in ("routed", "assigned") and planned is not None:
            return  # already in the phase announcement
        self._say(e, line)

    def _on_task_started(self, e: ev.TaskStarted) -> None:
        self._workers.add(e.persona)
        self._started.add(e.task)
        summary = self._summary(e.task)
        if e.activity == "review":
            text = f"reviewing *{summary}* (round {e.attempt}, {duration(e.duration)})"
        elif e.activity == "rework":
            text = f"reworking *{summary}* after review (round {e.attempt}, {duration(e.duration)})"
        else:
            again = f", attempt {e.attempt}" if e.attempt > 1 else ""
            text = f"working on *{summary}* ({duration(e.duration)}{again})"
        self._say(e, text)

    def _on_task_submitted(self, e: ev.TaskSubmitted) -> None:
        self._say(
            e,
            f"*{self._summary(e.task)}* ready for review by {self._handle(e.reviewer)} "
            f"{self._name(e.reviewer)} (round {e.round}).",
        )

    def _on_review_round(self, e: ev.ReviewRound) -> None:
        verdict = "approved" if e.verdict == "approved" else "changes requested"
        self._say(
            e,
            f"review of *{self._summary(e.task)}*, round {e.round} of at most {e.max_rounds}: **{verdict}**.",
        )

    def _on_task_finished(self, e: ev.TaskFinished) -> None:
        self._tasks.setdefault(e.task, {})["deliverable"] = e.deliverable
        self._tasks[e.task]["time"] = e.at - e.started_at
        self._tasks[e.task]["by"] = e.persona
        self._ended[e.task] = "done"
        self._phase_done.setdefault(e.phase, []).append(e.task)
        text = e.deliverable.strip() or f"{self._summary(e.task)}: done."
        if "\n" in text:
            self._out.append(f"`[{clock(e.at)}]` {self._speaker(e.persona)}:")
            self._out.append("")
            self._out.extend(_quote(text))
            self._out.append("")
        else:
            self._say(e, f'"{text}"', e.persona)
        planned = self._plan.get(e.task)
        if planned is not None and planned.files:
            self._out += ["Files: " + ", ".join(f"`{f}`" for f in planned.files), ""]

    def _on_task_failed(self, e: ev.TaskFailed) -> None:
        then = {
            "retry": "retrying",
            "fallback": "passing it along the fallback chain",
            "escalate": "escalating to the orchestrator",
            "give_up": "giving up",
        }[e.next]
        self._say(e, f"*{self._summary(e.task)}* failed on attempt {e.attempt}; {then}.")

    def _on_task_skipped(self, e: ev.TaskSkipped) -> None:
        self._ended[e.task] = "skipped"
        self._say(e, f"skipping *{self._summary(e.task)}*: {e.reason}.")

    def _on_task_unreached(self, e: ev.TaskUnreached) -> None:
        self._unreached.append(e)

    def _on_violation(self, e: ev.Violation) -> None:
        self._tasks.setdefault(e.task, {})
        self._say(e, f"I'll take this one... (*{e.task}*: {e.phrase}, `{e.capability}`)")

    def _on_redirect(self, e: ev.Redirect) -> None:
        self._tasks.setdefault(e.task, {})["summary"] = e.summary
        self._redirects[e.task] = e
        self._template(
            "redirect",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            violator=self._name(e.from_persona),
            violator_handle=self._handle(e.from_persona),
            specialist=self._name(e.to_persona),
            specialist_title=self._people[e.to_persona].title if e.to_persona in self._people else "",
            specialist_handle=self._handle(e.to_persona),
            task=e.summary,
            capability=e.capability,
            reasons=list(e.reasons),
            instead=list(e.instead),
            subtasks=list(e.subtasks) or [e.summary],
        )

    def _on_handoff(self, e: ev.Handoff) -> None:
        people = {
            "sender": self._name(e.from_persona), "sender_handle": self._handle(e.from_persona),
            "sender_title": self._title_of(e.from_persona), "recipient": self._name(e.to_persona),
            "recipient_handle": self._handle(e.to_persona), "recipient_title": self._title_of(e.to_persona),
        }  # fmt: skip
        continues = self._summary(e.continues_with) if e.continues_with else "my other work"
        if e.style == "context":
            task = e.feeds[0]
            redirect = self._redirects.get(task)
            self._template(
                "context-handoff",
                e.from_persona,
                e,
                **people,
                task=self._summary(task),
                requirements=list(redirect.reasons) if redirect else [],
                context=f"the orchestrator redirected this `{redirect.capability if redirect else task}` "
                "work to its owner",
                continues_with=continues,
            )
            return
        deliverables = [
            _first_line(self._tasks.get(t, {}).get("deliverable") or self._summary(t)) for t in e.deliverables
        ]
        self._template(
            "clean-handoff",
            e.from_persona,
            e,
            **people,
            task=" and ".join(self._summary(t) for t in e.deliverables),
            deliverables=deliverables,
            next=" and ".join(self._summary(t) for t in e.feeds),
        )

    def _title_of(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.title if person else pid

    def _on_checkin(self, e: ev.CheckInHeld) -> None:
        completed = [
            f"**{self._name(self._tasks[t].get('by', ''))}**: {self._summary(t)} "
            f"(time: {duration(self._tasks[t].get('time', 0))})"
            for t in self._phase_done.get(e.phase, [])
        ]
        percent = f"{round(100 * e.tasks_done / e.tasks_total)}%" if e.tasks_total else "100%"
        self._template(
            "checkin",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            title=e.title,
            completed=completed or ["(nothing this phase)"],
            in_progress=[self._summary(t) for t in e.in_progress] or ["(nothing)"],
            upcoming=[self._summary(t) for t in e.upcoming] or ["(none)"],
            blockers=list(e.blockers) or ["None"],
            phase_index=e.phase_index,
            phases_total=e.phases_total,
            tasks_done=e.tasks_done,
            tasks_total=e.tasks_total,
            percent=percent,
            elapsed=duration(e.at),
        )

    def _on_decision(self, e: ev.DecisionMade) -> None:
        labels = {o.id: o.label for o in e.options}
        answer = "Y" if e.approved else "N"
        chosen = f" -> {labels.get(e.chosen, e.chosen)}" if e.chosen else ""
        self._template(
            "decision",
            e.actor,
            e,
            question=e.question,
            options=[f"{n}. {o.label}" for n, o in enumerate(e.options, start=1)],
            recommendation=labels.get(e.recommended, e.recommended),
            answer=f"{answer}{chosen}",
            outcome=e.outcome,
        )

    def _on_escalation(self, e: ev.Escalation) -> None:
        self._say(
            e,
            f"escalating *{self._summary(e.task)}* to {self._handle(e.to_persona)} "
            f"{self._name(e.to_persona)}: {e.reason}.",
        )

    def _on_run_finished(self, e: ev.RunFinished) -> None:
        if self._unreached:
            self._out += ["## Not reached", ""]
            self._out += [f"- *{self._summary(u.task)}* (`{u.task}`): {u.reason}" for u in self._unreached]
            self._out.append("")
        self._out += [*self.report.markdown(heading_level=2).rstrip("\n").split("\n"), ""]
        gantt, sequence = self.diagrams.gantt(), self.diagrams.sequence()
        if gantt:
            self._out += ["### Timeline", "", *gantt]
        if sequence:
            self._out += ["### Handoffs and redirects", "", *sequence]
        self._out += ["## Summary", ""]
        involved = len(self._workers)
        self._template(
            "run-summary",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            title=self._title,
            outcome=e.outcome.replace("_", " "),
            reason=e.reason.rstrip("."),
            makespan=duration(e.makespan),
            sequential=duration(e.sequential_time),
            speedup=speedup(e.sequential_time, e.makespan),
            faster=percent_faster(e.sequential_time, e.makespan),
            finished=e.finished,
            failed=e.failed,
            tasks=count(e.tasks, "task"),
            handoffs=count(e.handoffs, "handoff"),
            redirects=count(e.redirects, "redirect"),
            personas=count(involved, "persona"),
        )

    def text(self) -> str:
        lines = self._out
        while lines and not lines[-1]:
            lines = lines[:-1]
        return "\n".join(lines) + "\n"


def markdown_transcript(events: Iterable[ev.Event], templates: TemplateLibrary | None = None) -> str:
    transcript = MarkdownTranscript(templates)
    for event in events:
        transcript(event)
    return transcript.text()
