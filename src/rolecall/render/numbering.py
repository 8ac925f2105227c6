"""Phase numbers as the plan counts them: non-stream phases in declaration order, streams apart.

Whether a phase is a stream is only said when it starts, and a check-in can
happen before a later stream starts ("Phase 1 of 5" must not count it). So
numbers are written as placeholders while the run streams past and settled
once, when the text is read: by then every phase that ran has said what it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rolecall._words import printable

__all__ = ["PhaseNumbers"]

# NUL-delimited, because no template or display text has a reason to contain NUL; a token that
# names no known phase is left as it is rather than guessed at.
_TOKEN = re.compile("\x00(?:P([a-z0-9_-]+)|(T))\x00")


class PhaseNumbers:
    def __init__(self) -> None:
        self._declared: tuple[str, ...] = ()
        self.streams: dict[str, str] = {}  # stream phase -> title
        self._used = False

    def plan(self, phases: Sequence[str]) -> None:
        self._declared = tuple(phases)

    def stream(self, phase: str, title: str) -> None:
        self.streams[phase] = title

    def number(self, phase: str) -> str:
        self._used = True
        return f"\x00P{phase}\x00"

    def total(self) -> str:
        self._used = True
        return "\x00T\x00"

    def settle(self, text: str) -> str:
        """The numbers filled in; a NUL or other control character left over came from a value."""
        if not self._used:
            return printable(text)
        numbers: dict[str, int] = {}
        for phase in self._declared:
            if phase not in self.streams:
                numbers[phase] = len(numbers) + 1

        def value(match: re.Match[str]) -> str:
            if match.group(2):
                return str(len(numbers))
            phase = match.group(1)
            return str(numbers[phase]) if phase in numbers else match.group(0)

        return printable(_TOKEN.sub(value, text))
