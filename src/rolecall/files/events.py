"""Reading a saved event stream from disk, with every check a view relies on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rolecall.errors import InputError, Problem
from rolecall.events import Event, RunStarted, iter_events
from rolecall.files.reading import iter_lines

__all__ = ["read_events", "stream_events"]


MAX_EVENT_LINE = 512 * 1024 * 1024
"""``run_started`` carries the whole plan: about 200 bytes a task, 20 MB at 100k tasks."""


def read_events(path: Path, partial: bool = False) -> list[Event]:
    """The events of ``path``: every bad line and every inconsistency (with its line) is an InputError.

    ``partial``: the stream may stop before ``run_finished`` (a run killed part way).
    """
    return list(stream_events(path, partial))


def stream_events(path: Path, partial: bool = False) -> Iterator[Event]:
    """:func:`read_events` one event at a time (see :func:`rolecall.events.iter_events`): the stream is
    never held whole, and a problem anywhere raises :class:`InputError` once it has been read."""

    def templates_parse(event: RunStarted, line: int) -> list[Problem]:
        return _persona_template_problems(event, line, path)

    lines = iter_lines(path, what="events file (events.jsonl)", limit=MAX_EVENT_LINE)
    return iter_events(lines, path, templates_parse, partial)


def _persona_template_problems(event: RunStarted, line: int, path: Path) -> list[Problem]:
    """Persona templates travel in the stream; a broken one is this file's problem, at this line."""
    from rolecall.handoffs.catalogue import TEMPLATES
    from rolecall.handoffs.template import parse_template

    problems: list[Problem] = []
    for i, persona in enumerate(event.personas):
        for name, text in persona.templates.items():
            field = f"personas[{i}].templates.{name}"
            if name not in TEMPLATES:
                problems.append(Problem(path, f"unknown template '{name}'; known: {', '.join(TEMPLATES)}", field, line))
                continue
            try:
                parse_template(text, name, TEMPLATES[name], path, field)
            except InputError as exc:
                problems.extend(Problem(path, p.message, field, line) for p in exc.problems)
    return problems
