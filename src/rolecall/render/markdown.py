"""The Markdown transcript: the run told the way the source documents tell it.

The words are the narrator's (:mod:`rolecall.render.narrator`); this module
only writes its parts as Markdown, and closes the final report with the
Mermaid diagrams GitHub draws. Events are taken one at a time, so a large run
renders while it streams.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from rolecall import events as ev
from rolecall.figures import FiguresTally
from rolecall.handoffs import TemplateLibrary
from rolecall.render.mermaid import MermaidBuilder
from rolecall.render.narrator import Narrator
from rolecall.render.parts import (
    Block,
    Details,
    Heading,
    Line,
    Message,
    Paragraph,
    Part,
    Quote,
    Report,
    Text,
    clock,
)

__all__ = ["LineIndex", "MarkdownTranscript", "TextStore", "block_lines", "clock", "markdown_transcript"]

_MARK = {"": "", "em": "*", "strong": "**", "code": "`", "strike": "~~"}
_CHECK = {True: "[x] ", False: "[ ] ", None: ""}


_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def _plain(text: str, style: str) -> str:
    # Markdown viewers render raw HTML: an agent's answer holding "</details>" would close the
    # ledger's collapsible section, or worse. A tag's "<" is written as an entity; "<100ms" and
    # code spans (shown literally anyway) are left as they are. Control characters are replaced
    # when the text is settled (rolecall.render.numbering), after the phase numbers.
    if "<" in text and style != "code":
        text = _TAG.sub("&lt;", text)
    return text


def inline(said: Text) -> str:
    """Spans as Markdown; values are written as they are (but for HTML tags), so a transcript reads like its source."""
    return "".join(
        [f"{mark}{_plain(span.text, span.style)}{mark}" if (mark := _MARK[span.style]) else _plain(span.text, "")
         for span in said]
    )  # fmt: skip


def line(item: Line) -> str:
    if not item.mark and not item.indent:
        return inline(item.text)
    mark = f"{item.mark} " if item.mark else ""
    return f"{item.indent}{mark}{_CHECK[item.check]}{inline(item.text)}"


def block_lines(block: Block) -> list[str]:
    """A block as Markdown lines, without the empty line that separates it from the next."""
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {inline(block.text)}"]
    if isinstance(block, Paragraph):
        return [line(item) for item in block.lines]
    if isinstance(block, Quote):
        # Joined first, then quoted line by line: a value's own newlines start quoted lines too.
        body = "\n".join(line(item) for item in block.lines).rstrip("\n")
        return [f"> {row}" if row else ">" for row in body.split("\n")]
    if isinstance(block, Details):
        rows = [line(item) for item in block.lines]
        return [f"<details><summary>{block.summary}</summary>", "", *rows, "", "</details>"]
    head = "| " + " | ".join(inline(cell) for cell in block.head) + " |"
    align = "|" + "|".join("---:" if right else "---" for right in block.right) + "|"
    rows = ["| " + " | ".join(inline(cell) for cell in row) + " |" for row in block.rows]
    return [head, align, *rows]


def message_lines(message: Message) -> list[str]:
    stream = f"[{message.stream}] " if message.stream else ""
    said = f" {inline(message.text)}" if message.text else ""
    out = [f"`[{clock(message.at, message.clock)}]` {stream}**{message.name}** ({message.handle}):{said}"]
    out += [line(item) for item in message.lines]
    for block in message.blocks:
        out += ["", *block_lines(block)]
    return out


class TextStore(Protocol):
    """Where a view keeps its text until the run ends: a list, or a store that spills to disk."""

    def append(self, text: str, /) -> None: ...

    def __iter__(self) -> Iterator[str]: ...


class LineIndex:
    """Event ``seq`` -> the transcript line its text starts on.

    Eight bytes per event while seqs arrive as 0, 1, 2, ... (every checked
    stream does); a dictionary holds any other.
    """

    def __init__(self) -> None:
        self._lines = array("q")
        self._other: dict[int, int] = {}

    def set(self, seq: int, line: int) -> None:
        lines = self._lines
        if seq == len(lines):
            lines.append(line)
        elif 0 <= seq < len(lines):
            lines[seq] = line
        else:
            self._other[seq] = line

    def get(self, seq: int, default: int | None = None) -> int | None:
        if 0 <= seq < len(self._lines):
            return self._lines[seq]
        return self._other.get(seq, default)


class MarkdownTranscript:
    """Feed events in order with ``transcript(event)``; read the result with :meth:`text`.

    ``line_of`` maps an event's ``seq`` to the transcript line its text starts
    on; ``said`` holds the parts of the latest event, for views that show the
    same words another way. ``store`` makes the container the text is kept in
    until the end (a list by default; the files layer's spool keeps a large
    run's text on disk).
    """

    def __init__(self, templates: TemplateLibrary | None = None, store: Callable[[], TextStore] = list) -> None:
        self.narrator = Narrator(templates)
        self.report = self.narrator.report
        self.diagrams = MermaidBuilder()
        self.line_of = LineIndex()
        self.said: list[Part] = []
        # One string per event, not per line: a 100k-task transcript holds a few hundred thousand
        # objects instead of millions. ``_lines`` counts the lines written, for ``line_of``.
        self._chunks = store()
        self._count = 0
        self._last = 0  # the last chunk with text: the file ends there, with one newline
        self._lines = 0

    @property
    def figures(self) -> FiguresTally:
        """The run's figures, tallied once for the transcript and its report."""
        return self.narrator.figures

    def __call__(self, event: ev.Event) -> None:
        self.line_of.set(event.seq, self._lines + 1)  # where this event's text starts
        self.diagrams(event)
        self.said = self.narrator(event)
        out: list[str] = []
        for part in self.said:
            if isinstance(part, Message):
                out += message_lines(part)
            elif isinstance(part, Report):
                out += [*part.markdown.rstrip("\n").split("\n"), ""]
                out += self._diagrams()
                continue
            else:
                out += block_lines(part)
            out.append("")
        if out:
            chunk = "\n".join(out)
            self._chunks.append(chunk)
            if chunk.strip("\n"):
                self._last = self._count
            self._count += 1
            self._lines += len(out)

    def _diagrams(self) -> list[str]:
        """The report closes with the Mermaid diagrams of the run, which GitHub draws."""
        gantt, sequence = self.diagrams.gantt(), self.diagrams.sequence()
        out: list[str] = []
        if gantt:
            out += ["### Timeline", "", *gantt]
        if sequence:
            out += ["### Handoffs and redirects", "", *sequence]
        return out

    def text(self) -> str:
        return "".join(self.pieces())

    def pieces(self) -> Iterator[str]:
        """The transcript in pieces, one per event, for writing it without holding it whole.

        Phase numbers are settled piece by piece (a token never spans two), and trailing
        empty lines are dropped, as the file ends with one newline.
        """
        if not self._count:
            yield "\n"
            return
        settle, last = self.narrator.settle, self._last
        for k, chunk in enumerate(self._chunks):
            if k == last:
                yield settle(chunk).rstrip("\n") + "\n"
                return
            yield settle(chunk) + "\n"


def markdown_transcript(events: Iterable[ev.Event], templates: TemplateLibrary | None = None) -> str:
    transcript = MarkdownTranscript(templates)
    for event in events:
        transcript(event)
    return transcript.text()
