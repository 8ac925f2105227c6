"""The Markdown transcript: the run told the way the source documents tell it.

A pure function of the event stream and the templates: phases become sections,
every message names its speaker with their @handle and the virtual time, and
handoffs, redirects, gate reports, check-ins and the summary are rendered from
the (user-editable) templates. Events are consumed one at a time, so a large
run renders while it streams.

A stream runs alongside the phases, so it gets no section of its own that the
next phase's work would land in: its start is marked with a bold "Stream:"
line and every message about its work carries ``[stream title]``, under the
heading of whichever phase is running at the time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rolecall import events as ev
from rolecall._words import count, joined, outcome_words
from rolecall.figures import FiguresTally, duration, said
from rolecall.handoffs import TemplateLibrary, load_templates
from rolecall.render.mermaid import MermaidBuilder
from rolecall.render.numbering import PhaseNumbers
from rolecall.render.report import ReportBuilder

__all__ = ["MarkdownTranscript", "clock", "markdown_transcript"]

_SCRIPTED = "by the user (scripted answer in the scenario)"
_STREAM_HEADING = "**Stream: {title}** (runs alongside the phases; work waits for it only at gates and dependencies)"


def clock(minutes: int) -> str:
    """Virtual time as ``h:mm``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _first_line(text: str) -> str:
    """A deliverable as a handoff cites it: multi-line ones were quoted in full when finished."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    return text.strip() if len(lines) <= 1 else f"{lines[0].strip()} (full text above)"


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n")]


def _phase_words(title: str) -> str:
    """ "Design" reads as "design phase"; "Backend API" stays as written."""
    if title[:1].isupper() and title[1:] == title[1:].lower():
        return title[:1].lower() + title[1:]
    return title


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
        self._handlers: dict[str, Callable[[Any], None]] = {}
        self._numbers = PhaseNumbers()
        self._marker = ""
        self._started: set[str] = set()
        self._ended: dict[str, str] = {}  # task -> "done" | "skipped" | "failed"
        self._redirects: dict[str, ev.Redirect] = {}
        self._phase_done: dict[str, list[str]] = {}
        self._unreached: list[ev.TaskUnreached] = []
        self._tried: dict[str, list[str]] = {}  # task -> personas that worked on it, in order
        self._exhausted: set[str] = set()  # tasks whose review loop ran out
        self._verdict: ev.GateVerdict | None = None
        self._title = ""

    @property
    def figures(self) -> FiguresTally:
        """The run's figures, tallied once for the transcript and its report."""
        return self.report.tally

    # -- helpers ---------------------------------------------------------------

    def _name(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.name if person else pid

    def _handle(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.handle if person else f"@{pid}"

    def _speaker(self, pid: str) -> str:
        return f"{self._marker}**{self._name(pid)}** ({self._handle(pid)})"

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

    def _stream_of(self, event: ev.Event) -> str:
        """The title of the stream an event belongs to, or empty: its messages carry the stream's marker."""
        streams = self._numbers.streams
        phase = getattr(event, "phase", None)
        if not isinstance(phase, str):
            task = getattr(event, "task", None)
            if isinstance(event, ev.Handoff):
                task = (event.deliverables or event.feeds or ("",))[0]
            planned = self._plan.get(task) if isinstance(task, str) else None
            phase = planned.phase if planned is not None else None
        return streams.get(phase, "") if isinstance(phase, str) else ""

    # -- events ----------------------------------------------------------------

    def __call__(self, event: ev.Event) -> None:
        handler = self._handlers.get(event.kind)
        if handler is None:
            handler = self._handlers[event.kind] = getattr(self, f"_on_{event.kind}")
        self.line_of[event.seq] = len(self._out) + 1  # where this event's text starts
        self.report(event)
        self.diagrams(event)
        stream = self._stream_of(event) if self._numbers.streams else ""
        self._marker = f"[{stream}] " if stream else ""
        handler(event)

    def _on_run_started(self, e: ev.RunStarted) -> None:
        self._people = {p.id: p for p in e.personas}
        self._tasks = {t.id: {"summary": t.summary, "persona": t.persona, "phase": t.phase} for t in e.plan}
        self._plan = {t.id: t for t in e.plan}
        self._phase_titles = dict(zip(e.phases, e.phase_titles, strict=True))
        self._numbers.plan(e.phases)
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
            f"Scenario `{e.scenario}` with cast `{e.cast}`, {e.mode} mode, {count(e.tasks, 'task')}: "
            f"{said('planned_work', e.sequential_time)} (expected times, each task once, one after another), "
            f"{said('critical_path', e.critical_time)}.",
            "",
        ]
        self._say(e, f"Assessing the request: {e.assessment}.")

    def _on_gate_checked(self, e: ev.GateChecked) -> None:
        self._checks.append(e)

    def _on_gate_verdict(self, e: ev.GateVerdict) -> None:
        self._verdict = e
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
            else f"NO-GO: {len(e.missing)} of {count(e.checked, 'requirement')} missing (marked ✗)."
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
        else:
            # The orchestrator answers the verdict: what is missing, who provides it, what happens next.
            self._say(
                e,
                f"NO-GO received: no work starts. Missing: {joined(list(e.missing))}. The user must provide "
                f"{'it' if len(e.missing) == 1 else 'them'}; then {self._handle(e.actor)} {self._name(e.actor)} "
                "verifies again before any phase starts.",
                self._orchestrator,
            )

    def _on_phase_started(self, e: ev.PhaseStarted) -> None:
        self._phases[e.phase] = (e.title, e.at)
        # The plan of the phase, as the orchestrator announces it; a task someone takes on
        # outside their role is not announced: its violation and redirect tell its story.
        tasks = [t for t in self._by_phase.get(e.phase, []) if not t.attempted_by or t.attempted_by == t.persona]
        announced = [f"{self._handle(t.persona)} {self._name(t.persona)}: {t.summary}" for t in tasks]
        agents = len({t.persona for t in tasks})  # those announced: a redirect's owner joins when assigned
        values = {
            "orchestrator": self._name(e.actor),
            "phase": e.phase,
            "title": _phase_words(e.title),
            "mode": e.mode.upper(),
            "count": agents,
            "team": count(agents, "agent"),
            "agents": announced,
        }
        if e.stream:
            self._numbers.stream(e.phase, e.title)
            self._marker = f"[{e.title}] "
            self._out += [_STREAM_HEADING.format(title=e.title), ""]
            values["title"] = e.title
            self._template("stream-start", e.actor, e, **values)
            return
        self._out += [f"## Phase {self._numbers.number(e.phase)}: {e.title} ({e.mode.upper()})", ""]
        self._template("phase-start", e.actor, e, **values)

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
                lines.append(f"- {title}" + (" (stream)" if phase in self._numbers.streams else ""))
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
            tried = self._tried.setdefault(e.task, [])
            if not tried or tried[-1] != e.persona:
                tried.append(e.persona)
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
        if e.verdict != "approved" and e.round >= e.max_rounds:
            self._exhausted.add(e.task)
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
        what = "was not approved" if e.task in self._exhausted else f"failed on attempt {e.attempt}"
        self._say(e, f"*{self._summary(e.task)}* {what}; {then}.")

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
        stream = self._numbers.streams.get(e.phase)
        self._template(
            "checkin",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            title=e.title,
            completed=completed or ["(nothing this phase)"],
            in_progress=[self._summary(t) for t in e.in_progress] or ["(nothing)"],
            upcoming=[self._summary(t) for t in e.upcoming] or ["(none)"],
            blockers=[self._summary(t) for t in e.blockers] or ["None"],
            # The plan's numbering: streams run alongside and are not counted among the phases.
            phase_index=f"{stream} (stream)" if stream else self._numbers.number(e.phase),
            phases_total=self._numbers.total(),
            tasks_done=e.tasks_done,
            tasks_total=e.tasks_total,
            percent=percent,
            elapsed=duration(e.at),
        )

    def _on_decision(self, e: ev.DecisionMade) -> None:
        labels = {o.id: o.label for o in e.options}
        chosen = labels.get(e.chosen, e.chosen) if e.chosen else ""
        asker = self._name(e.actor)
        then = {
            "continue": f"{asker} continues with *{chosen}*.",
            "reroute": f"{asker} reroutes to *{chosen}*.",
            "stop": f"{asker} stops the run.",
        }[e.outcome]
        self._template(
            "decision",
            e.actor,
            e,
            question=e.question,
            options=[f"{n}. {o.label}" for n, o in enumerate(e.options, start=1)],
            recommendation=labels.get(e.recommended, e.recommended),
            answer="Y" if e.approved else "N",
            approval=f"{'Approved' if e.approved else 'Not approved'} {_SCRIPTED} when {asker} asked; {then}",
            outcome=e.outcome,
        )

    def _on_escalation(self, e: ev.Escalation) -> None:
        planned = self._plan.get(e.task)
        original = planned.persona if planned is not None else e.from_persona
        if e.task in self._exhausted:
            why = f"{self._name(original)}'s work was not approved within the review rounds"
        else:
            chain = [p for p in self._tried.get(e.task, []) if p != original]
            after = f" and the fallback chain after it ({joined([self._name(p) for p in chain])})" if chain else ""
            why = f"{self._name(original)}{after} could not complete it"
        self._say(
            e,
            f"escalating *{self._summary(e.task)}* to {self._handle(e.to_persona)} {self._name(e.to_persona)}: {why}.",
        )

    def _on_run_finished(self, e: ev.RunFinished) -> None:
        figures = self.figures.figures()
        blocked = e.outcome == "blocked_at_gate"
        if self._unreached and not blocked:  # a blocked run's report lists what was not started
            self._not_reached()
        self._out += [*self.report.markdown(heading_level=2).rstrip("\n").split("\n"), ""]
        gantt, sequence = self.diagrams.gantt(), self.diagrams.sequence()
        if gantt:
            self._out += ["### Timeline", "", *gantt]
        if sequence:
            self._out += ["### Handoffs and redirects", "", *sequence]
        self._out += ["## Summary", ""]
        involved = len(self._workers)
        missing = len(self._verdict.missing) if self._verdict is not None else 0
        if blocked:
            reason = f"The prerequisites gate said NO-GO ({count(missing, 'requirement')} missing)"
            result = f"Nothing was started: {count(e.tasks, 'task')} wait until the user provides what is missing."
            told = ""
        else:
            reason = e.reason[:1].upper() + e.reason[1:].rstrip(".")
            result = (
                f"{count(involved, 'persona')} did the work: {e.finished} of {count(e.tasks, 'task')} finished, "
                f"{count(e.handoffs, 'handoff')}, {count(e.redirects, 'redirect')}."
            )
            told = figures.headline() if figures is not None else ""
        speedup = figures.speedup if figures is not None else None
        self._template(
            "run-summary",
            e.actor,
            e,
            orchestrator=self._name(e.actor),
            title=self._title,
            outcome=outcome_words(e.outcome),
            reason=reason,
            result=result,
            figures=told,
            planned_work=duration(figures.planned_work) if figures is not None else "",
            work_done=duration(e.sequential_time),
            critical_path=duration(e.critical_time),
            makespan=duration(e.makespan),
            sequential=duration(figures.planned_work) if figures is not None else "",
            speedup=f"{speedup:.2f}x" if speedup is not None else "n/a",
            faster=figures.speedup_text() if figures is not None else "",
            finished=e.finished,
            failed=e.failed,
            tasks=count(e.tasks, "task"),
            handoffs=count(e.handoffs, "handoff"),
            redirects=count(e.redirects, "redirect"),
            personas=count(involved, "persona"),
        )

    def _not_reached(self) -> None:
        """Tasks that never ran, grouped by why: a reason shared by many tasks is said once."""
        groups: dict[str, list[ev.TaskUnreached]] = {}
        for u in self._unreached:
            groups.setdefault(u.reason, []).append(u)
        self._out += ["## Not reached", ""]
        for reason, tasks in groups.items():
            end = "" if reason.endswith((".", "?", "!")) else "."
            self._out += [f"{count(len(tasks), 'task')}: {reason}{end}", ""]
            self._out += [f"- *{self._summary(u.task)}* (`{u.task}`)" for u in tasks]
            self._out.append("")

    def text(self) -> str:
        lines = self._out
        end = len(lines)
        while end and not lines[end - 1]:
            end -= 1
        return self._numbers.settle("\n".join(lines[:end]) + "\n")


def markdown_transcript(events: Iterable[ev.Event], templates: TemplateLibrary | None = None) -> str:
    transcript = MarkdownTranscript(templates)
    for event in events:
        transcript(event)
    return transcript.text()
