"""Mermaid diagrams of a run, which GitHub renders inside Markdown.

A Gantt chart with one bar per activity on the virtual clock (critical-path
tasks marked ``crit``) and a sequence diagram of the handoffs and redirects.
Both are built from the events; past a size where a diagram stops being
readable it is left out with a note (the HTML page scales further).
"""

from __future__ import annotations

import re

from rolecall.orchestrator import events as ev

__all__ = ["MAX_ITEMS", "MermaidBuilder"]

MAX_ITEMS = 200
_UNSAFE = re.compile(r"[:;#\n]")


def _label(text: str) -> str:
    return _UNSAFE.sub(" ", text).strip()[:80]


class MermaidBuilder:
    def __init__(self) -> None:
        self.title = ""
        self.names: dict[str, str] = {}
        self.summary: dict[str, str] = {}
        self.critical: set[str] = set()
        self.bars: list[tuple[str, str, str, int, int]] = []  # persona, label, tags, start, end
        self.messages: list[tuple[str, str, str, str]] = []  # from, to, arrow, text

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.TaskStarted):
            if len(self.bars) <= MAX_ITEMS:
                label = self.summary.get(event.task, event.task)
                if event.activity != "work":
                    label = f"{event.activity} {event.attempt} {label}"
                tags = "crit, " if event.task in self.critical and event.activity == "work" else ""
                self.bars.append((event.persona, label, tags, event.at, event.at + event.duration))
        elif isinstance(event, ev.Handoff):
            if len(self.messages) <= MAX_ITEMS:
                what = ", ".join(event.deliverables) or ", ".join(event.feeds)
                self.messages.append((event.from_persona, event.to_persona, "->>", f"{event.style} handoff {what}"))
        elif isinstance(event, ev.Redirect):
            if len(self.messages) <= MAX_ITEMS:
                self.messages.append((event.actor, event.from_persona, "--x", f"STOP {event.task}"))
                self.messages.append((event.actor, event.to_persona, "-->>", f"redirect {event.task}"))
        elif isinstance(event, ev.RunStarted):
            self.title = event.title
            self.names = {p.id: p.name for p in event.personas}
            self.summary = {t.id: t.summary for t in event.plan}
            self.critical = {t.id for t in event.plan if t.critical}

    def gantt(self) -> list[str]:
        if not self.bars:
            return []
        if len(self.bars) > MAX_ITEMS:
            return [f"_Gantt chart left out: more than {MAX_ITEMS} activities; see the HTML page._", ""]
        out = ["```mermaid", "gantt", f"    title {_label(self.title)}", "    dateFormat X", "    axisFormat %H:%M"]
        by_persona: dict[str, list[tuple[str, str, int, int]]] = {}
        for persona, label, tags, start, end in self.bars:
            by_persona.setdefault(persona, []).append((label, tags, start, end))
        for persona, bars in by_persona.items():
            out.append(f"    section {_label(self.names.get(persona, persona))}")
            # virtual minutes as seconds since the epoch, so the axis reads h:mm from 0:00
            out += [
                f"    {_label(label)} :{tags}{start * 60}, {max(end, start + 1) * 60}"
                for label, tags, start, end in bars
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
