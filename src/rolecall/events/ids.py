"""The constrained strings ids are made of, shared by the event stream and the files people write.

An id that reaches an HTML attribute, a CSS class or a file name is safe
because it matches one of these patterns wherever it was read.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

__all__ = [
    "CAPABILITY_PATTERN",
    "DECISION_OPTION_PATTERN",
    "GLOB_PATTERN",
    "HANDLE_PATTERN",
    "IDENTIFIER_PATTERN",
    "CapabilityId",
    "Handle",
    "Identifier",
]

IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CAPABILITY_PATTERN = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$"
HANDLE_PATTERN = r"^@[a-z0-9][a-z0-9_-]*$"
GLOB_PATTERN = r"^[a-z0-9*?_.\-\[\]]+$"
DECISION_OPTION_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$"

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN, min_length=1, max_length=64)]
"""Ids of personas, tasks and phases: lower-case letters, digits, '-' and '_'."""

CapabilityId = Annotated[str, StringConstraints(pattern=CAPABILITY_PATTERN, max_length=128)]
"""Dotted capability ids such as ``backend.server-actions``."""

Handle = Annotated[str, StringConstraints(pattern=HANDLE_PATTERN, max_length=64)]
"""How others address a persona in a transcript, e.g. ``@backend``."""
