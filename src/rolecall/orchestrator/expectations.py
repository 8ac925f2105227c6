"""What a scenario states must happen: the ``[expect]`` table that makes it a test case."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rolecall._model import FileModel, Identifier, Minutes

__all__ = ["Expectations", "ExpectedHandoff", "ExpectedRedirect"]


class ExpectedRedirect(FileModel):
    from_persona: Identifier = Field(alias="from")
    to: Identifier
    task: Identifier | None = None


class ExpectedHandoff(FileModel):
    from_persona: Identifier = Field(alias="from")
    to: Identifier


class Expectations(FileModel):
    outcome: Literal["completed", "blocked_at_gate", "stopped_at_decision", "failed"] | None = None
    gate: Literal["GO", "NO-GO"] | None = None
    redirects: tuple[ExpectedRedirect, ...] = ()
    handoffs: tuple[ExpectedHandoff, ...] = ()
    findings: tuple[Identifier, ...] = Field(default=(), description="Rule ids that must be reported.")
    no_findings: tuple[str, ...] = Field(
        default=(), description="Rule ids that must not be reported; '*' for none at all."
    )
    max_makespan: Minutes | None = Field(
        default=None, description="Minutes, virtual in a replay and wall-clock in a live run: 90, '90m', '1h30m'."
    )
    min_speedup: float | None = Field(default=None, gt=0)
