"""Reading policy files, and finding the ones ``rolecall check`` uses by default."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rolecall._resources import shipped_dir
from rolecall._toml import read_toml
from rolecall.errors import InputError, Problem
from rolecall.files.reading import is_dir
from rolecall.policies.model import Policy, policy_from_document

__all__ = ["default_policies", "load_policies", "load_policy"]


def load_policy(path: Path) -> Policy:
    """Read a policy file; every problem (syntax, keys, types, duplicate rule ids) is raised together."""
    return policy_from_document(read_toml(path))


def load_policies(paths: Iterable[Path]) -> list[Policy]:
    """Every policy file of ``paths``; the problems of all of them are raised together."""
    policies: list[Policy] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            policies.append(load_policy(path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return policies


def default_policies(cwd: Path | None = None) -> list[Path]:
    """``./policies/*.toml`` when the working folder has one (as for ``./scenarios``), else the shipped ones.

    Each policy applies only to runs of the cast it names.
    """
    local = cwd / "policies" if cwd is not None else Path("policies")  # relative: shown as the user wrote it
    folder = local if is_dir(local) else shipped_dir("policies")
    return sorted(folder.glob("*.toml"))
