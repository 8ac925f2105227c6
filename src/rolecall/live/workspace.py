"""What an agent changed in its working folder: a snapshot before, a snapshot after, the difference.

A snapshot maps each file to its size and modification time; a file whose
entry differs, appears or disappears was changed. Folders that are never a
persona's work (version control, dependencies, caches, the run folder) are
not walked, so a snapshot stays cheap in a real repository.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["MAX_FILES", "Snapshot", "changed", "snapshot"]

Snapshot = dict[str, tuple[int, int]]
"""Relative path (``/``-separated) -> (size, modification time in ns)."""

MAX_FILES = 200_000
"""Files a snapshot records at most: past this the folder is not a project an agent edits by hand."""

_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache",
                      ".pytest_cache", ".ruff_cache", ".tox", ".aider.tags.cache.v4"})  # fmt: skip


def snapshot(root: Path, exclude: Path | None = None) -> Snapshot:
    """Every file under ``root`` (symlinks not followed), except under ``exclude`` and the skipped folders."""
    found: Snapshot = {}
    skip = os.path.realpath(exclude) if exclude is not None else None
    stack = [str(root)]
    while stack and len(found) < MAX_FILES:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIPPED and os.path.realpath(entry.path) != skip:
                        stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    rel = os.path.relpath(entry.path, root).replace(os.sep, "/")
                    found[rel] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                continue
    return found


def changed(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Files added, removed or modified between two snapshots, sorted."""
    keys = before.keys() | after.keys()
    return tuple(sorted(k for k in keys if before.get(k) != after.get(k)))
