"""The coordinator: runs a plan through the gate and the cast, producing events."""

from __future__ import annotations

from collections.abc import Callable

from rolecall.backends.base import Backend
from rolecall.events import Event, RunFinished, Sink
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.scenario import Decision
from rolecall.orchestrator.simulation import Simulation

__all__ = ["Approver", "Coordinator"]

Approver = Callable[[Decision], bool]
"""Answers a check-in's decision: approved or not. A replay uses the answer scripted in the scenario."""


class Coordinator:
    """Runs a :class:`Plan`: the coordinator decides, the backend performs.

    With the default :class:`~rolecall.backends.ScriptedBackend` the run is a
    deterministic replay in virtual time: the same plan always yields the same
    events, ties broken by declaration order.
    """

    def __init__(self, plan: Plan, backend: Backend | None = None, approver: Approver | None = None) -> None:
        self.plan = plan
        self.backend = backend
        self.approver = approver

    def run(self, *sinks: Sink) -> RunFinished:
        """Stream every event to each sink, in order; return the closing ``run_finished`` event."""
        from rolecall.backends.scripted import ScriptedBackend

        backend = self.backend if self.backend is not None else ScriptedBackend(self.plan.scenario.clock)
        simulation = Simulation(self.plan, sinks, backend, self.approver)
        simulation.run()
        assert simulation.final is not None, "every run ends with run_finished"
        return simulation.final

    def events(self) -> list[Event]:
        """Run and collect all events in memory (convenient for small scenarios and tests)."""
        out: list[Event] = []
        self.run(out.append)
        return out
