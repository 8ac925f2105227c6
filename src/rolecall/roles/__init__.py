"""Personas, casts and the registry that loads and checks them."""

from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import Capability, CastManifest
from rolecall.roles.loader import load_cast
from rolecall.roles.persona import NeverJob, OwnedCapability, Persona, PersonaKind, Prose
from rolecall.roles.registry import DEFAULT_CAST, cast_folder, resolve_cast, shipped_casts
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
    "load_cast",
    "resolve_cast",
    "route",
    "shipped_casts",
]
