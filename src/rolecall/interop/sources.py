"""Reading other tools' files from disk: the only part of an import that touches the source folder.

A file that cannot be read is not an error of the whole import: it becomes a
:class:`SourceFile` with a ``problem``, and the report lists it as skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rolecall.errors import InputError
from rolecall.files import read_text
from rolecall.files.reading import os_reason

__all__ = ["SourceFile", "read_source", "read_tree"]

# Folders of other tools' state, never persona files.
_IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv"})


@dataclass(frozen=True)
class SourceFile:
    """One file of the source: its path as shown in the report, and its text or why it has none."""

    name: str
    text: str | None
    problem: str = ""

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > self.name.rfind("/") else ""

    @property
    def stem(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return base[: len(base) - len(self.suffix)] if self.suffix else base


def read_source(path: Path, name: str) -> SourceFile:
    try:
        text = read_text(path)
    except InputError as exc:
        problem = exc.problems[0]
        where = f"line {problem.line}: " if problem.line else ""
        return SourceFile(name, None, where + problem.message)
    return SourceFile(name, text.replace("\r\n", "\n").replace("\r", "\n"))


def read_tree(root: Path) -> tuple[SourceFile, ...]:
    """Every file under ``root`` (or ``root`` itself), sorted by path; names are relative to ``root``."""
    if root.is_file():
        return (read_source(root, root.name),)
    if not root.exists():
        raise InputError.single(root, "does not exist")
    if not root.is_dir():
        raise InputError.single(root, "is neither a file nor a folder")
    found: list[tuple[str, Path]] = []
    try:
        for folder, dirs, files in os.walk(root, onerror=_raise):
            dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS)
            for file in files:
                path = Path(folder) / file
                found.append((path.relative_to(root).as_posix(), path))
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else root
        raise InputError.single(where, f"cannot read folder: {os_reason(exc)}") from None
    if not found:
        raise InputError.single(root, "folder is empty: nothing to import")
    return tuple(read_source(path, name) for name, path in sorted(found))


def _raise(error: OSError) -> None:
    raise error
