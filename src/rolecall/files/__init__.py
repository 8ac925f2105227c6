"""The only code that touches the disk for user files.

Every read goes through :mod:`rolecall.files.reading`, which turns each OS
error, decoding error and size problem into an :class:`~rolecall.errors.InputError`
naming the path; every write goes through :mod:`rolecall.files.writing`, which
checks a destination before any work is done and replaces files atomically.
"""

from __future__ import annotations

from rolecall.files.events import read_events
from rolecall.files.reading import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    is_dir,
    is_file,
    iter_lines,
    read_bytes,
    read_stdin,
    read_text,
)
from rolecall.files.writing import (
    atomic_writer,
    check_input_dir,
    check_output_dir,
    check_output_file,
    write_text_atomic,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "atomic_writer",
    "check_input_dir",
    "check_output_dir",
    "check_output_file",
    "is_dir",
    "is_file",
    "iter_lines",
    "read_bytes",
    "read_events",
    "read_stdin",
    "read_text",
    "write_text_atomic",
]
