"""The cast manifest (``roles/<cast>/cast.toml``) and its capability catalogue."""

from __future__ import annotations

from pydantic import Field

from rolecall._model import CapabilityId, FileModel, Identifier, Text

__all__ = ["Capability", "CastManifest"]


class Capability(FileModel):
    """A kind of work, owned by one or more personas of the cast."""

    id: CapabilityId
    description: Text
    reasons: tuple[Text, ...] = Field(default=(), description="Why this work needs its owner; quoted by a redirect.")
    keywords: tuple[Text, ...] = Field(
        default=(), description="Phrases that route a free-text request to this capability."
    )
    files: tuple[Text, ...] = Field(
        default=(),
        description="Glob patterns of the files this work covers, relative to the working folder ('src/db/*', "
        "'*.sql'; '*' matches across folders). In a live run, a persona that changes a matching file without "
        "owning this capability has crossed its boundary.",
    )


class CastManifest(FileModel):
    name: Identifier
    title: Text
    description: Text
    orchestrator: Identifier
    verifier: Identifier | None = None
    members: tuple[Identifier, ...] = Field(
        default=(),
        description="Persona ids in order; ties are broken by this order. Default: file names.",
    )
    capability: tuple[Capability, ...] = Field(min_length=1)
