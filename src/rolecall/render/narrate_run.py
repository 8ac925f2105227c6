"""The messages about the run's course: its opening, the gate, phases and streams, check-ins, the end.

Phases are sections. A stream runs alongside the phases, so it gets no
section of its own that the next phase's work would land in: its start is a
bold "Stream:" line and every message about its work carries the stream's
title, under the heading of whichever phase is running at the time.
"""

from __future__ import annotations

from rolecall import events as ev
from rolecall._words import count, joined, outcome_words
from rolecall.figures import said
from rolecall.render.narration import Narration
from rolecall.render.parts import (
    Details,
    Heading,
    Line,
    Paragraph,
    Report,
    Text,
    code,
    em,
    live_start,
    strike,
    strong,
    text,
)
from rolecall.render.template_parts import Said

__all__ = ["RunMessages"]

# Who answered a decision: a replay's answers are written in the scenario; in a live run the user typed them.
_ANSWERED = {"minutes": "by the user (scripted answer in the scenario)", "seconds": "by the user at the check-in"}
_ALONGSIDE = " (runs alongside the phases; work waits for it only at gates and dependencies)"
_LEDGER_LIMIT = 60


def _phase_words(title: str) -> str:
    """ "Design" reads as "design phase"; "Backend API" stays as written."""
    if title[:1].isupper() and title[1:] == title[1:].lower():
        return title[:1].lower() + title[1:]
    return title


def _paragraph(*lines: Line) -> Paragraph:
    return Paragraph(lines)


