"""The persona model: one role agent of a cast, as written in ``roles/<cast>/<id>.toml``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rolecall._model import CapabilityId, FileModel, Handle, Identifier, Text

__all__ = ["Handle", "NeverJob", "OwnedCapability", "Persona", "PersonaKind", "Prose"]

PersonaKind = Literal["orchestrator", "verifier", "specialist"]


class Prose(FileModel):
    """The human description carried over from the source persona files."""

    role: Text
    identity: str = ""
    communication_style: str = ""
    principles: tuple[Text, ...] = ()


class OwnedCapability(FileModel):
    """A capability that is strictly this persona's job."""

    capability: CapabilityId
    phrase: str = Field(default="", description="The source's own words for this duty.")


class NeverJob(FileModel):
    """Work that is never this persona's job, and who it must be handed to."""

    capability: CapabilityId
    hand_to: Identifier = Field(description="Persona id that must receive this work.")
    phrase: str = Field(default="", description="The source's own words for this work.")
    instead: tuple[Text, ...] = Field(
        default=(), description="What this persona should do instead, quoted by a redirect."
    )


class Persona(FileModel):
    id: Identifier
    name: Text
    title: Text
    handle: Handle
    icon: str = ""
    kind: PersonaKind = "specialist"
    capacity: int = Field(default=1, ge=1, le=1000)
    hands_to: tuple[Identifier, ...] = ()
    fallback: tuple[Identifier, ...] = ()
    instead: tuple[Text, ...] = Field(
        default=(),
        description="Generic 'your role is to' lines for a redirect when a never-entry has none.",
    )
    prose: Prose
    owns: tuple[OwnedCapability, ...] = ()
    never: tuple[NeverJob, ...] = ()
    templates: dict[str, str] = Field(
        default_factory=dict,
        description="This persona's own phrasing of message templates (name -> template text).",
    )

    @property
    def label(self) -> str:
        """``Sam (Frontend Developer)``: how a transcript names the persona."""
        return f"{self.name} ({self.title})"

    def owned_ids(self) -> tuple[str, ...]:
        return tuple(o.capability for o in self.owns)

    def never_entry(self, capability: str) -> NeverJob | None:
        for entry in self.never:
            if entry.capability == capability:
                return entry
        return None
