"""The ``rolecall`` block an export writes into each agent, so an import gives the same cast back.

Claude Code and CrewAI ignore keys they do not know. The block carries what
their formats cannot say: the persona exactly as in its TOML file, the
capabilities it owns and where it and they stand in the cast's order.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from rolecall._model import FileModel, Identifier, Text
from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import Capability
from rolecall.roles.persona import Persona

__all__ = ["BLOCK_KEY", "BlockCast", "PlacedCapability", "RolecallBlock", "block_for", "read_block"]

BLOCK_KEY = "rolecall"


class BlockCast(FileModel):
    name: Identifier
    title: Text
    description: Text
    orchestrator: Identifier
    verifier: Identifier | None = None


class PlacedCapability(Capability):
    """A capability and its index in ``cast.toml``, which breaks routing ties."""

    position: int = Field(ge=0)


class RolecallBlock(FileModel):
    version: Literal[1] = 1
    cast: BlockCast
    position: int = Field(ge=0, description="The persona's index in the cast's members.")
    persona: Persona
    capabilities: tuple[PlacedCapability, ...] = ()


def block_for(cast: Cast, persona: Persona) -> dict[str, Any]:
    """The block for ``persona``, ready for YAML (defaults left out to keep it short)."""
    positions = {c.id: i for i, c in enumerate(cast.capabilities)}
    owned = [c for c in cast.capabilities if c.id in set(persona.owned_ids())]
    block = RolecallBlock(
        cast=BlockCast(
            name=cast.manifest.name,
            title=cast.manifest.title,
            description=cast.manifest.description,
            orchestrator=cast.manifest.orchestrator,
            verifier=cast.manifest.verifier,
        ),
        position=cast.personas.index(persona),
        persona=persona,
        capabilities=tuple(PlacedCapability(**c.model_dump(), position=positions[c.id]) for c in owned),
    )
    return block.model_dump(mode="json", exclude_defaults=True)


def read_block(value: Any) -> RolecallBlock | str:
    """The block, or the first reason it is not one (a user may have edited it by hand)."""
    try:
        return RolecallBlock.model_validate(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
