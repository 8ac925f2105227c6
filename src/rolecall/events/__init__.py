"""The event stream: the contract between a run and every view of it.

``rolecall.events`` holds the event types (frozen dataclasses, a discriminated
union on ``kind``), the JSON Lines codec, the check that a stream hangs
together, and the :class:`Sink` protocol. It imports nothing of rolecall but
the errors module (and the lazy-import helper), so renderers, policies and
tools that only read streams never load the coordinator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports

if TYPE_CHECKING:
    from rolecall.events.codec import JsonlSink, dump_events, event_adapter, event_line, iter_events, load_events
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
    "iter_events",
    "load_events",
]

_WHERE = {
    "ASSIGN_REASONS": "rolecall.events.types",
    "AssignReason": "rolecall.events.types",
    "CapabilityId": "rolecall.events.ids",
    "CheckInHeld": "rolecall.events.types",
    "DecisionMade": "rolecall.events.types",
    "DecisionOptionView": "rolecall.events.types",
    "Escalation": "rolecall.events.types",
    "Event": "rolecall.events.types",
    "EventBase": "rolecall.events.types",
    "GateChecked": "rolecall.events.types",
    "GateVerdict": "rolecall.events.types",
    "Handle": "rolecall.events.ids",
    "Handoff": "rolecall.events.types",
    "Identifier": "rolecall.events.ids",
    "JsonlSink": "rolecall.events.codec",
    "OUTCOMES": "rolecall.events.types",
    "Outcome": "rolecall.events.types",
    "PersonaView": "rolecall.events.types",
    "PhaseFinished": "rolecall.events.types",
    "PhaseGateOpened": "rolecall.events.types",
    "PhaseStarted": "rolecall.events.types",
    "Redirect": "rolecall.events.types",
    "ReviewRound": "rolecall.events.types",
    "RunFinished": "rolecall.events.types",
    "RunStarted": "rolecall.events.types",
    "RunStartedCheck": "rolecall.events.stream_check",
    "Sink": "rolecall.events.sink",
    "StreamCheck": "rolecall.events.stream_check",
    "TaskAssigned": "rolecall.events.types",
    "TaskFailed": "rolecall.events.types",
    "TaskFinished": "rolecall.events.types",
    "TaskSkipped": "rolecall.events.types",
    "TaskStarted": "rolecall.events.types",
    "TaskSubmitted": "rolecall.events.types",
    "TaskUnreached": "rolecall.events.types",
    "TaskView": "rolecall.events.types",
    "Violation": "rolecall.events.types",
    "check_stream": "rolecall.events.stream_check",
    "dump_events": "rolecall.events.codec",
    "event_adapter": "rolecall.events.codec",
    "event_line": "rolecall.events.codec",
    "fan_out": "rolecall.events.sink",
    "iter_events": "rolecall.events.codec",
    "load_events": "rolecall.events.codec",
}


# Imported on first use: rolecall.events.ids is what file models need, and it must not pay for
# building the event types and their validators.
__getattr__ = lazy_exports("rolecall.events", _WHERE, globals())
