"""The tools an agent may use, as ``tool.*`` capabilities owned by each persona that has them.

Claude Code's ``tools`` and a CrewAI agent's ``tools`` say what the agent may
do; holding them as capabilities keeps them in the cast, where an export finds
them again. The tool's own spelling is kept as the ``owns`` phrase.
"""

from __future__ import annotations

from typing import Any

from rolecall.interop.boundaries import TOOL_PREFIX
from rolecall.interop.draft import CastDraft
from rolecall.interop.naming import capability_segment
from rolecall.interop.persona_draft import DraftPersona
from rolecall.interop.report import FileOutcome
from rolecall.interop.yamlvalues import text_value
from rolecall.roles.catalogue import Capability

__all__ = ["add_tools", "parse_tools"]


def parse_tools(value: Any, outcome: FileOutcome, where: str = "tools") -> list[str]:
    """A comma-separated string or a list of names, each once, in the order written."""
    if value is None:
        return []
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        outcome.warn(f"{where}: expected a comma-separated string or a list, got {type(value).__name__}; left out")
        return []
    tools = [text_value(item) for item in items]
    return list(dict.fromkeys(t for t in tools if t))


def add_tools(draft: CastDraft, persona: DraftPersona, tools: list[str], outcome: FileOutcome) -> None:
    for tool in tools:
        segment = capability_segment(tool, limit=80)
        if not segment:
            outcome.warn(f"tools: '{tool}' gives no usable capability id; left out")
            continue
        cap_id = TOOL_PREFIX + segment
        draft.declare(Capability(id=cap_id, description=f"May use the {tool} tool"))
        persona.own(cap_id, tool)
