"""Standard output and error for one command: what reaches the terminal, and what a failed write becomes."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

from rolecall._words import without_c0
from rolecall.errors import UsageError

__all__ = ["GuardedOutput", "tell"]


class GuardedOutput:
    """Standard output for one command.

    A C0 control character from a file or an agent (an escape sequence) is shown as U+FFFD, never
    acted on by the terminal (transcripts replace C1 controls too, when they are settled); a write
    that fails (a full disk) is a usage error, not a traceback.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(without_c0(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _unwritable(exc) from None

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _unwritable(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _unwritable(exc: OSError) -> UsageError:
    from rolecall.files.reading import os_reason

    return UsageError(f"cannot write to standard output: {os_reason(exc)}")


def tell(lines: list[str]) -> None:
    """Report on stderr; if stderr itself is gone there is no one to tell, and the exit code says it."""
    try:
        sys.stderr.writelines(lines)
        sys.stderr.flush()
    except OSError:
        pass
