"""JSON Schemas of rolecall's file formats, generated from the models.

The same schemas are published under ``schemas/`` in the repository; a test
keeps the published files equal to what this module generates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

__all__ = ["SCHEMA_NAMES", "schema", "schema_json"]


def _persona() -> type[BaseModel]:
    from rolecall.roles.persona import Persona

    return Persona


def _cast() -> type[BaseModel]:
    from rolecall.roles.catalogue import CastManifest

    return CastManifest


_MODELS: dict[str, Callable[[], Any]] = {
    "persona": _persona,
    "cast": _cast,
}

SCHEMA_NAMES: tuple[str, ...] = tuple(_MODELS)


def schema(name: str) -> dict[str, Any]:
    target = _MODELS[name]()
    if isinstance(target, type) and issubclass(target, BaseModel):
        result: dict[str, Any] = target.model_json_schema()
    else:
        result = target.json_schema()
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["$id"] = f"https://rolecall.dev/schemas/{name}.schema.json"
    return result


def schema_json(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
