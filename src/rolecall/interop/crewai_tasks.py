"""CrewAI tasks as a rolecall scenario: one sequential phase, the tasks in the order CrewAI runs them.

A task's ``agent`` becomes its ``assignee`` and capability, ``context`` its
``depends_on`` (so the earlier tasks' output is handed over), ``expected_output``
its ``deliverable``. CrewAI has no durations and often binds agents in Python:
those values are placeholders, listed at the top of the scenario file.
"""

from __future__ import annotations

import re
from typing import Any

from rolecall.interop.boundaries import TOOL_PREFIX
from rolecall.interop.draft import BuiltCast
from rolecall.interop.instructions import normalize_body
from rolecall.interop.naming import collapse, humanize, persona_id, unique
from rolecall.interop.persona_draft import fill_in
from rolecall.interop.report import FileOutcome
from rolecall.roles.persona import Persona

__all__ = ["PLACEHOLDER_TIME", "tasks_scenario"]

PLACEHOLDER_TIME = "30m"
PHASE = "crew"

_KNOWN = {"description", "expected_output", "agent", "context", "output_file"}
_INPUT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _work(persona: Persona) -> str | None:
    """The persona's main capability: the first it owns that is not a tool."""
    return next((o.capability for o in persona.owns if not o.capability.startswith(TOOL_PREFIX)), None)


def _text(value: Any) -> str:
    return normalize_body(value) if isinstance(value, str) else ""


def _context(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def tasks_scenario(
    built: BuiltCast,
    data: dict[str, Any],
    agent_ids: dict[str, str],
    outcome: FileOutcome,
    cast_ref: str,
    file_name: str,
) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The scenario for the tasks in ``data`` and the comment lines naming what to fill in."""
    personas = {p.id: p for p in built.personas}
    lead = personas[built.manifest.orchestrator]
    placeholder = _work(lead) or next(
        (w for p in built.personas if (w := _work(p)) is not None), built.manifest.capability[0].id
    )
    tasks: list[dict[str, Any]] = []
    notes: list[str] = []
    task_ids: dict[str, str] = {}
    inputs: list[str] = []
    for key, spec in data.items():
        if not isinstance(spec, dict) or not {"description", "expected_output"} & spec.keys():
            outcome.warn(f"{key}: not a task (no description or expected_output); left out")
            continue
        index = len(tasks)
        tid = unique(persona_id(key) or f"task-{index + 1}", task_ids.values())
        summary = collapse(_text(spec.get("description")))
        if not summary:
            outcome.warn(f"{key}: no description; summary marked FILL IN")
            summary = fill_in(f"what task {key} does")
        inputs += [name for name in dict.fromkeys(_INPUT.findall(summary)) if name not in inputs]
        task: dict[str, Any] = {"id": tid, "phase": PHASE, "capability": placeholder, "summary": summary}
        task["expected_time"] = PLACEHOLDER_TIME
        agent = spec.get("agent")
        pid = agent_ids.get(str(agent)) if agent is not None else None
        performer = personas.get(pid) if pid else None
        work = _work(performer) if performer is not None else None
        if performer is not None and work is not None:
            task["capability"], task["assignee"] = work, performer.id
        else:
            if agent is not None:
                outcome.warn(f"{key}: agent '{agent}' is not an imported agent")
            notes.append(
                f"task[{index}].capability: {fill_in('no agent')} (CrewAI binds it in Python); "
                f"'{placeholder}' is a placeholder"
            )
        depends = []
        for ref in _context(spec.get("context")):
            if ref in task_ids:
                depends.append(task_ids[ref])
            else:
                outcome.warn(f"{key}.context: '{ref}' is not an earlier task; left out")
        if depends:
            task["depends_on"] = depends
        deliverable = _text(spec.get("expected_output"))
        if deliverable:
            task["deliverable"] = deliverable
        output_file = spec.get("output_file")
        if isinstance(output_file, str) and output_file.strip():
            task["files"] = [output_file.strip()]
        for extra in sorted(str(k) for k in spec.keys() - _KNOWN):
            outcome.warn(f"{key}: key '{collapse(extra)[:60]}' is not imported")
        task_ids[str(key)] = tid
        tasks.append(task)
    if not tasks:
        outcome.skip("no tasks: no entry has a description or expected_output")
        return None, ()
    outcome.result = f"scenario with {len(tasks)} task{'s' if len(tasks) != 1 else ''}"
    name = built.manifest.name
    wanted = f" (the crew's inputs: {', '.join(inputs)})" if inputs else ""
    scenario = {
        "name": name,
        "title": f"{humanize(name)} tasks",
        "request": fill_in(f"the request this crew answers{wanted}"),
        "description": f"Imported from {file_name}: CrewAI runs these tasks one after another.",
        "cast": cast_ref,
        "phase": [{"id": PHASE, "title": "Crew tasks", "mode": "sequential"}],
        "task": tasks,
    }
    head = [
        f"task[*].expected_time: {fill_in('durations')} (CrewAI has none; {PLACEHOLDER_TIME} is a placeholder)",
    ]
    return scenario, (*head, *notes)
