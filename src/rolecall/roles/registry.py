"""Finding casts: the shipped ones by name, or a user's folder by path.

The one module of :mod:`rolecall.roles` that looks at the disk: it resolves a
name to a folder and keeps each loaded cast for as long as its files are
unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rolecall._model import IDENTIFIER_PATTERN
from rolecall._resources import shipped_dir
from rolecall.errors import InputError, UsageError
from rolecall.files.reading import is_dir, is_file
from rolecall.roles.cast import Cast
from rolecall.roles.loader import MANIFEST_NAME

if TYPE_CHECKING:
    from rolecall.files.casts import CastSignature

__all__ = ["DEFAULT_CAST", "cast_folder", "resolve_cast", "shipped_casts"]

DEFAULT_CAST = "product-team"

_cache: dict[Path, tuple[CastSignature, Cast]] = {}
"""Loaded casts by resolved folder, each with the signature of the files it was loaded from."""


def shipped_casts() -> tuple[str, ...]:
    """Names of the casts that ship with rolecall, sorted."""
    root = shipped_dir("roles")
    if not root.is_dir():
        return ()
    return tuple(sorted(p.parent.name for p in root.glob(f"*/{MANIFEST_NAME}")))


def cast_folder(ref: str | Path, relative_to: Path | None = None) -> Path:
    """The folder ``ref`` names: a path (anything with a '/' or that exists) or a shipped name."""
    text = str(ref)
    if "\x00" in text:
        shown = text.replace("\x00", "\\0")
        raise UsageError(f"cast '{shown}': the name contains a NUL byte")
    looks_like_path = isinstance(ref, Path) or "/" in text or text.startswith(".")
    if looks_like_path:
        path = Path(text)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        return path
    # A bare name is a folder beside the scenario (or in the working directory for the
    # command line) when one exists there, otherwise a shipped cast.
    if not re.match(IDENTIFIER_PATTERN, text) or len(text) > 64:
        raise UsageError(
            f"'{text}' is neither a cast name (lower-case letters, digits, '-', '_') nor a folder path; "
            f"shipped casts: {', '.join(shipped_casts()) or '(none found)'}"
        )
    local = (relative_to or Path.cwd()) / text
    if is_file(local / MANIFEST_NAME):
        return local
    folder = shipped_dir("roles") / text
    if not is_dir(folder):
        known = ", ".join(shipped_casts()) or "(none found)"
        if is_dir(local):
            raise UsageError(
                f"'{text}' is a folder here but not a cast: it has no {MANIFEST_NAME}; shipped casts: {known}"
            )
        raise UsageError(f"unknown cast '{text}'; shipped casts: {known}; or pass a folder path")
    return folder


def resolve_cast(ref: str | Path = DEFAULT_CAST, relative_to: Path | None = None) -> Cast:
    """The cast that ``ref`` names, loaded again only when a file of its folder changed."""
    # Imported here: the files layer imports this package's models, so a module-level
    # import would be circular whichever package loads first.
    from rolecall.files.casts import cast_signature, load_cast

    folder = cast_folder(ref, relative_to)
    try:
        folder = folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python 3.11
        raise InputError.single(folder, f"cannot resolve the cast folder ({exc})") from None
    signature = cast_signature(folder)
    cached = _cache.get(folder)
    if cached is not None and cached[0] == signature:
        return cached[1]
    cast = load_cast(folder)
    # Taken before loading: an edit made meanwhile shows as a changed signature next time.
    _cache[folder] = (signature, cast)
    return cast
