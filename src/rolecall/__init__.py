"""rolecall: a multi-agent role-play simulator with a persona registry.

Declare a cast of role agents in TOML, replay scenarios through it
deterministically in virtual time, and review the resulting event stream.

Exports are loaded on first use, so ``rolecall roles list`` does not pay for
importing the coordinator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rolecall.errors import InputError, Problem, RolecallError, UsageError

if TYPE_CHECKING:
    from rolecall.events import Event
    from rolecall.orchestrator import Coordinator, Plan, Scenario, build_plan, plan_file
    from rolecall.roles import Cast, Persona, load_cast, resolve_cast, route

__version__ = "0.1.0"

__all__ = [
    "Cast",
    "Coordinator",
    "Event",
    "InputError",
    "Persona",
    "Plan",
    "Problem",
    "RolecallError",
    "Scenario",
    "UsageError",
    "__version__",
    "build_plan",
    "load_cast",
    "plan_file",
    "resolve_cast",
    "route",
]

_LAZY = {
    "Coordinator": "rolecall.orchestrator",
    "Event": "rolecall.events",
    "Plan": "rolecall.orchestrator",
    "Scenario": "rolecall.orchestrator",
    "build_plan": "rolecall.orchestrator",
    "plan_file": "rolecall.orchestrator",
    "Cast": "rolecall.roles",
    "Persona": "rolecall.roles",
    "load_cast": "rolecall.roles",
    "resolve_cast": "rolecall.roles",
    "route": "rolecall.roles",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rolecall' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
