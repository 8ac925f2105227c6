"""Does a saved event stream hang together? Checked line by line as it is read.

Each line of an ``events.jsonl`` can be a valid event while the stream is not
a run: a handoff naming a task ``run_started`` never planned, a ``seq`` that
skips, a task finishing that never started. Every view assumes a coherent
stream, so the reader refuses an incoherent one here, with the line number,
instead of letting a renderer fail on it later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rolecall.errors import Problem
from rolecall.events import types as ev

__all__ = ["RunStartedCheck", "StreamCheck", "check_stream"]

RunStartedCheck = Callable[[ev.RunStarted, int], list[Problem]]
"""More checks of ``run_started`` by the reader's caller (e.g. that persona templates parse): ``(event, line)``."""

_PERSONA_FIELDS = ("persona", "from_persona", "to_persona", "reviewer", "author")
_PERSONA_LISTS = ("owners", "personas")
_TASK_LISTS = ("tasks", "deliverables", "feeds", "requires")
_OPENERS = (ev.TaskStarted,)
_REFERENCE_FIELDS = (*_PERSONA_FIELDS, *_PERSONA_LISTS, *_TASK_LISTS, "task", "continues_with", "phase")
_NEEDS_ASSIGNMENT = (ev.TaskStarted, ev.TaskFinished, ev.TaskFailed, ev.TaskSubmitted, ev.ReviewRound)


