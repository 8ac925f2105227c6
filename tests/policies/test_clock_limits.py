"""Limits are written in minutes; a live run is measured in seconds: both meet in the stream's unit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rolecall import events as ev
from rolecall.events import dump_events
from rolecall.orchestrator.expectations import Expectations
from rolecall.policies import load_policy
from rolecall.policies.check import check_events
from tests.conftest import run_cli
from tests.render.live_runs import on_the_wall_clock
from tests.render.runs import events_of, scenario_file, two_at_once


def _policy(folder: Path, limit: str) -> Path:
    path = folder / "limits.toml"
    path.write_text(
        f'name = "limits"\ncast = "model-tiers"\n\n[[rule]]\nid = "quick"\nkind = "limit"\n'
        f'message = "Runs stay short."\nmax_makespan = {limit}\n',
        encoding="utf-8",
    )
    return path


def _ninety(folder: Path) -> list[ev.Event]:
    """Two tasks side by side, then a third: 90 in the stream's unit."""
    return events_of(two_at_once(folder))


def _thirty(folder: Path) -> list[ev.Event]:
    return events_of(scenario_file(folder, [{"id": "quick", "capability": "code.implement", "expected_time": "30m"}]))


def _saved(folder: Path, events: list[ev.Event]) -> Path:
    path = folder / "events.jsonl"
    path.write_text(dump_events(events), encoding="utf-8")
    return path


def test_a_one_minute_limit_fails_a_ninety_second_run_and_says_so_in_seconds(tmp_path: Path) -> None:
    events = on_the_wall_clock(_ninety(tmp_path))
    result = run_cli("check", _saved(tmp_path, events), "--policy", _policy(tmp_path, '"1m"'))
    assert result.code == 1, result.out
    assert "makespan 1m 30s exceeds 1 min" in result.out
    assert f"event #{events[-1].seq} at 0:01:30;" in result.out


def test_a_one_minute_limit_passes_a_thirty_second_run(tmp_path: Path) -> None:
    events = on_the_wall_clock(_thirty(tmp_path))
    result = run_cli("check", _saved(tmp_path, events), "--policy", _policy(tmp_path, "1"))
    assert result.code == 0, result.out
    assert "PASS" in result.out


def test_a_replay_is_held_to_minutes_and_worded_as_before(tmp_path: Path) -> None:
    events = _thirty(tmp_path)  # thirty minutes: over a one-minute limit
    result = run_cli("check", _saved(tmp_path, events), "--policy", _policy(tmp_path, "1"))
    assert result.code == 1
    assert "makespan 30 min exceeds 1 min" in result.out
    assert f"event #{events[-1].seq} at 0:30;" in result.out


@pytest.mark.parametrize(
    ("live", "run", "passed", "detail"),
    [
        (True, _ninety, False, "makespan was 1m 30s"),
        (True, _thirty, True, "makespan was 30s"),
        (False, _thirty, False, "makespan was 30 min"),
    ],
)
def test_expect_max_makespan_is_minutes_against_either_clock(
    tmp_path: Path, live: bool, run: Callable[[Path], list[ev.Event]], passed: bool, detail: str
) -> None:
    events = run(tmp_path)
    if live:
        events = on_the_wall_clock(events)
    policy = load_policy(_policy(tmp_path, "600"))
    result = check_events(events, [policy], expect=Expectations.model_validate({"max_makespan": "1m"}))
    (expectation,) = result.expectations
    assert expectation.name == "makespan at most 1 min"
    assert (expectation.passed, expectation.detail) == (passed, detail)
