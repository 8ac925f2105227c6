"""Errors raised by rolecall.

The hierarchy is small on purpose:

``RolecallError``
    Base of everything rolecall raises on purpose. The CLI catches it and
    prints its message; anything else escaping is a bug in rolecall.

``InputError(RolecallError)``
    One or more files are malformed or inconsistent. It carries every
    :class:`Problem` found, so a user fixes a file in one pass instead of
    one error per run. The CLI prints one line per problem and exits 2.

``UsageError(RolecallError)``
    The command line itself is wrong (an unknown cast name, a missing
    file). Exit 2.

Policy violations found while checking a run are *findings*, data returned by
the policy evaluator, never exceptions: a failed check is a result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["InputError", "Problem", "RolecallError", "UsageError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input file.

    ``field`` is a path into the file such as ``task[3].depends_on[0]``;
    it is empty for problems of the file as a whole (a syntax error).
    """

    path: Path | None
    message: str
    field: str = ""
    line: int | None = None

    def location(self) -> str:
        where = str(self.path) if self.path is not None else "<input>"
        if self.line is not None:
            where += f":{self.line}"
        return where

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        # One problem is one line: control characters from a user's file are shown escaped.
        return _one_line(f"{self.location()}:{field} {self.message}")


def _one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class RolecallError(Exception):
    """Base class of the errors rolecall raises deliberately."""


class UsageError(RolecallError):
    """The command line asks for something that cannot be done."""


class InputError(RolecallError):
    """Input files are malformed or inconsistent; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, path: Path | None, message: str, field: str = "", line: int | None = None) -> InputError:
        return cls([Problem(path=path, message=message, field=field, line=line)])
