"""What every import returns, and the last step they share: naming the cast and finishing the draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolecall.interop.draft import BuiltCast, CastDraft
from rolecall.interop.naming import humanize
from rolecall.interop.report import ImportReport
from rolecall.interop.roundtrip import ExportedCast

__all__ = ["ImportOptions", "Imported", "finish_import"]


@dataclass(frozen=True)
class ImportOptions:
    """``default_name`` is used unless ``name`` is given or the files are one exported cast."""

    default_name: str
    source: str
    name: str | None = None
    orchestrator: str | None = None


@dataclass(frozen=True)
class Imported:
    """The cast (None when no file held a persona), the per-file report and, for CrewAI, a scenario."""

    fmt: str
    source: str
    cast: BuiltCast | None
    report: ImportReport
    scenario: dict[str, Any] | None = None
    scenario_notes: tuple[str, ...] = field(default=())

    @property
    def origin(self) -> str:
        """The provenance line at the top of every generated file."""
        return f"Imported by `rolecall import {self.fmt}` from {self.source}."


def finish_import(
    draft: CastDraft,
    options: ImportOptions,
    what: str,
    exported: ExportedCast | None = None,
    verifier: str | None = None,
) -> BuiltCast | None:
    """The finished cast; ``what`` describes the source files in the cast's description."""
    if not draft.personas:
        return None
    agreed = exported.agreed(draft) if exported is not None else None
    if agreed is not None:
        return draft.finish(
            name=options.name or agreed.name,
            title=agreed.title,
            description=agreed.description,
            orchestrator=options.orchestrator or agreed.orchestrator,
            verifier=agreed.verifier,
            members=exported.members() if exported else None,
            capability_order=exported.capability_order() if exported else None,
        )
    name = options.name or options.default_name
    count = len(draft.personas)
    return draft.finish(
        name=name,
        title=humanize(name),
        description=f"{count} persona{'s' if count != 1 else ''} imported from {what} in {options.source}.",
        orchestrator=options.orchestrator,
        verifier=verifier,
    )
