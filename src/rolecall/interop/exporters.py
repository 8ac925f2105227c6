"""A cast written out for the agents that run: Claude Code subagents, CrewAI YAML, one AGENTS.md.

Every agent's instructions end with its role boundaries in plain words
(:mod:`rolecall.interop.boundaries`). Claude Code and CrewAI files also carry
a ``rolecall`` block, so importing them again gives the same personas. Each
function returns ``{file name: text}``; the same cast always gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rolecall.interop.boundaries import (
    BOUNDARIES_MARKER,
    boundaries_section,
    delegation_summary,
    duties,
    tool_names,
)
from rolecall.interop.embedded import BLOCK_KEY, block_for
from rolecall.interop.instructions import Instructions, dump_yaml, generated_body
from rolecall.interop.naming import collapse, unique
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles.cast import Cast
from rolecall.roles.persona import Persona

__all__ = ["AGENTS_MD", "agents_md_text", "claude_code_files", "crewai_files"]

AGENTS_MD = "AGENTS.md"
CLAUDE_CODE = "claude-code"
CREWAI = "crewai"


def _body(persona: Persona, own: Instructions | None) -> str:
    return own.body if own is not None and own.body else generated_body(persona)


def _prompt(cast: Cast, persona: Persona, own: Instructions | None) -> str:
    """The instructions, then the generated boundaries after the marker that an import cuts at."""
    return f"{_body(persona, own)}\n\n{BOUNDARIES_MARKER}\n\n{boundaries_section(cast, persona)}\n"


def _names(cast: Cast, separator: str) -> dict[str, str]:
    """Persona id -> the name the other tool uses (``-`` or ``_`` as it prefers), unique."""
    out: dict[str, str] = {}
    for persona in cast.personas:
        wanted = persona.id.replace("_", "-") if separator == "-" else persona.id.replace("-", "_")
        out[persona.id] = unique(wanted, out.values())
    return out


def _settings(own: Instructions | None, tool: str, taken: Mapping[str, Any]) -> dict[str, Any]:
    if own is None:
        return {}
    return {k: v for k, v in own.for_tool(tool).items() if k not in taken and k != BLOCK_KEY}


def claude_code_files(cast: Cast, instructions: Mapping[str, Instructions]) -> dict[str, str]:
    """One ``<name>.md`` subagent per persona: name, description, tools, then the prompt."""
    names = _names(cast, "-")
    files: dict[str, str] = {}
    for persona in cast.personas:
        own = instructions.get(persona.id)
        summary = delegation_summary(cast, persona)
        description = collapse(f"{persona.title}. {persona.prose.role} {summary}")
        front: dict[str, Any] = {"name": names[persona.id], "description": description}
        tools = tool_names(persona)
        if tools:
            front["tools"] = ", ".join(tools)
        front.update(_settings(own, CLAUDE_CODE, front))
        front[BLOCK_KEY] = block_for(cast, persona)
        files[f"{names[persona.id]}.md"] = f"---\n{dump_yaml(front)}---\n\n{_prompt(cast, persona, own)}"
    return files


def crewai_files(
    cast: Cast, instructions: Mapping[str, Instructions], scenario: Scenario | None = None
) -> dict[str, str]:
    """``agents.yaml`` (role, goal, backstory with the boundaries) and, from a scenario, ``tasks.yaml``."""
    names = _names(cast, "_")
    agents: dict[str, Any] = {}
    for persona in cast.personas:
        own = instructions.get(persona.id)
        agent: dict[str, Any] = {
            "role": collapse(persona.title),
            "goal": collapse(persona.prose.role),
            "backstory": _prompt(cast, persona, own),
        }
        # Claude Code tools are not written: CrewAI looks tools up by name in crew.py
        agent.update(_settings(own, CREWAI, agent))
        agent[BLOCK_KEY] = block_for(cast, persona)
        agents[names[persona.id]] = agent
    files = {"agents.yaml": dump_yaml(agents)}
    if scenario is not None:
        files["tasks.yaml"] = dump_yaml(_tasks(cast, scenario, names))
    return files


def _tasks(cast: Cast, scenario: Scenario, names: Mapping[str, str]) -> dict[str, Any]:
    keys: dict[str, str] = {}
    for task in scenario.task:
        keys[task.id] = unique(task.id.replace("-", "_"), keys.values())
    out: dict[str, Any] = {}
    for task in scenario.task:
        owners = cast.owners_of(task.capability)
        performer = task.assignee or (owners[0].id if owners else cast.orchestrator.id)
        entry: dict[str, Any] = {
            "description": task.summary,
            "expected_output": task.deliverable or f"The result of: {task.summary}",
            "agent": names.get(performer, performer),
        }
        if task.depends_on:
            entry["context"] = [keys[d] for d in task.depends_on if d in keys]
        if task.files:
            entry["output_file"] = task.files[0]
        out[keys[task.id]] = entry
    return out


def _demote(markdown: str, levels: int) -> str:
    """Headings pushed ``levels`` deeper (outside code fences), so a prompt nests under its agent."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"#{1,6} ", line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)


def _cell(text: str) -> str:
    return collapse(text).replace("|", "\\|")


def agents_md_text(cast: Cast, instructions: Mapping[str, Instructions]) -> str:
    """One AGENTS.md for Codex-style agents: a roster, then each agent's instructions and boundaries."""
    manifest = cast.manifest
    lines = [
        "# AGENTS.md",
        "",
        f"The agents of the {manifest.title} cast (`{manifest.name}`), generated by `rolecall export agents-md` "
        "from the cast's TOML files. Roles are defined there: change the cast and export again rather than "
        "editing this file.",
        "",
        collapse(manifest.description),
        "",
        f"{cast.orchestrator.name} ({cast.orchestrator.handle}) coordinates. Each agent does only the work it "
        "owns and hands the rest to its owner.",
        "",
        "| Agent | Handle | Title | Owns |",
        "| --- | --- | --- | --- |",
    ]
    for persona in cast.personas:
        owns = "; ".join(duties(cast, persona))
        lines.append(f"| {_cell(persona.name)} | {persona.handle} | {_cell(persona.title)} | {_cell(owns)} |")
    for persona in cast.personas:
        lines += [
            "",
            f"## {collapse(persona.name)} ({collapse(persona.title)}) {persona.handle}",
            "",
            _demote(_body(persona, instructions.get(persona.id)), 2),
            "",
            boundaries_section(cast, persona, level=3),
        ]
    return "\n".join(lines) + "\n"
