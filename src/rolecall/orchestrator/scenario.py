"""The scenario model: a feature request broken into phases and tasks (``scenarios/*.toml``).

Times are virtual minutes. In files they are written as an integer number of
minutes or a string such as ``"45m"``, ``"2h"``, ``"1h30m"`` or ``"1.5h"``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from rolecall._model import (
    DECISION_OPTION_PATTERN,
    CapabilityId,
    FileModel,
    Identifier,
    Minutes,
    Text,
    duration_in_seconds,
    parse_minutes,
)
from rolecall.handoffs.report_block import OrchestratorReport, render_report
from rolecall.orchestrator.expectations import Expectations

__all__ = [
    "CheckIn",
    "Decision",
    "DecisionOption",
    "Environment",
    "Minutes",
    "Phase",
    "PhaseGate",
    "PrerequisitesGate",
    "Requirement",
    "RequirementKind",
    "Review",
    "Scenario",
    "Task",
    "parse_minutes",
]

RequirementKind = Literal["database", "mcp-server", "env-var", "package", "service", "file"]


class Requirement(FileModel):
    """One resource the prerequisites gate checks."""

    kind: RequirementKind
    name: Text
    detail: str = ""


class Environment(FileModel):
    """The simulated machine: what is actually present when the gate checks."""

    databases: tuple[Text, ...] = ()
    mcp_servers: tuple[Text, ...] = ()
    env_vars: tuple[Text, ...] = ()
    packages: tuple[Text, ...] = ()
    services: tuple[Text, ...] = ()
    files: tuple[Text, ...] = ()

    def provides(self, requirement: Requirement) -> bool:
        present: dict[str, tuple[str, ...]] = {
            "database": self.databases,
            "mcp-server": self.mcp_servers,
            "env-var": self.env_vars,
            "package": self.packages,
            "service": self.services,
            "file": self.files,
        }
        return requirement.name in present[requirement.kind]


class PrerequisitesGate(FileModel):
    """GO/NO-GO before anything else runs."""

    verifier: Identifier | None = Field(
        default=None, description="Persona running the gate; default: the cast's verifier."
    )
    time: Minutes = 0
    requires: tuple[Requirement, ...] = ()


class PhaseGate(FileModel):
    """A gate before a phase: it opens only when the named tasks have finished."""

    name: Text
    requires: tuple[Identifier, ...] = Field(min_length=1)


class Phase(FileModel):
    id: Identifier
    title: Text
    mode: Literal["parallel", "sequential"] = "parallel"
    after: tuple[Identifier, ...] | None = Field(
        default=None,
        description="Phases that must finish first; default: the previous non-stream phase.",
    )
    stream: bool = Field(
        default=False,
        description="A continuous stream: runs alongside the other phases and blocks only "
        "where a gate names its tasks.",
    )
    gate: PhaseGate | None = None


class Review(FileModel):
    """An evaluator-optimizer loop: the reviewer judges, the author reworks, until approved."""

    reviewer: Identifier
    verdicts: tuple[Literal["approved", "changes-requested"], ...] = Field(min_length=1)
    max_rounds: int = Field(default=3, ge=1, le=100)
    review_time: Minutes = 10
    rework_time: Minutes = 15

    @model_validator(mode="after")
    def _rounds_fit(self) -> Review:
        if len(self.verdicts) > self.max_rounds:
            raise ValueError(f"{len(self.verdicts)} verdicts but max_rounds is {self.max_rounds}")
        if "approved" in self.verdicts[:-1]:
            raise ValueError("no verdict may follow 'approved': the loop ends there")
        if self.verdicts[-1] != "approved" and len(self.verdicts) < self.max_rounds:
            raise ValueError("verdicts must end with 'approved', or fill max_rounds to script an exhausted loop")
        return self


class Change(FileModel):
    """Files one work attempt of a task changed."""

    attempt: int = Field(ge=1, description="The work attempt (counted over all personas, as in task_failed).")
    files: tuple[Text, ...] = Field(min_length=1)


class Task(FileModel):
    id: Identifier
    phase: Identifier
    capability: CapabilityId
    summary: Text
    expected_time: Minutes
    depends_on: tuple[Identifier, ...] = ()
    deliverable: str = ""
    subtasks: tuple[Text, ...] = ()
    files: tuple[Text, ...] = ()
    assignee: Identifier | None = Field(
        default=None, description="Persona doing the task; default: the capability's owner."
    )
    attempted_by: Identifier | None = Field(
        default=None, description="Persona that tries the task first (stages a boundary violation)."
    )
    fails: int = Field(default=0, ge=0, le=1000, description="How many attempts fail before one succeeds.")
    changes: tuple[Change, ...] = Field(
        default=(),
        description="Files work attempts changed (a scenario frozen from a live run): checked against the "
        "cast's file globs, so a crossing replays as the violation and redirect it was.",
    )
    review: Review | None = None
    report: OrchestratorReport | None = Field(
        default=None, description="An ORCHESTRATOR REPORT block appended to the deliverable."
    )
    only_if: str | None = Field(
        default=None,
        pattern=DECISION_OPTION_PATTERN,
        description="'decision.option': the task runs only when that option is chosen.",
    )

    def changed_by(self, attempt: int) -> tuple[str, ...]:
        """The files work attempt ``attempt`` changed, as frozen from a live run."""
        return tuple(f for c in self.changes if c.attempt == attempt for f in c.files)

    @property
    def full_deliverable(self) -> str:
        """The deliverable text, with the rendered report block when the task has one."""
        if self.report is None:
            return self.deliverable
        block = render_report(self.report)
        return f"{self.deliverable.strip()}\n\n{block}" if self.deliverable.strip() else block


class DecisionOption(FileModel):
    id: Identifier
    label: Text


class Decision(FileModel):
    """A decision needing approval at a check-in, with its scripted answer."""

    id: Identifier
    question: Text
    options: tuple[DecisionOption, ...] = Field(min_length=2)
    recommended: Identifier
    approved: bool = True
    on_reject: str = Field(default="stop", description="'stop' ends the run; an option id reroutes to that option.")


class CheckIn(FileModel):
    """The orchestrator's check-in after a phase, optionally with a decision."""

    after: Identifier
    title: str = ""
    decision: Decision | None = None


