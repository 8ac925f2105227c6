"""A live run's stream is on the wall clock in seconds: every view says so and prints h:mm:ss.

The seconds streams here are replays relabelled with ``clock = "seconds"``:
the numbers stay, so a 65-minute task becomes a 65-second one, and every view
must read them as seconds.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rolecall import events as ev
from rolecall.events import dump_events
from rolecall.figures import duration
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render.html import html_page
from rolecall.render.markdown import markdown_transcript
from rolecall.render.mermaid import MermaidBuilder
from rolecall.render.parts import clock, live_start
from rolecall.render.plan_text import plan_text
from rolecall.render.report import report_text
from rolecall.render.summary import summary_text
from tests.conftest import SCENARIOS, run_cli
from tests.render.live_runs import on_the_wall_clock
from tests.render.runs import events_of, scenario_file, two_at_once

SAID = "Live run started 2026-11-29 21:03:05 UTC; times are elapsed wall-clock time (h:mm:ss)"
MINUTES_STAMP = re.compile(r"`\[\d+:\d\d\]`")


def short_run(folder: Path) -> list[ev.Event]:
    """One task of 65 and one of 25 after it: as seconds, a run of 1m 30s whose first task ends at 0:01:05."""
    path = scenario_file(
        folder,
        [
            {"id": "build", "capability": "code.implement", "expected_time": "65m"},
            {"id": "check", "capability": "code.implement", "expected_time": "25m", "depends_on": ["build"]},
        ],
        name="short-run",
    )
    return on_the_wall_clock(events_of(path))


# -- the units ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0s"), (45, "45s"), (60, "1m"), (125, "2m 05s"), (3600, "1h"), (3605, "1h 00m 05s"), (3720, "1h 02m"),
     (3725, "1h 02m 05s"), (90061, "25h 01m 01s")],
)  # fmt: skip
def test_durations_in_seconds(seconds: int, shown: str) -> None:
    assert duration(seconds, "seconds") == shown


@pytest.mark.parametrize(("minutes", "shown"), [(0, "0m"), (45, "45m"), (120, "2h"), (150, "2h 30m"), (605, "10h 05m")])
def test_durations_in_minutes_read_as_always(minutes: int, shown: str) -> None:
    assert duration(minutes) == duration(minutes, "minutes") == shown


@pytest.mark.parametrize(("at", "shown"), [(0, "0:00:00"), (65, "0:01:05"), (3725, "1:02:05"), (36000, "10:00:00")])
def test_clock_in_seconds(at: int, shown: str) -> None:
    assert clock(at, "seconds") == shown


def test_clock_in_minutes_reads_as_always() -> None:
    assert clock(65) == clock(65, "minutes") == "1:05"


def test_the_start_line_names_the_start_in_utc_or_says_nothing_for_a_replay(tmp_path: Path) -> None:
    start = next(e for e in short_run(tmp_path) if isinstance(e, ev.RunStarted))
    assert live_start(start) == SAID
    assert live_start(dataclasses.replace(start, wall_start="2026-11-29T22:03:05+01:00")) == SAID
    # A scenario frozen from a live run replays in seconds, with no wall-clock start.
    assert live_start(dataclasses.replace(start, wall_start="")) == (
        "Times are seconds (h:mm:ss), as measured in the live run the scenario was frozen from"
    )
    assert live_start(dataclasses.replace(start, clock="minutes", wall_start="")) == ""


# -- what a reader sees ------------------------------------------------------------------


def test_the_transcript_prints_seconds_and_says_when_the_run_started(tmp_path: Path) -> None:
    text = markdown_transcript(short_run(tmp_path))
    lines = text.splitlines()
    first_message = next(i for i, line in enumerate(lines) if line.startswith("`["))
    assert lines.index(f"{SAID}.") < first_message
    assert text.count(SAID) == 1  # the report inside the transcript does not say it again
    assert "`[0:00:00]`" in text and "`[0:01:05]`" in text and "`[0:01:30]`" in text
    assert not MINUTES_STAMP.search(text)
    assert "working on *Do build* (1m 05s)" in text and "working on *Do check* (25s)" in text
    assert "planned work 1m 30s (expected times, each task once, one after another)" in text
    assert "| makespan | 1m 30s |" in text
    assert "Makespan 1m 30s for planned work 1m 30s" in text
    assert "axisFormat %H:%M:%S" in text


def test_the_page_prints_seconds_and_says_when_the_run_started(tmp_path: Path) -> None:
    page = html_page(short_run(tmp_path))
    header = page[page.index("<header>") : page.index("</header>")]
    assert f"<p class=clock>{SAID}.</p>" in header
    assert "makespan 1m 30s" in header
    assert "<code>[0:01:05]</code>" in page and not re.search(r"<code>\[\d+:\d\d\]</code>", page)
    timeline = page[page.index('<svg id="timeline-svg"') :]
    ticks = re.findall(r"<text class=tick [^>]*>([^<]*)</text>", timeline)
    assert ticks and all(re.fullmatch(r"\d+:\d\d:\d\d", tick) for tick in ticks)
    assert "work, 0:00:00-0:01:05</title>" in timeline


def test_the_report_prints_its_figures_in_seconds(tmp_path: Path) -> None:
    text = report_text(short_run(tmp_path))
    assert text.splitlines()[2] == f"{SAID}."
    for row in ("| planned work | 1m 30s |", "| work done | 1m 30s |", "| makespan | 1m 30s |"):
        assert row in text
    assert "| critical path | 1m 30s |" in text
    assert "build (Gemini Flash, 1m 05s) -> check (Gemini Flash, 25s)" in text


def test_the_summary_prints_seconds(tmp_path: Path) -> None:
    text = summary_text(short_run(tmp_path))
    assert text.splitlines()[1] == SAID
    assert "makespan 1m 30s" in text and "work done 1m 30s" in text


def test_the_gantt_chart_places_seconds_as_seconds(tmp_path: Path) -> None:
    diagrams = MermaidBuilder()
    for event in short_run(tmp_path):
        diagrams(event)
    gantt = "\n".join(diagrams.gantt())
    assert "axisFormat %H:%M:%S" in gantt
    assert ":crit, 0, 65" in gantt and ":crit, 65, 90" in gantt


def test_the_plan_printout_takes_the_unit_of_its_plan(tmp_path: Path) -> None:
    plan = plan_file(two_at_once(tmp_path))
    final = Coordinator(plan).events()[-1]
    assert isinstance(final, ev.RunFinished)
    live, replay = plan_text(plan, final, "seconds"), plan_text(plan, final)
    assert "Makespan:   1m 30s in parallel" in live and "bulk-c (local, 30s)" in live
    assert "Makespan:   1h 30m in parallel" in replay and "bulk-c (local, 30m)" in replay


def test_a_live_decision_is_the_users_answer_not_a_script() -> None:
    replay = events_of(SCENARIOS / "inventory-alerts.toml")
    live = markdown_transcript(on_the_wall_clock(replay))
    assert "scripted" not in live
    assert "Feature Planner**: Analyze and create specifications for real-time inventory alerts (time: 30s)" in live
    assert "> - Time: 50s elapsed" in live
    assert "Answer: Y. Approved by the user at the check-in when Conductor asked; Conductor continues with" in live
    assert "Approved by the user (scripted answer in the scenario)" in markdown_transcript(replay)


def test_a_saved_live_stream_renders_the_same_from_the_file(tmp_path: Path) -> None:
    events = short_run(tmp_path)
    saved = tmp_path / "events.jsonl"
    saved.write_text(dump_events(events), encoding="utf-8")
    assert '"clock":"seconds","wall_start":"2026-11-29T21:03:05Z"}' in saved.read_text(encoding="utf-8")
    result = run_cli("render", saved)
    assert result.code == 0, result.err
    assert result.out == markdown_transcript(events)


def test_a_start_that_is_not_utc_iso_8601_is_refused_when_read(tmp_path: Path) -> None:
    saved = tmp_path / "events.jsonl"
    saved.write_text(dump_events(on_the_wall_clock(short_run(tmp_path), "yesterday")), encoding="utf-8")
    result = run_cli("render", saved)
    assert result.code == 2
    assert "wall_start" in result.err


# -- replays are untouched ----------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["inventory-alerts", "fallback-escalation", "prerequisites-no-go"])
def test_a_replay_says_nothing_of_a_wall_clock_and_keeps_h_mm(scenario: str) -> None:
    events = events_of(SCENARIOS / f"{scenario}.toml")
    start = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (start.clock, start.wall_start) == ("minutes", "")
    text = markdown_transcript(events)
    assert "Live run" not in text and "wall-clock" not in text
    assert MINUTES_STAMP.search(text) and not re.search(r"`\[\d+:\d\d:\d\d\]`", text)
    assert "Live run" not in html_page(events) and "Live run" not in report_text(events)


def test_a_scenario_on_the_seconds_clock_reads_durations_with_units_as_those_spans(tmp_path: Path) -> None:
    """'1.5h' in a frozen live run is an hour and a half, not 90 seconds; plan and replay say the same."""
    path = scenario_file(
        tmp_path,
        [
            {"id": "build", "capability": "code.implement", "expected_time": "1.5h"},
            {"id": "check", "capability": "code.implement", "expected_time": 90, "depends_on": ["build"]},
            {
                "id": "tidy",
                "capability": "code.implement",
                "expected_time": "2m30s",
                "review": {"reviewer": "evaluator", "verdicts": ["approved"], "review_time": "1m", "rework_time": "45"},
            },
        ],
        clock="seconds",
        gate={"time": "5m"},
    )
    plan = plan_file(path)
    tasks = {t.id: t for t in plan.scenario.task}
    assert [tasks[t].expected_time for t in ("build", "check", "tidy")] == [5400, 90, 150]
    review = tasks["tidy"].review
    assert review is not None and (review.review_time, review.rework_time) == (60, 45)
    assert plan.scenario.gate is not None and plan.scenario.gate.time == 300
    planned = run_cli("plan", path)
    replayed = run_cli("replay", path, "--format", "summary")
    assert "Critical path (1h 31m 30s)" in planned.out, planned.out
    assert "critical path 1h 31m 30s" in replayed.out, replayed.out


def test_a_minutes_scenario_keeps_reading_durations_as_minutes(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, [{"id": "build", "capability": "code.implement", "expected_time": "1.5h"}])
    assert plan_file(path).scenario.task[0].expected_time == 90
