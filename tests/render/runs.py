"""Small scenario files for the view tests, written where a test wants them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from rolecall.events import Event
from rolecall.orchestrator import Coordinator, plan_file


def scenario_file(folder: Path, tasks: list[dict[str, Any]], *, name: str = "small", **extra: Any) -> Path:
    """A scenario with one parallel phase (unless ``phase`` is given), on the model-tiers cast by default."""
    data: dict[str, Any] = {
        "name": name,
        "title": "Small run",
        "request": "a small request",
        "cast": "model-tiers",
        "phase": [{"id": "work", "title": "Work"}],
    }
    data.update(extra)
    data["task"] = [{"phase": "work", "summary": f"Do {t['id']}", "expected_time": "1h", **t} for t in tasks]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def events_of(path: Path) -> list[Event]:
    return Coordinator(plan_file(path)).events()


def two_at_once(folder: Path) -> Path:
    """The local model (capacity 4) runs two 1h tasks at once, then a 30m one: a 1h 30m run."""
    return scenario_file(
        folder,
        [
            {"id": "bulk-a", "capability": "code.bulk-generate"},
            {"id": "bulk-b", "capability": "code.bulk-generate"},
            {"id": "bulk-c", "capability": "code.bulk-generate", "expected_time": "30m", "depends_on": ["bulk-a"]},
        ],
        name="two-at-once",
    )


def failing(folder: Path, fails: int) -> Path:
    """A 30m task that fails ``fails`` times beside a 3h one: up to 3 failures leave the makespan at 3h."""
    return scenario_file(
        folder,
        [
            {"id": "impl", "capability": "code.implement", "fails": fails, "expected_time": "30m"},
            {"id": "plan", "capability": "design.plan", "expected_time": "3h"},
        ],
        name=f"failing-{fails}",
    )
