"""Values out of other tools' YAML, taken as people write them: never assuming a type is right."""

from __future__ import annotations

from typing import Any

from rolecall.interop.naming import collapse

__all__ = ["mapping", "strings", "text_value"]


def text_value(value: Any) -> str:
    """A scalar as one line of text; anything else (a list, a mapping, a boolean) as ``""``."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return collapse(str(value))
    return ""


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping (keys as text), else an empty one."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def strings(value: Any) -> list[str]:
    """A list of texts from a YAML list, or from a block of ``- item`` lines as some files write lists."""
    if isinstance(value, list):
        return [t for t in (text_value(v) for v in value) if t]
    if isinstance(value, str):
        items = [line.strip()[2:].strip() for line in value.split("\n") if line.strip().startswith("- ")]
        return items or ([text_value(value)] if text_value(value) else [])
    return []