class RunMessages(Narration):
    def _on_run_started(self, e: ev.RunStarted) -> None:
        self._people = {p.id: p for p in e.personas}
        self._summaries = {t.id: t.summary for t in e.plan}
        self._plan = {t.id: t for t in e.plan}
        self._phase_titles = dict(zip(e.phases, e.phase_titles, strict=True))
        self.numbers.plan(e.phases)
        for task in e.plan:
            self._by_phase.setdefault(task.phase, []).append(task)
        self._orchestrator = e.orchestrator
        self._title = e.title
        self._clock = e.clock
        overrides = {p.id: p.templates for p in e.personas if p.templates}
        if overrides:
            self._templates = self._templates.with_personas(overrides)
        self._parts += [Heading(1, text(e.title)), _paragraph(Line(text(strong("Request:"), f" {e.request}")))]
        if e.description:
            self._parts.append(_paragraph(Line(text(e.description))))
        scope = (
            f", {e.mode} mode, {count(e.tasks, 'task')}: {said('planned_work', e.sequential_time, e.clock)} "
            f"(expected times, each task once, one after another), {said('critical_path', e.critical_time, e.clock)}."
        )
        self._parts.append(_paragraph(Line(text("Scenario ", code(e.scenario), " with cast ", code(e.cast), scope))))
        live = live_start(e)
        if live:
            # Before the first timed message, so its [0:00:00] reads as wall-clock time.
            self._parts.append(_paragraph(Line(text(f"{live}."))))
        self._say(e, text(f"Assessing the request: {e.assessment}."))

    def _on_gate_checked(self, e: ev.GateChecked) -> None:
        self._checks.append(e)

    def _on_gate_verdict(self, e: ev.GateVerdict) -> None:
        self._verdict = e
        verifier = f"{self._handle(e.actor)} {self._name(e.actor)}"
        self._parts.append(Heading(2, text("Prerequisites")))
        ask = text(f"Starting with prerequisites verification. {verifier}, verify we have:")
        wanted = tuple(Line(text(f"{c.requirement} ({c.requirement_kind})"), "-") for c in self._checks)
        self._parts.append(self._message(0, self._orchestrator, ask, wanted))  # at 0:00: the checks took the time since
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
            self._say(e, text("GO signal received. Moving on."), self._orchestrator)
        else:
            # The orchestrator answers the verdict: what is missing, who provides it, what happens next.
            them = "it" if len(e.missing) == 1 else "them"
            answer = (
                f"NO-GO received: no work starts. Missing: {joined(list(e.missing))}. The user must provide "
                f"{them}; then {verifier} verifies again before any phase starts."
            )
            self._say(e, text(answer), self._orchestrator)

    def _on_phase_started(self, e: ev.PhaseStarted) -> None:
        self._phases[e.phase] = (e.title, e.at)
        # The plan of the phase, as the orchestrator announces it; a task someone takes on
        # outside their role is not announced: its violation and redirect tell its story.
        announced = set(e.tasks)  # a task a decision already ruled out is not announced
        tasks = [
            t
            for t in self._by_phase.get(e.phase, [])
            if t.id in announced and (not t.attempted_by or t.attempted_by == t.persona)
        ]
        agents = len({t.persona for t in tasks})  # those announced: a redirect's owner joins when assigned
        values: dict[str, Said] = {
            "orchestrator": self._name(e.actor),
            "phase": e.phase,
            "title": _phase_words(e.title),
            "mode": e.mode.upper(),
            "count": agents,
            "team": count(agents, "agent"),
            "agents": [f"{self._handle(t.persona)} {self._name(t.persona)}: {t.summary}" for t in tasks],
        }
        if e.stream:
            self.numbers.stream(e.phase, e.title)
            self._stream = e.title
            self._parts.append(_paragraph(Line(text(strong(f"Stream: {e.title}"), _ALONGSIDE))))
            self._template("stream-start", e.actor, e, **{**values, "title": e.title})
            return
        heading = f"Phase {self.numbers.number(e.phase)}: {e.title} ({e.mode.upper()})"
        self._parts.append(Heading(2, text(heading)))
        if not e.tasks:
            # An empty phase, or one whose tasks a decision ruled out: nothing to hand out.
            self._say(e, text("No tasks to hand out in this phase; it completes at once."))
            return
        self._template("phase-start", e.actor, e, **values)

    def _on_phase_gate(self, e: ev.PhaseGateOpened) -> None:
        done = ", ".join(f"{self._summary(t)} ✓" for t in e.requires)
        self._say(e, text(f"{e.gate} open: {done}."))

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
            duration=self._duration(e.at - e.started_at),
        )
        self._ledger()

    def _ledger(self) -> None:
        """The progress ledger of the source's todo list, after every phase."""
        total = len(self._plan)
        done = sum(1 for state in self._ended.values() if state in ("done", "skipped"))
        percent = round(100 * done / total) if total else 100
        lines: list[Line] = []
        if total <= _LEDGER_LIMIT:
            for phase, tasks in self._by_phase.items():
                title = self._phase_titles.get(phase, phase)
                lines.append(Line(text(title + (" (stream)" if phase in self.numbers.streams else "")), "-"))
                for t in tasks:
                    state = self._ended.get(t.id)
                    if state == "done":
                        lines.append(Line(text(f"{t.summary} ✓"), "-", "  ", True))
                    elif state == "skipped":
                        lines.append(Line(text(strike(t.summary), " (skipped)"), "-", "  ", True))
                    elif state == "failed":
                        lines.append(Line(text(f"{t.summary} ✗ (failed)"), "-", "  ", False))
                    else:
                        going = " (in progress)" if t.id in self._started else ""
                        lines.append(Line(text(f"{t.summary}{going}"), "-", "  ", False))
        if lines:
            self._parts.append(Details("Progress ledger", tuple(lines)))
        progress = f": {done}/{total} tasks complete ({percent}%)"
        self._parts.append(_paragraph(Line(text(strong("Progress"), progress))))

    def _on_checkin(self, e: ev.CheckInHeld) -> None:
        completed: list[str | Text] = []
        for task in self._phase_done.get(e.phase, []):
            f = self._finished[task]
            took = self._duration(f.at - f.started_at)
            completed.append(text(strong(self._name(f.persona)), f": {self._summary(task)} (time: {took})"))
        percent = f"{round(100 * e.tasks_done / e.tasks_total)}%" if e.tasks_total else "100%"
        stream = self.numbers.streams.get(e.phase)
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
            phase_index=f"{stream} (stream)" if stream else self.numbers.number(e.phase),
            phases_total=self.numbers.total(),
            tasks_done=e.tasks_done,
            tasks_total=e.tasks_total,
            percent=percent,
            elapsed=self._duration(e.at),
        )

    def _on_decision(self, e: ev.DecisionMade) -> None:
        labels = {o.id: o.label for o in e.options}
        chosen = labels.get(e.chosen, e.chosen) if e.chosen else ""
        asker = self._name(e.actor)
        then = {
            "continue": text(f"{asker} continues with ", em(chosen), "."),
            "reroute": text(f"{asker} reroutes to ", em(chosen), "."),
            "stop": text(f"{asker} stops the run."),
        }[e.outcome]
        approved = "Approved" if e.approved else "Not approved"
        self._template(
            "decision",
            e.actor,
            e,
            question=e.question,
            options=[f"{n}. {o.label}" for n, o in enumerate(e.options, start=1)],
            recommendation=labels.get(e.recommended, e.recommended),
            answer="Y" if e.approved else "N",
            approval=text(f"{approved} {_ANSWERED[self._clock]} when {asker} asked; ", *then),
            outcome=e.outcome,
        )

    def _on_run_finished(self, e: ev.RunFinished) -> None:
        figures = self.report.tally.figures()
        blocked = e.outcome == "blocked_at_gate"
        if self._unreached and not blocked:  # a blocked run's report lists what was not started
            self._not_reached()
        # The transcript said at its top how to read its times; the report inside it need not again.
        self._parts.append(Report(self.report.markdown(heading_level=2, start_line=False)))
        self._parts.append(Heading(2, text("Summary")))
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
            planned_work=self._duration(figures.planned_work) if figures is not None else "",
            work_done=self._duration(e.sequential_time),
            critical_path=self._duration(e.critical_time),
            makespan=self._duration(e.makespan),
            sequential=self._duration(figures.planned_work) if figures is not None else "",
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
        self._parts.append(Heading(2, text("Not reached")))
        for reason, tasks in groups.items():
            end = "" if reason.endswith((".", "?", "!")) else "."
            self._parts.append(_paragraph(Line(text(f"{count(len(tasks), 'task')}: {reason}{end}"))))
            items = (Line(text(em(self._summary(u.task)), " (", code(u.task), ")"), "-") for u in tasks)
            self._parts.append(Paragraph(tuple(items)))
