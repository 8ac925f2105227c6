"""Freezing a live run into a scenario that CI replays deterministically."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rolecall import cli
from rolecall.files import read_events

from .runs import agent_table, agents_file, run_live


def _by_task(path: Path) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for e in read_events(path):
        task = getattr(e, "task", None)
        if isinstance(task, str):
            out.setdefault(task, []).append((e.kind, getattr(e, "persona", "") or getattr(e, "reviewer", "")))
    return out


def test_freeze_then_replay_is_what_happened_and_byte_identical(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(tmp_path, agents={"implementer": agent_table("codex", ("crash",))})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    frozen = tmp_path / "frozen" / "design-build-review-frozen.toml"
    assert cli.main(["freeze", str(live.folder), "-o", str(frozen)]) == 0
    assert "rolecall replay" in capsys.readouterr().out
    assert cli.main(["freeze", str(live.folder), "-o", str(frozen)]) == 2  # never overwritten by accident
    assert "--force" in capsys.readouterr().err
    assert cli.main(["freeze", str(live.folder), "-o", str(frozen), "--force"]) == 0
    data = tomllib.loads(frozen.read_text(encoding="utf-8"))
    assert data["clock"] == "seconds" and data["max_attempts"] == 1
    build = next(t for t in data["task"] if t["id"] == "build")
    assert build["fails"] == 1 and build["review"]["verdicts"] == ["approved"]
    finished = {e.task: e.deliverable for e in live.events if e.kind == "task_finished"}
    assert build["deliverable"] == finished["build"]
    assert all("report" not in t for t in data["task"])

    first, second = tmp_path / "replay-1", tmp_path / "replay-2"
    for out in (first, second):
        assert cli.main(["replay", str(frozen), "-o", str(out)]) == 0
    capsys.readouterr()
    for name in ("events.jsonl", "transcript.md", "transcript.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # The replay makes the same moves per task as the live run: the failure, the fallback, the review.
    assert _by_task(first / "events.jsonl") == _by_task(live.folder / "events.jsonl")
    replayed = read_events(first / "events.jsonl")[0]
    assert replayed.clock == "seconds"  # type: ignore[union-attr]


def test_freeze_refuses_what_is_not_a_finished_live_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["freeze", str(tmp_path), "-o", str(tmp_path / "x.toml")]) == 2
    assert "not a live run folder" in capsys.readouterr().err
    assert cli.main(["freeze", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.toml")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_crossing_is_caught_by_a_boundary_rule_live_and_frozen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The file was changed and nothing undid it: a boundary rule fails the live run and its frozen replay."""
    agents = agents_file(
        tmp_path, agents={"implementer": agent_table("claude", ("write-outside=docs/design/hack.md",))}
    )
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'name = "tiers"\ncast = "model-tiers"\n\n[[rule]]\nid = "implementer-no-design"\nkind = "boundary"\n'
        'persona = "implementer"\ncapability = "design.plan"\nmessage = "Designs are the planner\'s."\n',
        encoding="utf-8",
    )
    assert cli.main(["check", str(live.folder / "events.jsonl"), "--policy", str(policy)]) == 1
    assert "implementer changed docs/design/hack.md (design.plan work)" in capsys.readouterr().out
    frozen = tmp_path / "frozen.toml"
    assert cli.main(["freeze", str(live.folder), "-o", str(frozen)]) == 0
    build = next(t for t in tomllib.loads(frozen.read_text(encoding="utf-8"))["task"] if t["id"] == "build")
    assert build["changes"] == [{"attempt": 1, "files": ["docs/design/hack.md"]}]
    capsys.readouterr()
    assert cli.main(["check", str(frozen), "--policy", str(policy)]) == 1
    assert "implementer changed docs/design/hack.md (design.plan work)" in capsys.readouterr().out
    assert _by_task(live.folder / "events.jsonl")["build"] == _replayed_by_task(frozen, tmp_path)["build"]


def _replayed_by_task(scenario: Path, tmp_path: Path) -> dict[str, list[tuple[str, str]]]:
    out = tmp_path / "replayed"
    cli.main(["replay", str(scenario), "-o", str(out)])
    return _by_task(out / "events.jsonl")
