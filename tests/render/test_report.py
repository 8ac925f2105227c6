from __future__ import annotations

import re
from pathlib import Path

from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render._format import duration, percent_faster
from rolecall.render.report import report_text
from tests.conftest import SCENARIOS, run_cli


def test_authentication_report_states_times_the_events_imply() -> None:
    events = Coordinator(plan_file(SCENARIOS / "authentication.toml")).events()
    final = events[-1]
    busy = sum(e.duration for e in events if e.kind == "task_started")
    first_work = min(e.at for e in events if e.kind == "task_started")
    last_end = max(e.at for e in events if e.kind in ("task_finished", "task_failed", "review_round"))
    assert final.sequential_time == busy == 480
    assert final.makespan == last_end - first_work == 180
    text = report_text(events)
    assert f"**Time:** {duration(180)} in parallel against {duration(480)} of work" in text
    assert f"{percent_faster(480, 180)} saved" in text and "62% saved" in text


def test_inventory_report_has_one_row_per_agent_that_worked() -> None:
    events = Coordinator(plan_file(SCENARIOS / "inventory-alerts.toml")).events()
    worked = {e.persona for e in events if e.kind == "task_started"}
    names = {p.id: p.name for p in events[0].personas}
    text = report_text(events)
    table = text[text.index("## Agent performance") : text.index("## Phases")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Agent")]
    assert sorted(r.split(" | ")[0].removeprefix("| ") for r in rows) == sorted(names[p] for p in worked)
    for row in rows:
        tasks = int(row.split(" | ")[1])
        name = row.split(" | ")[0].removeprefix("| ")
        pid = next(p for p, n in names.items() if n == name)
        assert tasks == sum(1 for e in events if e.kind == "task_finished" and e.persona == pid)


def test_report_names_work_that_waited_for_a_busy_persona() -> None:
    text = report_text(Coordinator(plan_file(SCENARIOS / "stripe-subscription.toml")).events())
    assert re.search(r"checkout-action was ready at 1h 20m but waited 1h for Morgan", text)


def test_report_is_a_pure_function_of_the_events(tmp_path: Path) -> None:
    scenario = SCENARIOS / "inventory-alerts.toml"
    run_cli("replay", scenario, "-o", tmp_path)
    from_events = run_cli("report", tmp_path / "events.jsonl")
    from_scenario = run_cli("report", scenario)
    assert from_events.code == from_scenario.code == 0
    assert from_events.out == from_scenario.out
    assert "## Agent performance" in from_events.out and "## Phases" in from_events.out


def test_transcript_ends_with_the_report_and_keeps_a_ledger() -> None:
    text = run_cli("replay", SCENARIOS / "sequential-auth.toml").out
    assert text.index("## Final report") < text.index("## Summary")
    assert "**Progress**: 3/18 tasks complete (17%)" in text
    assert "  - [x] Task 1.1: Database schema for the users table ✓" in text
