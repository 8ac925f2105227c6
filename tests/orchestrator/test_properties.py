"""Invariants of the coordinator over generated scenarios."""

from __future__ import annotations

import itertools
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rolecall import InputError
from rolecall.events import Event, dump_events
from rolecall.orchestrator import Coordinator, Plan, build_plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles import Cast, resolve_cast
from tests.orchestrator.helpers import run_finished

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


def _run(scenario: Scenario) -> tuple[Plan, list[Event]]:
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
    ended: dict[str, Event] = {}
    for e in events:
        if e.kind in ("task_finished", "task_skipped", "task_unreached", "task_failed"):
            ended[e.task] = e
        elif e.kind == "task_started":
            ended.pop(e.task, None)  # a failed attempt that is followed by another did not end the task
    assert set(ended) == {t.id for t in plan.tasks}
    for e in ended.values():
        if e.kind == "task_unreached":
            assert e.reason
        if e.kind == "task_failed":
            # nobody left to try: the chain is used up, or the orchestrator may not do the work
            assert e.next in ("give_up", "escalate")
    assert run_finished(events).failed == sum(e.kind == "task_failed" for e in ended.values())


@st.composite
def casts_with_any_fallbacks(draw: st.DrawFn) -> Cast:
    """A shipped cast whose fallback chains are redrawn, forbidden targets included.

    Built directly rather than loaded: the loader refuses a fallback that may
    not do its persona's work, and the coordinator must hold the line anyway.
    """
    cast = resolve_cast(draw(st.sampled_from(["product-team", "feature-crew", "model-tiers"])))
    ids = [p.id for p in cast.personas]
    personas = tuple(
        p.model_copy(
            update={"fallback": tuple(draw(st.lists(st.sampled_from([i for i in ids if i != p.id]), max_size=4)))}
        )
        for p in cast.personas
    )
    return Cast(manifest=cast.manifest, personas=personas, source=cast.source)


@st.composite
def failing_runs(draw: st.DrawFn, reviews: bool = False) -> tuple[Cast, Scenario]:
    cast = draw(casts_with_any_fallbacks())
    capabilities = [c.id for c in cast.capabilities]
    ids = [p.id for p in cast.personas]
    reviewing = sorted({p.id for c in cast.capabilities if "review" in c.id.split(".") for p in cast.owners_of(c.id)})
    tasks: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 8))):
        task: dict[str, Any] = {
            "id": f"t{i}",
            "phase": "work",
            "capability": draw(st.sampled_from(capabilities)),
            "summary": f"task {i}",
            "expected_time": draw(st.integers(1, 30)),
            "fails": draw(st.integers(0, 12)),
            "depends_on": draw(st.lists(st.sampled_from([f"t{j}" for j in range(i)]), max_size=2, unique=True))
            if i
            else [],
        }
        if draw(st.booleans()):
            task["attempted_by"] = draw(st.sampled_from(ids))
        if reviews and draw(st.booleans()):
            # mostly reviewers by trade, so that many plans pass and their runs are checked too
            reviewer = draw(
                st.sampled_from(reviewing) if reviewing and draw(st.integers(0, 3)) != 0 else st.sampled_from(ids)
            )
            task["review"] = {"reviewer": reviewer, "verdicts": ["approved"]}
        tasks.append(task)
    scenario = Scenario.model_validate(
        {
            "name": "generated",
            "title": "Generated",
            "request": "generated",
            "enforce_boundaries": draw(st.booleans()),
            "max_attempts": draw(st.integers(1, 3)),
            "phase": [{"id": "work", "title": "Work"}],
            "task": tasks,
        }
    )
    return cast, scenario


@settings(max_examples=150, deadline=None)
@given(failing_runs())
def test_nobody_does_work_its_never_list_covers_whatever_the_fallback_chains(run: tuple[Cast, Scenario]) -> None:
    cast, scenario = run
    plan = build_plan(scenario, cast)
    events = Coordinator(plan).events()
    capability = {t.id: t.capability for t in plan.tasks}
    planned = {t.id: plan.performer[i] for i, t in enumerate(plan.tasks)}
    tried: dict[str, set[str]] = {}
    last: dict[str, str] = {}
    for e in events:
        if e.kind == "task_started" and e.activity != "review":
            if scenario.enforce_boundaries:
                assert cast.persona(e.persona).never_entry(capability[e.task]) is None, (e.persona, e.task)
            tried.setdefault(e.task, set()).add(e.persona)
        if e.kind == "task_assigned" and e.reason == "fallback":
            assert e.persona in cast.persona(planned[e.task]).fallback
        if e.kind == "task_assigned" and e.reason == "escalation":
            assert e.persona == cast.orchestrator.id
        if e.kind in ("task_started", "task_failed", "task_finished"):
            last[e.task] = e.kind
    # and only those are passed over: a task fails for good once everyone else in its chain has tried
    for task, kind in last.items():
        if kind == "task_failed":
            for target in cast.persona(planned[task]).fallback:
                refuses = cast.persona(target).never_entry(capability[task]) is not None
                assert (refuses and scenario.enforce_boundaries) or target in tried[task], (task, target)


@settings(max_examples=200, deadline=None)
@given(failing_runs(reviews=True))
def test_a_review_that_plans_is_by_a_reviewer_and_never_by_the_author(run: tuple[Cast, Scenario]) -> None:
    cast, scenario = run
    try:
        plan = build_plan(scenario, cast)
    except InputError as exc:
        assert all(p.field.endswith(".review.reviewer") for p in exc.problems), exc
        return
    reviewing = {p.id for c in cast.capabilities if "review" in c.id.split(".") for p in cast.owners_of(c.id)}
    for e in Coordinator(plan).events():
        if e.kind == "review_round":
            assert e.reviewer != e.author
            assert not reviewing or e.reviewer in reviewing


