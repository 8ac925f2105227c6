"""The reference problems of a scenario whose values are wrong, so an author fixes a file in one pass.

Checking runs in two stages: values (types, ids, durations), then references
(tasks, phases, personas, capabilities, decisions), which need a validated
scenario. So a file with a wrong value used to hide its wrong references until
the next run. Here each wrong value is set aside: an optional one is left out,
a required one (an id, a phase, a capability, ...) gets a stand-in. The
stand-in scenario is checked, and the problems of what was set aside are
dropped. Anything odd (no cast to check against, a list that is not one) gives
up quietly: the value problems are reported all the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rolecall._model import IDENTIFIER_PATTERN
from rolecall._toml import TomlDocument, field_within
from rolecall.errors import InputError, Problem, UsageError
from rolecall.orchestrator.plan import build_plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles.cast import Cast
from rolecall.roles.registry import resolve_cast

__all__ = ["reference_problems"]

_FIELD = re.compile(r"^(?:(phase|task|checkin)\[(\d+)\](?:\.([a-z_A-Z0-9-]+))?|([a-zA-Z_][\w-]*))")
_ID = re.compile(IDENTIFIER_PATTERN)
_REQUIRED_TOP = {"name": "scenario", "title": "-", "request": "-"}
_Standins = dict[str, Callable[[int, str], Any]]
_REQUIRED: dict[str, _Standins] = {
    "phase": {"id": lambda i, _: f"invalid-phase-{i}", "title": lambda i, _: "-"},
    "task": {
        "id": lambda i, _: f"invalid-task-{i}",
        "phase": lambda i, first_phase: first_phase,
        "capability": lambda i, _: "invalid",
        "summary": lambda i, _: "-",
        "expected_time": lambda i, _: 0,
    },
    "checkin": {"after": lambda i, first_phase: first_phase},
}


def reference_problems(
    doc: TomlDocument, path: Path, cast: Cast | None, value_problems: Sequence[Problem]
) -> list[Problem]:
    """Reference problems of the parts of ``doc`` that ``value_problems`` do not concern."""
    aside: set[str] = set()
    for problem in value_problems:
        match = _FIELD.match(problem.field)
        if match is None:
            return []  # a problem of the whole file: nothing to lean on
        aside.add(match.group(0))
    if aside & {"cast", "phase", "task", "checkin"}:
        return []  # no cast to check against, or a list that is not one
    try:
        scenario = Scenario.model_validate(_set_aside(doc.data, aside))
        if cast is None:
            cast = resolve_cast(scenario.cast, relative_to=path.parent)
        build_plan(scenario, cast, doc)
    except InputError as exc:
        return [p for p in exc.problems if _kept(p.field, aside)]
    except (ValidationError, UsageError, RecursionError):
        return []  # the stand-ins did not hold: the value problems are enough
    return []


def _set_aside(data: dict[str, Any], aside: set[str]) -> dict[str, Any]:
    repaired = {key: value for key, value in data.items() if key not in aside}
    repaired.update({key: default for key, default in _REQUIRED_TOP.items() if key in aside})
    phases = data.get("phase")
    ids = [p["id"] for p in phases if isinstance(p, dict) and _is_id(p.get("id"))] if isinstance(phases, list) else []
    first_phase = ids[0] if ids else "phase"
    for name, required in _REQUIRED.items():
        items = data.get(name)
        if isinstance(items, list):
            repaired[name] = [
                _element(f"{name}[{i}]", i, raw, required, aside, first_phase) for i, raw in enumerate(items)
            ]
    return repaired


def _element(where: str, i: int, raw: Any, required: _Standins, aside: set[str], first_phase: str) -> Any:
    whole = where in aside or not isinstance(raw, dict)
    element = {} if whole else {k: v for k, v in raw.items() if f"{where}.{k}" not in aside}
    for key, stand_in in required.items():
        if key not in element:
            element[key] = stand_in(i, first_phase)
    return element


def _is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 64 and _ID.match(value) is not None


def _kept(field: str, aside: set[str]) -> bool:
    """A problem of something that was right; an only_if may name a decision set aside."""
    if field_within(field, aside):
        return False
    return not (field.endswith(".only_if") and any(a.startswith("checkin[") for a in aside))
