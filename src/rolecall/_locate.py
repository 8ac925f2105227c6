"""Where each key and item of a TOML text is written: field path -> line.

TOML parsers report a line for syntax errors only. Users also need one for an
unknown key, a wrong type or a dangling reference, so :class:`KeyLines` scans
the text once (on the first problem, never on the happy path) and maps every
key path, including keys of inline tables and items of arrays
(``task[3].review.reviewer``, ``rule[0].allow[2]``), to its line. The scan is
structural, not a full parser: it runs only on text the parser has accepted,
or to find where an unterminated string starts.
"""

from __future__ import annotations

import contextlib
import re

__all__ = ["KeyLines", "format_loc", "unterminated_string_line"]

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<mlb>\"\"\"(?:[^\\]|\\[\s\S])*?\"\"\"\"{0,2})
  | (?P<mll>'''[\s\S]*?''''{0,2})
  | (?P<basic>"(?:[^"\\\n]|\\.)*")
  | (?P<literal>'[^'\n]*')
  | (?P<punct>[\[\]{},=.])
  | (?P<bare>[A-Za-z0-9_+\-:]+(?:\.[0-9]+)?(?:[eE][+\-]?[0-9_]+)?[A-Za-z0-9_+\-:.]*)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)


def format_loc(loc: tuple[str | int, ...]) -> str:
    """Render a location tuple as a field path: ``('task', 3, 'id')`` -> ``task[3].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _unquote(token: str) -> str:
    return token[1:-1] if token[:1] in "\"'" else token


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """``(kind, text, line)`` of every token but whitespace and comments; newlines kept as 'nl'."""
    out: list[tuple[str, str, int]] = []
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind == "ws":
            if "\n" in value:
                out.append(("nl", "", line))
                line += value.count("\n")
            continue
        if kind != "comment":
            out.append((kind, value, line))
        line += value.count("\n")
    return out


def unterminated_string_line(text: str) -> int | None:
    """The line of a quote that opens a string never closed, when there is one."""
    for kind, value, line in _tokens(text):
        if kind == "other" and value in "\"'":
            return line
    return None


class KeyLines:
    """Map from field path to the 1-based line where that key or item is written."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._toks = _tokens(text)
        self._i = 0
        self._counts: dict[str, int] = {}
        # Absurdly deep nesting: the keys found before the limit are all that can be located.
        with contextlib.suppress(RecursionError):
            self._scan()

    def line_of(self, field: str) -> int | None:
        """The line of ``field`` or, failing that, of its nearest written parent."""
        path = field
        while path:
            if path in self._lines:
                return self._lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    # -- the scan ------------------------------------------------------------

    def _peek(self) -> tuple[str, str, int]:
        return self._toks[self._i] if self._i < len(self._toks) else ("eof", "", 0)

    def _next(self) -> tuple[str, str, int]:
        token = self._peek()
        self._i += 1
        return token

    def _skip_newlines(self) -> None:
        while self._peek()[0] == "nl":
            self._i += 1

    def _record(self, path: str, line: int) -> None:
        self._lines.setdefault(path, line)

    def _scan(self) -> None:
        table = ""
        while True:
            self._skip_newlines()
            kind, value, line = self._peek()
            if kind == "eof":
                return
            if value == "[":
                table = self._header()
                self._record(table, line)
                if table.endswith("]"):  # [[task]] also locates 'task' itself, e.g. for "expected a table"
                    self._record(table[: table.rfind("[")], line)
                continue
            keys = self._key()
            if not keys or self._peek()[1] != "=":
                self._skip_line()
                continue
            self._i += 1
            path = ".".join([table, *keys]) if table else ".".join(keys)
            self._record(path, line)
            self._value(path)
            self._skip_line()

    def _skip_line(self) -> None:
        while self._peek()[0] not in ("nl", "eof"):
            self._i += 1

    def _key(self) -> list[str]:
        parts: list[str] = []
        while True:
            kind, value, _ = self._peek()
            if kind in ("bare", "basic", "literal"):
                self._i += 1
                parts.extend(value.split(".") if kind == "bare" else [_unquote(value)])
            elif value == ".":
                self._i += 1
            else:
                return parts

    def _header(self) -> str:
        self._i += 1
        is_array = self._peek()[1] == "["
        if is_array:
            self._i += 1
        parts = self._key()
        self._skip_line()
        path = ""
        for i, part in enumerate(parts):
            path = f"{path}.{part}" if path else part
            if i == len(parts) - 1 and is_array:
                self._counts[path] = self._counts.get(path, -1) + 1
                path = f"{path}[{self._counts[path]}]"
            elif path in self._counts:
                path = f"{path}[{self._counts[path]}]"
        return path

    def _value(self, path: str) -> None:
        """Consume one value, recording the lines of the items and keys inside it."""
        while self._peek()[0] == "nl":
            self._i += 1
        _kind, value, _line = self._next()
        if value == "[":
            self._array(path)
        elif value == "{":
            self._inline_table(path)

    def _array(self, path: str) -> None:
        index = 0
        while True:
            self._skip_newlines()
            kind, value, line = self._peek()
            if kind == "eof":
                return
            if value == "]":
                self._i += 1
                return
            if value == ",":
                self._i += 1
                index += 1
                continue
            item = f"{path}[{index}]"
            self._record(item, line)
            self._value(item)

    def _inline_table(self, path: str) -> None:
        while True:
            self._skip_newlines()
            kind, value, line = self._peek()
            if kind == "eof":
                return
            if value in ("}", ","):
                self._i += 1
                if value == "}":
                    return
                continue
            keys = self._key()
            if not keys or self._peek()[1] != "=":
                self._i += 1
                continue
            self._i += 1
            key_path = ".".join([path, *keys])
            self._record(key_path, line)
            self._value(key_path)
