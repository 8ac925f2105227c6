"""Streams as a live run writes them, made from replays: the same numbers, read as wall-clock seconds."""

from __future__ import annotations

import dataclasses

from rolecall import events as ev

START = "2026-11-29T21:03:05Z"


def on_the_wall_clock(events: list[ev.Event], wall_start: str = START) -> list[ev.Event]:
    """The same run as a live run would write it: run_started says seconds and when it began."""
    return [
        dataclasses.replace(e, clock="seconds", wall_start=wall_start) if isinstance(e, ev.RunStarted) else e
        for e in events
    ]
