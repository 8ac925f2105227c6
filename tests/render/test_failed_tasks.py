"""A task that fails for good reads as failed in the transcript, with the reason nobody took it over."""

from __future__ import annotations

from pathlib import Path

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
