"""Plain-text views of a cast for the terminal: the list and the persona card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall.roles.cast import Cast
from rolecall.roles.persona import Persona

if TYPE_CHECKING:
    from rolecall.roles.routing import Route

__all__ = ["cast_table", "persona_card", "route_text"]


def _who(cast: Cast, persona_id: str) -> str:
    persona = cast.get(persona_id)
    return f"{persona.name} ({persona.handle})" if persona else persona_id


def cast_table(cast: Cast) -> str:
    rows = [("ID", "HANDLE", "NAME", "TITLE", "KIND", "CAP", "OWNS")]
    for p in cast.personas:
        owns = ", ".join(p.owned_ids())
        rows.append((p.id, p.handle, p.name, p.title, p.kind, str(p.capacity), owns))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [f"{cast.manifest.title} ({cast.name}): {len(cast)} personas, {len(cast.capabilities)} capabilities"]
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def persona_card(cast: Cast, persona: Persona) -> str:
    icon = f"{persona.icon} " if persona.icon else ""
    out = [
        f"{icon}{persona.label}  {persona.handle}",
        f"kind: {persona.kind}    capacity: {persona.capacity}    cast: {cast.name}",
        "",
        f"Role: {persona.prose.role}",
    ]
    if persona.prose.identity:
        out.append(f"Identity: {persona.prose.identity}")
    if persona.prose.communication_style:
        out.append(f"Communication style: {persona.prose.communication_style}")
    if persona.prose.principles:
        out.append("Principles:")
        out.extend(f"  - {p}" for p in persona.prose.principles)
    out += ["", "Owns (strictly my job):"]
    width = max([len(o.capability) for o in persona.owns] + [len(n.capability) for n in persona.never] + [1])
    for owned in persona.owns:
        out.append(f"  {owned.capability.ljust(width)}  {owned.phrase}".rstrip())
    if not persona.owns:
        out.append("  (nothing)")
    out.append("Never (never my job -> must hand off to):")
    for never in persona.never:
        phrase = f"{never.phrase}  " if never.phrase else ""
        out.append(f"  {never.capability.ljust(width)}  {phrase}-> {_who(cast, never.hand_to)}")
    if not persona.never:
        out.append("  (nothing declared)")
    out.append("Hands work to: " + (", ".join(_who(cast, t) for t in persona.hands_to) or "(nobody)"))
    chain = [_who(cast, t) for t in persona.fallback] + [f"{_who(cast, cast.orchestrator.id)} (escalation)"]
    out.append("Fallback chain: " + " -> ".join(chain))
    declined = _declined_escalations(cast, persona)
    if declined:
        # The coordinator never hands the orchestrator work its own never list covers.
        out.append(
            f"  {cast.orchestrator.name} declines escalated {', '.join(declined)} work (never its job): "
            "such a task fails once the chain is exhausted"
        )
    return "\n".join(out) + "\n"


def _declined_escalations(cast: Cast, persona: Persona) -> list[str]:
    """Capabilities of ``persona`` that an escalation cannot hand to the orchestrator."""
    orchestrator = cast.orchestrator
    if persona.id == orchestrator.id:
        return []
    return [c for c in persona.owned_ids() if orchestrator.never_entry(c) is not None]


def route_text(cast: Cast, result: Route) -> str:
    p = result.persona
    out = [
        f"Request: {result.request}",
        f"Route:   {p.label} {p.handle}" + ("" if result.status == "matched" else " (orchestrator)"),
    ]
    if result.also is not None:
        also = result.also
        out.append(f"Also:    {also.persona.label} {also.persona.handle} {also.verb} it ({also.match.capability.id})")
    out.append(f"Why:     {result.explanation}")
    if result.match is not None and result.match.capability.reasons:
        out.append("Needs the owner because:")
        out.extend(f"  - {r}" for r in result.match.capability.reasons)
    if result.must_not:
        out.append("Must not do it:")
        # With two capabilities involved, say which one each line is about.
        for persona, entry in result.must_not:
            what = f" ({entry.capability})" if result.also is not None else ""
            out.append(
                f"  - {persona.label} {persona.handle}: never its job{what}, hand to {_who(cast, entry.hand_to)}"
            )
    return "\n".join(out) + "\n"
