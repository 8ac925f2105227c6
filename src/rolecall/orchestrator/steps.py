"""The coordinator's decisions at one instant: assignment, redirects, handoffs, check-ins, failures.

Functions over the :class:`~rolecall.orchestrator.tracker.Tracker` state, kept
apart from the bookkeeping so each rule of the source documents reads on its
own: a violation is answered by a redirect; deliverables travel as batched
handoffs; a check-in reports progress and may need a decision; a failing task
moves along its fallback chain, never to a persona whose job it is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rolecall import events as ev
from rolecall._words import count
from rolecall.orchestrator.plan import Plan, Takeover, takeovers
from rolecall.orchestrator.scenario import CheckIn
from rolecall.orchestrator.status import FAILED, TERMINAL

if TYPE_CHECKING:
    from rolecall.orchestrator.tracker import Tracker

__all__ = [
    "assess",
    "assign",
    "check_in",
    "escalation_reason",
    "failure_reason",
    "handoffs",
    "next_performer",
    "task_views",
    "unreached_reason",
]


def task_views(plan: Plan) -> tuple[ev.TaskView, ...]:
    tasks = plan.tasks
    ids = [t.id for t in tasks]
    critical = set(plan.critical_path)
    return tuple(
        ev.TaskView(
            id=ids[i], phase=t.phase, capability=t.capability, summary=t.summary,
            persona=performer, expected_time=t.expected_time,
            depends_on=tuple([ids[p] for p in preds]) if preds else (), critical=i in critical,
            attempted_by=t.attempted_by or "", files=t.files,
        )
        for i, (t, performer, preds) in enumerate(zip(tasks, plan.performer, plan.task_preds, strict=True))
    )  # fmt: skip


def assess(plan: Plan) -> str:
    """Does the request need orchestration at all? A lone task goes straight to its owner."""
    scenario = plan.scenario
    if len(plan.tasks) == 1 and len(scenario.phase) == 1 and scenario.gate is None and not scenario.checkin:
        owner = plan.cast.persona(plan.performer[0])
        return (
            f"simple request: one task for {owner.name} ({owner.handle}); "
            "no orchestration needed, handing it straight over"
        )
    # Reviewers are part of the work too, though no task is theirs.
    involved = len({*plan.performer, *(t.review.reviewer for t in plan.tasks if t.review is not None)})
    return (
        f"{count(len(plan.tasks), 'task')} across {count(involved, 'persona')} in "
        f"{count(len(scenario.phase), 'phase')}: orchestration needed"
    )


def assign(tr: Tracker, i: int) -> None:
    """A task became ready: skip it, or assign it (answering a boundary violation first)."""

    plan = tr.plan
    cast = plan.cast
    task = plan.tasks[i]
    if task.only_if is not None:
        decision, option = task.only_if.split(".", 1)
        chosen = tr.decided.get(decision)
        if chosen != option:
            tr.skip(
                i,
                f"decision '{decision}' chose {repr(chosen) if chosen else 'nothing'}, not '{option}'",
            )
            return
    performer = tr.performer[i]
    attempted = task.attempted_by
    if attempted is not None and plan.scenario.enforce_boundaries and not cast.owns(attempted, task.capability):
        redirected(tr, i, attempted, performer, task.capability, task.summary, task.subtasks)
        reason: ev.AssignReason = "redirect"
    elif attempted is not None and not cast.owns(attempted, task.capability):
        reason = "unenforced"
    elif task.assignee is not None:
        reason = "assigned"
    else:
        reason = "routed"
    tr.assigned(i, performer, reason)


def handoffs(tr: Tracker, done: list[tuple[int, str]]) -> None:
    """Hand finished deliverables to the personas whose tasks they feed, one message per pair."""
    batches: dict[tuple[str, str], tuple[dict[str, None], dict[str, None]]] = {}
    tasks, succs, performer = tr.tasks, tr.succs, tr.performer
    for i, sender in done:
        if not sender:
            continue
        delivered_id = tasks[i].id
        for s in succs[i]:
            recipient = performer[s]
            if recipient == sender:
                continue
            batch = batches.get((sender, recipient))
            if batch is None:
                batch = batches[sender, recipient] = ({}, {})
            batch[0][delivered_id] = None
            batch[1][tasks[s].id] = None
    for (sender, recipient), (delivered, feeds) in batches.items():
        tr.emit(
            ev.Handoff(
                seq=tr.seq,
                at=tr.now,
                actor=sender,
                from_persona=sender,
                to_persona=recipient,
                style="clean",
                deliverables=tuple(delivered),
                feeds=tuple(feeds),
                continues_with=tr.next_work(sender),
            )
        )
        tr.counts["handoffs"] += 1


_NOBODY = Takeover(None, "give_up")


def next_performer(tr: Tracker, i: int) -> Takeover:
    """After a failed attempt: retry, the next in the fallback chain, escalation, or give up."""
    plan = tr.plan
    if tr.attempts_here[i] < plan.scenario.max_attempts:
        return Takeover(tr.performer[i], "retry")
    chain = tr.chains.get(i)
    if chain is None:
        # Built on the first move along the chain only: most tasks never fail that far.
        task = plan.tasks[i]
        chain = takeovers(plan.cast, plan.performer[i], task.capability, plan.scenario.enforce_boundaries)
        tr.chains[i] = chain
    return next(chain, _NOBODY)


def failure_reason(attempt: int, then: Takeover, capability: str, why: str = "") -> str:
    """``attempt 2 failed``, naming anyone the chain passed over so the stream shows the boundary held."""
    reason = f"attempt {attempt} failed: {why}" if why else f"attempt {attempt} failed"
    if then.passed_over:
        names = then.passed_over
        who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        whose = "its" if len(names) == 1 else "their"
        reason += f"; {who} may not take it over: '{capability}' is never {whose} job"
    return reason


def escalation_reason(holder: str, then: Takeover, capability: str) -> str:
    reason = f"{holder} and its fallback chain could not complete the task"
    if then.declined:
        orchestrator = then.persona
        reason += f"; '{capability}' is never {orchestrator}'s job, so {orchestrator} does not take it over"
        reason += " and the task fails"
    return reason


def boundary_crossed(tr: Tracker, i: int, persona: str, capability_id: str, files: tuple[str, ...]) -> None:
    """A persona changed files that ``capability_id`` covers and it does not own: stop it and hand them over.

    The work is not moved (the task stays its performer's); the owner receives
    the changed files with the redirect, as the source documents' redirect does.
    """
    cast = tr.plan.cast
    owners = cast.owners_of(capability_id)
    owner = owners[0].id if owners else cast.orchestrator.id
    listed = ", ".join(files)
    subtasks = tuple(f"Review the change {cast.persona(persona).name} made to {f}" for f in files)
    task = tr.tasks[i]
    redirected(tr, i, persona, owner, capability_id, task.summary, subtasks, f"changed {listed}", files)


def redirected(
    tr: Tracker,
    i: int,
    violator_id: str,
    to: str,
    capability_id: str,
    summary: str,
    subtasks: tuple[str, ...],
    did: str = "",
    files: tuple[str, ...] = (),
) -> None:
    """Work outside a persona's role: the violation, the orchestrator's redirect, the handoff to ``to``.

    ``did`` says what the persona did when it is more than attempting the work (a live run's file changes).
    """
    cast = tr.plan.cast
    task = tr.tasks[i]
    violator = cast.persona(violator_id)
    entry = violator.never_entry(capability_id)
    capability = cast.capability(capability_id)
    assert capability is not None
    phrase = entry.phrase if entry and entry.phrase else capability.description
    tr.emit(
        ev.Violation(
            seq=tr.seq,
            at=tr.now,
            actor=violator_id,
            task=task.id,
            persona=violator_id,
            capability=capability_id,
            phrase=f"{did} ({phrase})" if did else phrase,
            owners=tuple(p.id for p in cast.owners_of(capability_id)),
            files=files,
        )
    )
    tr.emit(
        ev.Redirect(
            seq=tr.seq,
            at=tr.now,
            actor=cast.orchestrator.id,
            task=task.id,
            from_persona=violator_id,
            to_persona=to,
            capability=capability_id,
            summary=summary,
            subtasks=subtasks,
            reasons=capability.reasons,
            instead=entry.instead if entry and entry.instead else violator.instead,
        )
    )
    tr.emit(
        ev.Handoff(
            seq=tr.seq,
            at=tr.now,
            actor=violator_id,
            from_persona=violator_id,
            to_persona=to,
            style="context",
            deliverables=(),
            feeds=(task.id,),
            continues_with=tr.next_work(violator_id),
        )
    )
    tr.counts["redirects"] += 1
    tr.counts["handoffs"] += 1


def check_in(tr: Tracker, k: int, checkin: CheckIn) -> None:
    """The orchestrator's check-in after phase ``k``, and its decision if it needs one."""
    plan = tr.plan
    phase = plan.scenario.phase[k]
    orchestrator = plan.cast.orchestrator.id

    in_progress = tuple(
        t.id for j, t in enumerate(plan.tasks) if tr.started_at[j] >= 0 and tr.status[j] not in TERMINAL
    )
    upcoming = tuple(plan.tasks[j].id for q in tr.phase_next[k] for j in tr.members[q])
    blockers = tuple(t.id for j, t in enumerate(plan.tasks) if tr.status[j] == FAILED)
    tr.emit(
        ev.CheckInHeld(
            seq=tr.seq,
            at=tr.now,
            actor=orchestrator,
            phase=phase.id,
            title=checkin.title or f"{phase.title} complete",
            phase_index=k + 1,
            phases_total=len(plan.scenario.phase),
            tasks_done=tr.counts["finished"] + tr.counts["skipped"],
            tasks_total=len(plan.tasks),
            in_progress=in_progress,
            upcoming=upcoming,
            blockers=blockers,
        )
    )
    decision = checkin.decision
    if decision is None:
        return
    outcome: Literal["continue", "reroute", "stop"]
    approved = tr.approval(decision)
    if approved:
        chosen: str | None = decision.recommended
        outcome = "continue"
    elif decision.on_reject == "stop":
        chosen, outcome = None, "stop"
    else:
        chosen, outcome = decision.on_reject, "reroute"
    tr.emit(
        ev.DecisionMade(
            seq=tr.seq,
            at=tr.now,
            actor=orchestrator,
            decision=decision.id,
            question=decision.question,
            options=tuple(ev.DecisionOptionView(id=o.id, label=o.label) for o in decision.options),
            recommended=decision.recommended,
            approved=approved,
            chosen=chosen,
            outcome=outcome,
        )
    )
    if outcome == "stop":
        tr.stopped = True
        tr.stop_reason = f"decision '{decision.id}' was not approved: {decision.question}"
    tr.decide(decision.id, chosen)


def unreached_reason(tr: Tracker, i: int) -> str:
    plan = tr.plan
    if tr.blocked or tr.stopped:
        return tr.stop_reason
    k = plan.phase_of[i]
    phase = plan.scenario.phase[k]
    if tr.phase_started_at[k] < 0:
        # The phase is the cause: its tasks' own waits inside it never began.
        for q in plan.phase_after[k]:
            if tr.phase_failed[q]:
                return f"phase '{phase.id}' never started: phase '{plan.scenario.phase[q].id}' had failures"
        if phase.gate is not None:
            return f"phase '{phase.id}' never started: gate '{phase.gate.name}' did not open"
        return f"phase '{phase.id}' never started"
    for p in plan.task_preds[i]:
        if tr.status[p] == FAILED:
            return f"{_waits_for(plan, i, p)} failed task '{plan.tasks[p].id}'"
    for p in plan.task_preds[i]:
        if tr.status[p] not in TERMINAL:
            return f"{_waits_for(plan, i, p)} '{plan.tasks[p].id}', which was not reached"
    return "not reached"


def _waits_for(plan: Plan, i: int, p: int) -> str:
    """Why task ``i`` waits for ``p``: its own depends_on, or its place in a sequential phase."""
    if plan.tasks[p].id in plan.tasks[i].depends_on:
        return "depends on"
    return f"comes after (in sequential phase '{plan.tasks[i].phase}')"
