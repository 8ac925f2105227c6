"""The base of every model read from or written to a file."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["CapabilityId", "FileModel", "Identifier", "Text"]


class FileModel(BaseModel):
    """Frozen, and strict about keys: a typo in a file is an error, not silence."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=64)]
"""Ids of personas, tasks and phases: lower-case letters, digits, '-' and '_'."""

CapabilityId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$", max_length=128),
]
"""Dotted capability ids such as ``backend.server-actions``."""

Text = Annotated[str, StringConstraints(min_length=1)]
