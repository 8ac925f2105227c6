"""A persona's role boundaries in plain words, for the instructions of an agent that really runs.

Every export appends this section to each agent's instructions, so what the
cast declares (what the persona owns, what it must never do and to whom that
goes, how to hand off) reaches the agent. The text is a pure function of the
cast: the same cast always gives the same words.
"""

from __future__ import annotations

from rolecall.roles.cast import Cast
from rolecall.roles.persona import Persona

__all__ = [
    "BOUNDARIES_MARKER",
    "TOOL_PREFIX",
    "boundaries_section",
    "delegation_summary",
    "duties",
    "tool_names",
    "who",
]

# Everything after this line in an exported agent is generated from the cast.
BOUNDARIES_MARKER = "<!-- rolecall: role boundaries below are generated from the cast; edit the cast, not them -->"

# Capabilities in this namespace are the tools an agent may use (Claude Code ``tools``).
TOOL_PREFIX = "tool."


def who(cast: Cast, persona_id: str) -> str:
    """``Morgan (Backend Developer, @backend)``."""
    persona = cast.get(persona_id)
    if persona is None:
        return persona_id
    return f"{persona.name} ({persona.title}, {persona.handle})"


def _short(cast: Cast, persona_id: str) -> str:
    persona = cast.get(persona_id)
    return f"{persona.name} ({persona.handle})" if persona else persona_id


def _handle(cast: Cast, persona_id: str) -> str:
    persona = cast.get(persona_id)
    return f"{persona.name} {persona.handle}" if persona else persona_id


def tool_names(persona: Persona) -> list[str]:
    """The tools a persona may use, as its source wrote them (the phrase) or from the capability id."""
    return [o.phrase or o.capability[len(TOOL_PREFIX) :] for o in persona.owns if o.capability.startswith(TOOL_PREFIX)]


def duties(cast: Cast, persona: Persona) -> list[str]:
    """What the persona owns, in its own words, tools left out."""
    out = []
    for owned in persona.owns:
        if owned.capability.startswith(TOOL_PREFIX):
            continue
        cap = cast.capability(owned.capability)
        out.append(owned.phrase or (cap.description if cap else owned.capability))
    return out


def _never_work(cast: Cast, phrase: str, capability: str) -> str:
    if phrase:
        return phrase
    cap = cast.capability(capability)
    return cap.description if cap else capability


def _sentence(items: list[str]) -> str:
    return "; ".join(i.rstrip(" .;") for i in items)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def delegation_summary(cast: Cast, persona: Persona) -> str:
    """One sentence naming the work the persona hands off and to whom, grouped by recipient."""
    groups: dict[str, list[str]] = {}
    for entry in persona.never:
        groups.setdefault(entry.hand_to, []).append(_never_work(cast, entry.phrase, entry.capability))
    if not groups:
        return ""
    parts = [f"{', '.join(work)} -> {_handle(cast, target)}" for target, work in groups.items()]
    return "Never its job: " + "; ".join(parts) + "."


def _orchestrator_lines(cast: Cast, persona: Persona) -> list[str]:
    lines = [
        "",
        "### Who owns what",
        "You coordinate this cast: give each piece of work to the agent that owns it, and stop any agent "
        "that steps outside its role: say STOP, why the work needs its owner, redirect it and say what "
        "the agent should do instead.",
    ]
    for cap in cast.capabilities:
        owners = [p for p in cast.owners_of(cap.id) if p.id != persona.id]
        if owners and not cap.id.startswith(TOOL_PREFIX):
            lines.append(f"- {cap.description}: {', '.join(_short(cast, p.id) for p in owners)}")
    return lines


def boundaries_section(cast: Cast, persona: Persona, level: int = 2) -> str:
    """The Markdown section stating the persona's boundaries; ``level`` is its heading level."""
    h, sub = "#" * level, "#" * (level + 1)
    lines = [
        f"{h} Role boundaries",
        "",
        f"You are {who(cast, persona.id)} in the {cast.manifest.title} cast. Do the work you own; "
        "hand everything else to the agent who owns it.",
    ]
    owned = duties(cast, persona)
    if owned:
        lines += ["", f"{sub} Strictly your job", *(f"- {d}" for d in owned)]
    tools = tool_names(persona)
    if tools:
        lines += ["", f"Tools you may use: {', '.join(tools)}."]
    if persona.never:
        lines += ["", f"{sub} Never your job"]
        for entry in persona.never:
            work = _never_work(cast, entry.phrase, entry.capability)
            line = f"- {work}: never do this yourself; hand it to {who(cast, entry.hand_to)}."
            cap = cast.capability(entry.capability)
            if cap is not None and cap.reasons:
                line += f" It needs its owner because: {_sentence(list(cap.reasons))}."
            instead = entry.instead or persona.instead
            if instead:
                line += f" Instead: {_sentence(list(instead))}."
            lines.append(line)
    lines += [
        "",
        f"{sub} How to hand off",
        "When a request includes work that is not yours:",
        "1. Stop before doing any of it, and say that it is outside your role.",
        '2. Say who owns it and why: "This requires <name> (<title>) because ...".',
        '3. Hand it off explicitly, with the context they need: "Handing off to <name> (<handle>)."',
        "4. Carry on with your own part of the work while they do theirs.",
    ]
    if persona.hands_to:
        lines += [
            "",
            "You usually hand your finished work to " + ", ".join(_short(cast, t) for t in persona.hands_to) + ".",
        ]
    chain = [_short(cast, t) for t in persona.fallback]
    if persona.id != cast.orchestrator.id:
        chain.append(_short(cast, cast.orchestrator.id))
        lines += ["", "If you cannot finish a task, it goes to " + ", then ".join(chain) + "."]
        declined = [c for c in persona.owned_ids() if cast.orchestrator.never_entry(c) is not None]
        if declined:
            lines.append(
                f"{_short(cast, cast.orchestrator.id)} does not take over {', '.join(declined)} work: "
                "if nobody before it can finish such a task, the task fails."
            )
    if persona.kind == "orchestrator":
        lines += _orchestrator_lines(cast, persona)
    return "\n".join(lines)
