"""Importing Claude Code subagent files (``.claude/agents/*.md``) into a cast.

Each file with front matter becomes one persona: ``name`` gives its id,
``description`` its role and its main capability, ``tools`` one ``tool.*``
capability per tool, and the body (the system prompt) plus the settings
rolecall does not model (``model``, ``color``...) go to
``instructions/<id>.md`` so an export can give them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rolecall.interop.draft import CastDraft
from rolecall.interop.embedded import BLOCK_KEY, RolecallBlock, read_block
from rolecall.interop.frontmatter import opens_front_matter, split_front_matter
from rolecall.interop.imported import Imported, ImportOptions, finish_import
from rolecall.interop.instructions import Instructions
from rolecall.interop.naming import humanize, persona_id, unique
from rolecall.interop.persona_draft import DraftPersona, fill_in
from rolecall.interop.report import FileOutcome, ImportReport
from rolecall.interop.roundtrip import ExportedCast, strip_generated
from rolecall.interop.sources import SourceFile
from rolecall.interop.tools import add_tools, parse_tools
from rolecall.interop.yamlvalues import mapping, text_value

__all__ = ["TOOL", "import_claude_code"]

TOOL = "claude-code"

_KNOWN = ("name", "description", "tools", BLOCK_KEY)
# Words that say how good an agent is, not what it works on: left out of routing keywords.
_GENERIC = frozenset(
    ["agent", "architect", "assistant", "developer", "engineer", "expert", "pro", "senior", "specialist"]
)
_QUOTED = re.compile(r"""['"‘“]([^'"‘’“”\n]{2,40})['"’”]""")


def _keywords(name: str, description: str) -> tuple[str, ...]:
    words = [w for w in re.split(r"[\s_-]+", name.lower()) if w and w not in _GENERIC]
    found = [m.group(1).strip().lower() for m in _QUOTED.finditer(description)]
    if 1 <= len(words) <= 3:
        found.insert(0, " ".join(words))
    return tuple(dict.fromkeys(k for k in found if k))


def _add_agent(draft: CastDraft, source: SourceFile, data: dict[str, Any], body: str, outcome: FileOutcome) -> None:
    name = text_value(data.get("name"))
    meta = mapping(data.get("metadata"))
    if not name:
        outcome.warn(f"no name: the file name '{source.stem}' is used")
    base = persona_id(name) or persona_id(source.stem) or "agent"
    pid = unique(base, draft.taken_ids())
    if pid != base:
        outcome.warn(f"id '{base}' is already used by another file; imported as '{pid}'")
    description = text_value(data.get("description"))
    if not description:
        outcome.warn("no description: prose.role and the capability description are marked FILL IN")
    if {"role_boundaries", "persona"} & data.keys():
        outcome.warn("has persona/role_boundaries keys: `rolecall import role-boundaries` reads its boundaries")
    work = description or fill_in("what this agent does (the source file has no description)")
    cap_id = draft.capability(pid, "", work, keywords=_keywords(name or source.stem, description))
    settings = {k: v for k, v in data.items() if k not in _KNOWN}
    persona = DraftPersona(
        id=pid,
        source=source.name,
        name=text_value(meta.get("name")) or name or source.stem,
        title=text_value(meta.get("title")) or humanize(pid),
        role=work,
        icon=text_value(meta.get("icon")),
        owns=[(cap_id, description)],
        instructions=Instructions(strip_generated(body), {TOOL: settings} if settings else {}),
    )
    add_tools(draft, persona, parse_tools(data.get("tools"), outcome), outcome)
    draft.add(persona)
    outcome.result = f"persona '{pid}'"


def import_claude_code(files: Sequence[SourceFile], options: ImportOptions) -> Imported:
    report = ImportReport()
    draft = CastDraft(report)
    exported = ExportedCast()
    for source in files:
        outcome = report.file(source.name)
        if source.text is None:
            outcome.skip(source.problem)
            continue
        if source.suffix != ".md":
            outcome.skip("not a Markdown file (.md)")
            continue
        front = split_front_matter(source.text)
        if front is None:
            outcome.skip(
                _UNCLOSED
                if opens_front_matter(source.text)
                else "no front matter: a subagent file starts with a '---' line"
            )
            continue
        for warning in front.yaml.warnings:
            outcome.warn(warning)
        data = front.yaml.data
        if BLOCK_KEY in data:
            block = read_block(data[BLOCK_KEY])
            if isinstance(block, RolecallBlock):
                settings = {k: v for k, v in data.items() if k not in _KNOWN}
                if not exported.add(draft, block, outcome, front.body, settings, TOOL):
                    outcome.skip(f"duplicate persona '{block.persona.id}': another file already has it")
                continue
            outcome.warn(f"{BLOCK_KEY} block left out ({block}); read as a plain subagent")
        _add_agent(draft, source, data, front.body, outcome)
    built = finish_import(draft, options, "Claude Code subagent files", exported)
    return Imported(TOOL, options.source, built, report)


_UNCLOSED = "front matter never closed: no '---' line ends it"
