"""The transcript lines a finding points at, rendered only when a report asks for one.

Evaluating a run needs no transcript; a report naming the line of a finding
does. Rendering a large run's Markdown costs more than replaying and checking
it, so the transcript is rendered from the run's events on the first request,
and a run with nothing to show is never rendered at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rolecall import events as ev

if TYPE_CHECKING:
    from rolecall.handoffs import TemplateLibrary
    from rolecall.render.markdown import LineIndex

__all__ = ["TranscriptLines"]


class TranscriptLines:
    """A run's Markdown transcript and the line where each event is told, rendered on first use."""

    def __init__(self, events: Sequence[ev.Event], templates: TemplateLibrary | None = None) -> None:
        self._events = events
        self._templates = templates
        self._text: str | None = None
        self._line_of: LineIndex | None = None

    @property
    def rendered(self) -> bool:
        """Whether the transcript has been rendered: a run nobody asked about never is."""
        return self._text is not None

    @property
    def text(self) -> str:
        return self._text if self._text is not None else self._render()

    def line(self, seq: int | None) -> int | None:
        """The transcript line where event ``seq`` is told (``None`` for no event)."""
        if seq is None:
            return None
        if self._line_of is None:
            self._render()
        assert self._line_of is not None
        return self._line_of.get(seq)

    def _render(self) -> str:
        from rolecall.render.markdown import MarkdownTranscript

        transcript = MarkdownTranscript(self._templates)
        for event in self._events:
            transcript(event)
        self._text, self._line_of = transcript.text(), transcript.line_of
        self._events = ()  # the text and the line numbers are all anyone asks for now
        return self._text

    def excerpt(self, line: int | None, around: int = 6) -> str:
        """The transcript lines around ``line``, numbered, the line itself marked."""
        if line is None:
            return ""
        lines = self.text.split("\n")
        start, end = max(1, line - around), min(len(lines), line + around)
        return "\n".join(
            f"{'>>' if n == line else '  '} {n:5d} | {lines[n - 1]}".rstrip() for n in range(start, end + 1)
        )
