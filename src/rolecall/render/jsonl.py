"""Events as JSON Lines: one event per line, fields in declaration order.

The format is the interchange between a run and every later view of it:
``rolecall render`` reads what ``rolecall replay`` wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from rolecall._messages import problems_from_errors
from rolecall.errors import InputError, Problem
from rolecall.files.reading import iter_lines
from rolecall.orchestrator.events import Event, event_adapter
from rolecall.render.stream_check import StreamCheck

__all__ = ["JsonlSink", "dump_events", "event_line", "read_events"]

_MAX_PROBLEMS = 50
_NOT_OBJECT = ("model_attributes_type", "model_type", "dict_type")


def event_line(event: Event) -> str:
    return event.model_dump_json() + "\n"


class JsonlSink:
    """Writes each event as it arrives, so a run never holds its output in memory."""

    def __init__(self, handle: IO[str]) -> None:
        self._write = handle.write

    def __call__(self, event: Event) -> None:
        self._write(event.model_dump_json())
        self._write("\n")


def dump_events(events: Iterable[Event]) -> str:
    return "".join(event_line(e) for e in events)


def read_events(path: Path) -> list[Event]:
    """Load a saved event stream, reporting every bad line (up to 50) with its number.

    Each line must be a valid event and the stream must hang together (see
    :mod:`rolecall.render.stream_check`); either kind of problem is an
    :class:`InputError`, so no renderer ever sees a broken stream.
    """
    adapter = event_adapter()
    check = StreamCheck(path)
    problems: list[Problem] = []
    events: list[Event] = []
    last = 0
    for number, line in iter_lines(path, what="events.jsonl file"):
        last = number
        if not line.strip():
            continue
        try:
            event = adapter.validate_json(line)
        except ValidationError as exc:
            problems.extend(_line_problems(exc, path, number))
        except RecursionError:
            problems.append(Problem(path, "nested too deeply to be an event", "", number))
        else:
            events.append(event)
            if not problems:
                check(event, number)
        if len(problems) >= _MAX_PROBLEMS:
            break
    if not events and not problems:
        problems.append(Problem(path, "no events: the file is empty"))
    if not problems:
        problems = check.finish(last)[:_MAX_PROBLEMS]
    if problems:
        raise InputError(problems)
    return events


def _line_problems(exc: ValidationError, path: Path, number: int) -> list[Problem]:
    errors = exc.errors(include_url=False)
    first = errors[0] if errors else None
    if first is not None and first["type"] == "json_invalid":
        reason = (first.get("ctx") or {}).get("error", "syntax error")
        return [Problem(path, f"not valid JSON ({reason})", "", number)]
    if first is not None and first["type"] == "union_tag_not_found":
        return [Problem(path, "not an event: no 'kind' field (see 'rolecall schema event')", "", number)]
    if first is not None and first["type"] in _NOT_OBJECT and not first["loc"]:
        return [Problem(path, "not an event: expected a JSON object (see 'rolecall schema event')", "", number)]
    problems = problems_from_errors(errors, Event, path)
    return [Problem(p.path, p.message, p.field, number) for p in problems]
