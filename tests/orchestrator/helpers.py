from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from rolecall.events import Event, RunFinished, RunStarted
from rolecall.orchestrator import Coordinator, build_plan
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles import resolve_cast

E = TypeVar("E")


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


def kinds(events: Sequence[Event], kind: type[E]) -> list[E]:
    """The events of one type, in stream order."""
    return [e for e in events if isinstance(e, kind)]


def run_started(events: Sequence[Event]) -> RunStarted:
    """The ``run_started`` event that opens a run."""
    first = events[0]
    assert isinstance(first, RunStarted)
    return first


def run_finished(events: Sequence[Event]) -> RunFinished:
    """The ``run_finished`` event that closes a run."""
    last = events[-1]
    assert isinstance(last, RunFinished)
    return last


def spans(events: list[Event]) -> dict[str, tuple[int, int, str]]:
    """task id -> (first start, finish, persona) for finished tasks."""
    out: dict[str, tuple[int, int, str]] = {}
    for e in events:
        if e.kind == "task_finished":
            out[e.task] = (e.started_at, e.at, e.persona)
    return out


def persona_file(
    pid: str,
    *,
    owns: tuple[str, ...] = (),
    never: dict[str, str] | None = None,
    fallback: tuple[str, ...] = (),
    kind: str = "specialist",
) -> dict[str, Any]:
    """One persona file of a small test cast: ``never`` maps a capability to its ``hand_to``."""
    return {
        "id": pid,
        "name": pid.title(),
        "title": f"{pid.title()} the {kind}",
        "handle": f"@{pid}",
        "kind": kind,
        "fallback": list(fallback),
        "prose": {"role": f"{pid} in a test cast"},
        "owns": [{"capability": c} for c in owns],
        "never": [{"capability": c, "hand_to": to} for c, to in (never or {}).items()],
    }


def write_cast(folder: Path, personas: list[dict[str, Any]], orchestrator: str = "lead") -> Path:
    """A cast folder whose capabilities are every capability the persona files name."""
    folder.mkdir(parents=True, exist_ok=True)
    capabilities: dict[str, None] = {}
    for p in personas:
        for entry in (*p["owns"], *p["never"]):
            capabilities[entry["capability"]] = None
    manifest = {
        "name": folder.name,
        "title": "Test cast",
        "description": "A small cast for tests",
        "orchestrator": orchestrator,
        "members": [p["id"] for p in personas],
        "capability": [{"id": c, "description": f"{c} work"} for c in capabilities],
    }
    (folder / "cast.toml").write_text(tomli_w.dumps(manifest), encoding="utf-8")
    for p in personas:
        (folder / f"{p['id']}.toml").write_text(tomli_w.dumps(p), encoding="utf-8")
    return folder
