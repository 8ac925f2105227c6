"""rolecall: a multi-agent role-play simulator with a persona registry."""

from rolecall.errors import InputError, Problem, RolecallError, UsageError
from rolecall.roles import Cast, Persona, load_cast, resolve_cast, route

__version__ = "0.1.0"

__all__ = [
    "Cast",
    "InputError",
    "Persona",
    "Problem",
    "RolecallError",
    "UsageError",
    "__version__",
    "load_cast",
    "resolve_cast",
    "route",
]
