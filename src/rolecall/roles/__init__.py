"""Personas, casts and the registry that finds and caches them.

``load_cast`` reads a folder, so it lives in the files layer
(:func:`rolecall.files.load_cast`); it is re-exported here, on first use, for
code that imports it from this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports
from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import Capability, CastManifest
from rolecall.roles.loader import cast_from_documents
from rolecall.roles.persona import NeverJob, OwnedCapability, Persona, PersonaKind, Prose
from rolecall.roles.registry import DEFAULT_CAST, cast_folder, resolve_cast, shipped_casts

if TYPE_CHECKING:
    from rolecall.files.casts import load_cast
    from rolecall.roles.routing import CapabilityMatch, Route, route

__all__ = [
    "DEFAULT_CAST",
    "Capability",
    "CapabilityMatch",
    "Cast",
    "CastManifest",
    "NeverJob",
    "OwnedCapability",
    "Persona",
    "PersonaKind",
    "Prose",
    "Route",
    "cast_folder",
    "cast_from_documents",
    "load_cast",
    "resolve_cast",
    "route",
    "shipped_casts",
]


# Routing builds keyword indexes and word tables that listing or loading a cast never needs.
_WHERE = {
    "load_cast": "rolecall.files.casts",
    "CapabilityMatch": "rolecall.roles.routing",
    "Route": "rolecall.roles.routing",
    "route": "rolecall.roles.routing",
}

__getattr__ = lazy_exports("rolecall.roles", _WHERE, globals())
