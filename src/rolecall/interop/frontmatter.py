"""Markdown with YAML front matter, read the way people actually write it.

Real subagent files are not always strict YAML: an unquoted description with
``Triggers on: 'GDPR'`` in it, markdown pasted inside the front matter, an
indented block. Strict parsing comes first; when it fails, each top-level key
is read on its own, a value that still fails is kept as plain text, and lines
that are not YAML at all are left out. Every leniency becomes a warning.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["FrontMatter", "YamlRead", "opens_front_matter", "read_yaml", "split_front_matter"]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loading that notes every key given twice: YAML keeps the last one without a word."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.twice: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    self.twice.append((key.value, key.start_mark.line))
                seen.add(key.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


_TOP_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")


@dataclass(frozen=True)
class YamlRead:
    """A YAML mapping read strictly or leniently; ``warnings`` says what leniency was needed."""

    data: dict[str, Any]
    warnings: tuple[str, ...] = ()
    strict: bool = True
    dropped_lines: int = 0


@dataclass(frozen=True)
class FrontMatter:
    yaml: YamlRead
    body: str
    # 1-based line of the first body line, to point at the file in messages.
    body_line: int


def _error_text(exc: yaml.YAMLError, first_line: int) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"line {first_line + mark.line}: {problem}"
    return str(problem)


def _load(text: str) -> Any:
    return _load_noting(text)[0]


def _load_noting(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """The data, and each key given twice with its (0-based) line."""
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.twice
    finally:
        loader.dispose()


def read_yaml(text: str, first_line: int = 1, what: str = "front matter") -> YamlRead | str:
    """Parse ``text`` as a YAML mapping; a string says why nothing could be read.

    ``what`` names the text in warnings: the front matter of a Markdown file, or a YAML file.
    """
    try:
        data, twice = _load_noting(text)
    except yaml.YAMLError as exc:
        return _lenient(text, first_line, _error_text(exc, first_line), what)
    if data is None:
        return YamlRead({})
    if not isinstance(data, dict):
        return f"the YAML is a {type(data).__name__}, not a mapping of keys"
    warnings = tuple(f"'{key}' is given twice (line {first_line + line}): the last one is kept" for key, line in twice)
    return YamlRead({str(k): v for k, v in data.items()}, warnings)


def _entries(lines: list[str]) -> tuple[list[tuple[str, int, list[str]]], int]:
    """Group lines into top-level ``key:`` entries; count the stray lines that belong to none."""
    entries: list[tuple[str, int, list[str]]] = []
    stray = 0
    current: list[str] | None = None
    for number, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match:
            current = [line]
            entries.append((match.group(1), number, current))
        elif line.strip() and not line[0].isspace():
            if not line.startswith("#"):
                stray += 1
                # Indented lines after a stray line continue it, not the key before.
                current = None
        elif current is not None:
            current.append(line)
        elif line.strip():
            stray += 1
    return entries, stray


def _lenient(text: str, first_line: int, strict_error: str, what: str) -> YamlRead | str:
    lines = textwrap.dedent(text).split("\n")
    entries, stray = _entries(lines)
    if not entries:
        return f"not YAML ({strict_error})"
    data: dict[str, Any] = {}
    warnings = [f"{what} is not strict YAML ({strict_error}); read key by key"]
    for key, number, chunk in entries:
        try:
            value = _load("\n".join(chunk))
        except yaml.YAMLError as exc:
            plain = _plain_value(chunk)
            if plain is None:
                warnings.append(f"{key}: left out, not YAML ({_error_text(exc, first_line + number)})")
                continue
            data[key] = plain
            warnings.append(f"{key}: read as plain text (line {first_line + number})")
            continue
        if isinstance(value, dict) and key in value:
            data[key] = value[key]
    if stray:
        warnings.append(f"{stray} line{'s' if stray != 1 else ''} that are not YAML left out (markdown?)")
    return YamlRead(data, tuple(warnings), strict=False, dropped_lines=stray)


def _plain_value(chunk: list[str]) -> str | None:
    """The text after ``key:`` and its continuation lines, unquoted: how a person meant it."""
    first = chunk[0].split(":", 1)[1].strip()
    rest = [line.strip() for line in chunk[1:] if line.strip()]
    value = " ".join([first, *rest]).strip() if first else " ".join(rest)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value or None


def opens_front_matter(text: str) -> bool:
    """Whether the first non-blank line is a ``---`` fence (a closing one may still be missing)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    return first.strip() == "---"


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter and body of a Markdown file, or None when it has no front matter.

    The opening fence may be indented or follow blank lines; the closing fence
    is the next ``---`` line indented no deeper than the opening one.
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].strip() != "---":
        return None
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() in ("---", "...") and len(line) - len(line.lstrip()) <= indent:
            end = i
            break
    if end is None:
        return None
    block = "\n".join(lines[start + 1 : end])
    read = read_yaml(textwrap.dedent(block), first_line=start + 2)
    body = "\n".join(lines[end + 1 :])
    if isinstance(read, str):
        return FrontMatter(YamlRead({}, (f"front matter left out: {read}",), strict=False), body, end + 2)
    return FrontMatter(read, body, end + 2)
