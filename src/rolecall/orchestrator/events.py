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

from rolecall._model import CapabilityId, Handle, Identifier

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
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    seq: int = Field(ge=0)
    at: int = Field(ge=0, description="Virtual minutes since the run started.")
    actor: Identifier


class PersonaView(BaseModel):
    """What views need of a persona, carried in the stream so it renders on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    id: Identifier
    name: str
    title: str
    handle: Handle
    icon: str
    kind: Literal["orchestrator", "verifier", "specialist"]
    owns: tuple[CapabilityId, ...] = Field(description="Capabilities this persona owns.")
    templates: dict[str, str] = Field(default_factory=dict)


class TaskView(BaseModel):
    """A task as planned, so every view can name it from the stream alone."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    id: Identifier
    phase: Identifier
    capability: CapabilityId
    summary: str
    persona: Identifier = Field(description="Who is planned to do it: the owner after any redirect, before fallbacks.")
    expected_time: int
    depends_on: tuple[Identifier, ...] = Field(description="Every task it waits for, implicit ones included.")
    critical: bool = Field(description="On the critical path of the plan.")
    attempted_by: Identifier | Literal[""] = Field(
        description="Persona that tries it first outside its role, or empty."
    )
    files: tuple[str, ...]


class RunStarted(EventBase):
    kind: Literal["run_started"] = "run_started"
    scenario: Identifier
    title: str
    request: str
    description: str
    cast: Identifier
    mode: Literal["parallel", "sequential"]
    orchestrator: Identifier
    assessment: str = Field(description="Whether the request needs orchestration, and why.")
    personas: tuple[PersonaView, ...]
    phases: tuple[Identifier, ...]
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
    phase: Identifier
    title: str
    mode: Literal["parallel", "sequential"]
    stream: bool
    index: int = Field(description="1-based position of the phase among all phases.")
    personas: tuple[Identifier, ...]
    tasks: tuple[Identifier, ...]


class PhaseGateOpened(EventBase):
    kind: Literal["phase_gate"] = "phase_gate"
    phase: Identifier
    gate: str
    requires: tuple[Identifier, ...]


class PhaseFinished(EventBase):
    kind: Literal["phase_finished"] = "phase_finished"
    phase: Identifier
    title: str
    started_at: int
    finished: int
    failed: int
    skipped: int


class TaskAssigned(EventBase):
    kind: Literal["task_assigned"] = "task_assigned"
    task: Identifier
    phase: Identifier
    persona: Identifier
    capability: CapabilityId
    summary: str
    expected_time: int
    reason: AssignReason


class TaskStarted(EventBase):
    kind: Literal["task_started"] = "task_started"
    task: Identifier
    persona: Identifier
    activity: Literal["work", "rework", "review"]
    attempt: int = Field(ge=1, description="Attempt number for work, round number otherwise.")
    duration: int


class TaskSubmitted(EventBase):
    kind: Literal["task_submitted"] = "task_submitted"
    task: Identifier
    persona: Identifier
    reviewer: Identifier
    round: int


class TaskFinished(EventBase):
    kind: Literal["task_finished"] = "task_finished"
    task: Identifier
    phase: Identifier
    persona: Identifier
    deliverable: str
    started_at: int


class TaskFailed(EventBase):
    kind: Literal["task_failed"] = "task_failed"
    task: Identifier
    persona: Identifier
    attempt: int
    reason: str
    next: Literal["retry", "fallback", "escalate", "give_up"]


class TaskSkipped(EventBase):
    kind: Literal["task_skipped"] = "task_skipped"
    task: Identifier
    reason: str


class TaskUnreached(EventBase):
    kind: Literal["task_unreached"] = "task_unreached"
    task: Identifier
    reason: str


class Violation(EventBase):
    kind: Literal["violation"] = "violation"
    task: Identifier
    persona: Identifier
    capability: CapabilityId
    phrase: str
    owners: tuple[Identifier, ...]


class Redirect(EventBase):
    kind: Literal["redirect"] = "redirect"
    task: Identifier
    from_persona: Identifier
    to_persona: Identifier
    capability: CapabilityId
    summary: str
    subtasks: tuple[str, ...] = Field(description="What the owner must cover, from the task.")
    reasons: tuple[str, ...]
    instead: tuple[str, ...]


class Handoff(EventBase):
    kind: Literal["handoff"] = "handoff"
    from_persona: Identifier
    to_persona: Identifier
    style: Literal["clean", "context"]
    deliverables: tuple[Identifier, ...] = Field(description="Task ids whose deliverables travel.")
    feeds: tuple[Identifier, ...] = Field(description="Task ids of the recipient they feed.")
    continues_with: Identifier | Literal[""] = Field(description="Task id the sender works on next, or empty.")


class CheckInHeld(EventBase):
    kind: Literal["checkin"] = "checkin"
    phase: Identifier
    title: str
    phase_index: int
    phases_total: int
    tasks_done: int
    tasks_total: int
    in_progress: tuple[str, ...]
    upcoming: tuple[str, ...]
    blockers: tuple[str, ...]


class DecisionOptionView(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    id: Identifier
    label: str


class DecisionMade(EventBase):
    kind: Literal["decision"] = "decision"
    decision: Identifier
    question: str
    options: tuple[DecisionOptionView, ...]
    recommended: Identifier
    approved: bool
    chosen: Identifier | None
    outcome: Literal["continue", "reroute", "stop"]


class ReviewRound(EventBase):
    kind: Literal["review_round"] = "review_round"
    task: Identifier
    reviewer: Identifier
    author: Identifier
    round: int
    max_rounds: int
    verdict: Literal["approved", "changes-requested"]


class Escalation(EventBase):
    kind: Literal["escalation"] = "escalation"
    task: Identifier
    from_persona: Identifier
    to_persona: Identifier
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
