"""Reading scenario files and planning them against the cast each one names."""

from __future__ import annotations

import re
from pathlib import Path

from rolecall._toml import TomlDocument, parse_toml, read_toml
from rolecall.errors import InputError, UsageError
from rolecall.files.casts import has_manifest
from rolecall.files.reading import read_text
from rolecall.orchestrator.plan import Plan, build_plan
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles.cast import Cast
from rolecall.roles.loader import MANIFEST_NAME
from rolecall.roles.registry import cast_folder, resolve_cast

__all__ = ["load_scenario", "looks_like_scenario", "plan_file"]


def load_scenario(path: Path) -> tuple[Scenario, TomlDocument]:
    """The scenario at ``path`` and its document (for the line of each later problem)."""
    doc = read_toml(path)
    return doc.validate(Scenario), doc


def plan_file(path: Path, cast: Cast | None = None) -> Plan:
    """Load, check and plan the scenario at ``path`` (its own cast unless one is given).

    A file with wrong values is reported with the reference problems of its
    other parts too (:mod:`rolecall.files.salvage`), so it is fixed in one pass.
    """
    doc = read_toml(path)
    try:
        scenario = doc.validate(Scenario)
    except InputError as exc:
        from rolecall.files.salvage import reference_problems

        more = reference_problems(doc, path, cast, exc.problems)
        raise InputError([*exc.problems, *more]) from None
    if cast is None:
        try:
            folder = cast_folder(scenario.cast, relative_to=path.parent)
            if not has_manifest(folder):
                # The scenario names a cast that is not there: the scenario's line is the one to fix.
                raise UsageError(f"cast '{scenario.cast}': no cast folder with {MANIFEST_NAME} at {folder}")
            cast = resolve_cast(scenario.cast, relative_to=path.parent)
        except UsageError as exc:
            raise InputError([doc.problem(str(exc), "cast")]) from None
    return build_plan(scenario, cast, doc)


_SCENARIO_KEYS = frozenset({"task", "phase", "tasks", "phases"})
"""Top-level keys that make a TOML file a scenario; the plurals are typos that must fail, not vanish."""
_MENTIONS = re.compile(r"^[ \t]*(?:\[\[?[ \t]*(?:task|phase)s?[ \t]*[\].]|(?:task|phase)s?[ \t]*=)", re.MULTILINE)


def looks_like_scenario(path: Path) -> bool:
    """Whether a TOML file is a scenario: it has tasks or phases (casts, policies and pyproject.toml do not).

    A file that does not parse counts when its text declares tasks or phases,
    so a broken scenario is checked, and fails, instead of being passed over.
    """
    try:
        text = read_text(path, what="TOML file")
    except InputError:
        return False
    try:
        keys = parse_toml(text, path).top_level
    except InputError:
        return _MENTIONS.search(text) is not None
    return not _SCENARIO_KEYS.isdisjoint(keys)
