"""One self-contained HTML page for reviewing a run: no network, no CDN, no external fonts.

The page holds the transcript (the Markdown transcript's own wording, split per
event and coloured per persona, with violations and redirects highlighted), a
persona filter, an SVG timeline with one row per persona and one bar per
activity on the virtual clock (the critical path marked), the final report and
the handoff graph. Everything is computed from the events.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

from rolecall.handoffs import TemplateLibrary
from rolecall.orchestrator import events as ev
from rolecall.render._format import duration
from rolecall.render.markdown import MarkdownTranscript, clock

__all__ = ["HtmlPage", "html_page"]

_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip
_HIGHLIGHT = {"violation": "violation", "redirect": "redirect", "task_failed": "failure", "escalation": "failure"}
_ROW, _BAR, _LEFT, _WIDTH = 28, 18, 150, 1000


class HtmlPage:
    """Feed events in order; :meth:`text` returns the page."""

    def __init__(self, templates: TemplateLibrary | None = None) -> None:
        self.transcript = MarkdownTranscript(templates)
        self.actor: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None
        self.bars: list[tuple[str, str, str, int, int, bool]] = []  # persona, task, activity, start, end, critical
        self.edges: dict[tuple[str, str], int] = {}
        self.redirect_edges: dict[tuple[str, str], int] = {}
        self.critical: set[str] = set()

    def __call__(self, event: ev.Event) -> None:
        self.transcript(event)
        self.kind[event.seq] = event.kind
        self.actor[event.seq] = event.persona if isinstance(event, ev.TaskStarted | ev.TaskFinished) else event.actor
        if isinstance(event, ev.TaskStarted):
            critical = event.task in self.critical and event.activity == "work"
            self.bars.append((event.persona, event.task, event.activity, event.at, event.at + event.duration, critical))
        elif isinstance(event, ev.Handoff):
            key = (event.from_persona, event.to_persona)
            self.edges[key] = self.edges.get(key, 0) + 1
        elif isinstance(event, ev.Redirect):
            key = (event.from_persona, event.to_persona)
            self.redirect_edges[key] = self.redirect_edges.get(key, 0) + 1
        elif isinstance(event, ev.RunStarted):
            self.start = event
            self.critical = {t.id for t in event.plan if t.critical}
        elif isinstance(event, ev.RunFinished):
            self.final = event

    # -- page -------------------------------------------------------------------

    def text(self) -> str:
        start = self.start
        if start is None:
            return "<!doctype html><title>rolecall</title><p>incomplete event stream</p>\n"
        colour = {p.id: _PALETTE[i % len(_PALETTE)] for i, p in enumerate(start.personas)}
        worked = [p for p in start.personas if any(b[0] == p.id for b in self.bars) or p.id == start.orchestrator]
        # Persona ids are constrained to [a-z0-9_-] when read, so they are safe as class names.
        css = "\n".join(f".p-{p.id} {{ --c: {colour[p.id]}; }}" for p in start.personas)
        options = "".join(
            f'<option value="{_attr(p.id)}">{html.escape(p.icon)} {html.escape(p.name)} '
            f"({html.escape(p.handle)})</option>"
            for p in worked
        )
        figures = ""
        if self.final is not None:
            f = self.final
            figures = (
                f"<p class=figures><b>{html.escape(f.outcome.replace('_', ' '))}</b>: {html.escape(f.reason)}. "
                f"Makespan {duration(f.makespan)}, work {duration(f.sequential_time)}, "
                f"critical path {duration(f.critical_time)}; {f.tasks} tasks, {f.handoffs} handoffs, "
                f"{f.redirects} redirects.</p>"
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
                block = [row for row in block if not row.startswith("    ")]  # the SVG replaces Mermaid
            extra = _HIGHLIGHT.get(kind, "")
            out.append(
                f'<div class="msg p-{_attr(persona)} {extra}" data-persona="{_attr(persona)}" '
                f'data-kind="{_attr(kind)}" data-seq="{seq}">'
                f"{_markdown(block)}</div>"
            )
        return out

    def _timeline(self, start: ev.RunStarted, colour: dict[str, str]) -> str:
        rows = [p for p in start.personas if any(b[0] == p.id for b in self.bars)]
        end = max((b[4] for b in self.bars), default=1) or 1
        scale = _WIDTH / end
        height = _ROW * len(rows) + 30
        parts = [f'<svg id="timeline-svg" width="{_LEFT + _WIDTH + 20}" height="{height}" role="img">']
        step = _tick(end)
        for t in range(0, end + 1, step):
            x = _LEFT + t * scale
            parts.append(
                f'<line class=tick x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 20}"/>'
                f'<text class=tick x="{x:.1f}" y="{height - 5}">{clock(t)}</text>'
            )
        index = {p.id: i for i, p in enumerate(rows)}
        for p in rows:
            y = index[p.id] * _ROW
            parts.append(
                f'<g class="row p-{_attr(p.id)}" data-persona="{_attr(p.id)}"><text x="4" y="{y + 16}">'
                f"{html.escape(p.icon)} {html.escape(p.name)}</text>"
            )
            for persona, task, activity, s, e, critical in self.bars:
                if persona != p.id:
                    continue
                cls = "bar critical" if critical else "bar"
                parts.append(
                    f'<rect class="{cls} {_attr(activity)}" data-task="{_attr(task)}" x="{_LEFT + s * scale:.1f}" '
                    f'y="{y + 4}" width="{max((e - s) * scale, 1.5):.1f}" height="{_BAR}" fill="{colour[p.id]}">'
                    f"<title>{html.escape(task)} ({html.escape(activity)}, {clock(s)}-{clock(e)})</title></rect>"
                )
            parts.append("</g>")
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
            for (a, b), count in edges.items():
                (x1, y1), (x2, y2) = pos[a], pos[b]
                dx, dy = x2 - x1, y2 - y1
                length = math.hypot(dx, dy) or 1
                x2, y2 = x2 - dx / length * 22, y2 - dy / length * 22
                parts.append(
                    f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                    f'marker-end="url(#arrow)"><title>{html.escape(a)} -&gt; {html.escape(b)}: {count}</title></line>'
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
.tick {{ stroke: #eee; fill: #777; font-size: 10px; }}
.bar {{ opacity: 0.85; }} .bar.critical {{ stroke: #000; stroke-width: 2; }}
.bar.review {{ opacity: 0.5; }} .bar.rework {{ opacity: 0.65; }}
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
