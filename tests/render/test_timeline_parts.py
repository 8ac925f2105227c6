"""The parts behind the timeline and the critical-path advice: lanes and ties."""

from __future__ import annotations

from rolecall import events as ev
from rolecall.render.critical import PhaseLinks, critical_ties
from rolecall.render.lanes import Lanes
from tests.conftest import SCENARIOS
from tests.orchestrator.helpers import run_started
from tests.render.runs import events_of


def test_an_activity_takes_the_lowest_lane_free_at_its_start() -> None:
    lanes = Lanes()
    assert [lanes.place("kai", 0, 60), lanes.place("kai", 0, 30), lanes.place("kai", 10, 20)] == [0, 1, 2]
    assert lanes.place("kai", 30, 40) == 1  # lane 1 ended at 30; lane 2 at 20 is free too, 1 is lower
    assert lanes.place("kai", 60, 70) == 0
    assert lanes.place("sam", 0, 10) == 0
    assert (lanes.used("kai"), lanes.used("sam"), lanes.used("nobody")) == (3, 1, 0)


def _ties(scenario: str, only_phase_events: bool = False) -> dict[str, list[str]]:
    events = events_of(SCENARIOS / f"{scenario}.toml")
    links = PhaseLinks()
    phase_kinds = (ev.PhaseFinished, ev.PhaseStarted, ev.PhaseGateOpened, ev.CheckInHeld, ev.DecisionMade)
    for event in events:
        if not only_phase_events or isinstance(event, phase_kinds):
            links(event)
    start = events[0]
    assert isinstance(start, ev.RunStarted)
    ties = critical_ties(start, links)
    assert ties.rivals is not None
    return {t.id: [r.id for r in rivals] for t, rivals in zip(ties.path, ties.rivals, strict=True)}


def test_ties_are_the_tasks_without_slack_beside_a_critical_task() -> None:
    ties = _ties("user-management")
    assert ties["clarify-requirements"] == ["assess-feasibility", "map-user-flows"]
    assert ties["write-prd"] == ["design-architecture", "design-rbac"]
    assert ties["schema-migrations"] == [] and ties["deploy-user-management"] == []
    assert list(ties) == [t.id for t in run_started(events_of(SCENARIOS / "user-management.toml")).plan if t.critical]


def test_phase_links_read_the_same_from_all_events_or_the_phase_events_alone() -> None:
    for scenario in ("stripe-subscription", "inventory-alerts", "authentication"):
        assert _ties(scenario) == _ties(scenario, only_phase_events=True)
