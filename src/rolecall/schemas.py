"""JSON Schemas of rolecall's file formats, generated from the models.

The same schemas are published under ``schemas/`` in the repository; a test
keeps the published files equal to what this module generates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only for annotations: building the CLI parser imports this module for SCHEMA_NAMES.
    from pydantic import BaseModel

__all__ = ["SCHEMA_NAMES", "publish", "schema", "schema_json"]


def _persona() -> type[BaseModel]:
    from rolecall.roles.persona import Persona

    return Persona


def _cast() -> type[BaseModel]:
    from rolecall.roles.catalogue import CastManifest

    return CastManifest


def _scenario() -> type[BaseModel]:
    from rolecall.orchestrator.scenario import Scenario

    return Scenario


def _event() -> Any:
    from rolecall.events import event_adapter

    return event_adapter()


def _policy() -> type[BaseModel]:
    from rolecall.policies.model import Policy

    return Policy


def _agents() -> type[BaseModel]:
    from rolecall.live.agents import AgentsFile

    return AgentsFile


_MODELS: dict[str, Callable[[], Any]] = {
    "persona": _persona,
    "cast": _cast,
    "scenario": _scenario,
    "event": _event,
    "policy": _policy,
    "agents": _agents,
}

SCHEMA_NAMES: tuple[str, ...] = tuple(_MODELS)


def schema(name: str) -> dict[str, Any]:
    target = _MODELS[name]()
    from pydantic import BaseModel

    if isinstance(target, type) and issubclass(target, BaseModel):
        result: dict[str, Any] = target.model_json_schema()
    else:
        result = target.json_schema()
    result.setdefault("title", name.capitalize())
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["$id"] = f"https://rolecall.dev/schemas/{name}.schema.json"
    return result


def publish(folder: Path) -> list[Path]:
    """Write every schema to ``folder/<name>.schema.json`` (atomically); return the paths."""
    from rolecall.files import write_text_atomic

    written = []
    for name in SCHEMA_NAMES:
        path = folder / f"{name}.schema.json"
        write_text_atomic(path, schema_json(name))
        written.append(path)
    return written


def schema_json(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