class StreamCheck:
    """Feed events in order with their line numbers; collect every inconsistency."""

    def __init__(
        self, path: Path | None, check_run_started: RunStartedCheck | None = None, partial: bool = False
    ) -> None:
        self.path = path
        self.partial = partial
        """Accept a stream that stops before ``run_finished``: a run killed or interrupted part way."""
        self._check_run_started = check_run_started
        self.problems: list[Problem] = []
        self._personas: set[str] = set()
        self._tasks: set[str] = set()
        self._phases: set[str] = set()
        self._assigned: set[str] = set()
        self._approved: set[str] = set()
        self._exhausted: set[str] = set()
        self._open: dict[tuple[str, str], int] = {}
        self._phases_open: set[str] = set()
        self._phases_seen: set[str] = set()
        self._tally = _Tally()
        self._expected_seq = 0
        self._last_at = 0
        self._started = False
        self._start: ev.RunStarted | None = None
        self._headless = False
        self._finished_line: int | None = None
        self._gate_checks: list[ev.GateChecked] = []
        self._verdict_line: int | None = None

    def _report(self, line: int, message: str, field: str = "") -> None:
        self.problems.append(Problem(self.path, message, field, line))

    def __call__(self, event: ev.Event, line: int) -> None:
        if event.seq != self._expected_seq:
            self._report(
                line,
                f"seq {event.seq} where {self._expected_seq} was expected; the stream is truncated, "
                "reordered or spliced",
                "seq",
            )
        self._expected_seq = event.seq + 1
        if event.at < self._last_at:
            self._report(line, f"at {event.at} is earlier than the event before ({self._last_at})", "at")
        self._last_at = max(self._last_at, event.at)
        if self._finished_line is not None:
            self._report(line, f"event after run_finished (line {self._finished_line})", "kind")
        if isinstance(event, ev.RunStarted):
            self._run_started(event, line)
            return
        if not self._started:
            if not self._headless:
                self._report(line, f"'{event.kind}' before run_started; a stream begins with run_started", "kind")
            self._headless = True  # one problem for a headless stream, not one per line
            return
        self._references(event, line)
        self._order(event, line)
        self._tally(event)
        if isinstance(event, ev.RunFinished) and self._start is not None:
            for field, message in self._tally.disagreements(self._start, event):
                self._report(line, message, field)

    def finish(self, last_line: int) -> list[Problem]:
        if self._headless:
            return self.problems
        if not self._started:
            self._report(last_line or 1, "no run_started event; this is not a rolecall event stream")
        elif self._finished_line is None:
            if not self.partial:
                self._report(
                    last_line,
                    "the stream ends without run_finished: it is truncated (a run stopped before it finished "
                    "renders with rolecall render --partial)",
                )
        else:
            for (task, persona), line in sorted(self._open.items(), key=lambda item: item[1]):
                self._report(line, f"'{persona}' starts task '{task}' here but the stream never says how it ended")
        return self.problems

    # -- run_started -----------------------------------------------------------

    def _run_started(self, event: ev.RunStarted, line: int) -> None:
        if self._started:
            self._report(line, "a second run_started; one stream holds one run", "kind")
            return
        self._started = True
        self._start = event
        self._personas = self._unique([p.id for p in event.personas], "personas", line)
        self._phases = self._unique(list(event.phases), "phases", line)
        self._tasks = self._unique([t.id for t in event.plan], "plan", line)
        if len(event.phase_titles) != len(event.phases):
            self._report(line, f"{len(event.phase_titles)} phase_titles for {len(event.phases)} phases", "phase_titles")
        if event.tasks != len(event.plan):
            self._report(line, f"tasks is {event.tasks} but the plan has {len(event.plan)}", "tasks")
        self._persona(event.orchestrator, "orchestrator", line)
        self._persona(event.actor, "actor", line)
        if self._check_run_started is not None:
            self.problems.extend(self._check_run_started(event, line))
        for i, task in enumerate(event.plan):
            where = f"plan[{i}]"
            self._persona(task.persona, f"{where}.persona", line)
            if task.attempted_by:
                self._persona(task.attempted_by, f"{where}.attempted_by", line)
            self._phase(task.phase, f"{where}.phase", line)
            for j, dep in enumerate(task.depends_on):
                self._task(dep, f"{where}.depends_on[{j}]", line)

    def _unique(self, ids: list[str], field: str, line: int) -> set[str]:
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                self._report(line, f"'{value}' is listed twice", f"{field}[{i}]")
            seen.add(value)
        return seen

    # -- references ------------------------------------------------------------

    def _persona(self, value: str, field: str, line: int) -> None:
        if value not in self._personas:
            self._report(line, f"persona '{value}' is not in run_started's personas", field)

    def _task(self, value: str, field: str, line: int) -> None:
        if value not in self._tasks:
            self._report(line, f"task '{value}' is not in run_started's plan", field)

    def _phase(self, value: str, field: str, line: int) -> None:
        if value not in self._phases:
            self._report(line, f"phase '{value}' is not in run_started's phases", field)

    def _references(self, event: ev.Event, line: int) -> None:
        self._persona(event.actor, "actor", line)
        fields = {name: getattr(event, name) for name in _REFERENCE_FIELDS if hasattr(event, name)}
        for name in _PERSONA_FIELDS:
            if name in fields:
                self._persona(fields[name], name, line)
        for name in _PERSONA_LISTS:
            for i, value in enumerate(_ids(fields.get(name))):
                self._persona(value, f"{name}[{i}]", line)
        if "task" in fields:
            self._task(fields["task"], "task", line)
        for name in _TASK_LISTS:
            for i, value in enumerate(_ids(fields.get(name))):
                self._task(value, f"{name}[{i}]", line)
        if fields.get("continues_with"):
            self._task(fields["continues_with"], "continues_with", line)
        if "phase" in fields:
            self._phase(fields["phase"], "phase", line)

    # -- order -----------------------------------------------------------------

    def _order(self, event: ev.Event, line: int) -> None:
        if isinstance(event, ev.TaskAssigned):
            self._assigned.add(event.task)
        elif isinstance(event, _NEEDS_ASSIGNMENT) and event.task not in self._assigned:
            self._report(line, f"'{event.kind}' of task '{event.task}' before it was assigned", "task")
        if isinstance(event, _OPENERS):
            key = (event.task, event.persona)
            if key in self._open:
                self._report(line, f"'{event.persona}' starts task '{event.task}' again before it ended", "task")
            self._open[key] = line
        elif isinstance(event, ev.TaskFinished) and event.task in self._approved:
            # An approved review finishes the author's task without a new activity.
            self._approved.discard(event.task)
        elif isinstance(event, ev.TaskFailed) and event.task in self._exhausted:
            # A review loop that ran out of rounds fails the author's task without a new activity.
            self._exhausted.discard(event.task)
        elif isinstance(event, ev.TaskSubmitted | ev.TaskFinished | ev.TaskFailed):
            self._close((event.task, event.persona), event.kind, line)
        elif isinstance(event, ev.ReviewRound):
            self._close((event.task, event.reviewer), event.kind, line)
            if event.verdict == "approved":
                self._approved.add(event.task)
            elif event.round >= event.max_rounds:
                self._exhausted.add(event.task)
        elif isinstance(event, ev.PhaseStarted):
            if event.phase in self._phases_seen:
                self._report(line, f"phase '{event.phase}' is started twice", "phase")
            self._phases_seen.add(event.phase)
            self._phases_open.add(event.phase)
            if not 1 <= event.index <= len(self._phases):
                self._report(line, f"index {event.index} is not between 1 and {len(self._phases)}", "index")
        elif isinstance(event, ev.PhaseFinished):
            # The converse is allowed: a run that fails or stops leaves the phases of its
            # unreached tasks unfinished.
            if event.phase not in self._phases_open:
                self._report(line, f"phase '{event.phase}' finishes without having started", "phase")
            self._phases_open.discard(event.phase)
        elif isinstance(event, ev.CheckInHeld):
            if not 1 <= event.phase_index <= event.phases_total:
                self._report(line, f"phase_index {event.phase_index} is outside 1..{event.phases_total}", "phase_index")
        elif isinstance(event, ev.GateChecked | ev.GateVerdict):
            self._gate(event, line)
        elif isinstance(event, ev.RunFinished):
            self._finished_line = line

    def _gate(self, event: ev.GateChecked | ev.GateVerdict, line: int) -> None:
        """The verdict must be the checks': a GO with a missing requirement is a green verdict by mistake."""
        if self._verdict_line is not None:
            self._report(line, f"'{event.kind}' after the gate's verdict (line {self._verdict_line})", "kind")
            return
        if isinstance(event, ev.GateChecked):
            self._gate_checks.append(event)
            return
        self._verdict_line = line
        checks = self._gate_checks
        if event.checked != len(checks):
            self._report(
                line, f"checked {event.checked}, but {len(checks)} gate_checked events come before it", "checked"
            )
        failed = tuple(f"{c.requirement} ({c.requirement_kind})" for c in checks if not c.ok)
        if event.missing != failed:
            self._report(line, f"missing {list(event.missing)}, but the failed checks are {list(failed)}", "missing")
        if (event.verdict == "GO") != (not failed):
            self._report(line, f"verdict {event.verdict} with {len(failed)} failed checks", "verdict")

    def _close(self, key: tuple[str, str], kind: str, line: int) -> None:
        if self._open.pop(key, None) is None:
            self._report(line, f"'{kind}' of task '{key[0]}' by '{key[1]}' without a task_started", "task")


