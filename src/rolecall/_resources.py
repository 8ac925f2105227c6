"""Where the shipped casts, scenarios and schemas live.

In an installed wheel they are package data under ``rolecall/_data``; in a
checkout (an editable install) they are the top-level folders users edit, so
a change to ``roles/`` is seen without reinstalling.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_dir"]

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder of shipped ``name`` files (``roles``, ``scenarios``, ``schemas``)."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / name
