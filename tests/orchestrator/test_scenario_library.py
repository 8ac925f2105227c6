"""Every shipped scenario plans, replays, and emits only schema-valid events."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from rolecall.events import event_adapter, event_line
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.schemas import schema
from tests.conftest import SCENARIOS
from tests.orchestrator.helpers import run_finished

SHIPPED = sorted(SCENARIOS.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_event_validates(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(schema("event"))
    adapter = event_adapter()
    for event in Coordinator(plan_file(path)).events():
        line = event_line(event)
        assert adapter.validate_json(line) == event
        validator.validate(json.loads(line))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_has_a_header_comment(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# "), "each scenario opens with a paragraph saying what it demonstrates"


def test_boundary_violation_scenario() -> None:
    events = Coordinator(plan_file(SCENARIOS / "role-boundary-violation.toml")).events()
    violation = next(e for e in events if e.kind == "violation")
    redirect = next(e for e in events if e.kind == "redirect")
    assert violation.persona == "sam"
    assert (redirect.actor, redirect.to_persona) == ("kai", "morgan")
    done = next(e for e in events if e.kind == "task_finished" and e.task == violation.task)
    assert done.persona == "morgan"
    back = [e for e in events if e.kind == "handoff" and e.from_persona == "morgan" and e.to_persona == "sam"]
    assert back and back[0].at >= done.at


def test_authentication_times_match_the_source_claim() -> None:
    final = run_finished(Coordinator(plan_file(SCENARIOS / "authentication.toml")).events())
    assert final.sequential_time == 8 * 60
    assert final.makespan == 3 * 60


def test_no_go_scenario_is_blocked_naming_what_is_missing() -> None:
    events = Coordinator(plan_file(SCENARIOS / "prerequisites-no-go.toml")).events()
    assert run_finished(events).outcome == "blocked_at_gate"
    assert "STRIPE_SECRET_KEY" in run_finished(events).reason
    assert not [e for e in events if e.kind == "task_started"]
