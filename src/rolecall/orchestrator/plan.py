"""Planning: a scenario checked against its cast and analysed before it runs.

:func:`build_plan` reports every problem at once (unknown references, cycles)
and computes what the coordinator and reports need: who performs each task,
the effective predecessors, dependency levels, the critical path and the
sequential time. It works on values in memory; reading a scenario file and
finding its cast is :func:`rolecall.files.plan_file`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rolecall._toml import TomlDocument
from rolecall.errors import InputError, Problem
from rolecall.orchestrator.checks import Author, check_references
from rolecall.orchestrator.graph import Graph, find_cycle, longest_paths, topological_order, trace_path
from rolecall.orchestrator.scenario import Scenario, Task
from rolecall.roles.cast import Cast

__all__ = ["Plan", "Takeover", "build_plan", "never_does", "submitter", "takeovers"]


@dataclass(frozen=True)
class Plan:
    """A scenario whose references are checked and whose graph is acyclic."""

    scenario: Scenario
    cast: Cast
    source: Path | None
    performer: tuple[str, ...]
    """Who does each task when nothing fails (index-aligned with ``scenario.task``)."""
    task_preds: tuple[tuple[int, ...], ...]
    """Tasks each task waits for: its ``depends_on`` plus, in a sequential phase, the one before."""
    phase_of: tuple[int, ...]
    phase_after: tuple[tuple[int, ...], ...]
    phase_gate: tuple[tuple[int, ...], ...]
    levels: tuple[tuple[int, ...], ...]
    critical_path: tuple[int, ...]
    critical_time: int
    sequential_time: int

    @property
    def tasks(self) -> tuple[Task, ...]:
        return self.scenario.task

    @property
    def verifier(self) -> str | None:
        gate = self.scenario.gate
        if gate is None:
            return None
        if gate.verifier:
            return gate.verifier
        return self.cast.verifier.id if self.cast.verifier else self.cast.orchestrator.id


def build_plan(scenario: Scenario, cast: Cast, doc: TomlDocument | None = None) -> Plan:
    """Check ``scenario`` against ``cast`` and plan it; ``doc``, when given, locates each problem in its file."""

    def problem(message: str, field: str) -> Problem:
        if doc is not None:
            return doc.problem(message, field)
        return Problem(None, message, field)

    enforce = scenario.enforce_boundaries

    def author_of(task: Task) -> Author | None:
        return submitter(task, cast, _performer(task, cast, enforce), scenario.max_attempts, enforce)

    problems = check_references(scenario, cast, problem, author_of)
    if problems:
        raise InputError(problems)
    tasks = scenario.task
    index = {t.id: i for i, t in enumerate(tasks)}
    phase_index = {p.id: i for i, p in enumerate(scenario.phase)}
    phase_of = tuple(phase_index[t.phase] for t in tasks)
    phase_after = _phase_order(scenario, phase_index)
    phase_gate = tuple(tuple(index[r] for r in p.gate.requires) if p.gate else () for p in scenario.phase)
    task_preds = _task_preds(scenario, index, phase_of)
    n, m = len(tasks), len(scenario.phase)
    decided_after = {c.decision.id: phase_index[c.after] for c in scenario.checkin if c.decision is not None}
    preds: list[tuple[int, ...]] = []
    for i, task in enumerate(tasks):
        # A task waiting on a decision waits for the phase whose check-in makes it;
        # a decision made after the task's own phase then shows up as a cycle.
        decision = decided_after.get(task.only_if.split(".", 1)[0]) if task.only_if else None
        extra = () if decision is None else (n + 2 * decision + 1,)
        preds.append((*task_preds[i], n + 2 * phase_of[i], *extra))
    members: list[list[int]] = [[] for _ in range(m)]
    for i, ph in enumerate(phase_of):
        members[ph].append(i)
    for k in range(m):
        preds.append((*(n + 2 * q + 1 for q in phase_after[k]), *phase_gate[k]))
        preds.append(tuple(members[k]))
    graph = Graph(tuple(preds))
    order, left = topological_order(graph)
    if left:
        cycle = find_cycle(graph, left)
        first = cycle.index(min(cycle))  # start at the earliest declared node: stable messages
        raise InputError([_cycle_problem(cycle[first:] + cycle[:first], scenario, phase_of, problem)])
    levels_finish, _ = longest_paths(graph, order, [1] * n + [0] * (2 * m))
    durations = [t.expected_time for t in tasks] + [0] * (2 * m)
    finish, via = longest_paths(graph, order, durations)
    levels: list[list[int]] = []
    for i in range(n):
        level = levels_finish[i] - 1
        while len(levels) <= level:
            levels.append([])
        levels[level].append(i)
    return Plan(
        scenario=scenario,
        cast=cast,
        source=doc.path if doc else None,
        performer=tuple(_performer(t, cast, scenario.enforce_boundaries) for t in tasks),
        task_preds=task_preds,
        phase_of=phase_of,
        phase_after=phase_after,
        phase_gate=phase_gate,
        levels=tuple(tuple(level) for level in levels),
        critical_path=trace_path(finish, via, n),
        critical_time=max(finish[:n], default=0),
        sequential_time=sum(t.expected_time for t in tasks),
    )


def _phase_order(scenario: Scenario, phase_index: dict[str, int]) -> tuple[tuple[int, ...], ...]:
    out: list[tuple[int, ...]] = []
    previous: int | None = None
    for k, phase in enumerate(scenario.phase):
        if phase.after is not None:
            out.append(tuple(phase_index[a] for a in phase.after))
        elif phase.stream or previous is None:
            out.append(())
        else:
            out.append((previous,))
        if not phase.stream:
            previous = k
    return tuple(out)


def _task_preds(scenario: Scenario, index: dict[str, int], phase_of: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    sequential = [phase.mode == "sequential" for phase in scenario.phase]
    last_in_phase: dict[int, int] = {}
    out: list[tuple[int, ...]] = []
    for i, task in enumerate(scenario.task):
        phase = phase_of[i]
        if sequential[phase] and phase in last_in_phase:
            deps = [index[d] for d in task.depends_on]
            before = last_in_phase[phase]
            if before not in deps:
                deps.append(before)
            out.append(tuple(deps))
        else:
            out.append(tuple(map(index.__getitem__, task.depends_on)))
        last_in_phase[phase] = i
    return tuple(out)


def _performer(task: Task, cast: Cast, enforce: bool) -> str:
    if task.assignee is not None:
        return task.assignee
    attempted = task.attempted_by
    if attempted is not None:
        if not enforce or cast.owns(attempted, task.capability):
            return attempted
        entry = cast.persona(attempted).never_entry(task.capability)
        if entry is not None:
            return entry.hand_to
    return cast.owners_of(task.capability)[0].id


def never_does(cast: Cast, persona: str, capability: str) -> bool:
    """Is ``capability`` in the persona's ``never`` list: explicitly not its job?"""
    return cast.persona(persona).never_entry(capability) is not None


