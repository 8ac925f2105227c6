from __future__ import annotations

import re
from pathlib import Path

from rolecall.figures import duration
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render.report import report_text
from tests.conftest import SCENARIOS, run_cli
from tests.orchestrator.helpers import run_finished, run_started
from tests.render.runs import events_of, two_at_once


def test_authentication_report_states_times_the_events_imply() -> None:
    events = Coordinator(plan_file(SCENARIOS / "authentication.toml")).events()
    final = run_finished(events)
    busy = sum(e.duration for e in events if e.kind == "task_started")
    first_work = min(e.at for e in events if e.kind == "task_started")
    last_end = max(e.at for e in events if e.kind in ("task_finished", "task_failed", "review_round"))
    assert final.sequential_time == busy == 480
    assert final.makespan == last_end - first_work == 180
    text = report_text(events)
    assert f"| makespan | {duration(180)} |" in text and f"| planned work | {duration(480)} |" in text
    assert "| speed-up | 2.67x (62% less time than one after another) |" in text


def test_inventory_report_has_one_row_per_agent_that_worked() -> None:
    events = Coordinator(plan_file(SCENARIOS / "inventory-alerts.toml")).events()
    worked = {e.persona for e in events if e.kind == "task_started"}
    names = {p.id: p.name for p in run_started(events).personas}
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


def _agent_rows(text: str) -> dict[str, dict[str, str]]:
    """The agent table as agent name -> column -> cell."""
    table = text[text.index("## Agent performance") : text.index("## Phases")]
    rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in table.splitlines() if line.startswith("| ")]
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _minutes(text: str) -> int:
    hours = re.search(r"(\d+)h", text)
    mins = re.search(r"(\d+)m", text)
    return (int(hours.group(1)) * 60 if hours else 0) + (int(mins.group(1)) if mins else 0)


def test_busy_and_idle_are_per_slot_and_never_above_the_makespan(tmp_path: Path) -> None:
    events = events_of(two_at_once(tmp_path))
    makespan = run_finished(events).makespan
    assert makespan == 90
    row = _agent_rows(report_text(events))["Local model"]
    assert row["Slots"] == "2"
    assert _minutes(row["Busy"]) == 75 and _minutes(row["Idle"]) == 15  # 2h 30m of activity over 2 slots
    stripe = events_of(SCENARIOS / "stripe-subscription.toml")
    for name, row in _agent_rows(report_text(stripe)).items():
        if row["Busy"] != "-":
            assert _minutes(row["Busy"]) + _minutes(row["Idle"]) == run_finished(stripe).makespan, name


def test_critical_path_advice_names_tied_tasks_together_never_one_alone() -> None:
    text = report_text(events_of(SCENARIOS / "stripe-subscription.toml"))
    advice = text[text.index("## Optimisation opportunities") :]
    shortening = next(line for line in advice.splitlines() if "shortening" in line and "shortens the run" in line)
    # design-stripe (45m) runs beside design-pricing-ui (45m): shortening it alone changes nothing.
    assert "design-stripe" not in shortening
    assert "design-stripe with design-pricing-ui" in advice
    for task in ("subscription-migrations", "checkout-action", "checkout-integration", "test-subscriptions"):
        assert task in shortening


def test_critical_path_advice_in_sequential_mode_does_not_single_out_the_path() -> None:
    text = report_text(events_of(SCENARIOS / "sequential-auth.toml"))
    assert "shortening any task shortens the run" in text
    assert "each lies on every critical path" not in text


def test_blocked_run_gets_a_short_report() -> None:
    text = report_text(events_of(SCENARIOS / "prerequisites-no-go.toml"))
    assert "speed-up" not in text.lower() and "Critical path" not in text and "Optimisation" not in text
    assert "0m in parallel" not in text and "n/a" not in text
    missing = text[text.index("## Missing prerequisites") : text.index("## Not started")]
    assert missing.count("Stripe MCP server") == 1 and missing.count("STRIPE_SECRET_KEY") == 1
    assert "The user must provide them" in missing and "Reese (@resource-verifier) checks" in missing
    not_started = text[text.index("## Not started") :]
    for task in ("design-portal", "design-billing-page", "portal-session-action", "billing-page", "deploy-portal"):
        assert not_started.count(f"`{task}`") == 1
