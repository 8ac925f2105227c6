"""Reading persona files written with ``role_boundaries`` (the source cast of the coordination examples).

Two generations of the same files exist: ``<id>.agent.yaml`` with the persona
under an ``agent:`` key, and ``.claude/agents/<id>.md`` with it as front
matter. Both read into :class:`SourcePersona`. A front matter closed early by
pasted markdown (its keys continue in the body, up to the next ``---``) is
read on, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rolecall.interop.frontmatter import YamlRead, opens_front_matter, read_yaml, split_front_matter
from rolecall.interop.instructions import normalize_body
from rolecall.interop.naming import persona_id
from rolecall.interop.report import FileOutcome
from rolecall.interop.sources import SourceFile
from rolecall.interop.yamlvalues import mapping, strings, text_value

__all__ = ["NeverItem", "SourcePersona", "read_persona_file"]

_PERSONA_KEYS = ("metadata", "persona", "role_boundaries")
_ASIDE = re.compile(r"^(?P<work>.*?)\s*\((?P<aside>[^()]*)\)\s*$")
_ARROW = re.compile(r"\s*(?:→|->|=>)\s*")


@dataclass(frozen=True)
class NeverItem:
    """One piece of work that is not the persona's, and the words naming who should get it."""

    work: str
    target: str
    where: str
    note: str = ""


@dataclass
class SourcePersona:
    outcome: FileOutcome
    id: str
    name: str
    title: str
    icon: str = ""
    role: str = ""
    identity: str = ""
    communication_style: str = ""
    principles: tuple[str, ...] = ()
    duties: list[str] = field(default_factory=list)
    has_boundaries: bool = False
    never: list[NeverItem] = field(default_factory=list)
    # The orchestrator's view of the others: role key -> their never items.
    forbidden: dict[str, list[NeverItem]] = field(default_factory=dict)
    collaborators: list[str] = field(default_factory=list)


def _prose(value: Any) -> str:
    """A paragraph of prose, its line breaks kept."""
    return normalize_body(value) if isinstance(value, str) else text_value(value)


def never_items(value: Any, where: str) -> list[NeverItem]:
    """``never_my_job`` items: ``"Write Server Actions (that's Backend Developer)"``."""
    items = []
    for i, text in enumerate(strings(value)):
        match = _ASIDE.match(text)
        if match is None:
            items.append(NeverItem(text, "", f"{where}[{i}]"))
            continue
        aside = match.group("aside")
        dash = re.split(r"\s+[-–—]\s+", aside, maxsplit=1)
        items.append(NeverItem(match.group("work"), dash[0], f"{where}[{i}]", dash[1] if len(dash) > 1 else ""))
    return items


def handoff_items(value: Any, where: str) -> list[NeverItem]:
    """``must_handoff_to``: a mapping ``role_key: [work, ...]`` or a list of ``"work → Role"``."""
    items: list[NeverItem] = []
    if isinstance(value, dict):
        for key, works in value.items():
            items += [NeverItem(w, str(key), f"{where}.{key}[{i}]") for i, w in enumerate(strings(works))]
    else:
        for i, text in enumerate(strings(value)):
            parts = _ARROW.split(text, maxsplit=1)
            target = parts[1] if len(parts) == 2 else ""
            items.append(NeverItem(parts[0], target, f"{where}[{i}]"))
    return items


def _read(source: SourceFile, outcome: FileOutcome) -> dict[str, Any] | None:
    assert source.text is not None
    if source.suffix == ".md":
        front = split_front_matter(source.text)
        if front is None:
            outcome.skip(_UNCLOSED if opens_front_matter(source.text) else "no front matter: not a persona file")
            return None
        for warning in front.yaml.warnings:
            outcome.warn(warning)
        data = dict(front.yaml.data)
        if front.yaml.dropped_lines:
            _read_on(front.body, front.body_line, data, outcome)
        return data
    if source.suffix in (".yaml", ".yml"):
        read = read_yaml(source.text)
        if not isinstance(read, YamlRead):
            outcome.skip(read)
            return None
        for warning in read.warnings:
            outcome.warn(warning)
        return read.data
    outcome.skip("not a persona file (.md with front matter, .yaml or .yml)")
    return None


def _read_on(body: str, first_line: int, data: dict[str, Any], outcome: FileOutcome) -> None:
    """Markdown in the front matter closed it early; its remaining keys run on to the next ``---``."""
    lines = body.split("\n")
    end = next((i for i, line in enumerate(lines) if line.strip() == "---"), None)
    if end is None:
        return
    more = read_yaml("\n".join(lines[:end]), first_line)
    if not isinstance(more, YamlRead) or not more.data:
        return
    added = [k for k in more.data if k not in data]
    data.update({k: more.data[k] for k in added})
    if added:
        shown = ", ".join(added[:6]) + (", ..." if len(added) > 6 else "")
        outcome.warn(f"front matter closed early by markdown; read on to line {first_line + end - 1}: {shown}")


def _file_id(source: SourceFile, metadata: dict[str, Any]) -> str:
    """The persona's own id (``metadata.id`` names its file), else the file name, without ``.agent``."""
    meta_id = text_value(metadata.get("id"))
    stem = meta_id.rsplit("/", 1)[-1] if meta_id else source.stem
    for suffix in (".md", ".yaml", ".yml", ".agent"):
        stem = stem.removesuffix(suffix)
    return persona_id(stem) or persona_id(source.stem) or "persona"


def read_persona_file(source: SourceFile, outcome: FileOutcome) -> SourcePersona | None:
    """The persona a file describes, or None with the file skipped and the reason given."""
    if source.text is None:
        outcome.skip(source.problem)
        return None
    data = _read(source, outcome)
    if data is None:
        return None
    if isinstance(data.get("agent"), dict):
        data = data["agent"]
    if not any(isinstance(data.get(k), dict) for k in _PERSONA_KEYS):
        outcome.skip("no persona: none of metadata, persona or role_boundaries")
        return None
    meta, prose, bounds = (mapping(data.get(k)) for k in _PERSONA_KEYS)
    pid = _file_id(source, meta)
    found = SourcePersona(
        outcome=outcome,
        id=pid,
        name=text_value(meta.get("name")),
        title=text_value(meta.get("title")),
        icon=text_value(meta.get("icon")),
        role=text_value(prose.get("role")),
        identity=_prose(prose.get("identity")),
        communication_style=_prose(prose.get("communication_style")),
        principles=tuple(strings(prose.get("principles"))),
        duties=strings(bounds.get("strictly_my_job")) or strings(data.get("responsibilities")),
        has_boundaries=bool(bounds),
        never=never_items(bounds.get("never_my_job"), "role_boundaries.never_my_job")
        + handoff_items(bounds.get("must_handoff_to"), "role_boundaries.must_handoff_to"),
    )
    enforcement = data.get("role_boundaries_enforcement")
    forbidden = enforcement.get("forbidden_actions") if isinstance(enforcement, dict) else None
    if isinstance(forbidden, dict):
        base = "role_boundaries_enforcement.forbidden_actions"
        for key, spec in forbidden.items():
            if isinstance(spec, dict):
                where = f"{base}.{key}"
                found.forbidden[str(key)] = never_items(spec.get("never_do"), f"{where}.never_do") + handoff_items(
                    spec.get("must_handoff_to"), f"{where}.must_handoff_to"
                )
    collaboration = data.get("collaboration")
    if isinstance(collaboration, dict):
        for value in collaboration.values():
            found.collaborators += re.findall(r"\(([^()]+)\)", " ".join(strings(value)))
    return found


_UNCLOSED = "front matter never closed: no '---' line ends it"
