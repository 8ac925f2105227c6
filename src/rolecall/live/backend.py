"""The live backend: each activity is an agent command run to completion, on the wall clock.

The coordinator decides as in a replay; this backend only performs. For each
activity it writes the persona's system prompt and the task prompt to the run
folder, launches the persona's command (staggered, at most ``concurrency`` at
once), watches it against its limits, and reads how it ended from the agent's
own output: finished or failed, the answer, the report block, a review's
verdict, the files it changed. Everything it sees is kept in the run folder.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger

from rolecall.backends.base import Activity, Clock, Completion, Outcome, Verdict
from rolecall.handoffs import TemplateLibrary
from rolecall.handoffs.report_block import REPORT_SECTIONS, parse_report
from rolecall.live.agents import Binding
from rolecall.live.presets import AgentAnswer, ends_answer, expand, read_answer
from rolecall.live.process import AgentProcess, Ended, Limits
from rolecall.live.prompts import report_kind, system_prompt, task_prompt
from rolecall.live.workspace import Snapshot, changed, snapshot
from rolecall.orchestrator.plan import Plan

if TYPE_CHECKING:
    from rolecall.orchestrator.scenario import Task

__all__ = ["LiveBackend", "Running"]

_POLL = 0.05
_MAX_READ = 64 * 1024 * 1024
_VERDICT = re.compile(r"[*#>_`\s-]*(APPROVED|CHANGES[ _-]+REQUESTED)(?![\w-])", re.IGNORECASE)


@dataclass(slots=True)
class Running:
    """One activity the backend was asked for: waiting to launch, running, or ended."""

    order: int
    activity: Activity
    task: Task
    started: int
    name: str
    """Stem of its files in the run folder: ``003-api-design-work1-planner``."""
    process: AgentProcess | _NotStarted | None = None
    launched: float = 0.0
    before: Snapshot = field(default_factory=dict)
    overlapped: bool = False
    """Another agent ran in the same folder meanwhile: changes seen cannot be told apart."""


class LiveBackend:
    """Runs each persona's bound command; times are whole seconds since the run started."""

    def __init__(
        self,
        plan: Plan,
        bindings: Mapping[str, Binding],
        templates: TemplateLibrary,
        folder: Path,
        workdir: Path,
        *,
        stagger: float,
        concurrency: int,
        here: Path,
        on_change: Callable[[LiveBackend], None] | None = None,
    ) -> None:
        self.plan = plan
        self.bindings = bindings
        self.templates = templates
        self.folder = folder
        self.workdir = workdir
        self.stagger = stagger
        self.concurrency = concurrency
        self.here = here
        self.on_change = on_change
        self.t0 = time.monotonic()
        self._wall_start = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.live: list[Running] = []
        self.deliverables: dict[int, str] = {}
        self.feedback: dict[int, str] = {}
        self.answers: dict[str, AgentAnswer] = {}
        self._order = 0
        self._last_launch = -1e9
        for sub in ("prompts", "output", "answers"):
            (folder / sub).mkdir(parents=True, exist_ok=True)

    @property
    def clock(self) -> Clock:
        return "seconds"

    @property
    def wall_start(self) -> str:
        return self._wall_start

    def elapsed(self) -> int:
        return int(time.monotonic() - self.t0)

    # -- the Backend protocol ---------------------------------------------

    @property
    def capacity(self) -> int | None:
        """At most ``concurrency`` agents at once: the coordinator holds the rest back, so nothing waits here."""
        return self.concurrency

    def start(self, activity: Activity, task: Task, now: int) -> int:
        """Launch at once, or when the stagger since the last launch has passed; return when that was."""
        self._order += 1
        name = f"{self._order:03d}-{task.id}-{activity.activity}{activity.attempt}-{activity.persona}"
        self._pace()
        run = Running(self._order, activity, task, self.elapsed(), name)
        self._launch(run)
        self._last_launch = time.monotonic()
        return run.started

    def time(self) -> int:
        return self.elapsed()

    @property
    def running(self) -> bool:
        return bool(self.live)

    def next_completions(self) -> tuple[int, list[Completion]]:
        while True:
            done: list[Completion] = []
            for run in list(self.live):
                assert run.process is not None
                ended = run.process.check()
                if ended is not None:
                    self.live.remove(run)
                    done.append(self._completion(run, ended))
            if done:
                done.sort(key=lambda c: c.started)
                if self.on_change is not None:
                    self.on_change(self)
                return self.elapsed(), done
            if self.on_change is not None:
                self.on_change(self)
            time.sleep(_POLL)

    def stop_all(self, why: str) -> None:
        """Stop every running agent (the run was interrupted)."""
        for run in self.live:
            if run.process is not None:
                ended = run.process.stop(why)
                logger.warning("{}: stopped ({})", run.name, why)
                self._keep(run, ended, AgentAnswer(ok=False, error=why), Outcome(ok=False, reason=why))
        self.live.clear()

    # -- launching ---------------------------------------------------------

    def _pace(self) -> None:
        """Wait out the stagger, watching the running agents meanwhile so their limits still hold to the second."""
        while (wait := self._last_launch + self.stagger - time.monotonic()) > 0:
            for run in self.live:
                assert run.process is not None
                run.process.check()  # stops one past its limits; next_completions reports it
            time.sleep(min(wait, _POLL))

    def _launch(self, run: Running) -> None:
        act = run.activity
        binding = self.bindings[act.persona]
        system = system_prompt(self.plan.cast, act.persona, self.templates)
        prompt = task_prompt(self.plan, act, self.templates, self.deliverables, self.feedback.get(act.task, ""))
        if binding.system == "prompt":
            prompt = f"{system}\n---\n\n{prompt}"
        system_file = self.folder / "prompts" / f"{run.name}.system.md"
        prompt_file = self.folder / "prompts" / f"{run.name}.prompt.md"
        system_file.write_text(system, encoding="utf-8")
        prompt_file.write_text(prompt, encoding="utf-8")
        values = {
            "prompt_file": str(prompt_file.resolve()),
            "system_file": str(system_file.resolve()),
            "workdir": str(self.workdir.resolve()),
            "model": binding.model,
            "python": sys.executable,
            "here": str(self.here.resolve()),
        }
        argv = expand(binding.command, values)
        env = {**os.environ, **{k: expand((v,), values)[0] for k, v in binding.env}}
        for other in self.live:
            other.overlapped = True
        run.overlapped = bool(self.live)
        run.before = snapshot(self.workdir, exclude=self.folder)
        run.launched = time.monotonic()
        output = self.folder / "output"
        try:
            run.process = AgentProcess(
                argv,
                cwd=self.workdir,
                env=env,
                stdin=prompt_file if binding.stdin == "prompt" else None,
                stdout=output / f"{run.name}.stdout",
                stderr=output / f"{run.name}.stderr",
                limits=Limits(binding.timeout, binding.idle_timeout, binding.output_cap),
                is_final=partial(ends_answer, binding.output),
            )
        except OSError as exc:
            logger.error("{}: could not start {}: {}", run.name, argv[0], exc.strerror or exc)
            run.process = _NotStarted(f"could not start {argv[0]}: {exc.strerror or exc}")
            self.live.append(run)
            return
        logger.info("{}: started {} (pid {}) for {}", run.name, binding.label, run.process.pid, act.persona)
        logger.debug("{}: argv {}", run.name, json.dumps(argv))
        self.live.append(run)

    # -- reading how it ended ---------------------------------------------

    def _completion(self, run: Running, ended: Ended) -> Completion:
        act = run.activity
        binding = self.bindings[act.persona]
        stdout = self.folder / "output" / f"{run.name}.stdout"
        text = _read(stdout)
        answer = (
            read_answer(binding.output, text, ended.exit_code)
            if not isinstance(run.process, _NotStarted)
            else (AgentAnswer(ok=False, error=ended.stopped))
        )
        self.answers[run.name] = answer
        files: tuple[str, ...] = ()
        if not isinstance(run.process, _NotStarted):
            seen = changed(run.before, snapshot(self.workdir, exclude=self.folder))
            reported = tuple(sorted({_relative(f, self.workdir) for f in answer.files}))
            files = reported if run.overlapped else tuple(sorted(set(seen) | set(reported)))
            if run.overlapped and set(seen) - set(reported):
                unattributed = ", ".join(sorted(set(seen) - set(reported)))
                logger.info("{}: changes while other agents ran, not attributed: {}", run.name, unattributed)
        outcome = self._outcome(run, ended, answer, files)
        self._keep(run, ended, answer, outcome)
        return Completion(act, run.started, outcome)

    def _outcome(self, run: Running, ended: Ended, answer: AgentAnswer, files: tuple[str, ...]) -> Outcome:
        act = run.activity
        binding = self.bindings[act.persona]
        label = binding.label if binding.label != "command" else "the agent"
        if act.activity == "review":
            verdict = _verdict(answer.text) if answer.ok else None
            if verdict is None:
                why = answer.error or "its answer starts with neither APPROVED nor CHANGES REQUESTED"
                logger.warning("{}: no verdict, counted as changes requested: {}", run.name, why)
            elif verdict == "changes-requested":
                self.feedback[act.task] = answer.text
            return Outcome(ok=True, deliverable=answer.text.strip(), verdict=verdict, files=files)
        if not answer.ok:
            why = f"{label} {ended.stopped}" if ended.stopped else answer.error or f"{label} failed"
            said = _last_line(self.folder / "output" / f"{run.name}.stderr")
            if said and not ended.stopped:
                why += f"; it said: {said}"
            return Outcome(ok=False, files=files, reason=why)
        report = parse_report(answer.text)
        kind = report_kind(run.task)
        if not report.found:
            return Outcome(ok=False, files=files, reason=f"{label} answered without an ORCHESTRATOR REPORT block")
        missing = [s for s in REPORT_SECTIONS[kind] if not report.sections.get(s, "").strip()]
        if missing:
            return Outcome(ok=False, files=files, reason=f"its {kind} report lacks: {', '.join(missing)}")
        deliverable = answer.text.strip()
        self.deliverables[act.task] = deliverable
        return Outcome(ok=True, deliverable=deliverable, files=files)

    def _keep(self, run: Running, ended: Ended, answer: AgentAnswer, outcome: Outcome) -> None:
        record = {
            "activity": run.name,
            "task": run.task.id,
            "persona": run.activity.persona,
            "kind": run.activity.activity,
            "attempt": run.activity.attempt,
            "agent": self.bindings[run.activity.persona].label,
            "seconds": round(ended.seconds, 3),
            "exit_code": ended.exit_code,
            "stopped": ended.stopped,
            "output_bytes": ended.output_bytes,
            "ok": outcome.ok,
            "reason": outcome.reason,
            "verdict": outcome.verdict,
            "files": list(outcome.files),
            "cost_usd": answer.cost_usd,
            "input_tokens": answer.input_tokens,
            "output_tokens": answer.output_tokens,
        }
        answers = self.folder / "answers"
        (answers / f"{run.name}.md").write_text(answer.text, encoding="utf-8")
        report = parse_report(answer.text)
        if report.found:
            parsed = {"kind": report.kind, "sections": report.sections, "missing": list(report.missing)}
            (answers / f"{run.name}.report.json").write_text(json.dumps(parsed, indent=2) + "\n", encoding="utf-8")
        with (self.folder / "activities.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
        state = "answer read as a success" if outcome.ok else f"failed: {outcome.reason}"
        how = f"exit {ended.exit_code}" if ended.exit_code is not None else f"stopped: {ended.stopped}"
        logger.info("{}: ended after {:.1f}s, {}, {}", run.name, ended.seconds, how, state)


class _NotStarted:
    """Stands in for a process that could not be started, so it ends like any other activity."""

    def __init__(self, why: str) -> None:
        self.why = why
        self.pid = 0

    def check(self) -> Ended:
        return Ended(exit_code=None, stopped=self.why, seconds=0.0, output_bytes=0, final_seen=False)

    def stop(self, why: str) -> Ended:
        return self.check()


def _verdict(text: str) -> Verdict | None:
    """The verdict the answer starts with: its first non-empty line, markdown decoration aside.

    Anywhere else, "approved" is just a word ("Approved-looking tests hide two bugs").
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _VERDICT.match(first)
    if match is None:
        return None
    return "approved" if match.group(1).upper() == "APPROVED" else "changes-requested"


def _relative(path: str, workdir: Path) -> str:
    """A path an agent reported, relative to the working folder with ``/`` (Codex may report absolute ones)."""
    if os.path.isabs(path):
        try:
            return Path(path).resolve().relative_to(workdir.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()
    return Path(os.path.normpath(path)).as_posix()


def _last_line(path: Path, limit: int = 200) -> str:
    """The last line an agent printed on standard error, shortened: usually why it failed."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 4096))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    return last if len(last) <= limit else last[: limit - 1] + "…"


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_MAX_READ).decode("utf-8", "replace")
    except OSError:
        return ""
