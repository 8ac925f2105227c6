"""The page's SVG timeline: one row per persona, one lane per slot it worked in at once, a bar per activity.

Parallel work never hides behind other work; each activity is a bar on the
run's clock (virtual minutes, or a live run's seconds), the critical path
outlined, failed attempts, reviews and rework drawn and labelled apart, with a
legend drawn from the bars' own classes.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from rolecall import events as ev
from rolecall.events.types import Clock
from rolecall.render.lanes import Lanes
from rolecall.render.parts import clock

__all__ = ["Timeline"]

_ROW, _BAR, _LEFT, _WIDTH = 28, 18, 150, 1000
_MARK = {"failed": "✗ failed", "review": "review", "rework": "rework"}
_LEGEND = (
    ("work", "work"),
    ("work critical", "work on the critical path"),
    ("failed", "failed attempt"),
    ("review", "review"),
    ("rework", "rework after review"),
)


class _Bar:
    """One activity on the timeline; a work attempt turns into a failed one when its task_failed arrives."""

    __slots__ = ("critical", "end", "kind", "label", "lane", "persona", "start", "task")

    def __init__(self, persona: str, task: str, kind: str, label: str, lane: int, start: int, end: int) -> None:
        self.persona, self.task, self.kind, self.label = persona, task, kind, label
        self.lane, self.start, self.end = lane, start, end
        self.critical = False


class Timeline:
    """Feed events in order; :meth:`svg` draws the legend and the chart."""

    def __init__(self) -> None:
        self.bars: list[_Bar] = []
        self.lanes = Lanes()
        self.critical: set[str] = set()
        self.summary: dict[str, str] = {}
        self._open: dict[tuple[str, str], _Bar] = {}
        self._on: dict[type, Callable[[Any], None]] = {
            ev.TaskStarted: self._start,
            ev.TaskFailed: self._failed,
            ev.TaskFinished: self._closed,
            ev.TaskSubmitted: self._closed,
            ev.RunStarted: self._run_started,
        }

    def __call__(self, event: ev.Event) -> None:
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    @property
    def busy(self) -> set[str]:
        """The personas with at least one bar."""
        return {b.persona for b in self.bars}

    def _run_started(self, event: ev.RunStarted) -> None:
        self.critical = {t.id for t in event.plan if t.critical}
        self.summary = {t.id: t.summary for t in event.plan}

    def _failed(self, event: ev.TaskFailed) -> None:
        bar = self._open.pop((event.task, event.persona), None)
        if bar is not None:
            bar.kind, bar.label, bar.critical = "failed", f"failed attempt {event.attempt}", False

    def _closed(self, event: ev.TaskFinished | ev.TaskSubmitted) -> None:
        self._open.pop((event.task, event.persona), None)

    def _start(self, event: ev.TaskStarted) -> None:
        end = event.at + event.duration
        lane = self.lanes.place(event.persona, event.at, end)
        if event.activity == "work":
            label = "work" if event.attempt == 1 else f"attempt {event.attempt}"
        else:
            label = f"{event.activity} round {event.attempt}"
        bar = _Bar(event.persona, event.task, event.activity, label, lane, event.at, end)
        if event.activity == "work":
            bar.critical = event.task in self.critical
            self._open[(event.task, event.persona)] = bar
        self.bars.append(bar)

    def svg(self, start: ev.RunStarted, colour: dict[str, str]) -> str:
        by_persona: dict[str, list[_Bar]] = {}
        for bar in self.bars:
            by_persona.setdefault(bar.persona, []).append(bar)
        rows = [p for p in start.personas if p.id in by_persona]
        end = max((b.end for b in self.bars), default=1) or 1
        scale = _WIDTH / end
        height = _ROW * sum(self.lanes.used(p.id) for p in rows) + 30
        parts = [_legend(), f'<svg id="timeline-svg" width="{_LEFT + _WIDTH + 20}" height="{height}" role="img">']
        unit = start.clock
        step = _tick(end, unit)
        for t in range(0, end + 1, step):
            x = _LEFT + t * scale
            parts.append(
                f'<line class=tick x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 20}"/>'
                f'<text class=tick x="{x:.1f}" y="{height - 5}">{clock(t, unit)}</text>'
            )
        top = 0
        for p in rows:
            lanes = self.lanes.used(p.id)
            name = f"{html.escape(p.icon)} {html.escape(p.name)}"
            parts.append(
                f'<g class="row p-{_attr(p.id)}" data-persona="{_attr(p.id)}" data-lanes="{lanes}">'
                f'<text x="4" y="{top + 16}">{name}</text>'
            )
            # Each slot the persona worked in at once is a lane of its own, labelled from the second on.
            parts += [
                f'<text class=lane x="{_LEFT - 6}" y="{top + lane * _ROW + 16}">slot {lane + 1}</text>'
                for lane in range(1, lanes)
            ]
            for bar in by_persona[p.id]:
                y = top + bar.lane * _ROW
                cls = f"bar {bar.kind}" + (" critical" if bar.critical else "")
                summary = self.summary.get(bar.task, bar.task)
                tip = f"{summary} [{bar.task}]: {bar.label}, {clock(bar.start, unit)}-{clock(bar.end, unit)}"
                width = max((bar.end - bar.start) * scale, 1.5)
                x = _LEFT + bar.start * scale
                parts.append(
                    f'<rect class="{_attr(cls)}" data-task="{_attr(bar.task)}" data-lane="{bar.lane}" '
                    f'x="{x:.1f}" y="{y + 4}" width="{width:.1f}" '
                    f'height="{_BAR}" fill="{colour[p.id]}"><title>{html.escape(tip)}</title></rect>'
                )
                mark = _MARK.get(bar.kind, "")
                # Written on the bar too, so a failed attempt reads as one without hovering; only where it fits.
                if mark and width >= 7 * len(mark):
                    parts.append(f'<text class=mark x="{x + 4:.1f}" y="{y + 17}">{html.escape(mark)}</text>')
            parts.append("</g>")
            top += lanes * _ROW
        parts.append("</svg>")
        return "".join(parts)


def _legend() -> str:
    """What each kind of bar means, drawn with the bars' own classes so it cannot drift from them."""
    items = "".join(
        f'<span class=key><svg width="26" height="14"><rect class="bar {cls}" x="1" y="1" width="24" height="12" '
        f'fill="#8a8a8a"/></svg>{html.escape(meaning)}</span>'
        for cls, meaning in _LEGEND
    )
    return f'<p id="timeline-legend">{items}<span class=key>one lane per slot a persona works in at once</span></p>'


def _attr(value: str) -> str:
    """A value for an HTML attribute: every quote and bracket escaped."""
    return html.escape(value, quote=True)


# Tick steps that land on round times of each unit: quarter hours in minutes, 5 s to an hour in seconds.
_STEPS: dict[Clock, tuple[int, ...]] = {
    "minutes": (15, 30, 60, 120, 240, 480, 960, 1920, 3840),
    "seconds": (5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 57600),
}


def _tick(end: int, unit: Clock = "minutes") -> int:
    for step in _STEPS[unit]:
        if end / step <= 16:
            return step
    return max(1, end // 16)
