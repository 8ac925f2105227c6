"""The discrete-event simulation behind :class:`~rolecall.orchestrator.Coordinator`.

Virtual time only: a heap of activity end times, ties broken by the order the
activities started, and ready work started in task declaration order. Each
time step runs in a fixed order so transcripts read naturally:

1. close every activity ending now (finished, failed, submitted, reviewed);
2. hand the finished deliverables to the personas whose tasks they feed,
   batched per sender and recipient;
3. propagate: phase ends, check-ins and decisions, phase gates and starts,
   tasks becoming ready (assignment, or a violation and its redirect);
4. start queued activities on free personas.

Per event the work is constant: counters replace scans, so a run is linear in
the size of the scenario.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

from rolecall import events as ev
from rolecall.backends.base import Activity, Backend, Completion, Outcome
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.scenario import Decision
from rolecall.orchestrator.steps import assess, boundary_crossed, task_views
from rolecall.orchestrator.tracker import Tracker

__all__ = ["Simulation"]


class Simulation(Tracker):
    """One run of a plan; call :meth:`run` once. The backend performs what the run decides."""

    def __init__(
        self,
        plan: Plan,
        sinks: Sequence[ev.Sink],
        backend: Backend,
        approver: Callable[[Decision], bool] | None = None,
    ) -> None:
        super().__init__(plan, sinks)
        self.backend = backend
        self.approver = approver
        capacity = backend.capacity
        self.limited = self.sequential or capacity is not None
        """Activities are started one best entry at a time, across personas, while a global slot is free."""
        if capacity is not None and not self.sequential:
            self.global_free = capacity
        self.deliverable: dict[int, str] = {}
        """The last deliverable of each task's work, finished when a review approves it."""

    def approval(self, decision: Decision) -> bool:
        if self.approver is None:
            return decision.approved
        answer = self.approver(decision)
        # Someone may have taken minutes to answer: what follows happens after the answer.
        self.now = max(self.now, self.backend.time())
        return answer

    # -- the run ---------------------------------------------------------

    def run(self) -> None:
        plan = self.plan
        scenario = plan.scenario
        self.emit(
            ev.RunStarted(
                seq=self.seq,
                at=self.now,
                actor=plan.cast.orchestrator.id,
                scenario=scenario.name,
                title=scenario.title,
                request=scenario.request,
                description=scenario.description,
                cast=plan.cast.name,
                mode=scenario.mode,
                orchestrator=plan.cast.orchestrator.id,
                assessment=assess(plan),
                personas=tuple(
                    ev.PersonaView(
                        id=p.id,
                        name=p.name,
                        title=p.title,
                        handle=p.handle,
                        icon=p.icon,
                        kind=p.kind,
                        owns=p.owned_ids(),
                        templates=dict(p.templates),
                    )
                    for p in plan.cast.personas
                ),
                phases=tuple(p.id for p in scenario.phase),
                phase_titles=tuple(p.title for p in scenario.phase),
                tasks=len(plan.tasks),
                sequential_time=plan.sequential_time,
                critical_time=plan.critical_time,
                plan=task_views(plan),
                clock=self.backend.clock,
                wall_start=self.backend.wall_start,
            )
        )
        if not self._prerequisites():
            self.finish_run("blocked_at_gate")
            return
        self.work_start = self.now
        # Collect first: starting an empty phase finishes it at once and may release others.
        for k in [k for k in range(len(scenario.phase)) if self.phase_waiting[k] == 0]:
            self.start_phase(k)
        self.settle()
        self._dispatch()
        backend = self.backend
        while backend.running:
            self.now, completions = backend.next_completions()
            for completion in completions:
                self._close(completion)
            self.settle()
            self._dispatch()
        self.finish_run(self.final_outcome())

    def _prerequisites(self) -> bool:
        gate = self.plan.scenario.gate
        verifier = self.plan.verifier
        if gate is None or verifier is None:
            return True
        environment = self.plan.scenario.environment
        self.now = gate.time
        missing: list[str] = []
        for req in gate.requires:
            ok = environment.provides(req)
            if not ok:
                missing.append(f"{req.name} ({req.kind})")
            self.emit(
                ev.GateChecked(
                    seq=self.seq,
                    at=self.now,
                    actor=verifier,
                    requirement=req.name,
                    requirement_kind=req.kind,
                    detail=req.detail,
                    ok=ok,
                )
            )
        self.emit(
            ev.GateVerdict(
                seq=self.seq,
                at=self.now,
                actor=verifier,
                verdict="NO-GO" if missing else "GO",
                checked=len(gate.requires),
                missing=tuple(missing),
            )
        )
        if missing:
            self.blocked = True
            self.stop_reason = "prerequisites gate said NO-GO: missing " + ", ".join(missing)
        return not missing

    # -- activities --------------------------------------------------------

    def _dispatch(self) -> None:
        starts: list[tuple[int, Activity]] = []
        if self.limited:
            while self.global_free > 0:
                best = None
                for pid, queue in self.queues.items():
                    if queue and self.free[pid] > 0 and (best is None or queue[0] < self.queues[best][0]):
                        best = pid
                if best is None:
                    break
                entry = heapq.heappop(self.queues[best])
                self.free[best] -= 1
                self.global_free -= 1
                starts.append((entry[0], entry[2]))
        else:
            for pid in sorted(self.dirty, key=self.rank.__getitem__):
                queue = self.queues[pid]
                while queue and self.free[pid] > 0:
                    entry = heapq.heappop(queue)
                    self.free[pid] -= 1
                    starts.append((entry[0], entry[2]))
        self.dirty.clear()
        if len(starts) > 1:
            starts.sort(key=lambda s: s[0])
        for _, act in starts:
            self._start(act)

    def _start(self, act: Activity) -> None:
        task = self.tasks[act.task]
        # A live backend may pace its launches: the activity starts when it really does.
        self.now = max(self.now, self.backend.start(act, task, self.now))
        if self.started_at[act.task] < 0:
            self.started_at[act.task] = self.now
        self.emit(
            ev.TaskStarted(
                seq=self.seq,
                at=self.now,
                actor=act.persona,
                task=task.id,
                persona=act.persona,
                activity=act.activity,
                attempt=act.attempt,
                duration=act.duration,
            )
        )

    def _close(self, completion: Completion) -> None:
        act, outcome = completion.activity, completion.outcome
        # Figures count what happened, so a live run's real durations are what they add up.
        self.last_end = max(self.last_end, self.now)
        self.work_done += self.now - completion.started
        self.release(act.persona)
        i = act.task
        task = self.tasks[i]
        if act.activity == "review":
            self._reviewed(i, act, outcome)
            return
        if act.activity == "work":
            self.attempts_total[i] += 1
        if outcome.files and self._crossed(i, act, outcome.files):
            if act.activity == "rework":
                self.attempts_total[i] += 1
            self.failed_attempt(i, act, "it changed files outside its role")
            return
        if act.activity == "work" and not outcome.ok:
            self.failed_attempt(i, act, outcome.reason)
            return
        self.deliverable[i] = outcome.deliverable
        review = task.review
        if review is not None:
            self.emit(
                ev.TaskSubmitted(
                    seq=self.seq,
                    at=self.now,
                    actor=act.persona,
                    task=task.id,
                    persona=act.persona,
                    reviewer=review.reviewer,
                    round=act.attempt if act.activity == "rework" else 1,
                )
            )
            round_ = act.attempt if act.activity == "rework" else 1
            self.enqueue(i, Activity(i, review.reviewer, "review", round_, review.review_time))
            return
        self.task_done(i, act.persona, outcome.deliverable)

    def _crossed(self, i: int, act: Activity, files: tuple[str, ...]) -> bool:
        """Answer changes to files another persona's capability covers: a violation, a redirect and a handoff."""
        cast = self.plan.cast
        task = self.tasks[i]
        crossings: dict[str, list[str]] = {}
        for path in files:
            if path in task.files or any(c.id == task.capability for c in cast.covering(path)):
                continue  # the task's own files are the work of whoever performs it (a fallback too)
            capability = cast.crossing(act.persona, path)
            if capability is not None:
                crossings.setdefault(capability.id, []).append(path)
        for capability_id, paths in crossings.items():
            boundary_crossed(self, i, act.persona, capability_id, tuple(paths))
        return bool(crossings)

    def _reviewed(self, i: int, act: Activity, outcome: Outcome) -> None:
        task = self.tasks[i]
        review = task.review
        assert review is not None
        verdict = outcome.verdict or "changes-requested"
        author = self.performer[i]
        self.emit(
            ev.ReviewRound(
                seq=self.seq,
                at=self.now,
                actor=review.reviewer,
                task=task.id,
                reviewer=review.reviewer,
                author=author,
                round=act.attempt,
                max_rounds=review.max_rounds,
                verdict=verdict,
                comments=outcome.deliverable,
            )
        )
        if verdict == "approved":
            self.task_done(i, author, self.deliverable.get(i, ""))
        elif act.attempt >= review.max_rounds:
            self.attempt_failed(i, author, f"not approved after {review.max_rounds} review rounds", "escalate")
            orchestrator = self.orchestrator
            self.escalated(i, author, orchestrator, f"review loop exhausted ({review.max_rounds} rounds)")
            self.task_failed(i)
        else:
            self.enqueue(i, Activity(i, author, "rework", act.attempt + 1, review.rework_time))
