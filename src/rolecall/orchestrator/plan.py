"""Planning: a scenario checked against its cast and analysed before it runs.

:func:`build_plan` reports every problem at once (unknown references, cycles)
and computes what the coordinator and reports need: who performs each task,
the effective predecessors, dependency levels, the critical path and the
sequential time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rolecall._toml import TomlDocument, read_toml
from rolecall.errors import InputError, Problem, UsageError
from rolecall.orchestrator.checks import check_references
from rolecall.orchestrator.graph import Graph, find_cycle, longest_paths, topological_order
from rolecall.orchestrator.scenario import Scenario, Task
from rolecall.roles.cast import Cast
from rolecall.roles.registry import resolve_cast

__all__ = ["Plan", "build_plan", "load_scenario", "plan_file"]


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


def load_scenario(path: Path) -> tuple[Scenario, TomlDocument]:
    doc = read_toml(path)
    return doc.validate(Scenario), doc


def plan_file(path: Path, cast: Cast | None = None) -> Plan:
    """Load, check and plan the scenario at ``path`` (its own cast unless one is given)."""
    scenario, doc = load_scenario(path)
    if cast is None:
        try:
            cast = resolve_cast(scenario.cast, relative_to=path.parent)
        except UsageError as exc:
            raise InputError([doc.problem(str(exc), "cast")]) from None
    return build_plan(scenario, cast, doc)


def build_plan(scenario: Scenario, cast: Cast, doc: TomlDocument | None = None) -> Plan:
    def problem(message: str, field: str) -> Problem:
        if doc is not None:
            return doc.problem(message, field)
        return Problem(None, message, field)

    problems = check_references(scenario, cast, problem)
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
        cycle = cycle[first:] + cycle[:first]
        raise InputError(
            [
                problem(
                    f"dependency cycle: {_describe_cycle(cycle, scenario)}",
                    _cycle_field(cycle, scenario),
                )
            ]
        )
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
        critical_path=_trace(finish, via, n),
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
    last_in_phase: dict[int, int] = {}
    out: list[tuple[int, ...]] = []
    for i, task in enumerate(scenario.task):
        deps = [index[d] for d in task.depends_on]
        phase = phase_of[i]
        if scenario.phase[phase].mode == "sequential" and phase in last_in_phase:
            before = last_in_phase[phase]
            if before not in deps:
                deps.append(before)
        last_in_phase[phase] = i
        out.append(tuple(deps))
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


def _trace(finish: list[int], via: list[int], n: int) -> tuple[int, ...]:
    if n == 0:
        return ()
    node = max(range(n), key=lambda i: (finish[i], -i))
    path: list[int] = []
    while node != -1:
        if node < n:
            path.append(node)
        node = via[node]
    path.reverse()
    return tuple(path)


def _node_name(node: int, scenario: Scenario) -> str:
    n = len(scenario.task)
    if node < n:
        return f"task '{scenario.task[node].id}'"
    phase = scenario.phase[(node - n) // 2]
    return f"phase '{phase.id}' {'end' if (node - n) % 2 else 'start'}"


def _describe_cycle(cycle: list[int], scenario: Scenario) -> str:
    names = [_node_name(v, scenario) for v in cycle]
    return " -> ".join([*names, names[0]]) + " (each waits for the one before)"


def _cycle_field(cycle: list[int], scenario: Scenario) -> str:
    n = len(scenario.task)
    first_task = next((v for v in cycle if v < n), None)
    if first_task is not None:
        return f"task[{first_task}].depends_on"
    return f"phase[{(cycle[0] - n) // 2}].after"
