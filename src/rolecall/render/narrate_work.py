"""The messages about the work: assignments, activities, deliverables, boundaries, handoffs, escalations."""

from __future__ import annotations

from rolecall import events as ev
from rolecall._words import joined
from rolecall.render.narration import Narration
from rolecall.render.parts import Block, Line, Paragraph, Quote, Span, Text, code, em, strong, text

__all__ = ["WorkMessages"]

_NOTE = {"fallback": " (fallback)", "escalation": " (escalated)", "unenforced": " (not enforced)"}
_THEN = {
    "retry": "retrying",
    "fallback": "passing it along the fallback chain",
    "escalate": "escalating to the orchestrator",
    "give_up": "giving up",
}


def _first_line(deliverable: str) -> str:
    """A deliverable as a handoff cites it: multi-line ones were quoted in full when finished."""
    lines = [line for line in deliverable.strip().split("\n") if line.strip()]
    return deliverable.strip() if len(lines) <= 1 else f"{lines[0].strip()} (full text above)"


_DECLINED = "does not take it over"
"""How the coordinator words an escalation the orchestrator declines (docs/events.md, escalation)."""


class WorkMessages(Narration):
    def _on_task_assigned(self, e: ev.TaskAssigned) -> None:
        self._summaries[e.task] = e.summary
        phase = self._phases.get(e.phase)
        if phase is not None and phase[1] == e.at and e.reason in ("routed", "assigned") and e.task in self._plan:
            return  # already in the phase announcement
        line = f"{self._handle(e.persona)} {self._name(e.persona)}: {e.summary}{_NOTE.get(e.reason, '')}"
        self._say(e, text(line))

    def _on_task_started(self, e: ev.TaskStarted) -> None:
        self._workers.add(e.persona)
        self._started.add(e.task)
        summary = em(self._summary(e.task))
        if e.activity == "review":
            said = text("reviewing ", summary, f" (round {e.attempt}, {self._duration(e.duration)})")
        elif e.activity == "rework":
            said = text("reworking ", summary, f" after review (round {e.attempt}, {self._duration(e.duration)})")
        else:
            tried = self._tried.setdefault(e.task, [])
            if not tried or tried[-1] != e.persona:
                tried.append(e.persona)
            again = f", attempt {e.attempt}" if e.attempt > 1 else ""
            said = text("working on ", summary, f" ({self._duration(e.duration)}{again})")
        self._say(e, said)

    def _on_task_submitted(self, e: ev.TaskSubmitted) -> None:
        reviewer = f"{self._handle(e.reviewer)} {self._name(e.reviewer)}"
        self._say(e, text(em(self._summary(e.task)), f" ready for review by {reviewer} (round {e.round})."))

    def _on_review_round(self, e: ev.ReviewRound) -> None:
        verdict = "approved" if e.verdict == "approved" else "changes requested"
        if e.verdict != "approved" and e.round >= e.max_rounds:
            self._exhausted.add(e.task)
        round_ = f", round {e.round} of at most {e.max_rounds}: "
        said = text("review of ", em(self._summary(e.task)), round_, strong(verdict), ".")
        comments = e.comments.strip()
        if not comments:
            self._say(e, said)
            return
        # The reviewer's own words (a live run), quoted line by line as written.
        quoted = (Quote(tuple(Line(text(line)) for line in comments.split("\n"))),)
        self._parts.append(self._message(e.at, e.reviewer, said, blocks=quoted))

    def _on_task_finished(self, e: ev.TaskFinished) -> None:
        self._finished[e.task] = e
        self._ended[e.task] = "done"
        self._phase_done.setdefault(e.phase, []).append(e.task)
        said = e.deliverable.strip() or f"{self._summary(e.task)}: done."
        blocks: tuple[Block, ...] = ()
        if "\n" in said:
            # Quoted in full, line by line as it was written: a deliverable is text, not markup.
            blocks = (Quote(tuple(Line(text(line)) for line in said.split("\n"))),)
        planned = self._plan.get(e.task)
        if planned is not None and planned.files:
            files: list[str | Span] = ["Files: "]
            for i, name in enumerate(planned.files):
                files += [", ", code(name)] if i else [code(name)]
            blocks += (Paragraph((Line(text(*files)),)),)
        quoted = "\n" in said
        self._parts.append(self._message(e.at, e.persona, () if quoted else text(f'"{said}"'), blocks=blocks))

    def _on_task_failed(self, e: ev.TaskFailed) -> None:
        if e.next == "give_up":
            self._ended[e.task] = "failed"
        what = "was not approved" if e.task in self._exhausted else f"failed on attempt {e.attempt}"
        prefix = f"attempt {e.attempt} failed: "
        if e.task not in self._exhausted and e.reason.startswith(prefix):
            # A live run says why an attempt failed (a timeout, an error the agent reported, no report).
            what += f" ({e.reason[len(prefix) :]})"
        self._say(e, text(em(self._summary(e.task)), f" {what}; {_THEN[e.next]}."))

    def _on_task_skipped(self, e: ev.TaskSkipped) -> None:
        self._ended[e.task] = "skipped"
        self._say(e, text("skipping ", em(self._summary(e.task)), f": {e.reason}."))

    def _on_task_unreached(self, e: ev.TaskUnreached) -> None:
        self._unreached.append(e)

    def _on_violation(self, e: ev.Violation) -> None:
        self._say(e, text("I'll take this one... (", em(e.task), f": {e.phrase}, ", code(e.capability), ")"))

    def _on_redirect(self, e: ev.Redirect) -> None:
        self._summaries[e.task] = e.summary
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
            reasons=list(e.reasons) or [f"it is {e.capability} work"],
            # A persona without 'instead' lines still gets a line under the template's heading.
            instead=list(e.instead) or [f"Carry on with the work {self._name(e.from_persona)} owns"],
            subtasks=list(e.subtasks) or [e.summary],
        )

    def _on_handoff(self, e: ev.Handoff) -> None:
        people = {
            "sender": self._name(e.from_persona), "sender_handle": self._handle(e.from_persona),
            "sender_title": self._title_of(e.from_persona), "recipient": self._name(e.to_persona),
            "recipient_handle": self._handle(e.to_persona), "recipient_title": self._title_of(e.to_persona),
        }  # fmt: skip
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
                context=text(
                    "the orchestrator redirected this ",
                    code(redirect.capability if redirect else task),
                    " work to its owner",
                ),
                continues_with=self._summary(e.continues_with) if e.continues_with else "my other work",
            )
            return
        deliverables: list[str | Text] = []
        for task in e.deliverables:
            finished = self._finished.get(task)
            deliverables.append(_first_line((finished.deliverable if finished else "") or self._summary(task)))
        self._template(
            "clean-handoff",
            e.from_persona,
            e,
            **people,
            task=" and ".join(self._summary(t) for t in e.deliverables),
            deliverables=deliverables,
            next=" and ".join(self._summary(t) for t in e.feeds),
        )

    def _on_escalation(self, e: ev.Escalation) -> None:
        planned = self._plan.get(e.task)
        original = planned.persona if planned is not None else e.from_persona
        if e.task in self._exhausted:
            # Nobody reworks it further: the orchestrator is told, and the task has failed.
            why = f"{self._name(original)}'s work was not approved within the review rounds; the task fails"
        else:
            chain = [p for p in self._tried.get(e.task, []) if p != original]
            after = f" and the fallback chain after it ({joined([self._name(p) for p in chain])})" if chain else ""
            why = f"{self._name(original)}{after} could not complete it"
        if e.task in self._exhausted or _DECLINED in e.reason:
            # Nobody takes the task over: the coordinator says why, and the task has failed.
            self._ended[e.task] = "failed"
        if _DECLINED in e.reason:
            why += f"; {e.reason.split('; ', 1)[1]}"
        target = f"{self._handle(e.to_persona)} {self._name(e.to_persona)}"
        self._say(e, text("escalating ", em(self._summary(e.task)), f" to {target}: {why}."))
