"""A task that fails for good reads as failed in the transcript, with the reason nobody took it over."""

from __future__ import annotations

import shutil
from pathlib import Path

from rolecall import replay
from rolecall.files import load_cast
from tests.conftest import SCENARIOS, run_cli


def test_a_declined_escalation_is_explained_and_the_task_marked_failed(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    text = (SCENARIOS / "role-boundary-violation.toml").read_text(encoding="utf-8")
    marker = 'attempted_by = "sam"'
    assert marker in text
    # Sam's own UI task fails every attempt; Kai may never do frontend work, so nobody takes it over.
    scenario.write_text(text[: text.index("[expect]")].replace('summary = "Build', 'fails = 99\nsummary = "Build', 1))
    result = run_cli("replay", scenario)
    assert result.code == 1
    assert "'frontend.ui' is never kai's job, so kai does not take it over and the task fails." in result.out
    assert "| Implementation | 3 | did not finish | - |" in result.out, "the phases table of a finished run"
    assert "in progress" not in result.out


def test_a_redirect_of_a_persona_without_instead_lines_has_no_empty_heading(tmp_path: Path) -> None:
    cast_dir = tmp_path / "cast"
    shutil.copytree(SCENARIOS.parent / "roles" / "product-team", cast_dir)
    sam = cast_dir / "sam.toml"
    lines = [line for line in sam.read_text(encoding="utf-8").splitlines() if not line.startswith("instead")]
    sam.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_cast(cast_dir)
    scenario = tmp_path / "s.toml"
    text = (SCENARIOS / "role-boundary-violation.toml").read_text(encoding="utf-8")
    scenario.write_text(text.replace('cast = "product-team"', f'cast = "{cast_dir}"'), encoding="utf-8")
    transcript = replay(scenario).markdown()
    heading = transcript.index("Your role is to:")
    assert transcript[heading:].split("\n")[1].startswith("> - "), "the heading is followed by a line"


def test_a_phase_does_not_announce_work_a_decision_already_ruled_out() -> None:
    result = run_cli("replay", SCENARIOS / "inventory-alerts.toml")
    announcement = result.out.split("Starting implementation phase")[1].split("\n\n")[0]
    assert "Socket.io" in announcement and "native WebSockets" not in announcement
