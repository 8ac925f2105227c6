"""One persona as an import understands it, before the cast around it is checked.

Importers fill these in as they read; :class:`~rolecall.interop.draft.CastDraft`
turns them into validated :class:`~rolecall.roles.persona.Persona` models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolecall.interop.instructions import Instructions
from rolecall.roles.persona import Persona, PersonaKind

__all__ = ["FILL_IN", "DraftNever", "DraftPersona", "fill_in"]

FILL_IN = "FILL IN:"


def fill_in(what: str) -> str:
    """A text value the user must replace: it says so, and what belongs there."""
    return f"{FILL_IN} {what}"


@dataclass
class DraftNever:
    capability: str
    hand_to: str
    phrase: str = ""
    instead: tuple[str, ...] = ()
    origin: str = ""  # set when the entry comes from another file than the persona's own


@dataclass
class DraftPersona:
    id: str
    source: str
    name: str
    title: str
    role: str
    handle: str = ""
    icon: str = ""
    kind: PersonaKind = "specialist"
    capacity: int = 1
    identity: str = ""
    communication_style: str = ""
    principles: tuple[str, ...] = ()
    hands_to: list[str] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)
    instead: tuple[str, ...] = ()
    owns: list[tuple[str, str]] = field(default_factory=list)
    never: list[DraftNever] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)
    instructions: Instructions | None = None
    # Comment lines for the top of the persona's TOML file: provenance and what to fill in.
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_persona(cls, persona: Persona, source: str) -> DraftPersona:
        return cls(
            id=persona.id,
            source=source,
            name=persona.name,
            title=persona.title,
            role=persona.prose.role,
            handle=persona.handle,
            icon=persona.icon,
            kind=persona.kind,
            capacity=persona.capacity,
            identity=persona.prose.identity,
            communication_style=persona.prose.communication_style,
            principles=persona.prose.principles,
            hands_to=list(persona.hands_to),
            fallback=list(persona.fallback),
            instead=persona.instead,
            owns=[(o.capability, o.phrase) for o in persona.owns],
            never=[DraftNever(n.capability, n.hand_to, n.phrase, n.instead) for n in persona.never],
            templates=dict(persona.templates),
        )

    def owned(self) -> list[str]:
        return [cap for cap, _ in self.owns]

    def own(self, capability: str, phrase: str, origin: str = "") -> None:
        if capability not in self.owned():
            self.owns.append((capability, phrase))
            if origin:
                self.notes.append(f"owns[{len(self.owns) - 1}] ({phrase}): {origin}")

    def data(self) -> dict[str, Any]:
        prose: dict[str, Any] = {"role": self.role}
        if self.identity:
            prose["identity"] = self.identity
        if self.communication_style:
            prose["communication_style"] = self.communication_style
        if self.principles:
            prose["principles"] = list(self.principles)
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "handle": self.handle or f"@{self.id}",
            "icon": self.icon,
            "kind": self.kind,
            "capacity": self.capacity,
            "hands_to": self.hands_to,
            "fallback": self.fallback,
            "instead": list(self.instead),
            "prose": prose,
            "owns": [{"capability": c, "phrase": p} for c, p in self.owns],
            "never": [
                {"capability": n.capability, "hand_to": n.hand_to, "phrase": n.phrase, "instead": list(n.instead)}
                for n in self.never
            ],
            "templates": self.templates,
        }
