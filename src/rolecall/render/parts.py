"""What the transcript says, as parts that any view can format: the Markdown transcript, the HTML page.

The narrator (:mod:`rolecall.render.narrator`) decides the words once, from
the events and the templates; a view only chooses how each part looks. So the
Markdown writes ``*summary*`` and the page writes ``<i>summary</i>`` for the
same :class:`Span`, and neither ever reads the other's output.

Every part is an immutable named tuple, cheap to make: a run makes one or
more per event. Inline text is a :data:`Text`: a tuple of spans. Values
from the events are never markup: a summary holding ``*`` or ``<`` is text in
every view (the Markdown writes it as it is, as it always has; the page
escapes it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from rolecall.events.types import Clock, RunStarted

__all__ = [
    "Block",
    "Details",
    "Heading",
    "Line",
    "Message",
    "Paragraph",
    "Part",
    "Quote",
    "Report",
    "Span",
    "Style",
    "Table",
    "Text",
    "clock",
    "code",
    "em",
    "live_start",
    "strike",
    "strong",
    "text",
]


def clock(at: int, unit: Clock = "minutes") -> str:
    """A time since the run started, the same in every view: ``h:mm`` in minutes, ``h:mm:ss`` in seconds."""
    if unit == "seconds":
        return f"{at // 3600}:{at // 60 % 60:02d}:{at % 60:02d}"
    return f"{at // 60}:{at % 60:02d}"


def live_start(start: RunStarted) -> str:
    """How a view says that its times are wall-clock time, and since when; empty for a replay.

    ``Live run started 2026-11-29 21:03:05 UTC; times are elapsed wall-clock
    time (h:mm:ss)``. A start that does not read as a time is shown as written:
    a view prints the stream, it does not judge it.
    """
    if start.clock != "seconds":
        return ""
    how = "times are elapsed wall-clock time (h:mm:ss)"
    if not start.wall_start:
        # A scenario frozen from a live run replays on the seconds clock, with no wall-clock start.
        return "Times are seconds (h:mm:ss), as measured in the live run the scenario was frozen from"
    try:
        moment = datetime.fromisoformat(start.wall_start)
    except ValueError:
        return f"Live run started {start.wall_start}; {how}"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"Live run started {moment:%Y-%m-%d %H:%M:%S} UTC; {how}"


Style = Literal["", "em", "strong", "code", "strike"]


class Span(NamedTuple):
    """A run of inline text in one style."""

    text: str
    style: Style = ""


Text = tuple[Span, ...]


def text(*pieces: str | Span) -> Text:
    """Inline text from plain strings and styled spans: ``text("working on ", em(summary), " (45m)")``."""
    return tuple([Span(piece) if isinstance(piece, str) else piece for piece in pieces])


def em(value: str) -> Span:
    return Span(value, "em")


def strong(value: str) -> Span:
    return Span(value, "strong")


def code(value: str) -> Span:
    return Span(value, "code")


def strike(value: str) -> Span:
    return Span(value, "strike")


class Line(NamedTuple):
    """One line: plain text, or a list item when ``mark`` is set (``-`` or ``1.``).

    ``indent`` is kept as written, so a template's own indentation survives;
    ``check`` makes the item a to-do item (done or not).
    """

    text: Text
    mark: str = ""
    indent: str = ""
    check: bool | None = None


class Heading(NamedTuple):
    level: int
    text: Text


class Paragraph(NamedTuple):
    """Lines that belong together: a sentence, a list, or a sentence and the list it introduces."""

    lines: tuple[Line, ...]


class Quote(NamedTuple):
    """What a persona says at length: a template's text, or a multi-line deliverable.

    Empty lines separate paragraphs; a value's own newlines stay inside its
    span, and each view breaks the line where they fall.
    """

    lines: tuple[Line, ...]


class Details(NamedTuple):
    """Lines a reader opens on demand, under a one-line summary."""

    summary: str
    lines: tuple[Line, ...]


class Table(NamedTuple):
    head: tuple[Text, ...]
    right: tuple[bool, ...]  # per column: numbers read best right-aligned
    rows: tuple[tuple[Text, ...], ...]


Block = Heading | Paragraph | Quote | Details | Table


class Message(NamedTuple):
    """One message of the run: who said it, when, in which stream, and what.

    ``text`` follows the speaker on the first line, ``lines`` come right under
    it (the list a sentence introduces), and ``blocks`` after a gap (the
    quoted body of a template, the files a deliverable touched). ``clock`` is
    the unit of ``at``, so a view formats the time without knowing the run.
    """

    at: int
    persona: str
    name: str
    handle: str
    stream: str
    text: Text = ()
    lines: tuple[Line, ...] = ()
    blocks: tuple[Block, ...] = ()
    clock: Clock = "minutes"


class Report(NamedTuple):
    """The final report, as :class:`~rolecall.render.report.ReportBuilder` writes it (Markdown).

    ``rolecall report`` prints the same text, so the report keeps its one
    writer; :func:`rolecall.render.report_parts.report_blocks` reads the few
    constructs it uses back into blocks for the page.
    """

    markdown: str


Part = Block | Message | Report