@st.composite
def tangled(draw: st.DrawFn) -> Scenario:
    """Scenarios whose waits may loop: any depends_on, after, gate and only_if, every phase non-empty."""
    m = draw(st.integers(1, 3))
    n = draw(st.integers(m, 6))
    phase_ids = [f"p{k}" for k in range(m)]
    task_ids = [f"t{i}" for i in range(n)]
    phases: list[dict[str, Any]] = []
    for pid in phase_ids:
        phase: dict[str, Any] = {
            "id": pid,
            "title": pid.upper(),
            "mode": draw(st.sampled_from(["parallel", "sequential"])),
        }
        if draw(st.booleans()):
            others = [q for q in phase_ids if q != pid]
            phase["after"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
        if draw(st.integers(0, 3)) == 0:
            phase["gate"] = {
                "name": "Gate",
                "requires": draw(st.lists(st.sampled_from(task_ids), min_size=1, max_size=2, unique=True)),
            }
        phases.append(phase)
    checkin: list[dict[str, Any]] = []
    if draw(st.booleans()):
        checkin.append(
            {
                "after": draw(st.sampled_from(phase_ids)),
                "decision": {
                    "id": "d",
                    "question": "Which?",
                    "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                    "recommended": "a",
                },
            }
        )
    tasks: list[dict[str, Any]] = []
    for i, tid in enumerate(task_ids):
        task: dict[str, Any] = {
            "id": tid,
            "phase": phase_ids[i] if i < m else draw(st.sampled_from(phase_ids)),
            "capability": "frontend.ui",
            "summary": tid,
            "expected_time": 1,
            "depends_on": draw(st.lists(st.sampled_from([t for t in task_ids if t != tid]), max_size=2, unique=True))
            if n > 1
            else [],
        }
        if checkin and draw(st.integers(0, 2)) == 0:
            task["only_if"] = "d.a"
        tasks.append(task)
    return Scenario.model_validate(
        {"name": "tangled", "title": "T", "request": "r", "phase": phases, "task": tasks, "checkin": checkin}
    )


def _stuck(scenario: Scenario) -> bool:
    """Can everything run? Worked out by releasing what is free until nothing changes, without the graph."""
    phases = scenario.phase
    after = [list(p.after) if p.after is not None else ([phases[k - 1].id] if k else []) for k, p in enumerate(phases)]
    decided_after = {c.decision.id: c.after for c in scenario.checkin if c.decision is not None}
    members = {p.id: [t for t in scenario.task if t.phase == p.id] for p in phases}
    before = {}
    for p in phases:
        if p.mode == "sequential":
            for a, b in itertools.pairwise(members[p.id]):
                before[b.id] = a.id
    done: set[str] = set()
    started: set[str] = set()
    finished: set[str] = set()
    changed = True
    while changed:
        changed = False
        for k, p in enumerate(phases):
            gate_open = p.gate is None or all(r in done for r in p.gate.requires)
            if p.id not in started and gate_open and all(q in finished for q in after[k]):
                started.add(p.id)
                changed = True
        for t in scenario.task:
            waits = [*t.depends_on, *([before[t.id]] if t.id in before else [])]
            decision_phase = decided_after.get(t.only_if.split(".")[0]) if t.only_if else None
            if (
                t.id not in done
                and t.phase in started
                and all(d in done for d in waits)
                and (decision_phase is None or decision_phase in finished)
            ):
                done.add(t.id)
                changed = True
        for p in phases:
            if p.id in started and p.id not in finished and all(t.id in done for t in members[p.id]):
                finished.add(p.id)
                changed = True
    return len(done) < len(scenario.task)


def _resolves(data: Any, field: str) -> bool:
    """Does the field path name something written (or defaulted, for ``after``) in the scenario?"""
    node = data
    for name, index in re.findall(r"(\w+)(?:\[(\d+)\])?", field):
        if name == "after" and isinstance(node, dict) and node.get("after") is None and index == "":
            return True  # the default order of phases: named, though not written
        if not isinstance(node, dict) or node.get(name) is None:
            return False
        node = node[name]
        if index:
            if not isinstance(node, list | tuple) or int(index) >= len(node):
                return False
            node = node[int(index)]
    return True


@settings(max_examples=250, deadline=None)
@given(tangled())
def test_a_cycle_is_reported_exactly_when_the_waits_loop_and_each_edge_names_its_field(scenario: Scenario) -> None:
    try:
        build_plan(scenario, resolve_cast("product-team"))
    except InputError as exc:
        (problem,) = exc.problems
        assert problem.message.startswith("dependency cycle: "), problem
        assert _stuck(scenario)
        labels = re.findall(r"\(by ([^)]*)\)", problem.message)
        fields = [re.split(r":| = | -> ", label)[0] for label in labels]
        data = scenario.model_dump()
        assert all(_resolves(data, f) for f in fields), fields
        for label in labels:
            if " -> " in label:  # an only_if edge also names the check-in that makes the decision
                assert _resolves(data, label.split(" -> ")[1])
        # reported at the first edge the user chose: not a task's own phase, not the default phase order
        written = [
            f for f, label in zip(fields, labels, strict=True) if not f.endswith(".phase") and "default" not in label
        ]
        assert problem.field == (written or fields)[0]
    else:
        assert not _stuck(scenario)
