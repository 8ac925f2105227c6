"""Where events go: anything callable with one event, and a fan-out to several."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from rolecall.events.types import Event

__all__ = ["Sink", "fan_out"]


class Sink(Protocol):
    """Receives each event of a run, in order, as it happens."""

    def __call__(self, event: Event, /) -> None: ...


def fan_out(*sinks: Sink) -> Sink:
    """One sink feeding every sink given, in order (one call per event, no list kept)."""
    if len(sinks) == 1:
        return sinks[0]
    calls: tuple[Callable[[Event], None], ...] = sinks

    def every(event: Event, /) -> None:
        for call in calls:
            call(event)

    return every
