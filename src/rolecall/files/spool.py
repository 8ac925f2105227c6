"""Text a view holds until the run is over, moved to a temporary file once it is large.

A transcript is settled only at the end (phase numbers are known once every
phase has started), so a view keeps its text until then. In memory that text
grows with the run: a 100k-task page is a few hundred megabytes. A
:class:`Spool` keeps the first few megabytes in memory and the rest in an
unnamed temporary file (gone when the process ends, whatever happens), so a
view's memory stays flat however long the run. The views take any store with
``append`` and iteration; a plain list is the in-memory one.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator
from typing import IO

from rolecall.errors import UsageError
from rolecall.files.reading import os_reason

__all__ = ["SPILL_AT", "Spool"]

SPILL_AT = 8_000_000
"""Characters kept in memory before the rest goes to disk: small runs never touch it."""


class Spool:
    """Pieces of text appended in order and read back in the same pieces, in order."""

    def __init__(self, spill_at: int = SPILL_AT) -> None:
        self._spill_at = spill_at
        self._memory: list[str] = []
        self._size = 0
        self._file: IO[str] | None = None
        self._lengths = array("q")

    @property
    def spilled(self) -> bool:
        """Whether the text has moved to the temporary file."""
        return self._file is not None

    def append(self, text: str) -> None:
        if self._file is not None:
            self._write(self._file, text)
            return
        self._memory.append(text)
        self._size += len(text)
        if self._size > self._spill_at:
            self._spill()

    def __iter__(self) -> Iterator[str]:
        handle = self._file
        if handle is None:
            yield from self._memory
            return
        try:
            handle.flush()
            handle.seek(0)
            for length in self._lengths:
                yield handle.read(length)  # characters, not bytes: the file is text
        except OSError as exc:
            raise _spool_error(exc) from None
        finally:
            handle.seek(0, 2)  # further appends go to the end

    def _spill(self) -> None:
        try:
            # newline="" keeps every "\n" one character; surrogatepass keeps any str the view holds.
            handle = tempfile.TemporaryFile(  # noqa: SIM115 - it lives as long as the spool
                "w+", encoding="utf-8", errors="surrogatepass", newline=""
            )
        except OSError as exc:
            raise _spool_error(exc) from None
        for text in self._memory:
            self._write(handle, text)
        self._file, self._memory, self._size = handle, [], 0

    def _write(self, handle: IO[str], text: str) -> None:
        try:
            handle.write(text)
        except OSError as exc:
            raise _spool_error(exc) from None
        self._lengths.append(len(text))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _spool_error(exc: OSError) -> UsageError:
    try:
        where, reason = f" in {tempfile.gettempdir()}", os_reason(exc)
    except OSError as nowhere:
        # No folder would do: Python's own words list the ones it tried.
        where, reason = "", str(nowhere.strerror or nowhere).replace("directory", "folder").lower()
    return UsageError(
        f"cannot keep the transcript's text in a temporary file{where}: {reason} (set TMPDIR to a folder with room)"
    )
