"""The event stream: one frozen model per thing that happens in a run.

Every event carries ``seq`` (0, 1, 2, ... in emission order), ``at`` (virtual
minutes since the run started), ``kind`` (the discriminator) and ``actor``
(the persona id speaking or acting). Transcripts, reports and policy checks
are computed from these alone, so a saved ``events.jsonl`` can be rendered or
checked again without the scenario.

Each activity a persona performs is bracketed: a ``task_started`` is closed by
exactly one ``task_submitted`` (work handed to review), ``review_round``
(a review), ``task_finished`` or ``task_failed`` of the same task and persona.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "ASSIGN_REASONS",
    "OUTCOMES",
    "CheckInHeld",
    "DecisionMade",
    "DecisionOptionView",
    "Escalation",
    "Event",
    "EventBase",
    "GateChecked",
    "GateVerdict",
    "Handoff",
    "PersonaView",
    "PhaseFinished",
    "PhaseGateOpened",
    "PhaseStarted",
    "Redirect",
    "ReviewRound",
    "RunFinished",
    "RunStarted",
    "TaskAssigned",
    "TaskFailed",
    "TaskFinished",
    "TaskSkipped",
    "TaskStarted",
    "TaskSubmitted",
    "TaskUnreached",
    "TaskView",
    "Violation",
    "construct",
    "event_adapter",
    "view",
]

AssignReason = Literal["assigned", "routed", "redirect", "fallback", "escalation", "unenforced"]
ASSIGN_REASONS: tuple[str, ...] = (
    "assigned",
    "routed",
    "redirect",
    "fallback",
    "escalation",
    "unenforced",
)
Outcome = Literal["completed", "blocked_at_gate", "stopped_at_decision", "failed"]
OUTCOMES: tuple[str, ...] = ("completed", "blocked_at_gate", "stopped_at_decision", "failed")


class EventBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int = Field(ge=0)
    at: int = Field(ge=0, description="Virtual minutes since the run started.")
    actor: str


class PersonaView(BaseModel):
    """What views need of a persona, carried in the stream so it renders on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    title: str
    handle: str
    icon: str
    kind: str
    owns: tuple[str, ...] = Field(description="Capabilities this persona owns.")
    templates: dict[str, str] = Field(default_factory=dict)


