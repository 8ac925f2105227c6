"""A persona's own instructions, kept beside its TOML file as ``instructions/<id>.md``.

Other tools carry a system prompt (a Claude Code body) and settings rolecall
does not model (``model``, ``color``, a CrewAI ``llm``). An import keeps them
here so an export can give them back; the cast loader ignores subfolders, so
the cast stays valid. The front matter maps a tool to its settings::

    ---
    claude-code:
      model: sonnet
    ---
    You are a senior FastAPI engineer...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rolecall.errors import InputError
from rolecall.interop.frontmatter import split_front_matter
from rolecall.interop.sources import read_source
from rolecall.roles.persona import Persona

__all__ = [
    "INSTRUCTIONS_DIR",
    "Instructions",
    "dump_yaml",
    "generated_body",
    "load_instructions",
    "normalize_body",
    "parse_instructions",
]

INSTRUCTIONS_DIR = "instructions"


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so exported prompts read like the files people write."""


# YAML reads these as line breaks; only a double-quoted scalar keeps them as they are.
_BREAKS = frozenset("\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _BREAKS.intersection(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """Deterministic YAML: keys in the order given, Unicode as is, no line folding."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10**6)


def normalize_body(body: str) -> str:
    """Text without leading or trailing blank lines and without trailing spaces at its end."""
    lines = body.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).rstrip()


@dataclass(frozen=True)
class Instructions:
    """The persona's prompt text and, per tool (``claude-code``, ``crewai``), settings to export again."""

    body: str = ""
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", normalize_body(self.body))

    def for_tool(self, tool: str) -> Mapping[str, Any]:
        return self.settings.get(tool, {})

    def text(self) -> str:
        if self.settings:
            head = f"---\n{dump_yaml({k: dict(v) for k, v in self.settings.items()})}---\n"
        elif self.body.split("\n", 1)[0].strip() == "---":
            head = "---\n---\n"  # a body opening with a rule must not read as front matter
        else:
            head = ""
        return f"{head}{self.body}\n" if self.body else head


def generated_body(persona: Persona) -> str:
    """Instructions written from the persona's prose, for a persona without its own."""
    prose = persona.prose
    parts = [f"You are {persona.name}, the {persona.title}.", prose.role]
    if prose.identity:
        parts.append(prose.identity)
    if prose.communication_style:
        parts.append(f"Communication style: {prose.communication_style}")
    if prose.principles:
        parts.append("Principles:\n" + "\n".join(f"- {p}" for p in prose.principles))
    return normalize_body("\n\n".join(p.strip() for p in parts))


def parse_instructions(text: str, path: Path | None = None) -> Instructions:
    front = split_front_matter(text)
    if front is None:
        return Instructions(text)
    settings: dict[str, dict[str, Any]] = {}
    for tool, values in front.yaml.data.items():
        if not isinstance(values, dict):
            raise InputError.single(path, f"{tool}: expected a mapping of that tool's settings", field=tool)
        settings[tool] = {str(k): v for k, v in values.items()}
    return Instructions(front.body, settings)


def load_instructions(cast_folder: Path | None, persona_ids: Iterable[str]) -> dict[str, Instructions]:
    """The instructions files of a cast folder, by persona id; personas without one are left out."""
    found: dict[str, Instructions] = {}
    if cast_folder is None:
        return found
    for pid in persona_ids:
        path = cast_folder / INSTRUCTIONS_DIR / f"{pid}.md"
        if not path.is_file():
            continue
        source = read_source(path, str(path))
        if source.text is None:
            raise InputError.single(path, source.problem)
        found[pid] = parse_instructions(source.text, path)
    return found
