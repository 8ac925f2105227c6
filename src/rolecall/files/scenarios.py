"""Reading scenario files and planning them against the cast each one names."""

from __future__ import annotations

from pathlib import Path

from rolecall._toml import TomlDocument, read_toml
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
    """Load, check and plan the scenario at ``path`` (its own cast unless one is given)."""
    scenario, doc = load_scenario(path)
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


def looks_like_scenario(path: Path) -> bool:
    """Whether a TOML file holds phases and tasks: casts, policies and pyproject.toml live beside scenarios."""
    try:
        text = read_text(path, what="TOML file")
    except InputError:
        return False
    return "[[task]]" in text and "[[phase]]" in text