class TaskView(BaseModel):
    """A task as planned, so every view can name it from the stream alone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    phase: str
    capability: str
    summary: str
    persona: str = Field(description="Who is planned to do it: the owner after any redirect, before fallbacks.")
    expected_time: int
    depends_on: tuple[str, ...] = Field(description="Every task it waits for, implicit ones included.")
    critical: bool = Field(description="On the critical path of the plan.")
    attempted_by: str = Field(description="Persona that tries it first outside its role, or empty.")
    files: tuple[str, ...]


class RunStarted(EventBase):
    kind: Literal["run_started"] = "run_started"
    scenario: str
    title: str
    request: str
    description: str
    cast: str
    mode: Literal["parallel", "sequential"]
    orchestrator: str
    assessment: str = Field(description="Whether the request needs orchestration, and why.")
    personas: tuple[PersonaView, ...]
    phases: tuple[str, ...]
    phase_titles: tuple[str, ...]
    tasks: int
    sequential_time: int
    critical_time: int
    plan: tuple[TaskView, ...]


class GateChecked(EventBase):
    kind: Literal["gate_checked"] = "gate_checked"
    requirement: str
    requirement_kind: str
    detail: str
    ok: bool


class GateVerdict(EventBase):
    kind: Literal["gate_verdict"] = "gate_verdict"
    verdict: Literal["GO", "NO-GO"]
    checked: int
    missing: tuple[str, ...]


class PhaseStarted(EventBase):
    kind: Literal["phase_started"] = "phase_started"
    phase: str
    title: str
    mode: Literal["parallel", "sequential"]
    stream: bool
    index: int = Field(description="1-based position of the phase among all phases.")
    personas: tuple[str, ...]
    tasks: tuple[str, ...]


class PhaseGateOpened(EventBase):
    kind: Literal["phase_gate"] = "phase_gate"
    phase: str
    gate: str
    requires: tuple[str, ...]


class PhaseFinished(EventBase):
    kind: Literal["phase_finished"] = "phase_finished"
    phase: str
    title: str
    started_at: int
    finished: int
    failed: int
    skipped: int


class TaskAssigned(EventBase):
    kind: Literal["task_assigned"] = "task_assigned"
    task: str
    phase: str
    persona: str
    capability: str
    summary: str
    expected_time: int
    reason: AssignReason


class TaskStarted(EventBase):
    kind: Literal["task_started"] = "task_started"
    task: str
    persona: str
    activity: Literal["work", "rework", "review"]
    attempt: int = Field(ge=1, description="Attempt number for work, round number otherwise.")
    duration: int


class TaskSubmitted(EventBase):
    kind: Literal["task_submitted"] = "task_submitted"
    task: str
    persona: str
    reviewer: str
    round: int


class TaskFinished(EventBase):
    kind: Literal["task_finished"] = "task_finished"
    task: str
    phase: str
    persona: str
    deliverable: str
    started_at: int


class TaskFailed(EventBase):
    kind: Literal["task_failed"] = "task_failed"
    task: str
    persona: str
    attempt: int
    reason: str
    next: Literal["retry", "fallback", "escalate", "give_up"]


class TaskSkipped(EventBase):
    kind: Literal["task_skipped"] = "task_skipped"
    task: str
    reason: str


class TaskUnreached(EventBase):
    kind: Literal["task_unreached"] = "task_unreached"
    task: str
    reason: str


class Violation(EventBase):
    kind: Literal["violation"] = "violation"
    task: str
    persona: str
    capability: str
    phrase: str
    owners: tuple[str, ...]


class Redirect(EventBase):
    kind: Literal["redirect"] = "redirect"
    task: str
    from_persona: str
    to_persona: str
    capability: str
    summary: str
    subtasks: tuple[str, ...] = Field(description="What the owner must cover, from the task.")
    reasons: tuple[str, ...]
    instead: tuple[str, ...]


class Handoff(EventBase):
    kind: Literal["handoff"] = "handoff"
    from_persona: str
    to_persona: str
    style: Literal["clean", "context"]
    deliverables: tuple[str, ...] = Field(description="Task ids whose deliverables travel.")
    feeds: tuple[str, ...] = Field(description="Task ids of the recipient they feed.")
    continues_with: str = Field(description="Task id the sender works on next, or empty.")


class CheckInHeld(EventBase):
    kind: Literal["checkin"] = "checkin"
    phase: str
    title: str
    phase_index: int
    phases_total: int
    tasks_done: int
    tasks_total: int
    in_progress: tuple[str, ...]
    upcoming: tuple[str, ...]
    blockers: tuple[str, ...]


class DecisionOptionView(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str


class DecisionMade(EventBase):
    kind: Literal["decision"] = "decision"
    decision: str
    question: str
    options: tuple[DecisionOptionView, ...]
    recommended: str
    approved: bool
    chosen: str | None
    outcome: Literal["continue", "reroute", "stop"]


class ReviewRound(EventBase):
    kind: Literal["review_round"] = "review_round"
    task: str
    reviewer: str
    author: str
    round: int
    max_rounds: int
    verdict: Literal["approved", "changes-requested"]


class Escalation(EventBase):
    kind: Literal["escalation"] = "escalation"
    task: str
    from_persona: str
    to_persona: str
    reason: str


class RunFinished(EventBase):
    kind: Literal["run_finished"] = "run_finished"
    outcome: Outcome
    reason: str
    makespan: int = Field(description="Virtual minutes from GO to the last activity.")
    sequential_time: int = Field(
        description="Minutes of work actually done (attempts, reviews, rework): the time one after another."
    )
    critical_time: int
    tasks: int
    finished: int
    failed: int
    skipped: int
    unreached: int
    redirects: int
    handoffs: int


Event = Annotated[
    RunStarted
    | GateChecked
    | GateVerdict
    | PhaseStarted
    | PhaseGateOpened
    | PhaseFinished
    | TaskAssigned
    | TaskStarted
    | TaskSubmitted
    | TaskFinished
    | TaskFailed
    | TaskSkipped
    | TaskUnreached
    | Violation
    | Redirect
    | Handoff
    | CheckInHeld
    | DecisionMade
    | ReviewRound
    | Escalation
    | RunFinished,
    Field(discriminator="kind"),
]

_KIND: dict[type[EventBase], str] = {}


def construct(cls: type[EventBase], seq: int, at: int, actor: str, fields: dict[str, Any]) -> Any:
    """Build an event the coordinator knows to be well-formed, without validating it.

    This is ``model_construct`` minus its per-call bookkeeping, which dominated the
    per-event cost. A missing or unknown field raises at once, and the scenario
    library tests validate every emitted event against the schema.
    """
    kind = _KIND.get(cls)
    if kind is None:
        kind = _KIND[cls] = str(cls.model_fields["kind"].default)
    fields["seq"] = seq
    fields["at"] = at
    fields["actor"] = actor
    fields["kind"] = kind
    return view(cls, fields)


def view(cls: type[BaseModel], fields: dict[str, Any]) -> Any:
    """A model built from fields known to be valid, in declaration order because serialisation follows it."""
    order = cls.model_fields
    if len(fields) != len(order):
        raise TypeError(f"{cls.__name__}: fields {sorted(fields)} do not match {sorted(order)}")
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", {name: fields[name] for name in order})
    object.__setattr__(obj, "__pydantic_fields_set__", set(order))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


_adapter: TypeAdapter[Event] | None = None


def event_adapter() -> TypeAdapter[Event]:
    """The (lazily built) adapter that validates one event from a dict or JSON."""
    global _adapter
    if _adapter is None:
        _adapter = TypeAdapter(Event)
    return _adapter
