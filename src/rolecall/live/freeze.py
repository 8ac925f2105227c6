"""Freezing a live run into a scenario: what the agents really did, replayable in CI without them.

The frozen scenario is the run's scenario on the seconds clock, each task
carrying what happened: its last measured work, review and rework durations,
how many work attempts failed, the reviewers' verdicts in order, the answer
it delivered; each decision carries the answer it was given. Replaying it
makes the same assignments, failures, fallbacks, reviews and decisions, in
seconds; it is deterministic like any replay.

What a replay cannot show is kept as a failure: an attempt the live run
stopped for changing files outside the persona's role replays as a failed
attempt (the redirect is in the live run's own transcript).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from rolecall import events as ev
from rolecall.errors import InputError, UsageError
from rolecall.live.measured import closed_by
from rolecall.orchestrator.scenario import Scenario

__all__ = ["freeze", "frozen_scenario"]


def freeze(run_dir: Path | str, destination: Path | str, *, force: bool = False) -> Path:
    """Write the scenario of the live run in ``run_dir`` to ``destination``; check that it plans.

    An existing ``destination`` is a :class:`~rolecall.errors.UsageError` unless ``force``.
    """
    import tomli_w

    from rolecall.files import load_scenario, plan_file, read_events, write_text_atomic
    from rolecall.files.reading import is_dir, read_text

    run_dir, destination = Path(run_dir), Path(destination)
    if destination.exists() and not force:
        raise UsageError(f"-o {destination} exists: freeze never overwrites a scenario unless --force")
    if not is_dir(run_dir):
        raise InputError.single(run_dir, "not a folder: expected a run folder written by rolecall run --live")
    record_path = run_dir / "run.json"
    if not (record_path.is_file() and (run_dir / "scenario.toml").is_file()):
        raise InputError.single(run_dir, "not a live run folder: it has no run.json and scenario.toml")
    try:
        record = json.loads(read_text(record_path, what="run record"))
    except json.JSONDecodeError as exc:
        raise InputError.single(record_path, f"not a run record: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(record, dict):
        raise InputError.single(record_path, "not a run record: expected a JSON object")
    scenario, _doc = load_scenario(run_dir / "scenario.toml")
    events = read_events(run_dir / "events.jsonl")
    if not events or not isinstance(events[-1], ev.RunFinished):
        raise InputError.single(
            run_dir / "events.jsonl", "the run did not finish (no run_finished event): only a finished run is frozen"
        )
    data = frozen_scenario(scenario, events, record, destination)
    header = (
        f"# Frozen from the live run in {run_dir} by rolecall freeze.\n"
        "# Durations are wall-clock seconds as measured; fails, review verdicts, decisions and deliverables\n"
        "# are what the agents did. Replay it with: rolecall replay <this file>\n"
    )
    write_text_atomic(destination, header + tomli_w.dumps(data, multiline_strings=True))
    plan_file(destination)  # the frozen file must load and plan like any scenario
    return destination


def frozen_scenario(
    scenario: Scenario, events: list[ev.Event], record: dict[str, Any], destination: Path
) -> dict[str, Any]:
    """The scenario's data with the run's measurements in place (TOML-ready, lists not tuples)."""
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude_defaults=True)
    minutes = scenario.clock == "minutes"
    data["clock"] = "seconds"
    attempts = record.get("max_attempts")
    if isinstance(attempts, int) and attempts >= 1:
        data["max_attempts"] = attempts
    data["cast"] = _cast_ref(scenario.cast, record.get("cast"), destination)
    if "gate" in data:
        data["gate"]["time"] = 0
    measured = _measure(events)
    for task in data["task"]:
        task.pop("report", None)
        if minutes:
            task["expected_time"] = task.get("expected_time", 0) * 60
            if "review" in task:
                review = task["review"]
                review["review_time"] = review.get("review_time", 10) * 60
                review["rework_time"] = review.get("rework_time", 15) * 60
        seen = measured.get(task["id"])
        if seen is None:
            # Never run (unreached, skipped by a decision): nothing was measured, and an estimate in
            # minutes has no place among measured seconds. The replay never runs it either.
            task["expected_time"] = 0
            continue
        if seen.work is not None:
            task["expected_time"] = seen.work
        if seen.fails:
            task["fails"] = seen.fails
        else:
            task.pop("fails", None)
        if seen.deliverable is not None:
            task["deliverable"] = seen.deliverable
        if seen.changes:
            task["changes"] = [{"attempt": k, "files": sorted(files)} for k, files in sorted(seen.changes.items())]
        if "review" in task and seen.verdicts:
            review = task["review"]
            review["verdicts"] = seen.verdicts
            if seen.review is not None:
                review["review_time"] = seen.review
            if seen.rework is not None:
                review["rework_time"] = seen.rework
    answers = {e.decision: e.approved for e in events if isinstance(e, ev.DecisionMade)}
    for checkin in data.get("checkin", []):
        decision = checkin.get("decision")
        if decision is not None and decision["id"] in answers:
            decision["approved"] = answers[decision["id"]]
    return data


class _Seen:
    __slots__ = ("changes", "deliverable", "fails", "review", "rework", "verdicts", "work")

    def __init__(self) -> None:
        self.work: int | None = None
        self.review: int | None = None
        self.rework: int | None = None
        self.fails = 0
        self.verdicts: list[str] = []
        self.deliverable: str | None = None
        self.changes: dict[int, set[str]] = {}
        """Work attempt -> the files it changed outside its persona's role."""


def _measure(events: list[ev.Event]) -> dict[str, _Seen]:
    """Per task: the last duration of each kind of activity, failed work attempts, verdicts, the deliverable."""
    seen: dict[str, _Seen] = {}
    open_: dict[tuple[str, str], ev.TaskStarted] = {}
    crossed: dict[str, set[str]] = {}
    for event in events:
        if isinstance(event, ev.Violation) and event.files:
            crossed.setdefault(event.task, set()).update(event.files)
            continue
        if isinstance(event, ev.TaskFailed) and event.task in crossed:
            # The attempt a crossing failed: its number is the one task_failed gives.
            seen.setdefault(event.task, _Seen()).changes[event.attempt] = crossed.pop(event.task)
        if isinstance(event, ev.TaskStarted):
            open_[(event.task, event.persona)] = event
            continue
        ended = closed_by(event)
        if ended is None:
            continue
        task_id, persona = ended
        started = open_.pop((task_id, persona), None)
        if started is None:
            continue
        record = seen.setdefault(task_id, _Seen())
        spent = event.at - started.at
        if started.activity == "review":
            record.review = spent
        elif started.activity == "rework":
            record.rework = spent
        else:
            record.work = spent
        if isinstance(event, ev.TaskFailed) and started.activity == "work":
            record.fails += 1
        if isinstance(event, ev.ReviewRound):
            record.verdicts.append(event.verdict)
        if isinstance(event, ev.TaskFinished):
            record.deliverable = event.deliverable
    for event in events:
        if isinstance(event, ev.TaskFinished) and event.task in seen:
            seen[event.task].deliverable = event.deliverable
    return seen


def _cast_ref(named: str, recorded: object, destination: Path) -> str:
    """How the frozen scenario names its cast: by name when it is one, else by a path from its own folder."""
    if "/" not in named or not isinstance(recorded, str) or not os.path.isabs(recorded):
        return named
    ref = Path(os.path.relpath(recorded, destination.absolute().parent)).as_posix()
    return ref if ref.startswith(".") else f"./{ref}"
