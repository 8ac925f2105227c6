"""Events as JSON Lines: one event per line, fields in declaration order.

The format is the interchange between a run and every later view of it:
``rolecall render`` reads what ``rolecall replay`` wrote. Reading validates
each line strictly against the union of all kinds (pydantic, whose adapter is
also the published schema) and checks that the stream hangs together
(:mod:`rolecall.events.stream_check`). Writing uses msgspec's encoder, which
turns a slotted dataclass into the same bytes as pydantic's serialiser
(fields in declaration order, compact, UTF-8; a test pins the equality) at a
third of the cost, and writing is most of what a large replay does per event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import msgspec
from pydantic import TypeAdapter, ValidationError

from rolecall.errors import InputError, Problem
from rolecall.events.stream_check import RunStartedCheck, StreamCheck
from rolecall.events.types import Event

__all__ = ["MAX_PROBLEMS", "JsonlSink", "dump_events", "event_adapter", "event_line", "iter_events", "load_events"]

MAX_PROBLEMS = 50
"""Problems reported for one stream: past this the file is simply not an events file."""

_NOT_OBJECT = ("model_attributes_type", "model_type", "dict_type", "dataclass_type")

_adapter: TypeAdapter[Event] | None = None
_encoder = msgspec.json.Encoder()
_encode = _encoder.encode
_encode_lines = _encoder.encode_lines


def event_adapter() -> TypeAdapter[Event]:
    """The (lazily built) adapter that validates one event from a dict or JSON, and gives its schema."""
    global _adapter
    if _adapter is None:
        _adapter = TypeAdapter(Event)
    return _adapter


def event_line(event: Event) -> str:
    """One event as one line of JSON, newline included."""
    return _encode(event).decode("utf-8") + "\n"


class JsonlSink:
    """Writes each event as it arrives, so a run never holds its output in memory.

    With ``batch`` above 1, events are encoded and written that many at a time
    (a third cheaper per event in a large replay); call :meth:`flush` once the
    run is over. A live run keeps the default, so a killed run has every event
    it emitted on disk.
    """

    def __init__(self, handle: IO[str], batch: int = 1) -> None:
        self._write = handle.write
        self._batch = batch
        self._pending: list[Event] = []

    def __call__(self, event: Event, /) -> None:
        if self._batch <= 1:
            self._write(_encode(event).decode("utf-8") + "\n")
            return
        pending = self._pending
        pending.append(event)
        if len(pending) >= self._batch:
            self.flush()

    def flush(self) -> None:
        """Write the events still held by a batching sink."""
        if self._pending:
            self._write(_encode_lines(self._pending).decode("utf-8"))
            self._pending.clear()


def dump_events(events: Iterable[Event]) -> str:
    return "".join(event_line(e) for e in events)


def load_events(
    lines: Iterable[tuple[int, str]],
    source: Path | None,
    check_run_started: RunStartedCheck | None = None,
    partial: bool = False,
) -> list[Event]:
    """Validate numbered lines into events; every bad line (up to :data:`MAX_PROBLEMS`) is reported.

    Each line must be a valid event and the stream must hang together; either kind
    of problem is an :class:`InputError`, so no view ever sees a broken stream.
    ``partial`` accepts a stream that stops before ``run_finished`` (a run killed
    part way), and drops a last line cut off in the middle of being written.
    """
    return list(iter_events(lines, source, check_run_started, partial))


def iter_events(
    lines: Iterable[tuple[int, str]],
    source: Path | None,
    check_run_started: RunStartedCheck | None = None,
    partial: bool = False,
) -> Iterator[Event]:
    """:func:`load_events`, one event at a time, so a view of a large stream never holds all of it.

    Events are yielded as they validate; a problem anywhere is an
    :class:`InputError` raised when the stream has been read (or at the first
    line, when the file is not an events file at all). A consumer must treat
    what it built as void when the iteration raises: views build their output
    and print it only once the iteration has ended.
    """
    adapter = event_adapter()
    check = StreamCheck(source, check_run_started, partial)
    problems: list[Problem] = []
    seen = 0
    last = 0
    for number, line in lines:
        last = number
        if not line.strip():
            continue
        try:
            event = adapter.validate_json(line)
        except ValidationError as exc:
            found = _line_problems(exc, source, number)
            if not seen and not problems and found[0].message.startswith("not valid JSON"):
                # The first line is not JSON at all: a wrong file, not fifty bad events.
                message = "not an events file: the first line is not JSON (an events.jsonl holds one event per line)"
                raise InputError.single(source, message, line=number) from None
            problems.extend(found)
        except RecursionError:
            problems.append(Problem(source, "nested too deeply to be an event", "", number))
        else:
            seen += 1
            # A line as rolecall writes it names each key once; any other is parsed again to make sure.
            if line.rstrip() != _encode(event).decode("utf-8") and (twice := _key_given_twice(line)):
                problems.append(Problem(source, f"the key '{twice}' is given twice in one object", "", number))
            if not problems:
                check(event, number)
                if not check.problems:
                    yield event  # a view never sees an event once the stream is known to be broken
        if len(problems) >= MAX_PROBLEMS:
            break
    if (
        partial
        and problems
        and all(p.line == last for p in problems)
        and problems[0].message.startswith("not valid JSON")
    ):
        problems = []  # the process was killed while writing its last line
    if not seen and not problems:
        problems.append(Problem(source, "no events: the file is empty"))
    if not problems:
        problems = check.finish(last)[:MAX_PROBLEMS]
    if problems:
        raise InputError(problems)


def _key_given_twice(line: str) -> str | None:
    """The first key a JSON object of ``line`` gives twice, at any depth, if any.

    JSON readers keep the last value of a repeated key, and other tools may
    keep the first: a line that means two things is not read as either.
    """
    twice: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not twice:
                twice.append(key)
            seen.add(key)
        return dict(items)

    try:
        json.loads(line, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return None  # the line validated, so the other reader accepting it is what counts
    return twice[0] if twice else None


def _line_problems(exc: ValidationError, source: Path | None, number: int) -> list[Problem]:
    from rolecall._messages import problems_from_errors

    errors = exc.errors(include_url=False)
    first = errors[0] if errors else None
    if first is not None and first["type"] == "json_invalid":
        reason = (first.get("ctx") or {}).get("error", "syntax error")
        return [Problem(source, f"not valid JSON ({reason})", "", number)]
    if first is not None and first["type"] == "union_tag_not_found":
        return [Problem(source, "not an event: no 'kind' field (see 'rolecall schema event')", "", number)]
    if first is not None and first["type"] in _NOT_OBJECT and not first["loc"]:
        return [Problem(source, "not an event: expected a JSON object (see 'rolecall schema event')", "", number)]
    problems = problems_from_errors(errors, Event, source)
    return [Problem(p.path, p.message, p.field, number) for p in problems]
