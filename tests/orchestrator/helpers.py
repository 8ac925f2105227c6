from __future__ import annotations

from typing import Any

from rolecall.orchestrator import Coordinator, Event, build_plan
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles import resolve_cast


def scenario(tasks: list[dict[str, Any]], **extra: Any) -> Scenario:
    """A small product-team scenario: one parallel phase unless ``phase`` is given."""
    data: dict[str, Any] = {
        "name": "t",
        "title": "Test",
        "request": "test",
        "phase": [{"id": "work", "title": "Work"}],
        "task": [{"phase": "work", "summary": t.get("id", "task"), "expected_time": 10, **t} for t in tasks],
    }
    data.update(extra)
    return Scenario.model_validate(data)


def plan_of(tasks: list[dict[str, Any]], cast: str = "product-team", **extra: Any) -> Plan:
    return build_plan(scenario(tasks, **extra), resolve_cast(cast))


def run(tasks: list[dict[str, Any]], cast: str = "product-team", **extra: Any) -> list[Event]:
    return Coordinator(plan_of(tasks, cast, **extra)).events()


def kinds(events: list[Event], kind: str) -> list[Any]:
    return [e for e in events if e.kind == kind]


def spans(events: list[Event]) -> dict[str, tuple[int, int, str]]:
    """task id -> (first start, finish, persona) for finished tasks."""
    out: dict[str, tuple[int, int, str]] = {}
    for e in events:
        if e.kind == "task_finished":
            out[e.task] = (e.started_at, e.at, e.persona)
    return out
