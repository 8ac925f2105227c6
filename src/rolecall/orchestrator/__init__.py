"""Scenarios, planning and the coordinator that replays them into events."""

from rolecall.orchestrator.coordinator import Coordinator
from rolecall.orchestrator.events import Event, RunFinished, event_adapter
from rolecall.orchestrator.plan import Plan, build_plan, load_scenario, plan_file
from rolecall.orchestrator.scenario import Scenario, Task

__all__ = [
    "Coordinator",
    "Event",
    "Plan",
    "RunFinished",
    "Scenario",
    "Task",
    "build_plan",
    "event_adapter",
    "load_scenario",
    "plan_file",
]
