"""A live run from start to end: check everything, open the run folder, run the cast, write the views.

Everything that can be wrong is found before the first agent starts: the
scenario, the cast, the agents file, every persona's command on ``PATH``, the
run folder, the answers to the scenario's decisions. Then the coordinator runs
the plan on the :class:`~rolecall.live.backend.LiveBackend`; each event is
appended to ``events.jsonl`` and flushed as it happens, so a run killed at any
point leaves the stream up to its last event.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from rolecall.events import Event, JsonlSink, RunFinished
from rolecall.files.spool import Spool
from rolecall.handoffs import TemplateLibrary
from rolecall.live.agents import Binding, RunSettings
from rolecall.orchestrator import Coordinator, Plan, Scenario, build_plan
from rolecall.orchestrator.scenario import Decision

__all__ = ["LiveRun", "live_scenario", "run_live", "stamp"]


@dataclass(frozen=True)
class LiveRun:
    """What a live run left: its plan, its closing event and its folder."""

    plan: Plan
    final: RunFinished
    folder: Path
    written: tuple[Path, ...]

    @property
    def completed(self) -> bool:
        return self.final.outcome == "completed"


def stamp(now: datetime | None = None) -> str:
    """A run folder's time stamp: ``20261129-210305``."""
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


def live_scenario(scenario: Scenario, retries: int | None) -> Scenario:
    """The scenario on the wall clock: its durations (estimates, in minutes) in seconds, the gate at zero.

    A live run measures seconds, so the plan's figures must be in seconds too;
    the prerequisites are checked when the run starts, not minutes into it.
    """
    update: dict[str, object] = {"clock": "seconds"}
    if retries is not None:
        update["max_attempts"] = retries + 1
    if scenario.clock == "seconds":
        return scenario.model_copy(update=update)
    tasks = tuple(
        task.model_copy(
            update={
                "expected_time": task.expected_time * 60,
                **(
                    {
                        "review": task.review.model_copy(
                            update={
                                "review_time": task.review.review_time * 60,
                                "rework_time": task.review.rework_time * 60,
                            }
                        )
                    }
                    if task.review is not None
                    else {}
                ),
            }
        )
        for task in scenario.task
    )
    update["task"] = tasks
    if scenario.gate is not None:
        update["gate"] = scenario.gate.model_copy(update={"time": 0})
    return scenario.model_copy(update=update)


@contextlib.contextmanager
def run_log(folder: Path) -> Iterator[None]:
    """Process management is logged to ``run.log`` in the run folder, and nowhere else."""
    from loguru import logger

    logger.remove()
    sink = logger.add(
        folder / "run.log",
        level="DEBUG",
        format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level: <7} {message}",
        enqueue=False,
    )
    try:
        yield
    finally:
        logger.remove(sink)


