"""One meaning per figure: every view prints the figures of rolecall.figures, named the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rolecall import events as ev
from rolecall.figures import FiguresTally, RunFigures, duration, said
from rolecall.render.html import html_page
from rolecall.render.markdown import markdown_transcript
from rolecall.render.report import report_text
from rolecall.render.summary import summary_text
from tests.conftest import SCENARIOS, run_cli
from tests.render.runs import events_of, failing

SPEEDUP = re.compile(r"(\d+\.\d\d)x")


def _speedup_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Speed-up:"))


def test_plan_and_replay_print_the_same_speedup_when_attempts_fail(tmp_path: Path) -> None:
    scenario = failing(tmp_path, 2)
    plan = run_cli("plan", scenario)
    replay = run_cli("replay", scenario, "--format", "summary")
    assert plan.code == replay.code == 0
    assert _speedup_line(plan.out).split(":", 1)[1].strip() == _speedup_line(replay.out).split(":", 1)[1].strip()


def test_more_failures_never_raise_the_speedup(tmp_path: Path) -> None:
    printed, computed = [], []
    for fails in range(4):
        events = events_of(failing(tmp_path, fails))
        match = SPEEDUP.search(summary_text(events))
        assert match is not None
        printed.append(float(match.group(1)))
        figures = RunFigures.from_events(events)
        assert figures is not None and figures.speedup is not None
        computed.append(figures.speedup)
    assert printed == sorted(printed, reverse=True)
    assert computed == sorted(computed, reverse=True)


def test_the_transcript_says_planned_work_at_both_ends_and_work_done_apart() -> None:
    text = markdown_transcript(events_of(SCENARIOS / "fallback-escalation.toml"))
    first = next(line for line in text.splitlines() if line.startswith("Scenario `"))
    summary = text[text.index("## Summary") :]
    assert "planned work 35m" in first and "planned work 35m" in summary
    assert "work done 1h 55m (1h 20m failed attempts)" in summary
    assert "of work one after another" not in text and "of work if done one after another" not in text


@pytest.mark.parametrize("scenario", ["sequential-auth", "evaluator-optimizer", "fallback-escalation"])
def test_no_view_says_in_parallel_against_sequential_or_negative_faster(scenario: str) -> None:
    events = events_of(SCENARIOS / f"{scenario}.toml")
    plan = run_cli("plan", SCENARIOS / f"{scenario}.toml").out
    texts = [summary_text(events), markdown_transcript(events), report_text(events), html_page(events), plan]
    for text in texts:
        assert not re.search(r"-\d+% (faster|saved)", text)
        assert "in parallel against" not in text and "in parallel instead of" not in text


def test_speedups_below_one_read_as_slower() -> None:
    plan = run_cli("plan", SCENARIOS / "evaluator-optimizer.toml").out
    assert "Speed-up:   0.53x (slower than one after another)" in plan
    sequential = run_cli("plan", SCENARIOS / "sequential-auth.toml").out
    assert "Speed-up:   1.00x (sequential mode: as long as one after another)" in sequential


@pytest.mark.parametrize("scenario", ["stripe-subscription", "fallback-escalation", "inventory-alerts"])
def test_every_view_prints_the_same_named_figures(scenario: str) -> None:
    events = events_of(SCENARIOS / f"{scenario}.toml")
    figures = RunFigures.from_events(events)
    assert figures is not None
    named = [figures.text("planned_work"), figures.text("makespan"), figures.text("critical_path")]
    views = {"summary": summary_text(events), "transcript": markdown_transcript(events), "html": html_page(events)}
    for view, text in views.items():
        for phrase in named:
            assert phrase in text.lower(), (view, phrase)  # a sentence may start with the name
        assert figures.speedup_text() in text, view
    # The plan names each figure in its row label.
    plan = run_cli("plan", SCENARIOS / f"{scenario}.toml").out
    assert f"Critical path ({duration(figures.critical_path)}):" in plan
    assert f"Sequential: {duration(figures.planned_work)} of planned work" in plan
    assert f"Makespan:   {duration(figures.makespan)} in parallel" in plan
    assert f"Speed-up:   {figures.speedup_text()}" in plan
    report = report_text(events)
    assert f"| planned work | {said('planned_work', figures.planned_work).split(' ', 2)[2]} |" in report
    assert f"| speed-up | {figures.speedup_text()} |" in report


def test_run_figures_api() -> None:
    events = events_of(SCENARIOS / "fallback-escalation.toml")
    start, final = events[0], events[-1]
    assert isinstance(start, ev.RunStarted) and isinstance(final, ev.RunFinished)
    plain = RunFigures.of_run(start, final)
    tallied = RunFigures.from_events(events)
    assert tallied is not None
    assert (plain.planned_work, plain.work_done, plain.makespan, plain.critical_path) == (35, 115, 115, 35)
    assert plain.speedup == tallied.speedup == pytest.approx(35 / 115)
    assert plain.split is None and tallied.split is not None and tallied.split.failed_attempts == 80
    assert tallied.text("work_done") == "work done 1h 55m (1h 20m failed attempts)"
    assert FiguresTally().figures() is None


def test_no_speedup_for_a_run_that_did_not_complete() -> None:
    blocked = RunFigures.from_events(events_of(SCENARIOS / "prerequisites-no-go.toml"))
    assert blocked is not None and blocked.speedup is None and blocked.blocked
    assert blocked.speedup_text() == "n/a (blocked at the gate: nothing ran)"
