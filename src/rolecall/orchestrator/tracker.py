"""Run state and the bookkeeping steps of a simulation: readiness, phases, completion.

The :class:`Tracker` owns the counters (what each task and phase still waits
for), the per-persona queues and slots, and emits the events of every step
that is not about timing. :class:`~rolecall.orchestrator.simulation.Simulation`
adds the clock.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from typing import Literal

from rolecall import events as ev
from rolecall._words import count
from rolecall.backends.base import Activity
from rolecall.orchestrator.plan import Plan, Takeover
from rolecall.orchestrator.scenario import Decision
from rolecall.orchestrator.status import FAILED, FINISHED, PENDING, SKIPPED, TERMINAL
from rolecall.orchestrator.steps import (
    assign,
    check_in,
    escalation_reason,
    failure_reason,
    handoffs,
    next_performer,
    unreached_reason,
)

__all__ = ["Tracker"]

NextStep = Literal["retry", "fallback", "escalate", "give_up"]


class Tracker:
    def __init__(self, plan: Plan, sinks: Sequence[ev.Sink]) -> None:
        self.plan = plan
        self.tasks = plan.tasks
        self.orchestrator = plan.cast.orchestrator.id
        self.sinks = tuple(sinks)
        self.seq = 0
        self.now = 0
        self.work_start = 0
        self.last_end = 0
        self.work_done = 0
        scenario = plan.scenario
        n, m = len(plan.tasks), len(scenario.phase)
        self.rank = {p.id: k for k, p in enumerate(plan.cast.personas)}
        self.free = {p.id: p.capacity for p in plan.cast.personas}
        self.queues: dict[str, list[tuple[int, int, Activity]]] = {p.id: [] for p in plan.cast.personas}
        self.dirty: set[str] = set()
        self.sequential = scenario.mode == "sequential"
        self.global_free = 1 if self.sequential else n + 1
        self.queued = 0
        self.status = [PENDING] * n
        self.performer = list(plan.performer)
        self.own_tasks: dict[str, list[int]] = {}
        for i, pid in enumerate(self.performer):
            self.own_tasks.setdefault(pid, []).append(i)
        self.own_pos: dict[str, int] = {}
        self.started_at = [-1] * n
        self.attempts_total = [0] * n
        self.attempts_here = [0] * n
        self.chains: dict[int, Iterator[Takeover]] = {}
        self.decided: dict[str, str | None] = {}
        self.succs: list[list[int]] = [[] for _ in range(n)]
        for i, preds in enumerate(plan.task_preds):
            for p in preds:
                self.succs[p].append(i)
        self.waiting = [len(p) + 1 for p in plan.task_preds]
        self.gated_by: dict[str, list[int]] = {}
        for i, task in enumerate(plan.tasks):
            if task.only_if is not None:
                self.waiting[i] += 1
                self.gated_by.setdefault(task.only_if.split(".", 1)[0], []).append(i)
        self.members: list[list[int]] = [[] for _ in range(m)]
        for i, k in enumerate(plan.phase_of):
            self.members[k].append(i)
        self.phase_left = [len(mem) for mem in self.members]
        self.phase_waiting = [len(a) + len(g) for a, g in zip(plan.phase_after, plan.phase_gate, strict=True)]
        self.phase_started_at = [-1] * m
        self.phase_failed = [0] * m
        self.phase_skipped = [0] * m
        self.phase_next: list[list[int]] = [[] for _ in range(m)]
        for k, after in enumerate(plan.phase_after):
            for q in after:
                self.phase_next[q].append(k)
        self.gate_of: list[list[int]] = [[] for _ in range(n)]
        for k, gate in enumerate(plan.phase_gate):
            for i in gate:
                self.gate_of[i].append(k)
        self.checkins = {c.after: c for c in scenario.checkin}
        self.done_now: list[tuple[int, str]] = []
        self.ready: list[int] = []
        self.counts = {"finished": 0, "failed": 0, "skipped": 0, "redirects": 0, "handoffs": 0}
        self.stopped = False
        self.blocked = False
        self.stop_reason = ""
        self.final: ev.RunFinished | None = None

    def approval(self, decision: Decision) -> bool:
        """The answer to a check-in's decision: the one scripted in the scenario."""
        return decision.approved

    def emit(self, event: ev.Event) -> None:
        """Send ``event`` (built with ``seq=self.seq, at=self.now``) and move on to the next number."""
        for sink in self.sinks:  # not a fan-out sink: one call less per event and sink
            sink(event)
        self.seq += 1

    def next_work(self, persona: str) -> str:
        """The first unfinished task planned for ``persona``: what it continues with."""
        tasks = self.own_tasks.get(persona, ())
        pos = self.own_pos.get(persona, 0)
        while pos < len(tasks) and self.status[tasks[pos]] in TERMINAL:
            pos += 1
        self.own_pos[persona] = pos
        return self.tasks[tasks[pos]].id if pos < len(tasks) else ""

    # -- queues --------------------------------------------------------------

    def enqueue(self, i: int, act: Activity) -> None:
        self.queued += 1
        heapq.heappush(self.queues[act.persona], (i, self.queued, act))
        self.dirty.add(act.persona)

    def release(self, persona: str) -> None:
        self.free[persona] += 1
        self.global_free += 1
        self.dirty.add(persona)

    # -- completion ------------------------------------------------------------

    def task_done(self, i: int, persona: str, deliverable: str) -> None:
        task = self.tasks[i]
        self.status[i] = FINISHED
        self.counts["finished"] += 1
        self.emit(
            ev.TaskFinished(
                seq=self.seq,
                at=self.now,
                actor=persona,
                task=task.id,
                phase=task.phase,
                persona=persona,
                deliverable=deliverable,
                started_at=self.started_at[i],
            )
        )
        self.done_now.append((i, persona))

    def task_failed(self, i: int) -> None:
        self.status[i] = FAILED
        self.counts["failed"] += 1
        k = self.plan.phase_of[i]
        self.phase_failed[k] += 1
        self._phase_progress(k)

    def assigned(self, i: int, persona: str, reason: ev.AssignReason) -> None:
        """Announce who performs task ``i`` now, and queue its next work attempt."""
        task = self.tasks[i]
        self.emit(
            ev.TaskAssigned(
                seq=self.seq,
                at=self.now,
                actor=self.orchestrator,
                task=task.id,
                phase=task.phase,
                persona=persona,
                capability=task.capability,
                summary=task.summary,
                expected_time=task.expected_time,
                reason=reason,
            )
        )
        self.enqueue(i, Activity(i, persona, "work", self.attempts_total[i] + 1, task.expected_time))

    def attempt_failed(self, i: int, persona: str, reason: str, then: NextStep) -> None:
        task_id = self.tasks[i].id
        self.emit(
            ev.TaskFailed(
                seq=self.seq,
                at=self.now,
                actor=persona,
                task=task_id,
                persona=persona,
                attempt=self.attempts_total[i],
                reason=reason,
                next=then,
            )
        )

    def escalated(self, i: int, persona: str, to: str, reason: str) -> None:
        task_id = self.tasks[i].id
        self.emit(
            ev.Escalation(
                seq=self.seq,
                at=self.now,
                actor=persona,
                task=task_id,
                from_persona=persona,
                to_persona=to,
                reason=reason,
            )
        )

    def failed_attempt(self, i: int, act: Activity, why: str = "") -> None:
        task = self.tasks[i]
        self.attempts_here[i] += 1
        then = next_performer(self, i)
        reason = failure_reason(self.attempts_total[i], then, task.capability, why)
        self.attempt_failed(i, act.persona, reason, then.step)
        nxt = then.persona
        if nxt is None:
            self.task_failed(i)
            return
        if then.step != "retry":
            self.attempts_here[i] = 0
            if then.step == "escalate":
                self.escalated(i, act.persona, nxt, escalation_reason(act.persona, then, task.capability))
                if then.declined:
                    self.task_failed(i)
                    return
            self.performer[i] = nxt
            self.assigned(i, nxt, "escalation" if then.step == "escalate" else "fallback")
            return
        self.enqueue(i, Activity(i, nxt, "work", self.attempts_total[i] + 1, task.expected_time))

    def settle(self) -> None:
        """Propagate everything that happened at this instant (steps 2 and 3)."""
        while self.done_now or self.ready:
            if self.done_now:
                done, self.done_now = self.done_now, []
                handoffs(self, done)
                for i, _ in done:
                    self._propagate(i)
            if self.ready:
                batch, self.ready = sorted(self.ready), []
                for i in batch:
                    if not self.stopped:
                        assign(self, i)

    def _propagate(self, i: int) -> None:
        for s in self.succs[i]:
            self._release_task(s)
        for k in self.gate_of[i]:
            self._release_phase(k)
        self._phase_progress(self.plan.phase_of[i])

    def _release_task(self, i: int) -> None:
        self.waiting[i] -= 1
        if self.waiting[i] == 0:
            self.ready.append(i)

    def skip(self, i: int, reason: str) -> None:
        self.status[i] = SKIPPED
        self.counts["skipped"] += 1
        self.emit(
            ev.TaskSkipped(
                seq=self.seq,
                at=self.now,
                actor=self.orchestrator,
                task=self.tasks[i].id,
                reason=reason,
            )
        )
        k = self.plan.phase_of[i]
        self.phase_skipped[k] += 1
        self.done_now.append((i, ""))

    # -- phases ----------------------------------------------------------------

    def _release_phase(self, k: int) -> None:
        self.phase_waiting[k] -= 1
        if self.phase_waiting[k] == 0 and not self.stopped:
            self.start_phase(k)

    def _ruled_out(self, i: int) -> bool:
        only_if = self.tasks[i].only_if
        if only_if is None:
            return False
        decision, option = only_if.split(".", 1)
        return decision in self.decided and self.decided[decision] != option

    def start_phase(self, k: int) -> None:
        plan = self.plan
        phase = plan.scenario.phase[k]
        orchestrator = plan.cast.orchestrator.id
        if phase.gate is not None:
            self.emit(
                ev.PhaseGateOpened(
                    seq=self.seq,
                    at=self.now,
                    actor=orchestrator,
                    phase=phase.id,
                    gate=phase.gate.name,
                    requires=phase.gate.requires,
                )
            )
        members = self.members[k]
        # A task a decision has already ruled out is not announced; it is skipped right after.
        announced = [i for i in members if not self._ruled_out(i)]
        involved = {self.performer[i] for i in announced}
        self.phase_started_at[k] = self.now
        self.emit(
            ev.PhaseStarted(
                seq=self.seq,
                at=self.now,
                actor=orchestrator,
                phase=phase.id,
                title=phase.title,
                mode="sequential" if self.sequential else phase.mode,
                stream=phase.stream,
                index=k + 1,
                personas=tuple(p.id for p in plan.cast.personas if p.id in involved),
                tasks=tuple(plan.tasks[i].id for i in announced),
            )
        )
        for i in members:
            self._release_task(i)
        if not members:
            self._phase_progress(k, empty=True)

    def _phase_progress(self, k: int, empty: bool = False) -> None:
        if not empty:
            self.phase_left[k] -= 1
        if self.phase_left[k] > 0:
            return
        phase = self.plan.scenario.phase[k]
        size = len(self.members[k])
        self.emit(
            ev.PhaseFinished(
                seq=self.seq,
                at=self.now,
                actor=self.orchestrator,
                phase=phase.id,
                title=phase.title,
                started_at=self.phase_started_at[k],
                finished=size - self.phase_failed[k] - self.phase_skipped[k],
                failed=self.phase_failed[k],
                skipped=self.phase_skipped[k],
            )
        )
        if self.phase_failed[k]:
            return
        checkin = self.checkins.get(phase.id)
        if checkin is not None:
            check_in(self, k, checkin)
        if self.stopped:
            return
        for nxt in self.phase_next[k]:
            self._release_phase(nxt)

    def decide(self, decision_id: str, chosen: str | None) -> None:
        self.decided[decision_id] = chosen
        for i in self.gated_by.get(decision_id, ()):
            self._release_task(i)

    # -- the end -----------------------------------------------------------------

    def final_outcome(self) -> ev.Outcome:
        if self.stopped:
            return "stopped_at_decision"
        return "failed" if self.counts["failed"] else "completed"

    def finish_run(self, outcome: ev.Outcome) -> None:
        plan = self.plan
        orchestrator = plan.cast.orchestrator.id
        unreached = 0
        for i, task in enumerate(plan.tasks):
            if self.status[i] in TERMINAL:
                continue
            unreached += 1
            self.emit(
                ev.TaskUnreached(
                    seq=self.seq, at=self.now, actor=orchestrator, task=task.id, reason=unreached_reason(self, i)
                )
            )
        self.now = max(self.now, self.last_end)
        if outcome == "completed":
            skipped = self.counts["skipped"]
            done = len(plan.tasks) - skipped
            reason = (f"all {count(done, 'task')} done" if done != 1 else "the 1 task done") + (
                f", {skipped} skipped by decisions" if skipped else ""
            )
        elif outcome == "failed":
            reason = f"{count(self.counts['failed'], 'task')} failed after retries, fallbacks and escalation"
        else:
            reason = self.stop_reason
        self.final = ev.RunFinished(
            seq=self.seq,
            at=self.now,
            actor=orchestrator,
            outcome=outcome,
            reason=reason,
            makespan=max(0, self.last_end - self.work_start) if outcome != "blocked_at_gate" else 0,
            sequential_time=self.work_done,
            critical_time=plan.critical_time,
            tasks=len(plan.tasks),
            finished=self.counts["finished"],
            failed=self.counts["failed"],
            skipped=self.counts["skipped"],
            unreached=unreached,
            redirects=self.counts["redirects"],
            handoffs=self.counts["handoffs"],
        )
        self.emit(self.final)
