"""Writing output: destinations checked before any work, files replaced atomically.

A reader never sees a half-written file: output goes to a temporary file
beside the destination and is renamed over it only once complete, so a run
killed at any moment leaves either the old file, no file, or the whole new one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rolecall.errors import UsageError
from rolecall.files.reading import is_dir, os_reason

__all__ = ["atomic_writer", "check_input_dir", "check_output_dir", "check_output_file", "write_text_atomic"]


def _bad(option: str, path: Path, reason: str) -> UsageError:
    return UsageError(f"{option} {path}: {reason}")


def _nearest_existing(path: Path, option: str) -> tuple[Path, list[Path]]:
    """The closest ancestor that exists (it must be a folder), and the folders to create below it."""
    missing: list[Path] = []
    current = path
    while True:
        try:
            mode = current.stat().st_mode
        except FileNotFoundError:
            missing.append(current)
            if current.parent == current:
                raise _bad(option, path, "no such folder") from None
            current = current.parent
            continue
        except OSError as exc:
            raise _bad(option, path, os_reason(exc)) from None
        if not stat.S_ISDIR(mode):
            where = "is a file" if current == path else f"{current} is a file, not a folder"
            raise _bad(option, path, where)
        return current, missing


def _probe_writable(folder: Path, option: str, path: Path) -> None:
    """Create and remove a temporary file: the only check that holds for root and odd file systems."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".rolecall-probe.")
    except OSError as exc:
        raise _bad(option, path, f"cannot write in {folder}: {os_reason(exc)}") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)


def _reject_nul(path: Path, option: str) -> None:
    if "\x00" in str(path):
        raise _bad(option, Path(str(path).replace("\x00", "\\0")), "the path contains a NUL byte")


def _given(value: Path | str, option: str, expected: str) -> Path:
    """The path as typed: an empty string names nothing, which ``Path("")`` would read as '.'."""
    if not str(value).strip():
        raise UsageError(f"{option} needs {expected}, not an empty string")
    return Path(value)


def check_output_dir(value: Path | str, option: str = "-o") -> None:
    """``value`` is a folder or can become one, and files can be written in it. Nothing is left behind."""
    path = _given(value, option, "a folder path")
    _reject_nul(path, option)
    existing, _ = _nearest_existing(path, option)
    _probe_writable(existing, option, path)


def check_input_dir(value: Path | str, option: str) -> None:
    """``value`` may not exist yet, but it can never be a folder when it, or a folder above it, is a file."""
    path = _given(value, option, "a folder path")
    _reject_nul(path, option)
    _nearest_existing(path, option)


def check_output_file(value: Path | str, option: str) -> None:
    """``value`` can be (re)written as a file: not a folder, its folder exists or can be made and is writable."""
    if isinstance(value, str) and (not value.strip() or value.endswith(("/", os.sep))):
        # Path() would drop the slash (or read '' as '.'): the user named a folder, or nothing.
        raise UsageError(f"{option} {value!r}: expected a file path such as reports/rolecall.xml")
    path = Path(value)
    _reject_nul(path, option)
    if is_dir(path):
        raise _bad(option, path, "is a folder; expected a file path")
    existing, _ = _nearest_existing(path.parent, option)
    _probe_writable(existing, option, path)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {os_reason(exc)}") from None
    try:
        # mkstemp creates 0600 files; give the result the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise UsageError(f"cannot write {path}: {os_reason(exc)}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)
