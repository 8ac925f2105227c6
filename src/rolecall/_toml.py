"""Reading TOML input files into validated models, with line numbers in errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
from rolecall.errors import InputError, Problem
from rolecall.files.reading import decode, read_bytes

__all__ = [
    "MAX_DEPTH",
    "KeyLines",
    "TomlDocument",
    "field_within",
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
        self._data = data
        self._bounded = False
        self._lines: KeyLines | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The parsed data, checked not to nest past :data:`MAX_DEPTH`: a reader of raw data may recurse into it."""
        if not self._bounded:
            _check_depth(self._data, self.path, self.text)
            self._bounded = True
        return self._data

    @property
    def top_level(self) -> frozenset[str]:
        """The top-level keys, read without walking the rest."""
        return frozenset(self._data)

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
            # The models take no value that nests deeper than their own fields, so the depth
            # walk (a tenth of a second for 100k tasks) is needed only once something is wrong.
            return model.model_validate(self._data, context=context)
        except ValidationError as exc:
            _check_depth(self._data, self.path, self.text)  # a deep value is named as such, not as a type error
            raise InputError(problems_from_validation(exc, model, self)) from None
        except RecursionError:
            raise InputError.single(self.path, f"nested more than {MAX_DEPTH} levels deep") from None


def field_within(field: str, parts: Iterable[str]) -> bool:
    """Whether ``field`` (``never[2].hand_to``) is one of ``parts`` or lies inside one (``never[2]``, ``never``)."""
    return any(field == part or field.startswith((f"{part}.", f"{part}[")) for part in parts)


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
    return TomlDocument(path, text, data)


def _syntax_problem(exc: Exception, text: str, path: Path | None) -> Problem:
    message = str(getattr(exc, "msg", "") or exc)
    line: int | None = getattr(exc, "lineno", None)
    if "(at line" in message or "(at end of document)" in message:
        message = message.split(" (at ", 1)[0]
    if "nterminated string" in message or "end of document" in str(exc):
        line = unterminated_string_line(text) or line
    if line is None:
        line = text.count("\n") + 1
    field = ""
    if message == "Cannot overwrite a value":
        lines = text.split("\n")
        key = _KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
        if key is not None:
            field = key.group(1)
            message = f"'{field}' is set twice (a key may be given once in a table)"
    elif message.startswith("Cannot declare ("):
        field = ".".join(re.findall(r"'([^']*)'", message))
        message = f"the table [{field}] is declared twice"
    elif message in ("Unclosed array", "Unclosed inline table") or (
        message == "Invalid value" and _runs_into_more(text, line, "end of document" in str(exc))
    ):
        opened = _unclosed_value(text, line)
        if opened is not None:
            # The parser notices where the value should have ended, which is where the line points;
            # where it began is the other place to look (the mistake is somewhere between).
            start, name, close = opened
            message = (
                f"{message}: the value of '{name}' opened at line {start} is never closed (a '{close}' is missing)"
            )
    return Problem(path, f"TOML syntax error: {message}", field, line)


_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
_HEADER = re.compile(r"^\[\[?\s*[A-Za-z0-9_.\"' -]+\s*\]\]?\s*(#.*)?$")
_OPENS = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*([\[{])(.*)$")


def _runs_into_more(text: str, line: int, at_end: bool) -> bool:
    """Whether an invalid value is where the file goes on (a key, a table, the end): an array left open."""
    if at_end:
        return True
    lines = text.split("\n")
    here = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return _HEADER.match(here) is not None or _KEY.match(here) is not None


def _unclosed_value(text: str, line: int) -> tuple[int, str, str] | None:
    """The nearest ``key = [`` or ``key = {`` above ``line`` whose brackets do not close on their line.

    A guess (brackets inside strings are counted too), made only to point at a
    likelier line than the parser's, which notices only where the value should have ended.
    """
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(0, line - 200), -1):
        match = _OPENS.match(lines[number - 1])
        if match is None:
            continue
        close = "]" if match.group(2) == "[" else "}"
        rest = match.group(3).split("#", 1)[0]
        if rest.count(match.group(2)) + 1 > rest.count(close):
            return number, match.group(1), close
        return None  # the nearest value above closes on its line: not this case
    return None


def _check_depth(data: Any, path: Path | None, text: str) -> None:
    """Refuse nesting past :data:`MAX_DEPTH` (naming the field and line) before anything recurses into it.

    A walk with its own stack: the data may nest as deep as the parser allowed.
    """
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
