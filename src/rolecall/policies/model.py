"""Policy files (``policies/*.toml``): the rules a cast must keep, as data.

Each ``[[rule]]`` has an ``id``, a ``kind`` (the discriminator), a
``severity`` and a ``message``. Persona and capability fields accept globs
(``*``, ``backend.*``). Rules are evaluated over an event stream, so the same
policy checks a replayed scenario and a saved ``events.jsonl``. A policy is
built from a parsed document here; reading a file is
:func:`rolecall.files.load_policy`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PrivateAttr, model_validator

from rolecall._model import FileModel, Glob, Identifier, Minutes, Text
from rolecall._toml import TomlDocument
from rolecall.errors import InputError, Problem

__all__ = [
    "BoundaryRule",
    "GateRule",
    "LimitRule",
    "OrderRule",
    "Policy",
    "RouteRule",
    "Rule",
    "policy_from_document",
]

_ROUTE = re.compile(r"^\s*([a-z0-9*?_\-]+)\s*->\s*([a-z0-9*?_\-]+)\s*$")


def _check_route(route: str) -> str:
    if not _ROUTE.match(route):
        raise ValueError(f"'{route}' is not a route; write 'from -> to' (persona ids or globs)")
    return route


RouteText = Annotated[str, AfterValidator(_check_route)]
"""``"sam -> morgan"``: each entry checked on its own, so every bad one is reported."""


class _RuleBase(FileModel):
    id: Identifier
    severity: Literal["error", "warning"] = "error"
    message: Text


class BoundaryRule(_RuleBase):
    """``persona`` must never perform work of ``capability`` (unless it owns it, with except_owners)."""

    kind: Literal["boundary"]
    persona: Glob = Field(description="Persona id or glob; '*' for everyone.")
    capability: Glob
    except_owners: bool = Field(default=False, description="Owners of the capability are allowed.")


class RouteRule(_RuleBase):
    """Handoffs may only travel along ``allow`` (an allow-list), and never along ``forbid``."""

    kind: Literal["route"]
    allow: tuple[RouteText, ...] = Field(default=(), description="'from -> to' pairs; globs allowed.")
    forbid: tuple[RouteText, ...] = ()

    @model_validator(mode="after")
    def _has_routes(self) -> RouteRule:
        if not (self.allow or self.forbid):
            raise ValueError("a route rule needs allow or forbid")
        return self

    def pairs(self, which: str) -> tuple[tuple[str, str], ...]:
        out = []
        for route in getattr(self, which):
            match = _ROUTE.match(route)
            assert match is not None
            out.append((match.group(1), match.group(2)))
        return tuple(out)


class GateRule(_RuleBase):
    """Before work of a phase or capability starts, the required work must have finished."""

    kind: Literal["gate"]
    before_phase: Identifier | None = None
    before_capability: Glob | None = None
    requires: tuple[Glob, ...] = Field(
        default=(), description="Capabilities whose tasks must all have finished (at least one each)."
    )
    requires_tasks: tuple[Identifier, ...] = ()
    requires_approval: tuple[Identifier, ...] = Field(default=(), description="Decision ids that must be approved.")
    requires_go: bool = Field(default=False, description="The prerequisites gate must have said GO.")

    @model_validator(mode="after")
    def _complete(self) -> GateRule:
        if (self.before_phase is None) == (self.before_capability is None):
            raise ValueError("a gate rule needs exactly one of before_phase or before_capability")
        if not (self.requires or self.requires_tasks or self.requires_approval or self.requires_go):
            raise ValueError("a gate rule needs requires, requires_tasks, requires_approval or requires_go")
        return self


class OrderRule(_RuleBase):
    """Work of ``capability`` must start after all ``after`` work finished and end before ``before`` starts.

    Only relative order is checked; that the work exists at all is a gate rule's ``requires``.
    """

    kind: Literal["order"]
    capability: Glob
    after: tuple[Glob, ...] = ()
    before: tuple[Glob, ...] = ()

    @model_validator(mode="after")
    def _bounded(self) -> OrderRule:
        if not (self.after or self.before):
            raise ValueError("an order rule needs after or before")
        return self


class LimitRule(_RuleBase):
    """Numeric limits on a run."""

    kind: Literal["limit"]
    max_redirects: int | None = Field(default=None, ge=0)
    max_ping_pong: int | None = Field(default=None, ge=0, description="A -> B -> A handoff returns allowed.")
    max_review_rounds: int | None = Field(default=None, ge=1, description="Review rounds per task.")
    max_makespan: Minutes | None = Field(
        default=None, description="Minutes, virtual in a replay and wall-clock in a live run: 90, '90m', '1h30m'."
    )

    @model_validator(mode="after")
    def _limits_something(self) -> LimitRule:
        # A limit rule with no limit would apply to a run and check nothing: a pass by mistake.
        if (self.max_redirects, self.max_ping_pong, self.max_review_rounds, self.max_makespan) == (None,) * 4:
            raise ValueError("a limit rule needs max_redirects, max_ping_pong, max_review_rounds or max_makespan")
        return self


Rule = Annotated[BoundaryRule | RouteRule | GateRule | OrderRule | LimitRule, Field(discriminator="kind")]


class Policy(FileModel):
    name: Identifier
    description: str = ""
    cast: Identifier | None = Field(default=None, description="Apply only to runs of this cast.")
    rule: tuple[Rule, ...] = Field(min_length=1)

    _doc: TomlDocument | None = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        """The file the policy was read from, for messages and reports."""
        return self._doc.path if self._doc is not None else None

    def problem(self, message: str, field: str = "") -> Problem:
        """A problem located in the policy's file when it came from one."""
        if self._doc is not None:
            return self._doc.problem(message, field)
        return Problem(None, f"policy '{self.name}': {message}", field)


def policy_from_document(doc: TomlDocument) -> Policy:
    """The policy a parsed document states; every problem (keys, types, duplicate rule ids) is raised together."""
    problems = _duplicate_ids(doc)
    try:
        policy = doc.validate(Policy)
    except InputError as exc:
        raise InputError([*exc.problems, *problems]) from None
    if problems:
        raise InputError(problems)
    policy._doc = doc
    return policy


def _duplicate_ids(doc: TomlDocument) -> list[Problem]:
    """Checked on the raw data, so a duplicate is reported even when another rule is malformed."""
    rules = doc.data.get("rule")
    if not isinstance(rules, list):
        return []
    seen: dict[str, int] = {}
    problems = []
    for i, rule in enumerate(rules):
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if not isinstance(rule_id, str):
            continue
        if rule_id in seen:
            problems.append(doc.problem(f"rule id '{rule_id}' is also used by rule[{seen[rule_id]}]", f"rule[{i}].id"))
        seen.setdefault(rule_id, i)
    return problems
