"""The acceptance commands of live runs, run as a user runs them: the real command, in a fresh process."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rolecall.files import read_events
from tests.conftest import ROOT, Cli


def test_the_shipped_example_completes_with_the_fake_agents(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    result = cli("run", "scenarios/rest-api-delegation.toml", "--live", "-o", folder, cwd=ROOT)
    assert result.code == 0, result.err
    assert result.err == ""  # no terminal: no progress line
    assert "Outcome:    completed (all 10 tasks done)" in result.out
    assert "Agents:     10 activities" in result.out
    events = read_events(folder / "events.jsonl")
    assert events[0].kind == "run_started" and events[0].clock == "seconds"
    assert events[-1].kind == "run_finished" and events[-1].outcome == "completed"
    transcript = (folder / "transcript.md").read_text(encoding="utf-8")
    assert "Live run started" in transcript and "`[0:00:0" in transcript
    # Pro's design reached Flash: the implementation prompt carries the planning report's sections.
    prompt = next((folder / "prompts").glob("*-api-implementation-work1-implementer.prompt.md"))
    assert "IMPLEMENTATION TASK" in prompt.read_text(encoding="utf-8")
    assert "### Decisions" in prompt.read_text(encoding="utf-8")
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["scenario"].endswith("rest-api-delegation.toml")


def test_a_binding_to_a_missing_command_is_exit_2_before_anything_starts(cli: Cli, tmp_path: Path) -> None:
    agents = tmp_path / "agents.toml"
    agents.write_text('[defaults]\npreset = "claude"\n\n[agent.planner]\ncommand = ["gemini-not-installed"]\n')
    folder = tmp_path / "run"
    result = cli("run", "scenarios/rest-api-delegation.toml", "--live", "--agents", agents, "-o", folder, cwd=ROOT)
    assert result.code == 2
    assert "command 'gemini-not-installed' is not on PATH; needed by persona 'planner'" in result.err
    assert not folder.exists()


def test_the_progress_line_names_who_works_on_what() -> None:
    from rolecall.live.progress import Progress

    class Act:
        persona, activity = "planner", "work"

    class Task:
        id = "api-design"

    class Run:
        activity, task, launched = Act(), Task(), 0.0

    class Backend:
        def __init__(self) -> None:
            self.live = [Run()]

        def elapsed(self) -> int:
            return 65

    shown = io.StringIO()
    progress = Progress(10, shown)
    progress.redraw(Backend())
    progress.close()
    text = shown.getvalue()
    assert "[0:01:05] 0/10 tasks settled | planner: api-design (work)" in text
    assert text.endswith("\r\x1b[K")
