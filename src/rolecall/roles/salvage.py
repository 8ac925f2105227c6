"""A stand-in for a persona file with wrong values, so its references are checked in the same run.

A cast is checked in two stages: each file's values (types, ids, required
keys), then what the files say of each other (``hand_to``, ``fallback``,
``hands_to``, owned capabilities), which needs validated personas. So a
persona file with one wrong value used to hide its wrong references until
the next run. Here each wrong value is set aside: an optional one is left
out, a required one gets a stand-in. The stand-in persona takes part in the
cast-wide checks, and what they say of the parts set aside is dropped.

A stand-in never reaches a :class:`~rolecall.roles.cast.Cast`: the file's
value problems are reported all the same. Others' references to a salvaged
persona are treated as to a file that failed to load (no "does not own"
guesses from a persona whose list of duties may be incomplete).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from rolecall._toml import TomlDocument, field_within
from rolecall.errors import InputError, Problem
from rolecall.roles.persona import Persona

__all__ = ["SetAsideProblem", "StandInDocument", "stand_in_persona"]

_ELEMENT = re.compile(r"^(owns|never)\[\d+\](?:\.[A-Za-z_][\w-]*)?")
_HEAD = re.compile(r"^[^.\[]+")
_NOWHERE = "set-aside"
"""The capability of a duty set aside: declared by no cast, so nothing is checked against it."""


class SetAsideProblem(Problem):
    """A problem the cast-wide checks found in a part of a file that was set aside: never reported."""


class StandInDocument(TomlDocument):
    """A persona file whose wrong values were set aside: problems about them come out as :class:`SetAsideProblem`."""

    def __init__(self, doc: TomlDocument, aside: frozenset[str]) -> None:
        super().__init__(doc.path, doc.text, doc.data)
        self.aside = aside

    def problem(self, message: str, field: str = "") -> Problem:
        if field_within(field, self.aside):
            return SetAsideProblem(self.path, message, field, self.line_of(field))
        return super().problem(message, field)


def stand_in_persona(
    doc: TomlDocument, stem: str, value_problems: Sequence[Problem]
) -> tuple[StandInDocument, Persona] | None:
    """The persona of ``doc`` with each value ``value_problems`` name set aside; ``None`` when it will not hold."""
    aside: set[str] = set()
    for problem in value_problems:
        if not problem.field or problem.path != doc.path:
            return None  # a problem of the whole file: nothing to lean on
        part = _ELEMENT.match(problem.field) or _HEAD.match(problem.field)
        if part is None:
            return None
        aside.add(part.group(0))
    try:
        persona = Persona.model_validate(_set_aside(doc.data, aside, stem))
        return StandInDocument(doc, frozenset(aside)), persona
    except (ValidationError, InputError, RecursionError):
        return None  # the stand-ins did not hold (a file name that is no id, say): the value problems are enough


def _set_aside(data: dict[str, Any], aside: set[str], stem: str) -> dict[str, Any]:
    repaired = {key: value for key, value in data.items() if key not in aside}
    stand_ins = {"id": stem, "name": "-", "title": "-", "handle": f"@{stem}-set-aside", "prose": {"role": "-"}}
    for key, value in stand_ins.items():
        repaired.setdefault(key, value)  # prose holds no reference: a wrong value in it sets all of it aside
    for name, required in (("owns", {"capability": _NOWHERE}), ("never", {"capability": _NOWHERE, "hand_to": stem})):
        items = repaired.get(name)
        if isinstance(items, list):
            repaired[name] = [_element(f"{name}[{i}]", raw, required, aside) for i, raw in enumerate(items)]
    return repaired


def _element(where: str, raw: Any, required: dict[str, str], aside: set[str]) -> dict[str, Any]:
    kept = {} if where in aside or not isinstance(raw, dict) else {
        k: v for k, v in raw.items() if f"{where}.{k}" not in aside
    }  # fmt: skip
    return {**required, **kept}
