"""The base of every model read from or written to a file, and the constrained strings ids are made of."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import CoreSchema

from rolecall.events.ids import (
    CAPABILITY_PATTERN,
    DECISION_OPTION_PATTERN,
    GLOB_PATTERN,
    HANDLE_PATTERN,
    IDENTIFIER_PATTERN,
    CapabilityId,
    Handle,
    Identifier,
)

__all__ = [
    "CAPABILITY_PATTERN",
    "DECISION_OPTION_PATTERN",
    "GLOB_PATTERN",
    "HANDLE_PATTERN",
    "IDENTIFIER_PATTERN",
    "PATTERN_HINTS",
    "CapabilityId",
    "FileModel",
    "Glob",
    "Handle",
    "Identifier",
    "Minutes",
    "Text",
    "duration_in_seconds",
    "parse_minutes",
]


def _lax_tuples(node: object) -> None:
    """Mark every tuple schema under ``node`` lax: its items keep the strictness they have."""
    if isinstance(node, dict):
        if node.get("type") == "tuple":
            node["strict"] = False
        for value in node.values():
            _lax_tuples(value)
    elif isinstance(node, list):
        for value in node:
            _lax_tuples(value)


class FileModel(BaseModel):
    """Frozen, strict about keys and strict about types.

    A typo in a key is an error, not silence; and a value is never coerced:
    ``"no"`` is not a boolean and ``1.0`` is not a count, because a silent
    coercion can switch off a check the user meant to keep. A list is the one
    conversion made (to a tuple, the frozen form), since TOML and JSON have no
    other way to write a sequence: every tuple in a model's schema is lax
    about its container and strict about its items, so the data a TOML parser
    returns validates as it is, without a copy made first.
    """

    # defer_build: a model's validator is built when first used, so a command builds only its own.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, str_strip_whitespace=False, defer_build=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type[BaseModel], handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        _lax_tuples(schema)
        return schema


PATTERN_HINTS: dict[str, str] = {
    IDENTIFIER_PATTERN: "an id: lower-case letters, digits, '-' and '_', starting with a letter or digit",
    CAPABILITY_PATTERN: "a capability id: dot-separated lower-case words such as 'backend.server-actions'",
    HANDLE_PATTERN: "a handle: '@' then lower-case letters, digits, '-' and '_', such as '@backend'",
    GLOB_PATTERN: "a persona or capability id, or a glob of one ('*', 'backend.*')",
    DECISION_OPTION_PATTERN: "'decision.option', the ids of a decision and one of its options",
}
"""What each pattern means, in words, for error messages (a raw regular expression helps nobody)."""

Glob = Annotated[str, StringConstraints(pattern=GLOB_PATTERN, min_length=1, max_length=128)]
"""A persona or capability id, or a shell-style glob of one."""

Text = Annotated[str, StringConstraints(min_length=1)]


_DURATION = re.compile(r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:ute)?s?)?)?\s*$")


def parse_minutes(value: object) -> object:
    """Accept ``90``, ``"90"``, ``"90m"``, ``"1h30m"``, ``"1.5h"``; leave anything else to pydantic."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a duration; write minutes (45) or '45m', '2h', '1h30m'")
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isascii() and text.isdigit():
            return int(text)
        match = _DURATION.match(text)
        if not text or not match or not (match.group("h") or match.group("m")):
            raise ValueError(f"'{value}' is not a duration; write minutes (45) or '45m', '2h', '1h30m'")
        hours = float(match.group("h") or 0)
        minutes = hours * 60 + int(match.group("m") or 0)
        if minutes != int(minutes):
            raise ValueError(f"'{value}' is not a whole number of minutes")
        return int(minutes)
    return value


_SECONDS = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?"
    r"\s*(?:(?P<s>\d+)\s*s(?:ec(?:ond)?s?)?)?\s*$"
)


def duration_in_seconds(value: object) -> object:
    """``"1.5h"``, ``"5m"``, ``"2m30s"``, ``"45s"`` or ``"45"`` as whole seconds; anything else as it was.

    For a scenario on the seconds clock (a frozen live run), whose durations are
    seconds: a duration written with its unit means that span, not that many
    seconds. What does not parse is left for the field's own check to refuse.
    """
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if text.isascii() and text.isdigit():
        return int(text)
    match = _SECONDS.match(text)
    if not text or not match or not any(match.group(unit) for unit in "hms"):
        return value
    seconds = float(match.group("h") or 0) * 3600 + float(match.group("m") or 0) * 60 + int(match.group("s") or 0)
    return int(seconds) if seconds == int(seconds) else value


MAX_MINUTES = 10_000_000

# What parse_minutes accepts, for JSON Schema (no flags there: the letters carry both cases):
# a number in quotes, or hours ("1.5h", "2 hours") and/or minutes ("30m", "30 mins").
_H = r"\d+(\.\d+)?\s*[hH]([oO][uU][rR][sS]?|[rR][sS]?)?"
_M = r"\d+\s*[mM]([iI][nN]([uU][tT][eE])?[sS]?)?"
_DURATION_SCHEMA_PATTERN = rf"^\s*(\d+|{_H}(\s*{_M})?|{_M})\s*$"

Minutes = Annotated[
    int,
    # Bounds first: they then live in the core schema, not in a Python call per value.
    Field(ge=0, le=MAX_MINUTES),
    BeforeValidator(parse_minutes),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_MINUTES},
                {"type": "string", "pattern": _DURATION_SCHEMA_PATTERN},
            ],
            "description": "Virtual minutes: 45, '45m', '2h', '1h30m' or '1.5h'.",
        }
    ),
]
"""A duration in virtual minutes, written the same way in every file (tasks, expectations, policies)."""
