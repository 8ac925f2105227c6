"""For any attempt outside a persona's role: a redirect is emitted, or the boundary rule reports it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rolecall.orchestrator import Coordinator, build_plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.policies import evaluate
from rolecall.policies.model import Policy
from rolecall.roles import resolve_cast

CAPABILITIES = ["frontend.ui", "backend.server-actions", "database.schema", "qa.testing", "payments.stripe"]
PERSONAS = ["sam", "morgan", "taylor", "quinn", "avery", "drew"]
OWNERS_ONLY = Policy.model_validate(
    {
        "name": "p",
        "rule": [
            {"id": "owners-only", "kind": "boundary", "message": "m", "persona": "*", "capability": "*",
             "except_owners": True},
        ],
    }
)  # fmt: skip


@st.composite
def attempts(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(1, 12))
    tasks = []
    for i in range(n):
        task = {
            "id": f"t{i}",
            "phase": "work",
            "capability": draw(st.sampled_from(CAPABILITIES)),
            "summary": f"task {i}",
            "expected_time": draw(st.integers(1, 30)),
            "depends_on": [
                f"t{j}" for j in draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=2, unique=True)) if j < i
            ],
        }
        if draw(st.booleans()):
            task["attempted_by"] = draw(st.sampled_from(PERSONAS))
        tasks.append(task)
    return Scenario.model_validate(
        {
            "name": "g",
            "title": "g",
            "request": "g",
            "enforce_boundaries": draw(st.booleans()),
            "phase": [{"id": "work", "title": "Work"}],
            "task": tasks,
        }
    )


@settings(max_examples=120, deadline=None)
@given(attempts())
def test_every_violation_is_redirected_or_reported(scenario: Scenario) -> None:
    cast = resolve_cast("product-team")
    events = Coordinator(build_plan(scenario, cast)).events()
    redirected = {e.task for e in events if e.kind == "redirect"}
    reported = {f.task for f in evaluate(events, [OWNERS_ONLY])}
    for task in scenario.task:
        if task.attempted_by and not cast.owns(task.attempted_by, task.capability):
            assert (task.id in redirected) != (task.id in reported), task.id  # exactly one of the two
    assert not redirected & reported
