"""Invariants of the coordinator over generated scenarios."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rolecall.orchestrator import Coordinator, build_plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.render.jsonl import dump_events
from rolecall.roles import resolve_cast

CAPABILITIES = [
    "frontend.ui",
    "backend.server-actions",
    "database.schema",
    "qa.testing",
    "ux.design",
    "devops.deploy",
]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(1, 25))
    phases = draw(st.integers(1, 3))
    tasks: list[dict[str, Any]] = []
    phase_of: list[int] = []
    for i in range(n):
        phase = draw(st.integers(0, phases - 1))
        # only depend on earlier tasks in the same or an earlier phase: acyclic by construction
        candidates = [j for j in range(i) if phase_of[j] <= phase]
        deps = draw(st.lists(st.sampled_from(candidates), max_size=3, unique=True)) if candidates else []
        task: dict[str, Any] = {
            "id": f"t{i}",
            "phase": f"p{phase}",
            "capability": draw(st.sampled_from(CAPABILITIES)),
            "summary": f"task {i}",
            "expected_time": draw(st.integers(0, 60)),
            "depends_on": [f"t{j}" for j in deps],
        }
        if draw(st.booleans()) and task["capability"] != "frontend.ui":
            task["attempted_by"] = "sam"
        tasks.append(task)
        phase_of.append(phase)
    return Scenario.model_validate(
        {
            "name": "generated",
            "title": "Generated",
            "request": "generated",
            "mode": draw(st.sampled_from(["parallel", "parallel", "sequential"])),
            "enforce_boundaries": draw(st.booleans()),
            "phase": [
                {"id": f"p{k}", "title": f"P{k}", "mode": draw(st.sampled_from(["parallel", "sequential"]))}
                for k in range(phases)
            ],
            "task": tasks,
        }
    )


def _run(scenario: Scenario) -> tuple[Any, list[Any]]:
    plan = build_plan(scenario, resolve_cast("product-team"))
    return plan, Coordinator(plan).events()


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_scheduling_invariants(scenario: Scenario) -> None:
    plan, events = _run(scenario)
    finished = {e.task: e for e in events if e.kind == "task_finished"}
    started: dict[str, int] = {}
    for e in events:
        if e.kind == "task_started" and e.task not in started:
            started[e.task] = e.at
    # no task starts before its dependencies finish
    for i, task in enumerate(plan.tasks):
        for p in plan.task_preds[i]:
            assert started[task.id] >= finished[plan.tasks[p].id].at
    # no persona exceeds its capacity; in sequential mode nobody works in parallel
    capacity = {p.id: p.capacity for p in plan.cast.personas}
    running: dict[str, int] = {}
    timeline = sorted(
        [(e.at, 1, e.persona) for e in events if e.kind == "task_started"]
        + [(e.at, 0, e.persona) for e in events if e.kind == "task_finished"]
    )
    for _, delta, who in timeline:
        running[who] = running.get(who, 0) + (1 if delta else -1)
        assert running[who] <= capacity[who]
        if scenario.mode == "sequential":
            assert sum(running.values()) <= 1
    # every task ends finished (no failures were scripted)
    assert set(finished) == {t.id for t in plan.tasks}
    final = events[-1]
    assert final.kind == "run_finished" and final.outcome == "completed"
    # makespan between the critical path and the sequential time
    assert plan.critical_time <= final.makespan <= plan.sequential_time
    # sequence numbers are dense and time never goes backwards
    assert [e.seq for e in events] == list(range(len(events)))
    assert all(a.at <= b.at for a, b in itertools.pairwise(events))


@settings(max_examples=80, deadline=None)
@given(scenarios())
def test_every_attempt_outside_the_role_is_redirected_to_an_owner(scenario: Scenario) -> None:
    plan, events = _run(scenario)
    cast = plan.cast
    attempts = {t.id for t in plan.tasks if t.attempted_by and not cast.owns(t.attempted_by, t.capability)}
    redirects = {e.task: e for e in events if e.kind == "redirect"}
    if scenario.enforce_boundaries:
        assert set(redirects) == attempts
        for task_id, redirect in redirects.items():
            capability = next(t.capability for t in plan.tasks if t.id == task_id)
            assert cast.owns(redirect.to_persona, capability)
    else:
        assert not redirects


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_same_input_same_output(scenario: Scenario) -> None:
    assert dump_events(_run(scenario)[1]) == dump_events(_run(scenario)[1])


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.data())
def test_every_task_ends_with_a_reason(scenario: Scenario, data: st.DataObject) -> None:
    fails = data.draw(st.sampled_from([0, 1, 99]))
    tasks = [t.model_copy(update={"fails": fails}) if i == 0 else t for i, t in enumerate(scenario.task)]
    plan, events = _run(scenario.model_copy(update={"task": tuple(tasks)}))
    ended = {}
    for e in events:
        if e.kind in ("task_finished", "task_skipped", "task_unreached") or (
            e.kind == "task_failed" and e.next == "give_up"
        ):
            ended[e.task] = e
    assert set(ended) == {t.id for t in plan.tasks}
    for e in ended.values():
        if e.kind == "task_unreached":
            assert e.reason
