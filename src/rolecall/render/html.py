"""One self-contained HTML page for reviewing a run: no network, no CDN, no external fonts.

The page holds the transcript (the Markdown transcript's own wording, split per
event and coloured per persona, with violations and redirects highlighted), a
persona filter, an SVG timeline and the handoff graph. The timeline has one
row per persona and, inside it, one lane per slot the persona worked in at
once, so parallel work never hides behind other work; each activity is a bar
on the virtual clock, the critical path outlined, failed attempts, reviews and
rework drawn and labelled apart, with a legend. Everything is computed from
the events.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from rolecall import events as ev
from rolecall._words import count, outcome_words
from rolecall.figures import Figure
from rolecall.handoffs import TemplateLibrary
from rolecall.render.lanes import Lanes
from rolecall.render.markdown import MarkdownTranscript, clock
from rolecall.render.mermaid import GANTT_LEGEND

__all__ = ["HtmlPage", "html_page"]

_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip
_HIGHLIGHT = {"violation": "violation", "redirect": "redirect", "task_failed": "failure", "escalation": "failure"}
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


class HtmlPage:
    """Feed events in order; :meth:`text` returns the page."""

    def __init__(self, templates: TemplateLibrary | None = None) -> None:
        self.transcript = MarkdownTranscript(templates)
        self.actor: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None
        self.bars: list[_Bar] = []
        self.lanes = Lanes()
        self._open: dict[tuple[str, str], _Bar] = {}
        self.edges: dict[tuple[str, str], int] = {}
        self.redirect_edges: dict[tuple[str, str], int] = {}
        self.critical: set[str] = set()
        self.summary: dict[str, str] = {}

        self._on: dict[type, Callable[[Any], None]] = {
            ev.TaskStarted: self._start,
            ev.TaskFailed: self._failed,
            ev.TaskFinished: self._closed,
            ev.TaskSubmitted: self._closed,
            ev.Handoff: self._handoff,
            ev.Redirect: self._redirect,
            ev.RunStarted: self._run_started,
            ev.RunFinished: self._run_finished,
        }

    def __call__(self, event: ev.Event) -> None:
        self.transcript(event)
        self.kind[event.seq] = event.kind
        self.actor[event.seq] = event.persona if isinstance(event, ev.TaskStarted | ev.TaskFinished) else event.actor
        on = self._on.get(type(event))
        if on is not None:
            on(event)

    def _failed(self, event: ev.TaskFailed) -> None:
        bar = self._open.pop((event.task, event.persona), None)
        if bar is not None:
            bar.kind, bar.label, bar.critical = "failed", f"failed attempt {event.attempt}", False

    def _closed(self, event: ev.TaskFinished | ev.TaskSubmitted) -> None:
        self._open.pop((event.task, event.persona), None)

    def _handoff(self, event: ev.Handoff) -> None:
        key = (event.from_persona, event.to_persona)
        self.edges[key] = self.edges.get(key, 0) + 1

    def _redirect(self, event: ev.Redirect) -> None:
        key = (event.from_persona, event.to_persona)
        self.redirect_edges[key] = self.redirect_edges.get(key, 0) + 1

    def _run_started(self, event: ev.RunStarted) -> None:
        self.start = event
        self.critical = {t.id for t in event.plan if t.critical}
        self.summary = {t.id: t.summary for t in event.plan}

    def _run_finished(self, event: ev.RunFinished) -> None:
        self.final = event

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

    # -- page -------------------------------------------------------------------

    def text(self) -> str:
        start = self.start
        if start is None:
            return "<!doctype html><title>rolecall</title><p>incomplete event stream</p>\n"
        colour = {p.id: _PALETTE[i % len(_PALETTE)] for i, p in enumerate(start.personas)}
        busy = {b.persona for b in self.bars}
        worked = [p for p in start.personas if p.id in busy or p.id == start.orchestrator]
        # Persona ids are constrained to [a-z0-9_-] when read, so they are safe as class names.
        css = "\n".join(f".p-{p.id} {{ --c: {colour[p.id]}; }}" for p in start.personas)
        options = "".join(
            f'<option value="{_attr(p.id)}">{html.escape(p.icon)} {html.escape(p.name)} '
            f"({html.escape(p.handle)})</option>"
            for p in worked
        )
        figures = ""
        numbers = self.transcript.figures.figures()
        if self.final is not None and numbers is not None:
            f = self.final
            # The same figures, named the same way, as the summary, transcript and report.
            named: tuple[Figure, ...] = (
                ("planned_work",) if numbers.blocked else ("planned_work", "work_done", "makespan", "critical_path")
            )
            told = ", ".join(numbers.text(name) for name in named)
            if not numbers.blocked:
                told += f"; {numbers.text('speedup')}"
            figures = (
                f"<p class=figures><b>{html.escape(outcome_words(f.outcome))}</b>: {html.escape(f.reason)}. "
                f"{html.escape(told[:1].upper() + told[1:])}.<br>{count(f.tasks, 'task')}, "
                f"{count(f.handoffs, 'handoff')}, {count(f.redirects, 'redirect')}.</p>"
            )
        body = [
            f"<header><h1>{html.escape(start.title)}</h1><p><b>Request:</b> {html.escape(start.request)}</p>{figures}",
            f'<label>Show persona <select id="persona-filter"><option value="">everyone</option>{options}</select>'
            "</label></header>",
            "<section id=timeline><h2>Timeline</h2>", self._timeline(start, colour), "</section>",
            "<section id=graph><h2>Handoffs and redirects</h2>", self._graph(start, colour), "</section>",
            "<section id=transcript><h2>Transcript</h2>", *self._messages(), "</section>",
        ]  # fmt: skip
        return _PAGE.format(title=html.escape(start.title), css=css, body="\n".join(body))

    def _messages(self) -> list[str]:
        text = self.transcript.text().split("\n")
        starts = sorted(self.transcript.line_of.items(), key=lambda item: (item[1], item[0]))
        out: list[str] = []
        for i, (seq, line) in enumerate(starts):
            end = starts[i + 1][1] if i + 1 < len(starts) else len(text) + 1
            block = [row for row in text[line - 1 : end - 1]]
            if not any(row.strip() for row in block):
                continue
            kind = self.kind.get(seq, "")
            persona = self.actor.get(seq, "")
            if kind == "run_finished":
                # The SVG timeline replaces the Mermaid diagrams and their legend.
                block = [row for row in block if not row.startswith("    ") and row != GANTT_LEGEND]
            extra = _HIGHLIGHT.get(kind, "")
            out.append(
                f'<div class="msg p-{_attr(persona)} {extra}" data-persona="{_attr(persona)}" '
                f'data-kind="{_attr(kind)}" data-seq="{seq}">'
                f"{_markdown(block)}</div>"
            )
        return out

    def _timeline(self, start: ev.RunStarted, colour: dict[str, str]) -> str:
        by_persona: dict[str, list[_Bar]] = {}
        for bar in self.bars:
            by_persona.setdefault(bar.persona, []).append(bar)
        rows = [p for p in start.personas if p.id in by_persona]
        end = max((b.end for b in self.bars), default=1) or 1
        scale = _WIDTH / end
        height = _ROW * sum(self.lanes.used(p.id) for p in rows) + 30
        parts = [_legend(), f'<svg id="timeline-svg" width="{_LEFT + _WIDTH + 20}" height="{height}" role="img">']
        step = _tick(end)
        for t in range(0, end + 1, step):
            x = _LEFT + t * scale
            parts.append(
                f'<line class=tick x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 20}"/>'
                f'<text class=tick x="{x:.1f}" y="{height - 5}">{clock(t)}</text>'
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
                tip = f"{summary} [{bar.task}]: {bar.label}, {clock(bar.start)}-{clock(bar.end)}"
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

    def _graph(self, start: ev.RunStarted, colour: dict[str, str]) -> str:
        involved = [p for p in start.personas
                    if any(p.id in key for key in (*self.edges, *self.redirect_edges))]  # fmt: skip
        if not involved:
            return "<p>No handoffs in this run.</p>"
        size, radius = 520, 200
        pos = {}
        for i, p in enumerate(involved):
            angle = 2 * math.pi * i / len(involved) - math.pi / 2
            pos[p.id] = (size / 2 + radius * math.cos(angle), size / 2 + radius * math.sin(angle))
        parts = [f'<svg id="graph-svg" width="{size}" height="{size}" role="img">',
                 '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
                 'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']  # fmt: skip
        for edges, cls in ((self.edges, "edge"), (self.redirect_edges, "edge redirect-edge")):
            for (a, b), times in edges.items():
                (x1, y1), (x2, y2) = pos[a], pos[b]
                dx, dy = x2 - x1, y2 - y1
                length = math.hypot(dx, dy) or 1
                x2, y2 = x2 - dx / length * 22, y2 - dy / length * 22
                parts.append(
                    f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                    f'marker-end="url(#arrow)"><title>{html.escape(a)} -&gt; {html.escape(b)}: {times}</title></line>'
                )
        for p in involved:
            x, y = pos[p.id]
            parts.append(
                f'<g class="node p-{_attr(p.id)}" data-persona="{_attr(p.id)}">'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="20" '
                f'fill="{colour[p.id]}"/><text x="{x:.1f}" y="{y + 36:.1f}">{html.escape(p.name)}</text></g>'
            )
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


def _tick(end: int) -> int:
    for step in (15, 30, 60, 120, 240, 480, 960, 1920, 3840):
        if end / step <= 16:
            return step
    return max(1, end // 16)


_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<b>\1</b>"),
    (re.compile(r"\*([^*]+)\*"), r"<i>\1</i>"),
    (re.compile(r"~~([^~]+)~~"), r"<s>\1</s>"),
]


def _inline(text: str) -> str:
    out = html.escape(text, quote=False)
    for pattern, repl in _INLINE:
        out = pattern.sub(repl, out)
    return out


def _markdown(lines: list[str]) -> str:
    """The small Markdown subset the transcript uses: headings, quotes, lists, tables, paragraphs."""
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if not line or line.startswith(("```", "<details", "</details", "|---")):
            continue
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")) + 1, 6)
            out.append(f"<h{level}>{_inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith(">"):
            out.append(f"<div class=quote>{_inline(line[1:].strip()) or '&nbsp;'}</div>")
        elif line.lstrip().startswith("- "):
            indent = (len(line) - len(line.lstrip())) // 2
            out.append(f'<div class="li l{indent}">{_inline(line.lstrip()[2:])}</div>')
        elif line.startswith("|"):
            cells = "".join(f"<td>{_inline(c.strip())}</td>" for c in line.strip("|").split("|"))
            out.append(f"<div class=tr><table><tr>{cells}</tr></table></div>")
        else:
            out.append(f"<p>{_inline(line)}</p>")
    return "".join(out)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - rolecall</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1240px; padding: 0 16px 48px; color: #222; }}
header {{ position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ddd; padding: 8px 0; z-index: 1; }}
h1 {{ margin: 4px 0; font-size: 22px; }}
section {{ margin-top: 18px; overflow-x: auto; }}
.msg {{ border-left: 4px solid var(--c, #999); padding: 4px 10px; margin: 6px 0; background: #fafafa; }}
.msg p {{ margin: 2px 0; }}
.msg .quote {{ color: #333; padding-left: 10px; border-left: 2px solid #ddd; }}
.msg .li {{ padding-left: 14px; }} .msg .li::before {{ content: "\\2022  "; }}
.msg .l1 {{ padding-left: 30px; }}
.msg.violation {{ background: #fff1f0; outline: 2px solid #d62728; }}
.msg.redirect {{ background: #fff7e6; outline: 2px solid #ff7f0e; }}
.msg.failure {{ background: #fff1f0; }}
.msg table {{ border-collapse: collapse; }} .msg td {{ border: 1px solid #ddd; padding: 1px 6px; }}
.hidden {{ display: none; }}
svg text {{ font-size: 12px; fill: #222; }}
.tick {{ stroke: #eee; fill: #777; font-size: 10px; }} text.tick {{ stroke: none; }}
.mark {{ font-size: 10px; fill: #333; pointer-events: none; }}
.bar {{ opacity: 0.85; }} .bar.critical {{ stroke: #000; stroke-width: 2; }}
.bar.failed {{ fill-opacity: 0.25; stroke: #d62728; stroke-width: 2; stroke-dasharray: 4 2; }}
.bar.review {{ fill-opacity: 0.45; stroke: #333; stroke-width: 1; stroke-dasharray: 1 2; }}
.bar.rework {{ fill-opacity: 0.6; stroke: #333; stroke-width: 1; stroke-dasharray: 6 2; }}
.lane {{ text-anchor: end; fill: #777; font-size: 10px; }}
#timeline-legend {{ margin: 4px 0 8px; }} .key {{ margin-right: 14px; white-space: nowrap; }}
.key svg {{ vertical-align: middle; margin-right: 4px; }}
.edge {{ stroke: #888; stroke-width: 1.5; }} .redirect-edge {{ stroke: #d62728; stroke-dasharray: 5 3; }}
.node text {{ text-anchor: middle; }}
{css}
</style>
</head>
<body>
{body}
<script>
(function () {{
  var select = document.getElementById("persona-filter");
  select.addEventListener("change", function () {{
    var who = select.value;
    document.querySelectorAll("[data-persona]").forEach(function (el) {{
      if (el.tagName === "OPTION") return;
      el.classList.toggle("hidden", who !== "" && el.getAttribute("data-persona") !== who);
    }});
  }});
}})();
</script>
</body>
</html>
"""


def html_page(events: Iterable[ev.Event], templates: TemplateLibrary | None = None) -> str:
    page = HtmlPage(templates)
    for event in events:
        page(event)
    return page.text()
