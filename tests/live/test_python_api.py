"""A live run from Python, as docs/live.md shows it: load, plan on the seconds clock, run, freeze."""

from __future__ import annotations

from pathlib import Path

import rolecall
from rolecall.files import load_agents, plan_file
from rolecall.live import freeze, planned_live, run_live

from .runs import SCENARIO, agents_file


def test_a_live_run_from_python_can_be_frozen_and_replayed(tmp_path: Path) -> None:
    plan = plan_file(SCENARIO)
    agents, bindings = load_agents(agents_file(tmp_path), plan.cast)
    live = run_live(
        planned_live(plan, agents.run.retries),
        bindings,
        agents.run,
        None,  # the shipped templates
        tmp_path / "run",
        here=tmp_path,
        workdir=tmp_path / "work",  # created when missing
        approver=None,
    )
    assert live.completed and (tmp_path / "work").is_dir()
    frozen = freeze(str(tmp_path / "run"), str(tmp_path / "frozen.toml"))
    assert rolecall.replay(frozen).completed
