"""Reading TOML input files into validated models, with line numbers in errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

try:
    # tomli's compiled wheels parse about three times faster than the standard
    # library's pure-Python tomllib, which dominated large scenario replays.
    import tomli as toml_parser
except ImportError:  # pragma: no cover - a platform without tomli wheels
    import tomllib as toml_parser  # type: ignore[no-redef]

from rolecall._locate import KeyLines, format_loc, unterminated_string_line
from rolecall._messages import problems_from_validation as _problems
from rolecall._model import TUPLES_ONLY
from rolecall.errors import InputError, Problem
from rolecall.files.reading import decode, read_bytes

__all__ = [
    "MAX_DEPTH",
    "KeyLines",
    "TomlDocument",
    "format_loc",
    "parse_toml",
    "problems_from_validation",
    "read_toml",
]

M = TypeVar("M", bound=BaseModel)

MAX_DEPTH = 32
"""No rolecall file nests tables and arrays more than six deep; deeper input is a mistake or an attack."""


class TomlDocument:
    """A parsed TOML file: its data, where it came from, and where each key is."""

    def __init__(self, path: Path | None, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.text = text
        self.data = data
        self._lines: KeyLines | None = None
        self._frozen: dict[str, Any] | None = None

    @property
    def frozen(self) -> dict[str, Any]:
        """The data with every list made a tuple, the form the strict file models accept."""
        if self._frozen is None:
            self._frozen = _tuples(self.data)
        return self._frozen

    @property
    def lines(self) -> KeyLines:
        if self._lines is None:
            self._lines = KeyLines(self.text)
        return self._lines

    def line_of(self, field: str) -> int | None:
        return self.lines.line_of(field) if field else None

    def problem(self, message: str, field: str = "") -> Problem:
        return Problem(self.path, message, field, self.line_of(field))

    def validate(self, model: type[M], context: Mapping[str, Any] | None = None) -> M:
        """Validate the data as ``model``; raise :class:`InputError` with every problem."""
        try:
            return model.model_validate(self.frozen, context={**(context or {}), TUPLES_ONLY: True})
        except ValidationError as exc:
            raise InputError(problems_from_validation(exc, model, self)) from None
        except RecursionError:
            raise InputError.single(self.path, f"nested more than {MAX_DEPTH} levels deep") from None


def problems_from_validation(exc: ValidationError, model: type[BaseModel], doc: TomlDocument | None) -> list[Problem]:
    """Translate pydantic's errors into one :class:`Problem` per error, worded for TOML users."""
    return _problems(exc, model, doc.path if doc else None, doc.line_of if doc else None)


def read_toml(path: Path) -> TomlDocument:
    """Read and parse ``path``; a missing, unreadable, empty or malformed file is an InputError."""
    return parse_toml(decode(read_bytes(path, what="TOML file"), path), path)


def parse_toml(text: str, path: Path | None = None) -> TomlDocument:
    if not text.strip():
        raise InputError.single(path, "file is empty; expected TOML content")
    try:
        data = toml_parser.loads(text)
    except toml_parser.TOMLDecodeError as exc:
        raise InputError([_syntax_problem(exc, text, path)]) from None
    except RecursionError:
        raise InputError.single(path, f"nested more than {MAX_DEPTH} levels deep") from None
    try:
        frozen = _freeze(data, 0)
    except _TooDeep:
        _check_depth(data, path, text)  # finds where, and raises
        raise
    document = TomlDocument(path, text, data)
    document._frozen = frozen
    return document


def _syntax_problem(exc: Exception, text: str, path: Path | None) -> Problem:
    message = str(getattr(exc, "msg", "") or exc)
    line: int | None = getattr(exc, "lineno", None)
    if "(at line" in message or "(at end of document)" in message:
        message = message.split(" (at ", 1)[0]
    if "nterminated string" in message or "end of document" in str(exc):
        line = unterminated_string_line(text) or line
    if line is None:
        line = text.count("\n") + 1
    return Problem(path, f"TOML syntax error: {message}", "", line)


class _TooDeep(Exception):
    """Raised by :func:`_freeze` past :data:`MAX_DEPTH`; the slower walk then says where."""


def _freeze(value: Any, depth: int) -> Any:
    """Lists made tuples, in one pass that also bounds the depth (so the recursion is bounded too)."""
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, dict):
        return {k: _freeze(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return tuple([_freeze(v, depth + 1) for v in value])
    return value


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = _freeze(data, 0)
    return result


def _check_depth(data: Any, path: Path | None, text: str) -> None:
    """Refuse deep nesting before pydantic or a renderer recurses into it."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(data, 0, ())]
    while stack:
        value, depth, loc = stack.pop()
        if depth > MAX_DEPTH:
            field = format_loc(loc[:MAX_DEPTH])
            line = KeyLines(text).line_of(field)
            raise InputError.single(path, f"nested more than {MAX_DEPTH} levels deep", field, line)
        if isinstance(value, dict):
            stack.extend((v, depth + 1, (*loc, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, depth + 1, (*loc, i)) for i, v in enumerate(value))
