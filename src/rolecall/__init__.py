"""rolecall: a multi-agent role-play simulator with a persona registry.

Declare a cast of role agents in TOML, replay scenarios through it
deterministically in virtual time, and review the resulting event stream.

From Python, :func:`replay` runs a scenario and :func:`check` checks runs
against policies and expectations, on files or on values built in memory;
the command line and the pytest plugin are built on them.

Exports are loaded on first use, so ``rolecall roles list`` does not pay for
importing the coordinator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rolecall.errors import InputError, Problem, RolecallError, UsageError

if TYPE_CHECKING:
    from rolecall.api import Replay, check, replay
    from rolecall.events import Event
    from rolecall.files import load_cast, plan_file
    from rolecall.orchestrator import Coordinator, Plan, Scenario, build_plan
    from rolecall.policies import Policy
    from rolecall.policies.check import CheckResult
    from rolecall.roles import Cast, Persona, resolve_cast, route

__version__ = "0.1.0"

__all__ = [
    "Cast",
    "CheckResult",
    "Coordinator",
    "Event",
    "InputError",
    "Persona",
    "Plan",
    "Policy",
    "Problem",
    "Replay",
    "RolecallError",
    "Scenario",
    "UsageError",
    "__version__",
    "build_plan",
    "check",
    "load_cast",
    "plan_file",
    "replay",
    "resolve_cast",
    "route",
]

_LAZY = {
    "Replay": "rolecall.api",
    "check": "rolecall.api",
    "replay": "rolecall.api",
    "Coordinator": "rolecall.orchestrator",
    "Event": "rolecall.events",
    "Plan": "rolecall.orchestrator",
    "Scenario": "rolecall.orchestrator",
    "build_plan": "rolecall.orchestrator",
    "load_cast": "rolecall.files",
    "plan_file": "rolecall.files",
    "Policy": "rolecall.policies",
    "CheckResult": "rolecall.policies.check",
    "Cast": "rolecall.roles",
    "Persona": "rolecall.roles",
    "resolve_cast": "rolecall.roles",
    "route": "rolecall.roles",
}


def __getattr__(name: str) -> Any:
    # Written out rather than rolecall._lazy: importing the package must load no other module.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rolecall' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
