"""Events as JSON Lines: one event per line, fields in declaration order.

The format is the interchange between a run and every later view of it:
``rolecall render`` reads what ``rolecall replay`` wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from rolecall._toml import format_loc
from rolecall.errors import InputError, Problem
from rolecall.orchestrator.events import Event, event_adapter

__all__ = ["JsonlSink", "dump_events", "event_line", "read_events"]

_MAX_PROBLEMS = 50


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
    """Load a saved event stream, reporting every bad line (up to 50) with its number."""
    try:
        with path.open(encoding="utf-8") as handle:
            return list(_parse(handle, path))
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(path, "is a folder; expected an events.jsonl file") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(path, f"not UTF-8 text (byte {exc.start})") from None


def _parse(lines: Iterable[str], path: Path) -> Iterator[Event]:
    adapter = event_adapter()
    problems: list[Problem] = []
    events: list[Event] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(adapter.validate_json(line))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = format_loc(tuple(error["loc"]))
                message = error["msg"]
                if error["type"] == "json_invalid":
                    message = f"not valid JSON ({error['ctx'].get('error', 'syntax error')})"
                elif error["type"] == "union_tag_not_found":
                    message = "not an event: no 'kind' field (see 'rolecall schema event')"
                elif error["type"] == "union_tag_invalid":
                    message = f"unknown event kind {error['ctx'].get('tag', '?')!r} (see 'rolecall schema event')"
                problems.append(Problem(path, message, field, number))
        if len(problems) >= _MAX_PROBLEMS:
            break
    if not events and not problems:
        problems.append(Problem(path, "no events: the file is empty"))
    if problems:
        raise InputError(problems)
    _check_sequence(events, path)
    yield from events


def _check_sequence(events: list[Event], path: Path) -> None:
    for expected, event in enumerate(events):
        if event.seq != expected:
            raise InputError.single(
                path,
                f"event seq {event.seq} where {expected} was expected; the stream is truncated or reordered",
                "seq",
                expected + 1,
            )
