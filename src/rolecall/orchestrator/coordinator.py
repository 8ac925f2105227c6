"""The coordinator: runs a plan through the gate and the cast, producing events."""

from __future__ import annotations

from collections.abc import Callable

from rolecall.orchestrator.events import Event, RunFinished
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.simulation import Simulation

__all__ = ["Coordinator"]


class Coordinator:
    """Replays a :class:`Plan` deterministically in virtual time.

    The same plan always yields the same events: no wall clock, no randomness,
    ties broken by declaration order.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def run(self, sink: Callable[[Event], None]) -> RunFinished:
        """Stream every event to ``sink``; return the closing ``run_finished`` event."""
        last: list[Event] = []

        def capture(event: Event) -> None:
            sink(event)
            if event.kind == "run_finished":
                last.append(event)

        Simulation(self.plan, capture).run()
        final = last[0]
        assert isinstance(final, RunFinished)
        return final

    def events(self) -> list[Event]:
        """Run and collect all events in memory (convenient for small scenarios and tests)."""
        out: list[Event] = []
        self.run(out.append)
        return out
