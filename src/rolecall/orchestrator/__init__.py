"""Scenarios, planning and the coordinator that replays them into events.

Everything here works on values in memory. ``load_scenario`` and
``plan_file`` read files, so they live in the files layer
(:mod:`rolecall.files.scenarios`); they are re-exported here, on first use,
for code that imports them from this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports
from rolecall.orchestrator.coordinator import Coordinator
from rolecall.orchestrator.plan import Plan, build_plan
from rolecall.orchestrator.scenario import Scenario, Task

if TYPE_CHECKING:
    from rolecall.files.scenarios import load_scenario, plan_file

__all__ = [
    "Coordinator",
    "Plan",
    "Scenario",
    "Task",
    "build_plan",
    "load_scenario",
    "plan_file",
]

_FROM_FILES = ("load_scenario", "plan_file")


__getattr__ = lazy_exports("rolecall.orchestrator", dict.fromkeys(_FROM_FILES, "rolecall.files.scenarios"), globals())
