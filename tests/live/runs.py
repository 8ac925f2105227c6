"""Running live runs against the fake agents, for the tests of this folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rolecall import cli
from rolecall.events import Event
from rolecall.files import read_events

HERE = Path(__file__).resolve().parent
FAKE = HERE / "fake_agent.py"
SCENARIO = HERE / "scenarios" / "design-build-review.toml"


def agent_table(speaks: str = "claude", behave: tuple[str, ...] = (), write_files: bool = True) -> str:
    command = ["{python}", str(FAKE), "--speaks", speaks]
    if write_files:
        command.append("--write-files")
    for b in behave:
        command += ["--behave", b]
    return f"command = {json.dumps(command)}\noutput = {json.dumps(speaks)}\n"


def agents_file(
    folder: Path,
    *,
    agents: dict[str, str] | None = None,
    run: str = 'stagger = 0\nworkdir = "{run}/workdir"\n',
    defaults: str = "",
) -> Path:
    """An agents file: every persona a well-behaved fake speaking Claude's format, unless ``agents`` says else."""
    text = f'[run]\n{run}\n[defaults]\n{agent_table()}idle_timeout = "20s"\n{defaults}\n'
    for persona, table in (agents or {}).items():
        text += f"\n[agent.{persona}]\n{table}"
    path = folder / "agents.toml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Live:
    code: int
    out: str
    err: str
    folder: Path

    @property
    def events(self) -> list[Event]:
        return read_events(self.folder / "events.jsonl")

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def activities(self) -> list[dict[str, Any]]:
        lines = (self.folder / "activities.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def failures(self) -> list[str]:
        return [e.reason for e in self.events if e.kind == "task_failed"]


def run_live(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str | Path, scenario: Path = SCENARIO) -> Live:
    folder = tmp_path / "run"
    n = 1
    while folder.exists():  # a run folder is never reused: each run of a test gets its own
        n += 1
        folder = tmp_path / f"run-{n}"
    code = cli.main(["run", str(scenario), "--live", "-o", str(folder), *map(str, args)])
    captured = capsys.readouterr()
    return Live(code, captured.out, captured.err, folder)


__all__ = ["FAKE", "SCENARIO", "Live", "agent_table", "agents_file", "run_live", "with_agents"]


def with_agents(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> Live:
    """A live run whose agents file holds ``text`` (``tmp_path/agents.toml``, written again each call)."""
    path = tmp_path / "agents.toml"
    path.write_text(text, encoding="utf-8")
    return run_live(capsys, tmp_path, "--agents", path)
