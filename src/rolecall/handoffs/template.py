"""Message templates: plain text with ``{placeholder}`` fields, checked when loaded.

The language is deliberately tiny so that rendering can never execute code
from a template:

- ``{name}`` is replaced by a value; ``{{`` and ``}}`` stand for literal braces;
- a placeholder holding a list, alone on its line, becomes one bullet line per
  item (``- item``, keeping the line's indentation); the line disappears when
  the list is empty; used inside a line, a list is joined with ", ".

Every placeholder is checked against the template's known names at load time,
so a typo is an input error naming the file and line, never a failure halfway
through a transcript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rolecall.errors import InputError, Problem

__all__ = ["Template", "Value", "parse_template"]

Value = str | int | Sequence[str]

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class _Line:
    indent: str
    parts: tuple[str | tuple[str], ...]  # literal text, or (placeholder,)
    alone: str | None  # the placeholder when it is the whole line


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    lines: tuple[_Line, ...]

    def render(self, values: Mapping[str, Value]) -> str:
        out: list[str] = []
        for line in self.lines:
            if line.alone is not None:
                value = values[line.alone]
                if not isinstance(value, str | int):
                    out.extend(f"{line.indent}- {item}" for item in value)
                    continue
            text = "".join(part if isinstance(part, str) else _inline(values[part[0]]) for part in line.parts)
            out.append(line.indent + text)
        return "\n".join(out)


def _inline(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return ", ".join(value)


def parse_template(
    text: str, name: str, allowed: frozenset[str], path: Path | None, field: str = "", first_line: int = 1
) -> Template:
    """Parse ``text``; every problem (unknown placeholder, stray brace) raises together."""
    problems: list[Problem] = []
    lines: list[_Line] = []
    for number, raw in enumerate(text.rstrip("\n").split("\n"), start=first_line):
        indent = raw[: len(raw) - len(raw.lstrip())]
        body = raw[len(indent) :]
        parts: list[str | tuple[str]] = []
        pos = 0
        for match in _TOKEN.finditer(body):
            if match.start() > pos:
                parts.append(body[pos : match.start()])
            token = match.group(0)
            if token in ("{{", "}}"):
                parts.append(token[0])
            elif token in ("{", "}"):
                problems.append(
                    Problem(path, f"unmatched '{token}' (write '{token * 2}' for a literal brace)", field, number)
                )
            else:
                placeholder = match.group(1).strip()
                if placeholder not in allowed:
                    known = ", ".join(sorted(allowed))
                    why = "not a placeholder name" if not _NAME.match(placeholder) else "unknown placeholder"
                    problems.append(
                        Problem(
                            path,
                            f"{why} '{{{placeholder}}}' in template '{name}'; known: {known}",
                            field,
                            number,
                        )
                    )
                parts.append((placeholder,))
            pos = match.end()
        if pos < len(body):
            parts.append(body[pos:])
        alone = parts[0][0] if len(parts) == 1 and isinstance(parts[0], tuple) else None
        lines.append(_Line(indent, tuple(parts), alone))
    if problems:
        raise InputError(problems)
    return Template(name, tuple(lines))
