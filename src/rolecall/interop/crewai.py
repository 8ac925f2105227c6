"""Importing a CrewAI config folder: ``agents.yaml`` into a cast, ``tasks.yaml`` into a scenario.

An agent (``role``, ``goal``, ``backstory``) becomes a persona: the role is
its title and its capability's phrase, the goal its prose role and the
capability's description, the backstory its identity. Settings rolecall does
not model (``llm``, ``verbose``...) go to ``instructions/<id>.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolecall.errors import InputError
from rolecall.files.reading import os_reason
from rolecall.interop.crewai_tasks import tasks_scenario
from rolecall.interop.draft import CastDraft
from rolecall.interop.embedded import BLOCK_KEY, RolecallBlock, read_block
from rolecall.interop.frontmatter import YamlRead, read_yaml
from rolecall.interop.imported import Imported, ImportOptions, finish_import
from rolecall.interop.instructions import Instructions, normalize_body
from rolecall.interop.naming import core_phrase, humanize, keywords_for, persona_id, unique
from rolecall.interop.persona_draft import DraftPersona, fill_in
from rolecall.interop.report import FileOutcome, ImportReport
from rolecall.interop.roundtrip import ExportedCast
from rolecall.interop.sources import SourceFile, read_source
from rolecall.interop.yamlvalues import text_value

__all__ = ["TOOL", "CrewFiles", "find_crew_files", "import_crewai", "read_mapping"]

TOOL = "crewai"

_AGENT_KEYS = ("role", "goal", "backstory")
_AGENT_NAMES = ("agents", "crew")
_TASK_NAMES = ("tasks", "task")
_YAML = (".yaml", ".yml")


@dataclass(frozen=True)
class CrewFiles:
    agents: SourceFile
    tasks: SourceFile | None
    others: tuple[SourceFile, ...] = ()


def _pick(files: list[Path], names: tuple[str, ...]) -> Path | None:
    for name in names:
        for path in files:
            if path.stem.lower() == name:
                return path
    return None


def _tasks_beside(agents: Path) -> Path | None:
    """``HPagents.yaml`` -> ``HPTasks.yaml``; ``crew.yaml`` -> ``task.yaml`` (any case)."""
    stem = agents.stem.lower()
    for word, other in (("agents", "tasks"), ("crew", "task")):
        if stem.endswith(word):
            wanted = stem[: -len(word)] + other
            for sibling in sorted(agents.parent.iterdir()):
                if sibling.is_file() and sibling.suffix.lower() in _YAML and sibling.stem.lower() == wanted:
                    return sibling
    return None


def find_crew_files(path: Path, tasks: Path | None = None) -> CrewFiles:
    """The agents file and its tasks file: ``path`` is a config folder or an agents file."""
    try:
        return _find(path, tasks)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else path
        raise InputError.single(where, f"cannot read: {os_reason(exc)}") from None


def _find(path: Path, tasks: Path | None) -> CrewFiles:
    if path.is_file():
        agents_path = path
        others: list[Path] = []
    elif path.is_dir():
        yamls = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _YAML)
        candidates = [p for p in yamls if p.stem.lower().endswith(_AGENT_NAMES)]
        found = _pick(yamls, _AGENT_NAMES) or (candidates[0] if len(candidates) == 1 else None)
        if found is None:
            listed = ", ".join(p.name for p in yamls) or "no YAML files"
            raise InputError.single(path, f"no agents.yaml or crew.yaml in this folder ({listed})")
        agents_path = found
        others = yamls
    elif not path.exists():
        raise InputError.single(path, "does not exist")
    else:
        raise InputError.single(path, "is neither a file nor a folder")
    tasks_path = tasks or (_pick(others, _TASK_NAMES) if path.is_dir() else None) or _tasks_beside(agents_path)
    rest = tuple(
        read_source(p, p.name) for p in others if p not in (agents_path, tasks_path) and not p.name.startswith(".")
    )
    return CrewFiles(
        read_source(agents_path, agents_path.name),
        read_source(tasks_path, tasks_path.name) if tasks_path else None,
        rest,
    )


def read_mapping(source: SourceFile, outcome: FileOutcome) -> dict[str, Any] | None:
    """The top-level mapping of a YAML file, or None (and the file skipped with the reason)."""
    if source.text is None:
        outcome.skip(source.problem)
        return None
    read = read_yaml(source.text, what="the file")
    if not isinstance(read, YamlRead):
        outcome.skip(read)
        return None
    for warning in read.warnings:
        outcome.warn(warning)
    return read.data


def _add_agent(draft: CastDraft, key: str, spec: dict[str, Any], outcome: FileOutcome) -> str:
    base = persona_id(key) or "agent"
    pid = unique(base, draft.taken_ids())
    if pid != base:
        outcome.warn(f"{key}: id '{base}' is already used; imported as '{pid}'")
    role, goal = text_value(spec.get("role")), text_value(spec.get("goal"))
    backstory = spec.get("backstory")
    identity = normalize_body(backstory) if isinstance(backstory, str) else ""
    for missing in (k for k in _AGENT_KEYS if not text_value(spec.get(k))):
        outcome.warn(f"{key}: no {missing}" + ("; marked FILL IN" if missing == "goal" else ""))
    work = goal or fill_in(f"what {key} is for (the agent has no goal)")
    cap_id = draft.capability(pid, core_phrase(role) if role else "", work, keywords=keywords_for(role) if role else ())
    # tools too: CrewAI resolves them by name in crew.py, so they go back to CrewAI as written
    settings = {k: v for k, v in spec.items() if k not in (*_AGENT_KEYS, BLOCK_KEY)}
    persona = DraftPersona(
        id=pid,
        source=outcome.name,
        name=humanize(key),
        title=role or humanize(key),
        role=work,
        identity=identity,
        owns=[(cap_id, role)],
        instructions=Instructions("", {TOOL: settings}) if settings else None,
    )
    draft.add(persona)
    return pid


def _agents(draft: CastDraft, exported: ExportedCast, data: dict[str, Any], outcome: FileOutcome) -> dict[str, str]:
    """Add every agent of an agents file; return the map from agent key to persona id."""
    ids: dict[str, str] = {}
    for key, spec in data.items():
        if not isinstance(spec, dict) or not (set(_AGENT_KEYS) | {BLOCK_KEY}) & spec.keys():
            outcome.warn(f"{key}: not an agent (no role, goal or backstory); left out")
            continue
        if BLOCK_KEY in spec:
            block = read_block(spec[BLOCK_KEY])
            if isinstance(block, RolecallBlock):
                settings = {k: v for k, v in spec.items() if k not in (*_AGENT_KEYS, BLOCK_KEY)}
                backstory = spec.get("backstory")
                text = backstory if isinstance(backstory, str) else ""
                if exported.add(draft, block, outcome, text, settings, TOOL):
                    ids[key] = block.persona.id
                else:
                    outcome.warn(f"{key}: duplicate persona '{block.persona.id}'; left out")
                continue
            outcome.warn(f"{key}: {BLOCK_KEY} block left out ({block}); read as a plain agent")
        ids[key] = _add_agent(draft, key, spec, outcome)
    return ids


def import_crewai(files: CrewFiles, options: ImportOptions, cast_ref: str) -> Imported:
    """Agents into a cast; tasks (with ``agent`` and ``context``) into a scenario whose ``cast`` is ``cast_ref``."""
    report = ImportReport()
    draft = CastDraft(report)
    exported = ExportedCast()
    outcome = report.file(files.agents.name)
    data = read_mapping(files.agents, outcome)
    ids = _agents(draft, exported, data, outcome) if data is not None else {}
    if data is not None and not ids:
        outcome.skip("no agents: no entry has a role, goal or backstory")
    elif ids:
        outcome.result = f"{len(ids)} agent{'s' if len(ids) != 1 else ''}: {', '.join(ids.values())}"
    for other in files.others:
        if other.stem.lower().endswith(_AGENT_NAMES):
            report.file(other.name).skip("another crew's agents file: import it on its own, by its path")
        else:
            report.file(other.name).skip("not this crew's agents or tasks file")
    built = finish_import(draft, options, "CrewAI agents", exported)
    scenario: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()
    if files.tasks is not None:
        tasks_outcome = report.file(files.tasks.name)
        tasks = read_mapping(files.tasks, tasks_outcome)
        if built is None and tasks is not None:
            tasks_outcome.skip("no agents were imported, so the tasks have no cast")
        elif built is not None and tasks is not None:
            scenario, notes = tasks_scenario(built, tasks, ids, tasks_outcome, cast_ref, files.tasks.name)
    return Imported(TOOL, options.source, built, report, scenario, notes)
