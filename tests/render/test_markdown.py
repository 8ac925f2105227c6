from __future__ import annotations

import re
from pathlib import Path

import pytest

from rolecall.files import write_text_atomic
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render.markdown import markdown_transcript
from tests.conftest import ROOT, SCENARIOS, run_cli
from tests.orchestrator.helpers import run_started
from tests.render.runs import events_of, scenario_file, two_at_once

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


def test_no_go_is_answered_and_lists_missing_items_and_unreached_tasks_once() -> None:
    text = transcript(SCENARIOS / "prerequisites-no-go.toml")
    answer = next(line for line in text.splitlines() if line.startswith("`[0:05]` **Kai** (@orchestrator): NO-GO"))
    assert "Stripe MCP server (mcp-server) and STRIPE_SECRET_KEY (env-var)" in answer
    assert "The user must provide them" in answer and "@resource-verifier Reese" in answer
    # Each unreached task once, never followed by the gate's reason again.
    for task in ("design-portal", "design-billing-page", "portal-session-action", "billing-page", "deploy-portal"):
        assert text.count(f"`{task}`") == 1
    assert text.count("prerequisites gate said NO-GO: missing") == 0
    summary = text[text.index("## Summary") :]
    assert "0m in parallel" not in summary and "n/a" not in summary and "0 personas" not in summary


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
    critical = {t.summary for t in run_started(events).plan if t.critical}
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


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_stream_has_its_own_marker_and_phases_are_numbered_in_plan_order() -> None:
    text = transcript(SCENARIOS / "stripe-subscription.toml")
    phases = [h for h in _headings(text) if h.startswith("## Phase")]
    assert phases == [
        "## Phase 1: Design (PARALLEL)",
        "## Phase 2: Implementation (PARALLEL)",
        "## Phase 3: Testing and security review (PARALLEL)",
        "## Phase 4: Deployment (PARALLEL)",
    ]
    assert "**Stream: QA stream** (runs alongside the phases" in text
    # Work of the phases after the stream starts stays under Phase 2, not under a stream heading.
    stream_at = text.index("**Stream: QA stream**")
    assert text.rindex("## ", 0, stream_at) == text.index("## Phase 2: Implementation")
    for line in text.splitlines():
        if "Write the test plan and fixtures" in line and line.startswith("`["):
            assert "[QA stream] **" in line, line
        if "Implement the Stripe webhook handlers" in line and line.startswith("`[") and "working on" in line:
            assert "[QA stream]" not in line, line


def test_checkins_count_the_phases_of_the_plan_without_streams() -> None:
    text = transcript(SCENARIOS / "user-management.toml")
    assert "- Phase: 1 of 5" in text and "- Phase: 2 of 5" in text
    assert "of 6" not in text


def test_phase_announcement_counts_the_agents_it_lists() -> None:
    for path in SHIPPED:
        text = transcript(path)
        for block in re.findall(r"> Starting .*? with (\d+) agents? in \w+:\n((?:> - .*\n)*)", text):
            listed = {line.split(":", 1)[0] for line in block[1].splitlines()}
            assert int(block[0]) == len(listed), (path.name, block)
    assert "Starting implementation phase with 1 agent in PARALLEL:" in transcript(
        SCENARIOS / "role-boundary-violation.toml"
    )


def test_decisions_say_who_approved_them() -> None:
    text = transcript(SCENARIOS / "inventory-alerts.toml")
    assert text.count("Approved by the user (scripted answer in the scenario) when Conductor asked") == 3


def test_escalation_names_the_planned_performer_and_the_target_by_name() -> None:
    text = transcript(SCENARIOS / "fallback-escalation.toml")
    line = next(line for line in text.splitlines() if "escalating *" in line)
    assert "to @orchestrator Claude" in line and "Gemini Flash" in line and "Local model" in line
    assert "local and its" not in line


def test_counts_are_pluralised(tmp_path: Path) -> None:
    summary = run_cli("replay", SCENARIOS / "role-boundary-violation.toml", "--format", "summary").out
    assert "Messages:   2 handoffs, 1 redirect" in summary and "1 redirects" not in summary
    html = run_cli("replay", SCENARIOS / "role-boundary-violation.toml", "--format", "html").out
    assert "1 redirect." in html and "1 redirects" not in html
    scenario = scenario_file(
        tmp_path,
        [{"id": "only", "capability": "code.implement"}],
        gate={"verifier": "evaluator", "requires": [{"kind": "env-var", "name": "KEY"}]},
        environment={"env_vars": ["KEY"]},
    )
    plan = run_cli("plan", scenario).out
    assert "checks 1 requirement first" in plan
    assert "(1 requirement checked)" in run_cli("replay", scenario, "--format", "summary").out


def test_unreached_tasks_share_their_reason_once(tmp_path: Path) -> None:
    scenario = scenario_file(
        tmp_path,
        [
            {"id": "base", "capability": "design.plan", "fails": 9},
            {"id": "next-a", "capability": "code.implement", "depends_on": ["base"]},
            {"id": "next-b", "capability": "code.implement", "depends_on": ["base"]},
        ],
    )
    text = transcript(scenario)
    section = text[text.index("## Not reached") : text.index("## Final report")]
    assert section.count("depends on failed task 'base'") == 1
    assert "`next-a`" in section and "`next-b`" in section


def test_gantt_gives_each_slot_a_section_and_marks_failures_reviews_and_rework(tmp_path: Path) -> None:
    text = transcript(two_at_once(tmp_path))
    assert "section Local model slot 1" in text and "section Local model slot 2" in text
    failing = transcript(SCENARIOS / "fallback-escalation.toml")
    gantt = failing[failing.index("```mermaid\ngantt") :]
    assert "failed attempt 1 - Implement the password reset endpoint :done, 0, 1200" in gantt
    assert gantt.count(":done,") == 4 and gantt.count(":crit,") == 2
    reviewed = transcript(SCENARIOS / "evaluator-optimizer.toml")
    assert "review round 1 - Refactor auth.py to async/await :active," in reviewed
    assert "rework round 2 - Refactor auth.py to async/await :active," in reviewed


def test_html_tags_in_values_do_not_become_markup(tmp_path: Path) -> None:
    """An agent's answer is text: '</details>' must not close the ledger, '<script>' must not run."""
    source = (SCENARIOS / "simple-request.toml").read_text(encoding="utf-8")
    source = re.sub(r'deliverable = "[^"]*"', 'deliverable = "Done </details><script>x()</script> in <100ms"', source)
    path = tmp_path / "tags.toml"
    path.write_text(source, encoding="utf-8")
    text = transcript(path)
    assert "&lt;/details>&lt;script>x()&lt;/script> in <100ms" in text
    assert "</details><script>" not in text


def test_an_empty_phase_is_said_to_have_nothing_to_hand_out(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        [{"id": "only", "capability": "code.implement"}],
        phase=[{"id": "work", "title": "Work"}, {"id": "later", "title": "Later"}],
    )
    text = markdown_transcript(events_of(path))
    assert "## Phase 2: Later (PARALLEL)" in text
    assert "No tasks to hand out in this phase; it completes at once." in text
    assert "with 0 agents" not in text
    assert "1 task across 1 persona in 2 phases: orchestration needed" in text  # not a "simple request"
