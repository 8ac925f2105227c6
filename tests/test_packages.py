"""Package boundaries: the event stream stands alone, and every subpackage's public names are pinned."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PUBLIC = {
    "rolecall.backends": ["Activity", "ActivityKind", "Backend", "Clock", "Completion", "Outcome", "ScriptedBackend"],
    "rolecall.events": [
        "ASSIGN_REASONS", "OUTCOMES", "AssignReason", "CapabilityId", "CheckInHeld", "DecisionMade",
        "DecisionOptionView", "Escalation", "Event", "EventBase", "GateChecked", "GateVerdict", "Handle",
        "Handoff", "Identifier", "JsonlSink", "Outcome", "PersonaView", "PhaseFinished", "PhaseGateOpened",
        "PhaseStarted", "Redirect", "ReviewRound", "RunFinished", "RunStarted", "RunStartedCheck", "Sink",
        "StreamCheck", "TaskAssigned", "TaskFailed", "TaskFinished", "TaskSkipped", "TaskStarted",
        "TaskSubmitted", "TaskUnreached", "TaskView", "Violation", "check_stream", "dump_events", "event_adapter",
        "event_line", "fan_out", "iter_events", "load_events",
    ],
    "rolecall.files": [
        "MAX_FILE_BYTES", "MAX_LINE_BYTES", "atomic_writer", "check_input_dir", "check_output_dir",
        "check_output_file", "collect_targets", "default_policies", "default_targets", "is_dir", "is_file",
        "iter_lines", "load_agents", "load_cast", "load_policies", "load_policy", "load_scenario", "load_templates",
        "plan_file", "read_bytes", "read_events", "read_stdin", "read_text", "stream_events", "write_text_atomic",
    ],
    "rolecall.handoffs": ["SPEAKER", "TEMPLATES", "Template", "TemplateLibrary", "load_templates", "parse_template"],
    "rolecall.interop": [
        "agents_md_text", "claude_code_files", "crewai_files", "find_crew_files", "import_claude_code",
        "import_crewai", "import_role_boundaries",
    ],
    "rolecall.live": [
        "PRESETS", "AgentAnswer", "AgentSettings", "AgentsFile", "Binding", "LiveBackend", "LiveRun", "Preset",
        "RunSettings", "freeze", "live_scenario", "planned_live", "read_answer", "resolve_agents", "run_live",
    ],
    "rolecall.orchestrator": ["Coordinator", "Plan", "Scenario", "Task", "build_plan", "load_scenario", "plan_file"],
    "rolecall.policies": [
        "BoundaryRule", "Expectation", "ExpectationTracker", "Finding", "GateRule", "LimitRule", "OrderRule",
        "Policy", "PolicyEvaluator", "RouteRule", "Rule", "evaluate", "load_policy", "policy_from_document",
    ],
    "rolecall.render": ["summary_text"],
    "rolecall.roles": [
        "Capability", "CapabilityMatch", "Cast", "CastManifest", "DEFAULT_CAST", "NeverJob", "OwnedCapability",
        "Persona", "PersonaKind", "Prose", "Route", "cast_folder", "cast_from_documents", "load_cast",
        "resolve_cast", "route", "shipped_casts",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_names_of_each_subpackage_are_pinned(name: str) -> None:
    module = importlib.import_module(name)
    assert sorted(module.__all__) == sorted(PUBLIC[name]), f"{name}.__all__ changed; update the pin deliberately"
    for attribute in module.__all__:
        assert hasattr(module, attribute), f"{name}.{attribute}"


def test_the_event_stream_loads_no_engine_renderer_or_policy() -> None:
    """Tools that only read or write streams must not pay for, or depend on, the coordinator."""
    code = (
        "import sys, rolecall.events\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('rolecall.'))\n"
        "print('\\n'.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = result.stdout.split()
    forbidden = [m for m in loaded if m.startswith(("rolecall.orchestrator", "rolecall.render", "rolecall.policies"))]
    assert forbidden == []
    helpers = ("rolecall.errors", "rolecall._lazy", "rolecall._records")
    assert all(m in helpers or m.startswith("rolecall.events") for m in loaded), loaded


def test_a_replay_loads_nothing_of_live_runs() -> None:
    """Live runs (process management, loguru) cost a replay nothing: not even an import."""
    code = (
        "import sys\nfrom rolecall import cli\n"
        "cli.main(['replay', 'scenarios/stripe-subscription.toml', '--format', 'summary'])\n"
        "loaded = [m for m in sys.modules if m.startswith('rolecall.live.') or m == 'loguru']\n"
        "sys.stderr.write(' '.join(sorted(loaded)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stderr.split() == ["rolecall.live.cli"]


def test_a_misspelt_event_field_is_a_type_error() -> None:
    """Events are typed at construction: mypy rejects a misspelt field, and so does the constructor."""
    from rolecall.events import TaskSkipped

    with pytest.raises(TypeError):
        TaskSkipped(seq=0, at=0, actor="kai", task="t", reasn="typo")  # type: ignore[call-arg]


def test_mypy_rejects_a_misspelt_event_field() -> None:
    snippet = ROOT / "build" / "misspelt_event.py"
    snippet.parent.mkdir(exist_ok=True)
    snippet.write_text(
        "from rolecall.events import TaskSkipped\n\nTaskSkipped(seq=0, at=0, actor='kai', task='t', reasn='typo')\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(snippet)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert 'Unexpected keyword argument "reasn" for "TaskSkipped"' in result.stdout


def test_the_coordinator_runs_on_any_backend() -> None:
    """The seam: a backend that performs differently changes outcomes, never the coordinator's rules."""
    from rolecall.backends import Completion, Outcome, ScriptedBackend
    from rolecall.events import Event
    from rolecall.orchestrator import Coordinator, plan_file

    class EverythingFailsOnce(ScriptedBackend):
        """Scripted, except that every first work attempt fails."""

        def next_completions(self) -> tuple[int, list[Completion]]:
            now, done = super().next_completions()
            return now, [
                Completion(c.activity, c.started, Outcome(ok=False))
                if c.activity.activity == "work" and c.activity.attempt == 1
                else c
                for c in done
            ]

    plan = plan_file(ROOT / "scenarios" / "stripe-subscription.toml")
    events: list[Event] = []
    final = Coordinator(plan, EverythingFailsOnce()).run(events.append)
    failed = [e for e in events if e.kind == "task_failed"]
    assert len(failed) == len(plan.tasks) and final.outcome == "completed"
    assert Coordinator(plan).run(lambda _e: None).makespan < final.makespan
