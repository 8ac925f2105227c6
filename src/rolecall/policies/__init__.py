"""Policies: the rules a cast must keep, evaluated over event streams.

Everything here works on values in memory. ``load_policy`` reads a file, so
it lives in the files layer (:func:`rolecall.files.load_policy`); it is
re-exported here, on first use, for code that imports it from this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports
from rolecall.policies.evaluate import PolicyEvaluator, evaluate
from rolecall.policies.expect import Expectation, ExpectationTracker
from rolecall.policies.finding import Finding
from rolecall.policies.model import (
    BoundaryRule,
    GateRule,
    LimitRule,
    OrderRule,
    Policy,
    RouteRule,
    Rule,
    policy_from_document,
)

if TYPE_CHECKING:
    from rolecall.files.policies import load_policy

__all__ = [
    "BoundaryRule",
    "Expectation",
    "ExpectationTracker",
    "Finding",
    "GateRule",
    "LimitRule",
    "OrderRule",
    "Policy",
    "PolicyEvaluator",
    "RouteRule",
    "Rule",
    "evaluate",
    "load_policy",
    "policy_from_document",
]


__getattr__ = lazy_exports("rolecall.policies", {"load_policy": "rolecall.files.policies"}, globals())
