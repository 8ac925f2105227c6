"""A cast being assembled from other tools' files, checked into a cast ``rolecall roles validate`` accepts.

Importers add personas and capabilities as they read; :meth:`CastDraft.finish`
then makes the whole consistent: it names an orchestrator (adding one when the
source has none), drops references the cast cannot honour (each with a
warning on the file it came from) and validates every persona.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from rolecall.errors import UsageError
from rolecall.interop.instructions import Instructions
from rolecall.interop.naming import capability_segment, unique
from rolecall.interop.persona_draft import DraftNever, DraftPersona, fill_in
from rolecall.interop.report import ImportReport
from rolecall.roles.catalogue import Capability, CastManifest
from rolecall.roles.persona import Persona

__all__ = ["COORDINATION", "BuiltCast", "CastDraft"]

COORDINATION = "orchestration.coordinate"


@dataclass(frozen=True)
class BuiltCast:
    manifest: CastManifest
    personas: tuple[Persona, ...]
    instructions: dict[str, Instructions]
    notes: dict[str, tuple[str, ...]]  # persona id (or "cast") -> comment lines for its file


class CastDraft:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.capabilities: dict[str, Capability] = {}
        self.personas: list[DraftPersona] = []
        self.cast_notes: list[str] = []

    def taken_ids(self) -> set[str]:
        return {p.id for p in self.personas}

    def get(self, persona_id: str) -> DraftPersona | None:
        return next((p for p in self.personas if p.id == persona_id), None)

    def add(self, persona: DraftPersona) -> None:
        self.personas.append(persona)

    def capability(
        self, prefix: str, name: str, description: str, keywords: tuple[str, ...] = (), reasons: tuple[str, ...] = ()
    ) -> str:
        """Declare a new capability ``prefix.name`` (made unique) and return its id."""
        head = capability_segment(prefix) or "work"
        tail = capability_segment(name)
        base = f"{head}.{tail}" if tail else head
        cap_id = unique(base, self.capabilities, limit=128)
        self.capabilities[cap_id] = Capability(
            id=cap_id,
            description=description.strip() or fill_in("what this work is"),
            keywords=tuple(k for k in keywords if k.strip()),
            reasons=tuple(r for r in reasons if r.strip()),
        )
        return cap_id

    def declare(self, capability: Capability) -> bool:
        """Declare a capability exactly as given; False when the id is taken by a different one."""
        known = self.capabilities.get(capability.id)
        if known is None:
            self.capabilities[capability.id] = capability
            return True
        return known == capability

    # -- finishing -------------------------------------------------------------

    def finish(
        self,
        name: str,
        title: str,
        description: str,
        orchestrator: str | None = None,
        verifier: str | None = None,
        members: list[str] | None = None,
        capability_order: list[str] | None = None,
    ) -> BuiltCast:
        self._drop_invalid()
        lead = self._orchestrator(orchestrator)
        self._check_references()
        if verifier is not None and (v := self.get(verifier)) is not None and v.kind != "verifier":
            verifier = None
        used = {cap for p in self.personas for cap in p.owned()}
        capabilities = tuple(c for c in self.capabilities.values() if c.id in used)
        if capability_order:
            rank = {cid: i for i, cid in enumerate(capability_order)}
            capabilities = tuple(sorted(capabilities, key=lambda c: rank.get(c.id, len(rank))))
        order = members or [p.id for p in self.personas]
        ranked = {pid: i for i, pid in enumerate(order)}
        self.personas.sort(key=lambda p: ranked.get(p.id, len(ranked)))
        personas = tuple(Persona.model_validate(p.data()) for p in self.personas)
        manifest = CastManifest(
            name=name,
            title=title,
            description=description,
            orchestrator=lead,
            verifier=verifier if verifier in {p.id for p in personas} else None,
            members=tuple(p.id for p in personas),
            capability=capabilities,
        )
        notes = {p.id: tuple(p.notes) for p in self.personas}
        notes["cast"] = tuple(self.cast_notes)
        instructions = {p.id: p.instructions for p in self.personas if p.instructions is not None}
        return BuiltCast(manifest, personas, instructions, notes)

    def _drop_invalid(self) -> None:
        """A persona the source describes in a way rolecall cannot hold is skipped, never a crash."""
        kept: list[DraftPersona] = []
        dropped: list[tuple[str, str]] = []
        for persona in self.personas:
            try:
                Persona.model_validate(persona.data())
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in error["loc"])
                dropped.append((persona.source, f"persona '{persona.id}' cannot be imported: {where}: {error['msg']}"))
                continue
            kept.append(persona)
        self.personas = kept
        for source, reason in dropped:
            if any(p.source == source for p in kept):
                self.report.file(source).warn(reason + "; left out")
            else:
                self.report.file(source).skip(reason)

    def _orchestrator(self, requested: str | None) -> str:
        if requested is not None:
            chosen = self.get(requested)
            if chosen is None:
                known = ", ".join(sorted(self.taken_ids())) or "(none)"
                raise UsageError(f"--orchestrator: no imported persona '{requested}'; imported: {known}")
            for persona in self.personas:
                if persona.kind == "orchestrator" and persona is not chosen:
                    persona.kind = "specialist"
            chosen.kind = "orchestrator"
            return chosen.id
        found = next((p for p in self.personas if p.kind == "orchestrator"), None)
        if found is None:
            # A persona the source itself calls "orchestrator" is taken at its word.
            found = self.get("orchestrator")
            if found is not None:
                found.kind = "orchestrator"
        return found.id if found is not None else self._add_orchestrator()

    def _add_orchestrator(self) -> str:
        """A cast needs an orchestrator; the source named none, so one is added, clearly marked."""
        pid = unique("orchestrator", self.taken_ids())
        if COORDINATION not in self.capabilities:
            coordination = Capability(
                id=COORDINATION,
                description="Break a request into tasks, hand each to the persona that owns it, redirect boundary "
                "violations",
                keywords=("orchestrate", "coordinate"),
            )
            # first, as the orchestrator comes first in the cast
            self.capabilities = {COORDINATION: coordination, **self.capabilities}
        lead = DraftPersona(
            id=pid,
            source="",
            name="Orchestrator",
            title="Orchestrator",
            role=fill_in("who coordinates this cast (added by the import: the source names no orchestrator)"),
            kind="orchestrator",
            owns=[(COORDINATION, "Coordinating the cast")],
            hands_to=[p.id for p in self.personas],
        )
        lead.notes.append(
            "Added by the import: a cast needs an orchestrator and the source files name none. "
            "Rename it, describe it, or pass --orchestrator ID to make an imported persona the orchestrator."
        )
        self.personas.insert(0, lead)
        self.cast_notes.append(f"orchestrator: '{pid}' was added by the import (the source names none)")
        return pid

    def _warn(self, persona: DraftPersona, message: str) -> None:
        if persona.source:
            self.report.file(persona.source).warn(message)

    def _check_references(self) -> None:
        """Drop what the cast cannot honour: unknown personas, hand-offs to non-owners, duplicates."""
        ids = self.taken_ids()
        owners: dict[str, set[str]] = {}
        for persona in self.personas:
            for cap in persona.owned():
                owners.setdefault(cap, set()).add(persona.id)
                if cap not in self.capabilities:
                    # An exported agent copied without the others can own work no file describes.
                    self._warn(persona, f"owns '{cap}', which no file describes; its description is marked FILL IN")
                    self.capabilities[cap] = Capability(id=cap, description=fill_in(f"what '{cap}' is"))
        for persona in self.personas:
            seen: set[str] = set()
            kept: list[DraftNever] = []
            own = set(persona.owned())
            for entry in persona.never:
                label = entry.phrase or entry.capability
                if entry.capability in own or entry.hand_to == persona.id:
                    self._warn(persona, f"never '{label}': it is this persona's own work; left out")
                elif entry.hand_to not in ids:
                    self._warn(persona, f"never '{label}': no persona '{entry.hand_to}' in the cast; left out")
                elif entry.hand_to not in owners.get(entry.capability, set()):
                    self._warn(persona, f"never '{label}': '{entry.hand_to}' does not own it; left out")
                elif entry.capability not in seen:
                    seen.add(entry.capability)
                    kept.append(entry)
            persona.never = kept
            for i, entry in enumerate(kept):
                if entry.origin:
                    persona.notes.append(f"never[{i}] ({entry.phrase}): {entry.origin}")
            for key in ("hands_to", "fallback"):
                targets: list[str] = getattr(persona, key)
                valid = [t for t in dict.fromkeys(targets) if t in ids and t != persona.id]
                for target in targets:
                    if target not in ids:
                        self._warn(persona, f"{key}: no persona '{target}' in the cast; left out")
                setattr(persona, key, valid)
