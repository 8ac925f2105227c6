"""Reading user files: every failure becomes an InputError that names the path."""

from __future__ import annotations

import errno
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from rolecall.errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "is_dir",
    "is_file",
    "iter_lines",
    "os_reason",
    "read_bytes",
    "read_stdin",
    "read_text",
]

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Larger than any scenario a person or a generator writes (100k tasks is about 20 MB);
a bigger file is almost certainly the wrong file, and reading it whole would exhaust memory."""

MAX_LINE_BYTES = 16 * 1024 * 1024
"""One event line; events files themselves are streamed and have no size limit."""

_REASONS = {
    errno.ENOENT: "file not found",
    errno.EISDIR: "is a folder, expected a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "too many levels of symbolic links (a symlink loop?)",
    errno.ENAMETOOLONG: "file name too long",
}


def os_reason(exc: OSError) -> str:
    """A short, stable reason for an OS error (no errno numbers, no Python names)."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or "cannot be read").lower()


def is_file(path: Path) -> bool:
    """Like ``Path.is_file``, but a path the OS refuses (too long, a NUL, a loop) is simply not a file."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Like ``Path.is_dir``, but a path the OS refuses is simply not a folder."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _reject_bad_name(path: Path) -> None:
    if "\x00" in str(path):
        raise InputError.single(Path(str(path).replace("\x00", "\\0")), "the path contains a NUL byte")


def _check_regular(path: Path, what: str) -> None:
    """Refuse anything but a regular file before opening it: a FIFO would block forever."""
    _reject_bad_name(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError.single(path, os_reason(exc)) from None
    except ValueError as exc:  # a path the OS cannot represent
        raise InputError.single(path, f"not a usable path ({exc})") from None
    if stat.S_ISDIR(mode):
        inside = " (a run folder's stream is its events.jsonl)" if (path / "events.jsonl").is_file() else ""
        raise InputError.single(path, f"is a folder; expected {_a(what)}{inside}")
    if not stat.S_ISREG(mode):
        raise InputError.single(path, f"not a regular file; expected {_a(what)}")


def read_bytes(path: Path, *, what: str = "file", limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; a missing, unreadable, special or oversized file is an InputError."""
    _check_regular(path, what)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError.single(path, os_reason(exc)) from None
    if len(data) > limit:
        raise InputError.single(path, f"larger than {limit // (1024 * 1024)} MiB; is this the right {what}?")
    return data


def decode(data: bytes, path: Path | None) -> str:
    """UTF-8 text, with the line and byte offset of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError.single(
            path, f"not UTF-8 text (bad byte 0x{data[exc.start]:02x} at offset {exc.start})", line=line
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, *, what: str = "file", limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark is dropped)."""
    return decode(read_bytes(path, what=what, limit=limit), path)


def read_stdin(limit: int = MAX_FILE_BYTES) -> str:
    """Standard input as UTF-8 text, held to the same rules as a file."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape") if stream is None else stream.read(limit + 1)
    if len(data) > limit:
        raise InputError.single(Path("<stdin>"), f"larger than {limit // (1024 * 1024)} MiB")
    return decode(data, Path("<stdin>"))


def iter_lines(path: Path, *, what: str = "file", limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line, streamed; each line held to UTF-8 and a size limit."""
    _check_regular(path, what)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError.single(path, os_reason(exc)) from None
    with handle:
        number = 0
        while True:
            try:
                raw = handle.readline(limit + 1)
            except OSError as exc:
                raise InputError.single(path, os_reason(exc), line=number + 1) from None
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise InputError.single(path, f"line longer than {limit // (1024 * 1024)} MiB", line=number)
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError.single(
                    path, f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x})", line=number
                ) from None


def _a(what: str) -> str:
    return f"an {what}" if what[:1].lower() in "aeiou" else f"a {what}"
