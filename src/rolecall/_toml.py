"""Reading TOML input files into validated models, with line numbers in errors.

``tomllib`` reports a line for syntax errors only. Users also need one for an
unknown key or a wrong type, so :class:`KeyLines` scans the source once and
maps every key path (``task[3].depends_on``) to the line it is written on.
The scan understands the subset of TOML that locating needs: table headers,
arrays of tables, ``key =`` lines and multi-line strings and arrays.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
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

from rolecall.errors import InputError, Problem

__all__ = ["KeyLines", "TomlDocument", "format_loc", "problems_from_validation", "read_toml"]

M = TypeVar("M", bound=BaseModel)

_KEY = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _split_key(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(_KEY, dotted)]


def format_loc(loc: tuple[str | int, ...]) -> str:
    """Render a location tuple as a field path: ``('task', 3, 'id')`` -> ``task[3].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class KeyLines:
    """Map from field path to the 1-based line where that key is written."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._scan(text)

    def line_of(self, field: str) -> int | None:
        """The line of ``field`` or, failing that, of its nearest written parent."""
        path = field
        while path:
            if path in self._lines:
                return self._lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def _scan(self, text: str) -> None:
        counts: dict[str, int] = {}
        table = ""
        closing: str | None = None  # delimiter ending the multi-line value we are inside
        for number, raw in enumerate(text.splitlines(), start=1):
            if closing is not None:
                if closing in raw:
                    closing = None
                continue
            header = _HEADER.match(raw)
            if header:
                table = self._table_path(_split_key(header.group(2)), header.group(1) == "[[", counts)
                self._lines.setdefault(table, number)
                continue
            assign = _ASSIGN.match(raw)
            if not assign:
                continue
            key = ".".join(_split_key(assign.group(1)))
            path = f"{table}.{key}" if table else key
            self._lines.setdefault(path, number)
            closing = self._open_delimiter(assign.group(2))

    @staticmethod
    def _table_path(parts: list[str], is_array: bool, counts: dict[str, int]) -> str:
        path = ""
        for i, part in enumerate(parts):
            path = f"{path}.{part}" if path else part
            last = i == len(parts) - 1
            if last and is_array:
                counts[path] = counts.get(path, -1) + 1
                path = f"{path}[{counts[path]}]"
            elif path in counts:
                path = f"{path}[{counts[path]}]"
        return path

    @staticmethod
    def _open_delimiter(value: str) -> str | None:
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                return quote
        stripped = value.split("#", 1)[0].rstrip()
        if stripped.startswith("[") and stripped.count("[") > stripped.count("]"):
            return "]"
        return None


class TomlDocument:
    """A parsed TOML file: its data, where it came from, and where each key is."""

    def __init__(self, path: Path | None, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.text = text
        self.data = data
        self._lines: KeyLines | None = None

    @property
    def lines(self) -> KeyLines:
        if self._lines is None:
            self._lines = KeyLines(self.text)
        return self._lines

    def problem(self, message: str, field: str = "") -> Problem:
        return Problem(self.path, message, field, self.lines.line_of(field) if field else None)

    def validate(self, model: type[M], context: Mapping[str, Any] | None = None) -> M:
        """Validate the data as ``model``; raise :class:`InputError` with every problem."""
        try:
            return model.model_validate(self.data, context=dict(context or {}))
        except ValidationError as exc:
            raise InputError(problems_from_validation(exc, model, self)) from None


def read_toml(path: Path) -> TomlDocument:
    """Read and parse ``path``; a missing, unreadable, empty or malformed file is an InputError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(path, "is a folder, expected a TOML file") from None
    except OSError as exc:
        raise InputError.single(path, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(path, f"not UTF-8 text (byte {exc.start})") from None
    return parse_toml(text, path)


def parse_toml(text: str, path: Path | None = None) -> TomlDocument:
    if not text.strip():
        raise InputError.single(path, "file is empty; expected TOML content")
    try:
        data = toml_parser.loads(text)
    except toml_parser.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else None
        message = _TOML_LINE.sub("", message).strip()
        raise InputError.single(path, f"TOML syntax error: {message}", line=line) from None
    return TomlDocument(path, text, data)


def problems_from_validation(exc: ValidationError, model: type[BaseModel], doc: TomlDocument | None) -> list[Problem]:
    """Translate pydantic's errors into one :class:`Problem` per error, worded for TOML users."""
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    locs = [_strip_tags(model, tuple(part for part in e["loc"] if not _is_union_tag(part))) for e in errors]
    for error, loc in zip(errors, locs, strict=True):
        # A list whose items failed is also 'too short' after validation: noise, not a second problem.
        if error["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs):
            continue
        field = format_loc(loc)
        message = _describe(error, model, tuple(p for p in error["loc"] if not _is_union_tag(p)))
        line = doc.lines.line_of(field) if doc is not None else None
        problems.append(Problem(doc.path if doc else None, message, field, line))
    return problems


def _strip_tags(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the tags pydantic adds for discriminated unions (``rule[0].route.allow`` -> ``rule[0].allow``)."""
    out: list[str | int] = []
    current: Any = model
    for part in loc:
        members = _union_models(current)
        if members and isinstance(part, str):
            tagged = [m for m in members if _tag_of(m) == part]
            if tagged and not any(part in m.model_fields for m in members):
                current = tagged[0]
                continue
        out.append(part)
        current = _step(current, part)
    return tuple(out)


def _union_models(annotation: Any) -> list[type[BaseModel]]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    return []


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("kind")
    return field.default if field is not None and isinstance(field.default, str) else _literal(field)


def _literal(field: Any) -> str | None:
    if field is None:
        return None
    args = typing.get_args(field.annotation)
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _step(current: Any, part: str | int) -> Any:
    current = _unwrap(current)
    if isinstance(part, int):
        args = typing.get_args(current)
        return args[0] if args else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(part)
        return field.annotation if field else None
    return None


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the chosen union member (e.g. 'str' or a model name) into locations
    return isinstance(part, str) and (part[:1].isupper() or part in {"str", "int", "float"})


def _describe(error: Any, model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(model, loc[:-1])
        hint = ""
        if allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(allowed)}"
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    got = error.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{error['msg']} (got {shown})"


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts at ``loc``, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        tagged = [m for m in _union_models(current) if isinstance(part, str) and _tag_of(m) == part]
        if tagged:
            current = tagged[0]
            continue
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            current = args[-1] if origin in (dict, Mapping) and args else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated wrappers down to the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else members[0]
        else:
            return annotation
