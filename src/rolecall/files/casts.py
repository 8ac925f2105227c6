"""Reading a cast folder: ``cast.toml`` and one ``<id>.toml`` per persona.

The folder is read here; what the files say is checked, as documents in
memory, by :func:`rolecall.roles.loader.cast_from_documents`.
"""

from __future__ import annotations

import stat
from pathlib import Path

from rolecall._toml import TomlDocument, read_toml
from rolecall.errors import InputError
from rolecall.files.reading import is_file, os_reason
from rolecall.roles.cast import Cast
from rolecall.roles.loader import MANIFEST_NAME, cast_from_documents

__all__ = ["CastSignature", "cast_signature", "has_manifest", "load_cast"]

CastSignature = tuple[tuple[str, int, int, int], ...]
"""Each TOML file of a cast folder with its inode, size and modification time."""


def load_cast(folder: Path) -> Cast:
    """Load and check the cast in ``folder``; raise InputError listing every problem."""
    try:
        is_folder = stat.S_ISDIR(folder.stat().st_mode)
    except FileNotFoundError:
        raise InputError.single(folder, "cast folder does not exist") from None
    except OSError as exc:
        raise InputError.single(folder, f"cast folder: {os_reason(exc)}") from None
    except ValueError as exc:
        raise InputError.single(folder, f"not a usable path ({exc})") from None
    if not is_folder:
        raise InputError.single(folder, "is not a folder; expected a cast folder with cast.toml")
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.exists():
        raise InputError.single(
            manifest_path,
            "missing: a cast folder needs cast.toml "
            "(name, title, description, orchestrator and its [[capability]] tables)",
        )
    personas = {path.stem: _read(path) for path in sorted(folder.glob("*.toml")) if path.name != MANIFEST_NAME}
    return cast_from_documents(_read(manifest_path), personas, folder)


def _read(path: Path) -> TomlDocument | InputError:
    """The parsed file, or the error reading it: the cast check reports it in its place."""
    try:
        return read_toml(path)
    except InputError as exc:
        return exc


def cast_signature(folder: Path) -> CastSignature:
    """What a cast folder holds, without reading it: a cast loaded under another signature is stale.

    A stat per file costs far less than parsing and checking the files again,
    and an edit, an added or removed persona and a file replaced by a rename
    each change it.
    """
    try:
        paths = sorted(folder.glob("*.toml"))
    except (OSError, ValueError):
        return ()
    entries: list[tuple[str, int, int, int]] = []
    for path in paths:
        try:
            info = path.stat()
        except (OSError, ValueError):
            entries.append((path.name, -1, -1, -1))
            continue
        entries.append((path.name, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(entries)


def has_manifest(folder: Path) -> bool:
    """Whether ``folder`` holds a ``cast.toml``: a folder of any other kind is not a cast."""
    return is_file(folder / MANIFEST_NAME)
