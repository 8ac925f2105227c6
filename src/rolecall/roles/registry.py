"""Finding casts: the shipped ones by name, or a user's folder by path."""

from __future__ import annotations

import re
from pathlib import Path

from rolecall._model import IDENTIFIER_PATTERN
from rolecall._resources import shipped_dir
from rolecall.errors import InputError, UsageError
from rolecall.files.reading import is_dir, is_file
from rolecall.roles.cast import Cast
from rolecall.roles.loader import MANIFEST_NAME, load_cast

__all__ = ["DEFAULT_CAST", "cast_folder", "resolve_cast", "shipped_casts"]

DEFAULT_CAST = "product-team"

_cache: dict[Path, Cast] = {}


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
        raise UsageError(f"unknown cast '{text}'; shipped casts: {known}; or pass a folder path")
    return folder


def resolve_cast(ref: str | Path = DEFAULT_CAST, relative_to: Path | None = None) -> Cast:
    """Load (once per process) the cast that ``ref`` names."""
    folder = cast_folder(ref, relative_to)
    try:
        folder = folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python 3.11
        raise InputError.single(folder, f"cannot resolve the cast folder ({exc})") from None
    cast = _cache.get(folder)
    if cast is None:
        cast = _cache[folder] = load_cast(folder)
    return cast
