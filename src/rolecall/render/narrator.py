"""The transcript's words, event by event, as parts every view formats its own way.

A pure function of the event stream and the (user-editable) templates: phases
become sections, every message names its speaker with their @handle and the
time on the run's clock, and handoffs, redirects, gate reports, check-ins and the
summary come from the templates. Events are taken one at a time, so a large
run is told while it streams. The Markdown transcript and the HTML page both
format what :class:`Narrator` returns, so their wording cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rolecall import events as ev
from rolecall.figures import FiguresTally
from rolecall.handoffs import TemplateLibrary
from rolecall.render.narrate_run import RunMessages
from rolecall.render.narrate_work import WorkMessages
from rolecall.render.parts import Part

__all__ = ["Narrator"]


class Narrator(RunMessages, WorkMessages):
    """``narrator(event)`` returns the parts that event adds to the transcript, in order (often none)."""

    def __init__(self, templates: TemplateLibrary | None = None) -> None:
        super().__init__(templates)
        self._handlers: dict[str, Callable[[Any], None]] = {}

    @property
    def figures(self) -> FiguresTally:
        """The run's figures, tallied once for the transcript and its report."""
        return self.report.tally

    def __call__(self, event: ev.Event) -> list[Part]:
        handler = self._handlers.get(event.kind)
        if handler is None:
            handler = self._handlers[event.kind] = getattr(self, f"_on_{event.kind}")
        self.report(event)
        self._stream = self._stream_of(event) if self.numbers.streams else ""
        self._parts = []
        handler(event)
        return self._parts

    def settle(self, text: str) -> str:
        """Phase numbers are known once every phase has said whether it is a stream: fill them in."""
        return self.numbers.settle(text)
