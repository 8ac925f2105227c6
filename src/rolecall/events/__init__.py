"""The event stream: the contract between a run and every view of it.

``rolecall.events`` holds the event types (frozen dataclasses, a discriminated
union on ``kind``), the JSON Lines codec, the check that a stream hangs
together, and the :class:`Sink` protocol. It imports nothing of rolecall but
the errors module, so renderers, policies and tools that only read streams
never load the coordinator.
"""

from __future__ import annotations

from rolecall.events.codec import JsonlSink, dump_events, event_adapter, event_line, load_events
from rolecall.events.ids import CapabilityId, Handle, Identifier
from rolecall.events.sink import Sink, fan_out
from rolecall.events.stream_check import RunStartedCheck, StreamCheck, check_stream
from rolecall.events.types import (
    ASSIGN_REASONS,
    OUTCOMES,
    AssignReason,
    CheckInHeld,
    DecisionMade,
    DecisionOptionView,
    Escalation,
    Event,
    EventBase,
    GateChecked,
    GateVerdict,
    Handoff,
    Outcome,
    PersonaView,
    PhaseFinished,
    PhaseGateOpened,
    PhaseStarted,
    Redirect,
    ReviewRound,
    RunFinished,
    RunStarted,
    TaskAssigned,
    TaskFailed,
    TaskFinished,
    TaskSkipped,
    TaskStarted,
    TaskSubmitted,
    TaskUnreached,
    TaskView,
    Violation,
)

__all__ = [
    "ASSIGN_REASONS",
    "OUTCOMES",
    "AssignReason",
    "CapabilityId",
    "CheckInHeld",
    "DecisionMade",
    "DecisionOptionView",
    "Escalation",
    "Event",
    "EventBase",
    "GateChecked",
    "GateVerdict",
    "Handle",
    "Handoff",
    "Identifier",
    "JsonlSink",
    "Outcome",
    "PersonaView",
    "PhaseFinished",
    "PhaseGateOpened",
    "PhaseStarted",
    "Redirect",
    "ReviewRound",
    "RunFinished",
    "RunStarted",
    "RunStartedCheck",
    "Sink",
    "StreamCheck",
    "TaskAssigned",
    "TaskFailed",
    "TaskFinished",
    "TaskSkipped",
    "TaskStarted",
    "TaskSubmitted",
    "TaskUnreached",
    "TaskView",
    "Violation",
    "check_stream",
    "dump_events",
    "event_adapter",
    "event_line",
    "fan_out",
    "load_events",
]