class Scenario(FileModel):
    name: Identifier
    title: Text
    request: Text
    description: str = ""
    cast: Text = "product-team"
    mode: Literal["parallel", "sequential"] = Field(
        default="parallel", description="'sequential': the cast works on one task at a time."
    )
    enforce_boundaries: bool = Field(
        default=True,
        description="When false, a persona attempting work it does not own is let through "
        "(for testing that policies catch it).",
    )
    max_attempts: int = Field(default=2, ge=1, le=100, description="Attempts per persona before fallback.")
    clock: Literal["minutes", "seconds"] = Field(
        default="minutes",
        description="The unit of every duration in the file: minutes, or 'seconds' in a scenario frozen from a "
        "live run (whose durations are then whole seconds, written as numbers).",
    )
    gate: PrerequisitesGate | None = None
    environment: Environment = Environment()
    phase: tuple[Phase, ...] = Field(min_length=1)
    task: tuple[Task, ...] = Field(min_length=1)
    checkin: tuple[CheckIn, ...] = ()
    expect: Expectations | None = Field(
        default=None, description="What must happen; checked by 'rolecall check' and the pytest plugin."
    )

    @model_validator(mode="before")
    @classmethod
    def _durations_in_seconds(cls, data: Any) -> Any:
        """On the seconds clock, ``"5m"`` is 300 seconds: a duration with a unit keeps its meaning."""
        if not isinstance(data, dict) or data.get("clock") != "seconds":
            return data
        data = dict(data)
        gate = data.get("gate")
        if isinstance(gate, dict) and "time" in gate:
            data["gate"] = {**gate, "time": duration_in_seconds(gate["time"])}
        tasks = data.get("task")
        if isinstance(tasks, list | tuple):
            data["task"] = [_task_in_seconds(task) for task in tasks]
        return data


def _task_in_seconds(task: Any) -> Any:
    if not isinstance(task, dict):
        return task
    task = dict(task)
    if "expected_time" in task:
        task["expected_time"] = duration_in_seconds(task["expected_time"])
    review = task.get("review")
    if isinstance(review, dict):
        task["review"] = {
            key: duration_in_seconds(value) if key in ("review_time", "rework_time") else value
            for key, value in review.items()
        }
    return task
