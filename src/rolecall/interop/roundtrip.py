"""Importing agents that ``rolecall export`` wrote: the embedded block gives the persona back exactly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rolecall.interop.boundaries import BOUNDARIES_MARKER
from rolecall.interop.draft import CastDraft
from rolecall.interop.embedded import BlockCast, RolecallBlock
from rolecall.interop.instructions import Instructions, generated_body, normalize_body
from rolecall.interop.persona_draft import DraftPersona
from rolecall.interop.report import FileOutcome
from rolecall.roles.catalogue import Capability

__all__ = ["ExportedCast", "strip_generated"]


def strip_generated(text: str) -> str:
    """The instructions without the boundaries section an export appended (it is generated again)."""
    cut = text.find(BOUNDARIES_MARKER)
    return normalize_body(text[:cut] if cut >= 0 else text)


@dataclass
class ExportedCast:
    """What the blocks of exported agents say about the cast they came from."""

    casts: list[BlockCast] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    capability_positions: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        draft: CastDraft,
        block: RolecallBlock,
        outcome: FileOutcome,
        body: str,
        settings: Mapping[str, Any],
        tool: str,
    ) -> bool:
        """Add the block's persona exactly; False (nothing added) when its id is already taken."""
        persona = block.persona
        if draft.get(persona.id) is not None:
            return False
        for placed in block.capabilities:
            capability = Capability(**placed.model_dump(exclude={"position"}))
            if not draft.declare(capability):
                outcome.warn(f"capability '{capability.id}' differs from another file's; the first one is kept")
            self.capability_positions.setdefault(capability.id, placed.position)
        draft_persona = DraftPersona.from_persona(persona, outcome.name)
        instructions = strip_generated(body)
        if instructions == generated_body(persona):
            instructions = ""  # written from the prose; the export writes it again
        if instructions or settings:
            draft_persona.instructions = Instructions(instructions, {tool: dict(settings)} if settings else {})
        draft.add(draft_persona)
        self.casts.append(block.cast)
        self.positions[persona.id] = block.position
        outcome.result = f"persona '{persona.id}' (exported by rolecall from cast '{block.cast.name}')"
        return True

    def agreed(self, draft: CastDraft) -> BlockCast | None:
        """The exported cast, when every imported persona came from the same one."""
        if not self.casts or len(self.casts) != len(draft.personas):
            return None
        first = self.casts[0]
        if any(c != first for c in self.casts) or draft.get(first.orchestrator) is None:
            return None  # agents of several casts, or only part of one: a new cast around them
        return first

    def members(self) -> list[str]:
        return sorted(self.positions, key=lambda pid: (self.positions[pid], pid))

    def capability_order(self) -> list[str]:
        return sorted(self.capability_positions, key=lambda cid: (self.capability_positions[cid], cid))
