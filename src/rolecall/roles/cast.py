"""A loaded, cross-checked cast: personas, capabilities and the lookups over them."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rolecall.errors import UsageError
from rolecall.roles.catalogue import Capability, CastManifest
from rolecall.roles.persona import Persona

__all__ = ["Cast"]


@dataclass(frozen=True)
class Cast:
    """A validated cast. Build it with :func:`rolecall.roles.load_cast`."""

    manifest: CastManifest
    personas: tuple[Persona, ...]
    source: Path | None = None
    _by_id: Mapping[str, Persona] = field(init=False, repr=False, compare=False)
    _by_handle: Mapping[str, Persona] = field(init=False, repr=False, compare=False)
    _capabilities: Mapping[str, Capability] = field(init=False, repr=False, compare=False)
    _owners: Mapping[str, tuple[Persona, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        owners: dict[str, list[Persona]] = {c.id: [] for c in self.manifest.capability}
        for persona in self.personas:
            for owned in persona.owns:
                owners.setdefault(owned.capability, []).append(persona)
        object.__setattr__(self, "_by_id", {p.id: p for p in self.personas})
        object.__setattr__(self, "_by_handle", {p.handle: p for p in self.personas})
        object.__setattr__(self, "_capabilities", {c.id: c for c in self.manifest.capability})
        object.__setattr__(self, "_owners", {k: tuple(v) for k, v in owners.items()})

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def orchestrator(self) -> Persona:
        return self._by_id[self.manifest.orchestrator]

    @property
    def verifier(self) -> Persona | None:
        vid = self.manifest.verifier
        return self._by_id[vid] if vid else None

    @property
    def capabilities(self) -> tuple[Capability, ...]:
        return self.manifest.capability

    def __iter__(self) -> Iterator[Persona]:
        return iter(self.personas)

    def __len__(self) -> int:
        return len(self.personas)

    def __contains__(self, persona_id: object) -> bool:
        return persona_id in self._by_id

    def get(self, key: str) -> Persona | None:
        """A persona by id (``morgan``) or by handle (``@backend``)."""
        return self._by_handle.get(key) if key.startswith("@") else self._by_id.get(key)

    def persona(self, key: str) -> Persona:
        """Like :meth:`get`, but an unknown key is a :class:`UsageError` listing the choices."""
        found = self.get(key)
        if found is None:
            choices = ", ".join(f"{p.id} ({p.handle})" for p in self.personas)
            raise UsageError(f"no persona '{key}' in cast '{self.name}'; choose one of: {choices}")
        return found

    def capability(self, capability_id: str) -> Capability | None:
        return self._capabilities.get(capability_id)

    def owners_of(self, capability_id: str) -> tuple[Persona, ...]:
        """Personas owning ``capability_id``, in cast order."""
        return self._owners.get(capability_id, ())

    def matching(self, pattern: str) -> tuple[Capability, ...]:
        """Capabilities whose id matches a glob such as ``backend.*``."""
        return tuple(c for c in self.capabilities if fnmatch.fnmatchcase(c.id, pattern))

    def owners_matching(self, pattern: str) -> tuple[Persona, ...]:
        """Owners of any capability matching ``pattern``, in cast order, each once."""
        wanted = {p.id for c in self.matching(pattern) for p in self.owners_of(c.id)}
        return tuple(p for p in self.personas if p.id in wanted)

    def forbidden_to(self, capability_id: str) -> tuple[Persona, ...]:
        """Personas that declare ``capability_id`` as never their job."""
        return tuple(p for p in self.personas if p.never_entry(capability_id) is not None)

    def owns(self, persona_id: str, capability_id: str) -> bool:
        return any(p.id == persona_id for p in self.owners_of(capability_id))

    def covering(self, path: str) -> tuple[Capability, ...]:
        """Capabilities whose ``files`` globs match ``path`` (relative, with ``/``), in cast order."""
        return tuple(c for c in self.capabilities if any(fnmatch.fnmatchcase(path, g) for g in c.files))

    def crossing(self, persona_id: str, path: str) -> Capability | None:
        """The capability a change to ``path`` by ``persona_id`` belongs to, when the persona owns none that covers it.

        A file no capability covers belongs to nobody in particular and is never a crossing.
        """
        covering = self.covering(path)
        if not covering or any(self.owns(persona_id, c.id) for c in covering):
            return None
        return covering[0]
