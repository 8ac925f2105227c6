"""Mermaid diagrams of a run, which GitHub renders inside Markdown.

A Gantt chart with one bar per activity on the run's clock and one section
per slot a persona worked in (a persona working on two things at once gets
two sections, so no bar hides another), critical-path work marked ``crit``,
failed attempts ``done`` (grey) and reviews and rework ``active``, each
labelled with what it was. Plus a sequence diagram of the handoffs and
redirects. Both are built from the events; past a size where a diagram stops
being readable it is left out with a note (the HTML page scales further).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rolecall import events as ev
from rolecall.events.types import Clock
from rolecall.render.lanes import Lanes

__all__ = ["GANTT_LEGEND", "MAX_ITEMS", "MermaidBuilder"]

MAX_ITEMS = 200
_UNSAFE = re.compile(r"[:;#\n]")
GANTT_LEGEND = (
    "Bars: critical-path work in red (`crit`), failed attempts in grey (`done`), reviews and rework "
    "highlighted (`active`); a persona working on several things at once has one section per slot."
)


def _label(text: str) -> str:
    return _UNSAFE.sub(" ", text).strip()[:80]


class _Bar:
    __slots__ = ("end", "label", "lane", "persona", "start", "tags")

    def __init__(self, persona: str, lane: int, label: str, tags: str, start: int, end: int) -> None:
        self.persona, self.lane, self.label, self.tags, self.start, self.end = persona, lane, label, tags, start, end


class MermaidBuilder:
    def __init__(self) -> None:
        self.title = ""
        self.clock: Clock = "minutes"
        self.names: dict[str, str] = {}
        self.summary: dict[str, str] = {}
        self.critical: set[str] = set()
        self.bars: list[_Bar] = []
        self.lanes = Lanes()
        self._open: dict[tuple[str, str], _Bar] = {}  # a work attempt until it ends, to mark it failed
        self.messages: list[tuple[str, str, str, str]] = []  # from, to, arrow, text
        self._on: dict[type, Callable[[Any], None]] = {
            ev.TaskStarted: self._start,
            ev.TaskFailed: self._failed,
            ev.TaskFinished: self._closed,
            ev.TaskSubmitted: self._closed,
            ev.Handoff: self._handoff,
            ev.Redirect: self._redirect,
            ev.RunStarted: self._run_started,
        }

    def __call__(self, event: ev.Event) -> None:
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    def _failed(self, event: ev.TaskFailed) -> None:
        bar = self._open.pop((event.task, event.persona), None)
        if bar is not None:
            bar.label = f"failed attempt {event.attempt} - {self.summary.get(event.task, event.task)}"
            bar.tags = "done, "

    def _closed(self, event: ev.TaskFinished | ev.TaskSubmitted) -> None:
        self._open.pop((event.task, event.persona), None)

    def _handoff(self, event: ev.Handoff) -> None:
        if len(self.messages) <= MAX_ITEMS:
            what = ", ".join(event.deliverables) or ", ".join(event.feeds)
            self.messages.append((event.from_persona, event.to_persona, "->>", f"{event.style} handoff {what}"))

    def _redirect(self, event: ev.Redirect) -> None:
        if len(self.messages) <= MAX_ITEMS:
            self.messages.append((event.actor, event.from_persona, "--x", f"STOP {event.task}"))
            self.messages.append((event.actor, event.to_persona, "-->>", f"redirect {event.task}"))

    def _run_started(self, event: ev.RunStarted) -> None:
        self.title = event.title
        self.clock = event.clock
        self.names = {p.id: p.name for p in event.personas}
        self.summary = {t.id: t.summary for t in event.plan}
        self.critical = {t.id for t in event.plan if t.critical}

    def _start(self, event: ev.TaskStarted) -> None:
        if len(self.bars) > MAX_ITEMS:
            return  # the chart is left out past this size; its bars are no longer needed
        end = event.at + event.duration
        lane = self.lanes.place(event.persona, event.at, end)
        label = self.summary.get(event.task, event.task)
        tags = ""
        if event.activity == "work":
            if event.task in self.critical:
                tags = "crit, "
            if event.attempt > 1:
                label = f"attempt {event.attempt} - {label}"
        else:
            label = f"{event.activity} round {event.attempt} - {label}"
            tags = "active, "
        bar = _Bar(event.persona, lane, label, tags, event.at, end)
        self.bars.append(bar)
        if event.activity == "work":
            self._open[(event.task, event.persona)] = bar

    def gantt(self) -> list[str]:
        if not self.bars:
            return []
        if len(self.bars) > MAX_ITEMS:
            return [f"_Gantt chart left out: more than {MAX_ITEMS} activities; see the HTML page._", ""]
        out = [GANTT_LEGEND, "", "```mermaid", "gantt", f"    title {_label(self.title)}", "    dateFormat X"]
        # Times as seconds since the epoch, so the axis reads from 0:00 in the stream's own clock.
        seconds, axis = (1, "%H:%M:%S") if self.clock == "seconds" else (60, "%H:%M")
        out.append(f"    axisFormat {axis}")
        first: dict[str, int] = {}
        sections: dict[tuple[str, int], list[_Bar]] = {}
        for i, bar in enumerate(self.bars):
            first.setdefault(bar.persona, i)
            sections.setdefault((bar.persona, bar.lane), []).append(bar)
        # Persona by persona in order of first work, then its slots in order.
        for persona, lane in sorted(sections, key=lambda key: (first[key[0]], key[1])):
            name = self.names.get(persona, persona)
            if self.lanes.used(persona) > 1:
                name = f"{name} slot {lane + 1}"
            out.append(f"    section {_label(name)}")
            out += [
                f"    {_label(bar.label)} :{bar.tags}{bar.start * seconds}, {max(bar.end, bar.start + 1) * seconds}"
                for bar in sections[(persona, lane)]
            ]
        return [*out, "```", ""]

    def sequence(self) -> list[str]:
        if not self.messages:
            return []
        if len(self.messages) > MAX_ITEMS:
            return [f"_Sequence diagram left out: more than {MAX_ITEMS} messages; see the HTML page._", ""]
        out = ["```mermaid", "sequenceDiagram"]
        seen: list[str] = []
        for a, b, _, _ in self.messages:
            for p in (a, b):
                if p not in seen:
                    seen.append(p)
        out += [f"    participant {p} as {_label(self.names.get(p, p))}" for p in seen]
        out += [f"    {a}{arrow}{b}: {_label(text)}" for a, b, arrow, text in self.messages]
        return [*out, "```", ""]
