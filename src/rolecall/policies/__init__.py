"""Policies: the rules a cast must keep, evaluated over event streams."""

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
    load_policy,
)

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
]
