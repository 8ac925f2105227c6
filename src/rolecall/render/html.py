"""One self-contained HTML page for reviewing a run: no network, no CDN, no external fonts.

The page holds the transcript (the narrator's parts, the same words as the
Markdown transcript, formatted as HTML and coloured per persona, with
violations and redirects highlighted), the final report with its tables, a
persona filter, an SVG timeline (:mod:`rolecall.render.html_timeline`) and
the handoff graph (:mod:`rolecall.render.html_graph`), which stand in for the
Markdown's Mermaid diagrams. Everything is computed from the events.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Iterable, Iterator

from rolecall import events as ev
from rolecall._words import count, outcome_words, printable
from rolecall.figures import Figure
from rolecall.handoffs import TemplateLibrary
from rolecall.render.html_graph import HandoffGraph
from rolecall.render.html_parts import part_html
from rolecall.render.html_timeline import Timeline
from rolecall.render.markdown import MarkdownTranscript, TextStore
from rolecall.render.parts import live_start

__all__ = ["HtmlPage", "html_page"]

_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip


# Parts joined a few hundred at a time: a large run keeps thousands of strings, not hundreds of thousands.
_CHUNK = 256


class HtmlPage:
    """Feed events in order; :meth:`text` returns the page.

    ``transcript`` is the Markdown transcript the page is fed through: its
    narrator's parts for each event are formatted here as HTML, so both
    views say the same words.
    """

    def __init__(self, templates: TemplateLibrary | None = None, store: Callable[[], TextStore] = list) -> None:
        self.transcript = MarkdownTranscript(templates, store)
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None
        self.timeline = Timeline()
        self.graph = HandoffGraph()
        self._said = store()  # the transcript as HTML, in chunks
        self._chunk: list[str] = []

    def __call__(self, event: ev.Event) -> None:
        self.transcript(event)
        chunk = self._chunk
        for part in self.transcript.said:
            chunk.append(part_html(part, event.kind, event.seq))
        if len(chunk) >= _CHUNK:
            self._said.append("\n".join(chunk))
            chunk.clear()
        self.timeline(event)
        self.graph(event)
        if isinstance(event, ev.RunStarted):
            self.start = event
        elif isinstance(event, ev.RunFinished):
            self.final = event

    def text(self) -> str:
        return "".join(self.pieces())

    def pieces(self) -> Iterator[str]:
        """The page in pieces, for writing it without holding it whole."""
        start = self.start
        if start is None:
            yield "<!doctype html><title>rolecall</title><p>incomplete event stream</p>\n"
            return
        colour = {p.id: _PALETTE[i % len(_PALETTE)] for i, p in enumerate(start.personas)}
        busy = self.timeline.busy
        worked = [p for p in start.personas if p.id in busy or p.id == start.orchestrator]
        # Persona ids are constrained to [a-z0-9_-] when read, so they are safe as class names.
        css = "\n".join(f".p-{p.id} {{ --c: {colour[p.id]}; }}" for p in start.personas)
        options = "".join(
            f'<option value="{_attr(p.id)}">{html.escape(p.icon)} {html.escape(p.name)} '
            f"({html.escape(p.handle)})</option>"
            for p in worked
        )
        # Phase numbers are settled chunk by chunk, so the page is never held twice at its full size.
        settle = self.transcript.narrator.settle
        said = (settle(chunk) for chunk in itertools.chain(self._said, ["\n".join(self._chunk)]) if chunk)
        live = live_start(start)
        clock = f"<p class=clock>{html.escape(live)}.</p>" if live else ""
        body = [
            f"<header><h1>{html.escape(start.title)}</h1><p><b>Request:</b> {html.escape(start.request)}</p>"
            f"{clock}{self._figures()}",
            f'<label>Show persona <select id="persona-filter"><option value="">everyone</option>{options}</select>'
            "</label></header>",
            "<section id=timeline><h2>Timeline</h2>", self.timeline.svg(start, colour), "</section>",
            "<section id=graph><h2>Handoffs and redirects</h2>", self.graph.svg(start, colour), "</section>",
            "<section id=transcript><h2>Transcript</h2>",
        ]  # fmt: skip
        # The transcript's chunks are settled (control characters replaced); the rest is made printable here.
        yield printable(_HEAD.format(title=html.escape(start.title), css=css))
        for part in itertools.chain(map(printable, body), said, ("</section>", _TAIL)):
            yield "\n"
            yield part

    def _figures(self) -> str:
        """The run's outcome and figures at the top, named as every other view names them."""
        numbers = self.transcript.figures.figures()
        f = self.final
        if f is None or numbers is None:
            return ""
        named: tuple[Figure, ...] = (
            ("planned_work",) if numbers.blocked else ("planned_work", "work_done", "makespan", "critical_path")
        )
        told = ", ".join(numbers.text(name) for name in named)
        if not numbers.blocked:
            told += f"; {numbers.text('speedup')}"
        return (
            f"<p class=figures><b>{html.escape(outcome_words(f.outcome))}</b>: {html.escape(f.reason)}. "
            f"{html.escape(told[:1].upper() + told[1:])}.<br>{count(f.tasks, 'task')}, "
            f"{count(f.handoffs, 'handoff')}, {count(f.redirects, 'redirect')}.</p>"
        )


def _attr(value: str) -> str:
    """A value for an HTML attribute: every quote and bracket escaped."""
    return html.escape(value, quote=True)


_HEAD = """<!doctype html>
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
.msg p {{ margin: 2px 0; }} .said > code, .said > span {{ color: #666; }}
.msg blockquote {{ margin: 4px 0 2px 2px; padding: 0 0 0 10px; border-left: 2px solid #ddd; color: #333; }}
.msg blockquote p {{ margin: 0 0 6px; }}
#transcript ul, #transcript ol {{ margin: 2px 0 6px; padding-left: 22px; }}
#transcript li.todo {{ list-style: none; margin-left: -18px; }} li.todo input {{ margin: 0 4px 0 0; }}
#transcript h2 {{ margin: 22px 0 6px; }} #transcript h3 {{ margin: 18px 0 4px; }}
#transcript h4 {{ margin: 12px 0 4px; }}
.msg.violation {{ background: #fff1f0; outline: 2px solid #d62728; }}
.msg.redirect {{ background: #fff7e6; outline: 2px solid #ff7f0e; }}
.msg.failure {{ background: #fff1f0; }}
#transcript table {{ border-collapse: collapse; margin: 4px 0 8px; }}
#transcript th, #transcript td {{ border: 1px solid #ddd; padding: 2px 8px; text-align: left; }}
#transcript th {{ background: #f3f3f3; }} #transcript .r {{ text-align: right; }}
details {{ margin: 4px 0; }} summary {{ cursor: pointer; color: #555; }}
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
<body>"""
_TAIL = """<script>
(function () {
  var select = document.getElementById("persona-filter");
  select.addEventListener("change", function () {
    var who = select.value;
    document.querySelectorAll("[data-persona]").forEach(function (el) {
      if (el.tagName === "OPTION") return;
      el.classList.toggle("hidden", who !== "" && el.getAttribute("data-persona") !== who);
    });
  });
})();
</script>
</body>
</html>
"""


def html_page(events: Iterable[ev.Event], templates: TemplateLibrary | None = None) -> str:
    page = HtmlPage(templates)
    for event in events:
        page(event)
    return page.text()
