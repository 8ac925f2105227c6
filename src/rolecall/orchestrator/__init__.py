"""Scenarios, planning and the coordinator that replays them into events."""

from rolecall.orchestrator.coordinator import Coordinator
from rolecall.orchestrator.plan import Plan, build_plan, load_scenario, plan_file
from rolecall.orchestrator.scenario import Scenario, Task

__all__ = [
    "Coordinator",
    "Plan",
    "Scenario",
    "Task",
    "build_plan",
    "load_scenario",
    "plan_file",
]
