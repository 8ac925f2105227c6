"""The event types: one frozen dataclass per thing that happens in a run.

Every event carries ``seq`` (0, 1, 2, ... in emission order), ``at`` (time
since the run started), ``kind`` (the discriminator) and ``actor`` (the persona
id speaking or acting). ``run_started.clock`` sets the unit of every time in
the stream: virtual minutes in a replay, whole wall-clock seconds in a live
run. Transcripts, reports and policy checks are computed from these alone, so
a saved ``events.jsonl`` can be rendered or checked again without the
scenario.

Events are plain frozen, slotted dataclasses: constructing one is a typed call
(mypy rejects a misspelt field or a wrong type) that costs a fraction of a
validated model, and the coordinator builds hundreds of thousands of them.
Validation happens where events come from outside, when a stream is read
(:func:`rolecall.events.codec.event_adapter`).

Each activity a persona performs is bracketed: a ``task_started`` is closed by
exactly one ``task_submitted`` (work handed to review), ``review_round``
(a review), ``task_finished`` or ``task_failed`` of the same task and persona.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from rolecall._records import fast_init
from rolecall.events.ids import CapabilityId, Handle, Identifier

__all__ = [
    "ASSIGN_REASONS",
    "OUTCOMES",
    "AssignReason",
    "CheckInHeld",
    "Clock",
    "DecisionMade",
    "DecisionOptionView",
    "Escalation",
    "Event",
    "EventBase",
    "GateChecked",
    "GateVerdict",
    "Handoff",
    "Outcome",
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
]

_CONFIG = ConfigDict(extra="forbid", strict=True)
"""How a stream read from outside is validated: no unknown fields, no coercion."""

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
Clock = Literal["minutes", "seconds"]
"""The unit of every time in a stream (``run_started.clock``)."""

MAX_TIME = 10**12
"""The largest ``at`` a stream may hold."""

_WALL_START = r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)?$"


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class EventBase:
    """What every event carries, first and in this order."""

    __pydantic_config__: ClassVar[ConfigDict] = _CONFIG

    seq: Annotated[int, Field(ge=0)]
    at: Annotated[
        int,
        # A bound no run reaches (30,000 years in seconds): a larger time is a corrupt stream, not a run.
        Field(ge=0, le=MAX_TIME, description="Time since the run started, in the unit of run_started.clock."),
    ]
    actor: Identifier


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PersonaView:
    """What views need of a persona, carried in the stream so it renders on its own."""

    __pydantic_config__: ClassVar[ConfigDict] = _CONFIG

    id: Identifier
    name: str
    title: str
    handle: Handle
    icon: str
    kind: Literal["orchestrator", "verifier", "specialist"]
    owns: Annotated[tuple[CapabilityId, ...], Field(description="Capabilities this persona owns.")]
    templates: dict[str, str] = dataclasses.field(default_factory=dict)


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskView:
    """A task as planned, so every view can name it from the stream alone."""

    __pydantic_config__: ClassVar[ConfigDict] = _CONFIG

    id: Identifier
    phase: Identifier
    capability: CapabilityId
    summary: str
    persona: Annotated[
        Identifier, Field(description="Who is planned to do it: the owner after any redirect, before fallbacks.")
    ]
    expected_time: int
    depends_on: Annotated[tuple[Identifier, ...], Field(description="Every task it waits for, implicit ones included.")]
    critical: Annotated[bool, Field(description="On the critical path of the plan.")]
    attempted_by: Annotated[
        Identifier | Literal[""], Field(description="Persona that tries it first outside its role, or empty.")
    ]
    files: tuple[str, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RunStarted(EventBase):
    kind: Literal["run_started"] = "run_started"
    scenario: Identifier
    title: str
    request: str
    description: str
    cast: Identifier
    mode: Literal["parallel", "sequential"]
    orchestrator: Identifier
    assessment: Annotated[str, Field(description="Whether the request needs orchestration, and why.")]
    personas: tuple[PersonaView, ...]
    phases: tuple[Identifier, ...]
    phase_titles: tuple[str, ...]
    tasks: int
    sequential_time: int
    critical_time: int
    plan: tuple[TaskView, ...]
    # Last and with defaults, so every stream written before live runs existed stays valid.
    clock: Annotated[
        Clock,
        Field(
            description="The unit of every `at` and duration in the stream: virtual minutes in a replay, "
            "wall-clock seconds in a live run."
        ),
    ] = "minutes"
    wall_start: Annotated[
        str,
        Field(
            pattern=_WALL_START,
            description="When a live run started, as UTC ISO 8601 (`2026-11-29T21:03:05Z`); empty in a replay.",
        ),
    ] = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class GateChecked(EventBase):
    kind: Literal["gate_checked"] = "gate_checked"
    requirement: str
    requirement_kind: str
    detail: str
    ok: bool


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class GateVerdict(EventBase):
    kind: Literal["gate_verdict"] = "gate_verdict"
    verdict: Literal["GO", "NO-GO"]
    checked: int
    missing: tuple[str, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseStarted(EventBase):
    kind: Literal["phase_started"] = "phase_started"
    phase: Identifier
    title: str
    mode: Literal["parallel", "sequential"]
    stream: bool
    index: Annotated[int, Field(description="1-based position of the phase among all phases.")]
    personas: tuple[Identifier, ...]
    tasks: tuple[Identifier, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseGateOpened(EventBase):
    kind: Literal["phase_gate"] = "phase_gate"
    phase: Identifier
    gate: str
    requires: tuple[Identifier, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseFinished(EventBase):
    kind: Literal["phase_finished"] = "phase_finished"
    phase: Identifier
    title: str
    started_at: int
    finished: int
    failed: int
    skipped: int


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskAssigned(EventBase):
    kind: Literal["task_assigned"] = "task_assigned"
    task: Identifier
    phase: Identifier
    persona: Identifier
    capability: CapabilityId
    summary: str
    expected_time: int
    reason: AssignReason


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskStarted(EventBase):
    kind: Literal["task_started"] = "task_started"
    task: Identifier
    persona: Identifier
    activity: Literal["work", "rework", "review"]
    attempt: Annotated[int, Field(ge=1, description="Attempt number for work, round number otherwise.")]
    duration: int


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSubmitted(EventBase):
    kind: Literal["task_submitted"] = "task_submitted"
    task: Identifier
    persona: Identifier
    reviewer: Identifier
    round: int


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskFinished(EventBase):
    kind: Literal["task_finished"] = "task_finished"
    task: Identifier
    phase: Identifier
    persona: Identifier
    deliverable: str
    started_at: int


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskFailed(EventBase):
    kind: Literal["task_failed"] = "task_failed"
    task: Identifier
    persona: Identifier
    attempt: int
    reason: str
    next: Literal["retry", "fallback", "escalate", "give_up"]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSkipped(EventBase):
    kind: Literal["task_skipped"] = "task_skipped"
    task: Identifier
    reason: str


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TaskUnreached(EventBase):
    kind: Literal["task_unreached"] = "task_unreached"
    task: Identifier
    reason: str


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Violation(EventBase):
    kind: Literal["violation"] = "violation"
    task: Identifier
    persona: Identifier
    capability: CapabilityId
    phrase: str
    owners: tuple[Identifier, ...]
    files: Annotated[
        tuple[str, ...],
        Field(
            description="Files the persona changed that the capability covers (a live run): the work was done, "
            "not only attempted. Empty when the persona was stopped before doing anything."
        ),
    ] = ()


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Redirect(EventBase):
    kind: Literal["redirect"] = "redirect"
    task: Identifier
    from_persona: Identifier
    to_persona: Identifier
    capability: CapabilityId
    summary: str
    subtasks: Annotated[tuple[str, ...], Field(description="What the owner must cover, from the task.")]
    reasons: tuple[str, ...]
    instead: tuple[str, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Handoff(EventBase):
    kind: Literal["handoff"] = "handoff"
    from_persona: Identifier
    to_persona: Identifier
    style: Literal["clean", "context"]
    deliverables: Annotated[tuple[Identifier, ...], Field(description="Task ids whose deliverables travel.")]
    feeds: Annotated[tuple[Identifier, ...], Field(description="Task ids of the recipient they feed.")]
    continues_with: Annotated[
        Identifier | Literal[""], Field(description="Task id the sender works on next, or empty.")
    ]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
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


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionOptionView:
    __pydantic_config__: ClassVar[ConfigDict] = _CONFIG

    id: Identifier
    label: str


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionMade(EventBase):
    kind: Literal["decision"] = "decision"
    decision: Identifier
    question: str
    options: tuple[DecisionOptionView, ...]
    recommended: Identifier
    approved: bool
    chosen: Identifier | None
    outcome: Literal["continue", "reroute", "stop"]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewRound(EventBase):
    kind: Literal["review_round"] = "review_round"
    task: Identifier
    reviewer: Identifier
    author: Identifier
    round: int
    max_rounds: int
    verdict: Literal["approved", "changes-requested"]
    comments: Annotated[
        str, Field(description="What the reviewer said with the verdict (a live run's answer); empty in a replay.")
    ] = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Escalation(EventBase):
    kind: Literal["escalation"] = "escalation"
    task: Identifier
    from_persona: Identifier
    to_persona: Identifier
    reason: str


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RunFinished(EventBase):
    kind: Literal["run_finished"] = "run_finished"
    outcome: Outcome
    reason: str
    makespan: Annotated[int, Field(description="Time from GO to the last activity, in the unit of run_started.clock.")]
    sequential_time: Annotated[
        int,
        Field(
            description="Time of work actually done (attempts, reviews, rework), in the unit of run_started.clock: "
            "the time one after another."
        ),
    ]
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