class _Tally:
    """What the events add up to, to hold ``run_finished``'s summary against.

    A stream edited by hand (or a producer with a bug) could otherwise claim a
    makespan shorter than its critical path, or "completed" with failed tasks,
    and every view would print it.
    """

    def __init__(self) -> None:
        self.counts = {"finished": 0, "skipped": 0, "unreached": 0, "redirects": 0, "handoffs": 0}
        self.open: dict[tuple[str, str], int] = {}
        self.work_done = 0
        self.last_end = 0
        self.work_start = 0
        self.verdict = "GO"
        self.stopped = False

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.TaskStarted):
            self.open[(event.task, event.persona)] = event.at
        elif isinstance(event, ev.TaskSubmitted | ev.TaskFinished | ev.TaskFailed | ev.ReviewRound):
            persona = event.reviewer if isinstance(event, ev.ReviewRound) else event.persona
            started = self.open.pop((event.task, persona), None)
            if started is not None:
                self.work_done += event.at - started
                self.last_end = max(self.last_end, event.at)
        if isinstance(event, ev.TaskFinished):
            self.counts["finished"] += 1
        elif isinstance(event, ev.TaskSkipped):
            self.counts["skipped"] += 1
        elif isinstance(event, ev.TaskUnreached):
            self.counts["unreached"] += 1
        elif isinstance(event, ev.Redirect):
            self.counts["redirects"] += 1
        elif isinstance(event, ev.Handoff):
            self.counts["handoffs"] += 1
        elif isinstance(event, ev.GateVerdict):
            self.verdict = event.verdict
            self.work_start = event.at
        elif isinstance(event, ev.DecisionMade) and event.outcome == "stop":
            self.stopped = True

    def disagreements(self, start: ev.RunStarted, end: ev.RunFinished) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        failed = len(start.plan) - self.counts["finished"] - self.counts["skipped"] - self.counts["unreached"]
        expected = {**self.counts, "failed": failed, "tasks": len(start.plan), "sequential_time": self.work_done}
        expected["critical_time"] = start.critical_time
        expected["makespan"] = 0 if self.verdict == "NO-GO" else max(0, self.last_end - self.work_start)
        for field, value in expected.items():
            claimed = getattr(end, field)
            if claimed != value:
                out.append((field, f"run_finished says {field} {claimed}, but the events add up to {value}"))
        outcome = (
            "blocked_at_gate"
            if self.verdict == "NO-GO"
            else "stopped_at_decision"
            if self.stopped
            else "failed"
            if failed
            else "completed"
        )
        if end.outcome != outcome:
            out.append(("outcome", f"run_finished says outcome '{end.outcome}', but the events say '{outcome}'"))
        return out


def _ids(value: object) -> tuple[str, ...]:
    """A field that lists ids; ``tasks`` is a count in some events and a list in others."""
    return value if isinstance(value, tuple) else ()


def check_stream(
    events: Iterable[tuple[ev.Event, int]], path: Path | None, check_run_started: RunStartedCheck | None = None
) -> list[Problem]:
    """Every inconsistency of a whole stream (for tests and callers holding a list)."""
    check = StreamCheck(path, check_run_started)
    last = 0
    for event, line in events:
        check(event, line)
        last = line
    return check.finish(last)
