"""A policy checked against the cast it is applied to: a rule that names nobody never fires.

A misspelt persona (``prya``) or a capability pattern that matches nothing
(``schedulng.*``) would make a rule silently inert, and the run would pass.
Such a policy is bad input: every unknown name is reported with its file,
line, field and nearest match, before any verdict is given.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from fnmatch import fnmatchcase

from rolecall._messages import did_you_mean
from rolecall.errors import Problem
from rolecall.policies.model import BoundaryRule, GateRule, OrderRule, Policy, RouteRule

__all__ = ["cast_problems", "run_problems"]

_WILDCARDS = frozenset("*?[")


def cast_problems(policy: Policy, cast: str, personas: Collection[str], capabilities: Collection[str]) -> list[Problem]:
    """Every persona and capability a policy names that the cast lacks."""
    problems: list[Problem] = []
    for field, pattern, what in _names(policy):
        known = personas if what == "persona" else capabilities
        if any(fnmatchcase(name, pattern) for name in known):
            continue
        if _WILDCARDS & set(pattern):
            message = f"{what} pattern '{pattern}' matches no {what} of cast '{cast}'"
        else:
            message = f"no {what} '{pattern}' in cast '{cast}'"
        problems.append(policy.problem(message + (did_you_mean(pattern, sorted(known)) or ""), field))
    return problems


def _names(policy: Policy) -> Iterator[tuple[str, str, str]]:
    """``(field, pattern, 'persona' | 'capability')`` for every name a rule uses."""
    for i, rule in enumerate(policy.rule):
        where = f"rule[{i}]"
        if isinstance(rule, BoundaryRule):
            yield f"{where}.persona", rule.persona, "persona"
            yield f"{where}.capability", rule.capability, "capability"
        elif isinstance(rule, RouteRule):
            for key in ("allow", "forbid"):
                for j, (a, b) in enumerate(rule.pairs(key)):
                    yield f"{where}.{key}[{j}]", a, "persona"
                    yield f"{where}.{key}[{j}]", b, "persona"
        elif isinstance(rule, GateRule):
            if rule.before_capability is not None:
                yield f"{where}.before_capability", rule.before_capability, "capability"
            for j, pattern in enumerate(rule.requires):
                yield f"{where}.requires[{j}]", pattern, "capability"
        elif isinstance(rule, OrderRule):
            yield f"{where}.capability", rule.capability, "capability"
            for key in ("after", "before"):
                for j, pattern in enumerate(getattr(rule, key)):
                    yield f"{where}.{key}[{j}]", pattern, "capability"


def run_problems(policy: Policy, phases: Collection[str], tasks: Collection[str]) -> list[Problem]:
    """Phase and task ids a gate rule names that this run lacks but nearly has: typos.

    Phases and tasks belong to scenarios, so a policy for a whole cast may name a
    phase one scenario does not have; that only makes the rule idle there. A name
    within a typo of one the run does have is reported instead, since the rule was
    surely meant for it and would otherwise never fire.
    """
    problems: list[Problem] = []
    for i, rule in enumerate(policy.rule):
        if not isinstance(rule, GateRule):
            continue
        names = [(f"rule[{i}].before_phase", rule.before_phase, phases, "phase")]
        names += [(f"rule[{i}].requires_tasks[{j}]", t, tasks, "task") for j, t in enumerate(rule.requires_tasks)]
        for field, name, known, what in names:
            if name is None or name in known:
                continue
            hint = did_you_mean(name, sorted(known))
            if hint:
                problems.append(policy.problem(f"no {what} '{name}' in this run{hint}", field))
    return problems
