"""Policy files (``policies/*.toml``): the rules a cast must keep, as data.

Each ``[[rule]]`` has an ``id``, a ``kind`` (the discriminator), a
``severity`` and a ``message``. Persona and capability fields accept globs
(``*``, ``backend.*``). Rules are evaluated over an event stream, so the same
policy checks a replayed scenario and a saved ``events.jsonl``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from rolecall._model import FileModel, Identifier, Text
from rolecall._toml import read_toml

__all__ = [
    "BoundaryRule",
    "GateRule",
    "LimitRule",
    "OrderRule",
    "Policy",
    "RouteRule",
    "Rule",
    "load_policy",
]

Glob = Annotated[str, Field(pattern=r"^[a-z0-9*?_.\-\[\]]+$", min_length=1)]
_ROUTE = re.compile(r"^\s*([a-z0-9*?_\-]+)\s*->\s*([a-z0-9*?_\-]+)\s*$")


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
    allow: tuple[str, ...] = Field(default=(), description="'from -> to' pairs; globs allowed.")
    forbid: tuple[str, ...] = ()

    @field_validator("allow", "forbid")
    @classmethod
    def _routes(cls, routes: tuple[str, ...]) -> tuple[str, ...]:
        for route in routes:
            if not _ROUTE.match(route):
                raise ValueError(f"'{route}' is not a route; write 'from -> to' (persona ids or globs)")
        return routes

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


class OrderRule(_RuleBase):
    """Work of ``capability`` must start after all ``after`` work finished and end before ``before`` starts.

    Only relative order is checked; that the work exists at all is a gate rule's ``requires``.
    """

    kind: Literal["order"]
    capability: Glob
    after: tuple[Glob, ...] = ()
    before: tuple[Glob, ...] = ()


class LimitRule(_RuleBase):
    """Numeric limits on a run."""

    kind: Literal["limit"]
    max_redirects: int | None = Field(default=None, ge=0)
    max_ping_pong: int | None = Field(default=None, ge=0, description="A -> B -> A handoff returns allowed.")
    max_review_rounds: int | None = Field(default=None, ge=1, description="Review rounds per task.")
    max_makespan: int | None = Field(default=None, ge=0, description="Virtual minutes.")


Rule = Annotated[BoundaryRule | RouteRule | GateRule | OrderRule | LimitRule, Field(discriminator="kind")]


class Policy(FileModel):
    name: Identifier
    description: str = ""
    cast: Identifier | None = Field(default=None, description="Apply only to runs of this cast.")
    rule: tuple[Rule, ...] = Field(min_length=1)


def load_policy(path: Path) -> Policy:
    """Read a policy file; every problem (syntax, keys, duplicate rule ids) raises together."""
    from rolecall.errors import InputError

    doc = read_toml(path)
    policy = doc.validate(Policy)
    seen: dict[str, int] = {}
    problems = []
    for i, rule in enumerate(policy.rule):
        if rule.id in seen:
            problems.append(doc.problem(f"rule id '{rule.id}' is also used by rule[{seen[rule.id]}]", f"rule[{i}].id"))
        seen.setdefault(rule.id, i)
        if isinstance(rule, GateRule) and (rule.before_phase is None) == (rule.before_capability is None):
            problems.append(
                doc.problem("a gate rule needs exactly one of before_phase or before_capability", f"rule[{i}]")
            )
        if isinstance(rule, GateRule) and not (
            rule.requires or rule.requires_tasks or rule.requires_approval or rule.requires_go
        ):
            problems.append(
                doc.problem(
                    "a gate rule needs requires, requires_tasks, requires_approval or requires_go", f"rule[{i}]"
                )
            )
        if isinstance(rule, RouteRule) and not (rule.allow or rule.forbid):
            problems.append(doc.problem("a route rule needs allow or forbid", f"rule[{i}]"))
        if isinstance(rule, OrderRule) and not (rule.after or rule.before):
            problems.append(doc.problem("an order rule needs after or before", f"rule[{i}]"))
    if problems:
        raise InputError(problems)
    return policy