@dataclass(frozen=True, slots=True)
class Takeover:
    """What follows a failed work attempt: who makes the next one, and who was passed over."""

    persona: str | None
    """Who makes the next attempt; ``None`` when nobody does and the task fails."""
    step: Literal["retry", "fallback", "escalate", "give_up"]
    passed_over: tuple[str, ...] = ()
    """Fallback targets skipped on the way because the work is never their job."""
    declined: bool = False
    """An escalation the orchestrator hears of but may not take over: the task fails."""


def takeovers(cast: Cast, performer: str, capability: str, enforce: bool) -> Iterator[Takeover]:
    """Who takes over a failing task, in order, each once the one before has used its attempts.

    The chain is the fallback list of the task's planned performer, then the
    orchestrator. With boundaries enforced, a persona whose ``never`` list
    covers the capability is passed over exactly as it would be for a first
    assignment; one that neither owns nor refuses the work may step in, since
    naming it in ``fallback`` (or making it the orchestrator) is the cast's own
    choice. An orchestrator that may not do the work still hears of the
    escalation, as it does of an exhausted review loop, but the task fails.
    """
    holder = performer
    passed: list[str] = []
    for target in cast.persona(performer).fallback:
        if enforce and never_does(cast, target, capability):
            passed.append(target)
            continue
        yield Takeover(target, "fallback", tuple(passed))
        holder, passed = target, []
    orchestrator = cast.orchestrator.id
    if holder != orchestrator:
        declined = enforce and never_does(cast, orchestrator, capability)
        yield Takeover(orchestrator, "escalate", tuple(passed), declined)
        if declined:
            return
        passed = []
    yield Takeover(None, "give_up", tuple(passed))


