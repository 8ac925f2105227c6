from __future__ import annotations

from pathlib import Path

import pytest

from rolecall.files import write_text_atomic
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render.markdown import markdown_transcript
from tests.conftest import ROOT, SCENARIOS, run_cli

GOLDEN = ROOT / "tests" / "golden"
SHIPPED = sorted(SCENARIOS.glob("*.toml"))


def transcript(path: Path) -> str:
    return markdown_transcript(Coordinator(plan_file(path)).events())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_transcript_matches_golden(path: Path, update_golden: bool) -> None:
    golden = GOLDEN / f"{path.stem}.md"
    text = transcript(path)
    if update_golden:
        write_text_atomic(golden, text)
        return
    assert golden.is_file(), f"no golden transcript for {path.name}; run: pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{path.name} transcript changed; review the diff and run: pytest --update-golden"
    )


def test_boundary_violation_transcript_tells_the_story() -> None:
    text = transcript(SCENARIOS / "role-boundary-violation.toml")
    stop = text.index("STOP: Sam, this task is outside your role.")
    reasons = text.index("- Business logic implementation", stop)
    instead = text.index("- Build the UI that will call this Server Action", reasons)
    handback = text.index("Handing off to Sam", instead)
    assert stop < reasons < instead < handback
    assert "**Morgan** (@backend):" in text[instead:handback]


def test_transcript_marks_parallel_phases_handles_and_time() -> None:
    text = transcript(SCENARIOS / "stripe-subscription.toml")
    assert "## Phase 1: Design (PARALLEL)" in text
    assert "Starting design phase with 4 agents in PARALLEL:" in text
    assert "`[0:05]` **Reese** (@resource-verifier):" in text
    assert "Prerequisites verified. Ready to proceed. GO." in text
    assert "Deployment gate open:" in text
    assert "## Summary" in text


def test_no_go_transcript_lists_what_is_missing_and_the_unreached_tasks() -> None:
    text = transcript(SCENARIOS / "prerequisites-no-go.toml")
    assert "NO-GO: missing" in text
    assert "## Not reached" in text


def test_render_equals_replay(tmp_path: Path) -> None:
    for path in (SCENARIOS / "stripe-subscription.toml", SCENARIOS / "role-boundary-violation.toml"):
        out = tmp_path / path.stem
        run_cli("replay", path, "-o", out)
        rendered = run_cli("render", out / "events.jsonl", "--format", "md")
        assert rendered.code == 0
        assert rendered.out == (out / "transcript.md").read_text(encoding="utf-8")


def test_mermaid_gantt_has_one_bar_per_activity_and_marks_the_critical_path() -> None:
    events = Coordinator(plan_file(SCENARIOS / "stripe-subscription.toml")).events()
    text = markdown_transcript(events)
    gantt = text[text.index("```mermaid\ngantt") :]
    gantt = gantt[: gantt.index("```\n", 4)]
    bars = [line for line in gantt.splitlines() if line.startswith("    ") and " :" in line]
    assert len(bars) == sum(1 for e in events if e.kind == "task_started")
    critical = {t.summary for t in events[0].plan if t.critical}
    assert all((":crit," in bar) == (bar.split(" :")[0].strip() in critical) for bar in bars)


def test_mermaid_sequence_shows_every_handoff_and_redirect() -> None:
    events = Coordinator(plan_file(SCENARIOS / "role-boundary-violation.toml")).events()
    text = markdown_transcript(events)
    sequence = text[text.index("```mermaid\nsequenceDiagram") :]
    sequence = sequence[: sequence.index("```\n", 4)]
    assert "kai--xsam: STOP create-user-action" in sequence
    assert "kai-->>morgan: redirect create-user-action" in sequence
    assert sequence.count("handoff") == sum(1 for e in events if e.kind == "handoff")


def test_html_render_equals_replay(tmp_path: Path) -> None:
    run_cli("replay", SCENARIOS / "inventory-alerts.toml", "-o", tmp_path)
    rendered = run_cli("render", tmp_path / "events.jsonl", "--format", "html")
    assert rendered.code == 0
    assert rendered.out == (tmp_path / "transcript.html").read_text(encoding="utf-8")
    assert rendered.out.startswith("<!doctype html>")
