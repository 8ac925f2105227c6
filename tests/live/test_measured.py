"""The measured rewrite of a finished live stream: exact on a replay, the run's own figures on a live run."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import rolecall
from rolecall import events as ev
from rolecall.events import check_stream
from rolecall.live.measured import measured
from tests.conftest import SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_replay_is_already_measured(path: Path) -> None:
    """Every activity of a replay lasts its planned time; the rewrite must change nothing but untouched plans."""
    events = list(rolecall.replay(path).events)
    rewritten = measured(events)
    changed = [a.kind for a, b in zip(events, rewritten, strict=True) if a != b]
    # Only the plan's view of tasks that never finished may differ (a live run counts them as 0).
    assert set(changed) <= {"run_started", "task_assigned", "run_finished"}, changed
    started = [e for e in rewritten if isinstance(e, ev.TaskStarted)]
    assert started == [e for e in events if isinstance(e, ev.TaskStarted)]
    assert check_stream(((e, n) for n, e in enumerate(rewritten, 1)), None) == []


def test_a_live_stream_gets_the_time_each_activity_took() -> None:
    events = list(rolecall.replay(SCENARIOS / "rest-api-delegation.toml").events)
    # As a live run writes it: estimates at the start, the real end time at the close.
    stretched: list[ev.Event] = []
    for e in events:
        if isinstance(e, ev.TaskStarted):
            e = dataclasses.replace(e, duration=e.duration * 7)
        stretched.append(e)
    rewritten = measured(stretched)
    assert [e for e in rewritten if isinstance(e, ev.TaskStarted)] == [
        e for e in events if isinstance(e, ev.TaskStarted)
    ]
    start = rewritten[0]
    assert isinstance(start, ev.RunStarted)
    assert start.sequential_time == sum(t.expected_time for t in start.plan)
    assert check_stream(((e, n) for n, e in enumerate(rewritten, 1)), None) == []
