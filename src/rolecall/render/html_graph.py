"""The page's handoff graph: the personas that passed work on, in a circle, an arrow per route.

Redirects are drawn dashed; an arrow's tooltip says how often the route was used.
"""

from __future__ import annotations

import html
import math

from rolecall import events as ev

__all__ = ["HandoffGraph"]


class HandoffGraph:
    """Feed events in order; :meth:`svg` draws the graph."""

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str], int] = {}
        self.redirect_edges: dict[tuple[str, str], int] = {}

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Handoff):
            key = (event.from_persona, event.to_persona)
            self.edges[key] = self.edges.get(key, 0) + 1
        elif isinstance(event, ev.Redirect):
            key = (event.from_persona, event.to_persona)
            self.redirect_edges[key] = self.redirect_edges.get(key, 0) + 1

    def svg(self, start: ev.RunStarted, colour: dict[str, str]) -> str:
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
            who = html.escape(p.id, quote=True)
            parts.append(
                f'<g class="node p-{who}" data-persona="{who}">'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="20" '
                f'fill="{colour[p.id]}"/><text x="{x:.1f}" y="{y + 36:.1f}">{html.escape(p.name)}</text></g>'
            )
        parts.append("</svg>")
        return "".join(parts)
