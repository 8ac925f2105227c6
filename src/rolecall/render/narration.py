"""What the narrator knows of a run so far, and how it turns that into messages.

Shared by the narrator's two halves (:mod:`rolecall.render.narrate_run` for
the run's course, :mod:`rolecall.render.narrate_work` for the work and who
does it), so both name people, cite tasks and mark streams the same way.
"""

from __future__ import annotations

from rolecall import events as ev
from rolecall.events.types import Clock
from rolecall.figures import duration
from rolecall.handoffs import TemplateLibrary, load_templates
from rolecall.render.numbering import PhaseNumbers
from rolecall.render.parts import Block, Line, Message, Part, Text
from rolecall.render.report import ReportBuilder
from rolecall.render.template_parts import Said, TemplateQuotes

__all__ = ["Narration"]


class Narration:
    def __init__(self, templates: TemplateLibrary | None = None) -> None:
        self._templates = templates or load_templates()
        self._quotes = TemplateQuotes()
        self.report = ReportBuilder()
        self.numbers = PhaseNumbers()
        self._parts: list[Part] = []
        self._stream = ""  # the title of the stream the current event belongs to
        self._people: dict[str, ev.PersonaView] = {}
        self._orchestrator = ""
        self._title = ""
        self._clock: Clock = "minutes"  # the stream's unit, from run_started
        self._plan: dict[str, ev.TaskView] = {}
        self._by_phase: dict[str, list[ev.TaskView]] = {}
        self._phase_titles: dict[str, str] = {}
        self._phases: dict[str, tuple[str, int]] = {}  # phase -> (title, started at)
        self._phase_done: dict[str, list[str]] = {}
        self._checks: list[ev.GateChecked] = []
        self._verdict: ev.GateVerdict | None = None
        self._summaries: dict[str, str] = {}
        self._finished: dict[str, ev.TaskFinished] = {}
        self._started: set[str] = set()
        self._ended: dict[str, str] = {}  # task -> "done" | "skipped" | "failed"
        self._workers: set[str] = set()
        self._redirects: dict[str, ev.Redirect] = {}
        self._tried: dict[str, list[str]] = {}  # task -> personas that worked on it, in order
        self._exhausted: set[str] = set()  # tasks whose review loop ran out
        self._unreached: list[ev.TaskUnreached] = []

    # -- people and tasks ---------------------------------------------------------

    def _name(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.name if person else pid

    def _handle(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.handle if person else f"@{pid}"

    def _title_of(self, pid: str) -> str:
        person = self._people.get(pid)
        return person.title if person else pid

    def _summary(self, task_id: str) -> str:
        return self._summaries.get(task_id, task_id)

    def _stream_of(self, event: ev.Event) -> str:
        """The title of the stream an event belongs to, or empty: its messages carry the stream's marker."""
        streams = self.numbers.streams
        phase = getattr(event, "phase", None)
        if not isinstance(phase, str):
            task = getattr(event, "task", None)
            if isinstance(event, ev.Handoff):
                task = (event.deliverables or event.feeds or ("",))[0]
            planned = self._plan.get(task) if isinstance(task, str) else None
            phase = planned.phase if planned is not None else None
        return streams.get(phase, "") if isinstance(phase, str) else ""

    # -- messages ---------------------------------------------------------------

    def _message(
        self, at: int, who: str, said: Text = (), lines: tuple[Line, ...] = (), blocks: tuple[Block, ...] = ()
    ) -> Message:
        return Message(at, who, self._name(who), self._handle(who), self._stream, said, lines, blocks, self._clock)

    def _duration(self, amount: int) -> str:
        return duration(amount, self._clock)

    def _say(self, event: ev.EventBase, said: Text, who: str | None = None) -> None:
        self._parts.append(self._message(event.at, who or event.actor, said))

    def _template(self, name: str, speaker: str, event: ev.EventBase, **values: Said) -> None:
        quote = self._quotes(self._templates.for_speaker(name, speaker), values)
        self._parts.append(self._message(event.at, speaker, blocks=(quote,)))