def submitter(task: Task, cast: Cast, performer: str, max_attempts: int, enforce: bool) -> Author | None:
    """Who submits the task's work for review: the persona making attempt ``fails + 1``.

    ``fails`` counts the work attempts before the first submission and each
    holder makes ``max_attempts`` of them, so the author is known before the
    run. ``None`` when the task fails before its work is ever submitted.
    """
    moves = task.fails // max_attempts
    if moves == 0:
        return performer, ""
    for step in takeovers(cast, performer, task.capability, enforce):
        if step.persona is None or step.declined:
            return None
        moves -= 1
        if moves == 0:
            return step.persona, step.step
    return None


def _node_name(node: int, scenario: Scenario) -> str:
    n = len(scenario.task)
    if node < n:
        return f"task '{scenario.task[node].id}'"
    phase = scenario.phase[(node - n) // 2]
    return f"phase '{phase.id}' {'end' if (node - n) % 2 else 'start'}"


def _cycle_problem(
    cycle: list[int], scenario: Scenario, phase_of: tuple[int, ...], problem: Callable[[str, str], Problem]
) -> Problem:
    """Name the field behind each edge, so the message says what to change, not just where it loops.

    The problem is reported at the first edge the user wrote; a task's place in
    its phase and the default phase order are implied, not a choice to revisit.
    """
    steps = [_node_name(cycle[0], scenario)]
    fields: list[tuple[str, bool]] = []
    for j, node in enumerate(cycle[1:] + cycle[:1]):
        label, field, written = _edge(node, cycle[j], scenario, phase_of)
        steps.append(f"{_node_name(node, scenario)} (by {label})")
        fields.append((field, written))
    field = next((f for f, written in fields if written), fields[0][0])
    return problem(f"dependency cycle: {' -> '.join(steps)}; each waits for the one before", field)


def _edge(waiter: int, waited: int, scenario: Scenario, phase_of: tuple[int, ...]) -> tuple[str, str, bool]:
    """Why graph node ``waiter`` waits for ``waited``: (label, field, whether the user wrote that field).

    Derived again from the scenario rather than stored with every edge: only a
    cycle's few edges ever need a name, and storing them would cost every plan.
    """
    n = len(scenario.task)
    if waiter < n:
        task = scenario.task[waiter]
        if waited < n:
            dep = scenario.task[waited].id
            if dep in task.depends_on:
                field = f"task[{waiter}].depends_on[{task.depends_on.index(dep)}]"
                return field, field, True
            k = phase_of[waiter]
            return f'phase[{k}].mode = "sequential"', f"phase[{k}].mode", True
        if (waited - n) % 2 == 0:
            return f"task[{waiter}].phase", f"task[{waiter}].phase", False
        assert task.only_if is not None
        decision = task.only_if.split(".", 1)[0]
        c = next(c for c, ch in enumerate(scenario.checkin) if ch.decision is not None and ch.decision.id == decision)
        return f"task[{waiter}].only_if -> checkin[{c}].after", f"task[{waiter}].only_if", True
    k, end = divmod(waiter - n, 2)
    phase = scenario.phase[k]
    if end:
        return f"task[{waited}].phase", f"task[{waited}].phase", False
    if waited < n:
        assert phase.gate is not None
        field = f"phase[{k}].gate.requires[{phase.gate.requires.index(scenario.task[waited].id)}]"
        return field, field, True
    if phase.after is None:
        return f"phase[{k}].after: the phase declared before it, by default", f"phase[{k}].after", False
    field = f"phase[{k}].after[{phase.after.index(scenario.phase[(waited - n) // 2].id)}]"
    return field, field, True