def run_live(
    plan: Plan,
    bindings: dict[str, Binding],
    settings: RunSettings,
    templates: TemplateLibrary | None,
    folder: Path,
    *,
    here: Path,
    workdir: Path,
    approver: Callable[[Decision], bool] | None,
    live_sinks: tuple[Callable[[Event], None], ...] = (),
    views: tuple[Callable[[Event], None], ...] = (),
    on_change: Callable[[object], None] | None = None,
    agents_file: Path | None = None,
) -> LiveRun:
    """Run ``plan`` (already on the seconds clock) with real agents, writing into ``folder``.

    ``live_sinks`` see each event as it happens (a progress line); ``views`` see the
    finished stream, with measured durations (a summary). ``agents_file`` is copied into
    the run folder beside the run's record and scenario, for ``rolecall freeze``.
    """
    from loguru import logger

    from rolecall.files import atomic_writer
    from rolecall.live.backend import LiveBackend
    from rolecall.live.measured import measured
    from rolecall.render.html import HtmlPage

    if templates is None:
        from rolecall.files import load_templates

        templates = load_templates()
    folder.mkdir(parents=True, exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    _record(plan, folder, workdir, agents_file)
    backend = LiveBackend(
        plan,
        bindings,
        templates,
        folder,
        workdir,
        stagger=float(settings.stagger),
        concurrency=settings.concurrency,
        here=here,
        on_change=on_change,
    )
    events_file = folder / "events.jsonl"
    # Line-buffered: every event reaches the file as it is written, so a killed run keeps all of them.
    with run_log(folder), events_file.open("w", encoding="utf-8", buffering=1) as handle:
        logger.info("live run of '{}' with cast '{}' in {}", plan.scenario.name, plan.cast.name, workdir.resolve())
        for persona, binding in bindings.items():
            logger.info("{}: {} {}", persona, binding.label, json.dumps(list(binding.command)))
        journal = JsonlSink(handle)
        try:
            kept: list[Event] = []
            final = Coordinator(plan, backend, approver).run(journal, kept.append, *live_sinks)
        except KeyboardInterrupt:
            backend.stop_all("the run was interrupted")
            logger.warning("interrupted: events.jsonl holds the run up to its last event")
            raise
        logger.info("finished: {} ({})", final.outcome, final.reason)
    # The views are built from the finished stream, whose durations are measured (see rolecall.live.measured).
    stream = measured(kept)
    with atomic_writer(events_file) as handle:
        sink = JsonlSink(handle)
        for event in stream:
            sink(event)
    page = HtmlPage(templates, Spool)
    for event in stream:
        page(event)
        for view in views:
            view(event)
    with atomic_writer(folder / "transcript.md") as out:
        out.writelines(page.transcript.pieces())
    with atomic_writer(folder / "transcript.html") as out:
        out.writelines(page.pieces())
    written = (events_file, folder / "transcript.md", folder / "transcript.html")
    return LiveRun(plan, final, folder, written)


def planned_live(plan: Plan, retries: int | None) -> Plan:
    """``plan`` again on the seconds clock (see :func:`live_scenario`)."""
    return replace(build_plan(live_scenario(plan.scenario, retries), plan.cast), source=plan.source)


def agent_totals(folder: Path) -> str:
    """One line on what the agents cost: activities, seconds, and the cost and tokens they reported."""
    path = folder / "activities.jsonl"
    try:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError):
        return ""
    seconds = sum(float(r.get("seconds") or 0) for r in records)
    costs = [float(r["cost_usd"]) for r in records if isinstance(r.get("cost_usd"), int | float)]
    tokens_in = sum(int(r["input_tokens"]) for r in records if isinstance(r.get("input_tokens"), int))
    tokens_out = sum(int(r["output_tokens"]) for r in records if isinstance(r.get("output_tokens"), int))
    stopped = sum(1 for r in records if r.get("stopped") and not r.get("ok"))
    parts = [f"{len(records)} activities", f"{seconds:.1f}s of agent time"]
    if stopped:
        parts.append(f"{stopped} stopped by a limit")
    if costs:
        parts.append(f"cost ${sum(costs):.4f} (as reported by {len(costs)} of them)")
    if tokens_in or tokens_out:
        parts.append(f"tokens {tokens_in:,} in / {tokens_out:,} out")
    return "Agents:     " + ", ".join(parts) + "\n"


def _record(plan: Plan, folder: Path, workdir: Path, agents_file: Path | None) -> None:
    """What ``rolecall freeze`` reads: the run's record, its scenario as written, its agents file."""
    import tomli_w

    from rolecall import __version__
    from rolecall.files import read_text, write_text_atomic

    cast = plan.cast.source
    record: dict[str, object] = {
        "format": 1,
        "rolecall": __version__,
        "scenario": str(plan.source.resolve()) if plan.source is not None else plan.scenario.name,
        "cast": str(cast.resolve()) if cast is not None else plan.cast.name,
        "workdir": str(workdir.resolve()),
        "max_attempts": plan.scenario.max_attempts,
    }
    if agents_file is not None:
        record["agents"] = str(agents_file.resolve())
        write_text_atomic(folder / "agents.toml", read_text(agents_file, what="agents file"))
    write_text_atomic(folder / "run.json", json.dumps(record, indent=2) + "\n")
    if plan.source is not None:
        scenario = read_text(plan.source, what="scenario file")
    else:
        scenario = tomli_w.dumps(plan.scenario.model_dump(mode="json", exclude_defaults=True), multiline_strings=True)
    write_text_atomic(folder / "scenario.toml", scenario)
