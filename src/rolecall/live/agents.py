"""The agents file (``orchestrator/agents.toml``): which command drives each persona in a live run.

A persona is bound to a preset (``claude``, ``gemini``, ``codex``, ``aider``,
``ollama``, ``llama-cpp``) or to a ``command``: an argument list, never a shell
line, whose ``{placeholders}`` are filled per activity. ``[defaults]`` applies
to every persona, ``[agent.<persona>]`` overrides it, ``[run]`` holds what
belongs to the run as a whole (launch stagger, concurrency, retries, working
folder). :func:`resolve_agents` checks the file against the cast and returns one
:class:`Binding` per persona, or every problem at once.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationError, WithJsonSchema, model_validator

from rolecall._messages import did_you_mean
from rolecall._model import FileModel, Identifier, Text
from rolecall._toml import TomlDocument
from rolecall.errors import InputError, Problem
from rolecall.live.presets import PLACEHOLDERS, PRESETS, OutputFormat, PresetName, expand, placeholders_in

_ProblemFn = Callable[[str, str], Problem]
_BRACED = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def _stray_brace(value: str) -> bool:
    """A ``{`` or ``}`` that is neither a placeholder nor doubled: a typo that would reach the command as is."""
    rest = _BRACED.sub("", value)
    return "{" in rest or "}" in rest


__all__ = [
    "AgentSettings",
    "AgentsFile",
    "Binding",
    "RunSettings",
    "agents_from_document",
    "problems_beside_values",
    "resolve_agents",
]

_SECONDS = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec)?)?\s*$"
)
_BYTES = re.compile(r"^\s*(?P<n>\d+)\s*(?P<unit>|b|kb|kib|mb|mib|gb|gib)\s*$")
_UNITS = {"": 1, "b": 1, "kb": 1024, "kib": 1024, "mb": 1024**2, "mib": 1024**2, "gb": 1024**3, "gib": 1024**3}


def _parse_seconds(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a duration; write seconds (30) or '30s', '5m', '1h30m'")
    if isinstance(value, str):
        match = _SECONDS.match(value.lower())
        if not value.strip() or not match or not any(match.groups()):
            raise ValueError(f"'{value}' is not a duration; write seconds (30) or '30s', '5m', '1h30m'")
        return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + float(match["s"] or 0)
    if isinstance(value, int):
        return float(value)
    return value


def _parse_bytes(value: object) -> object:
    if isinstance(value, str):
        match = _BYTES.match(value.lower())
        if not match:
            raise ValueError(f"'{value}' is not a size; write bytes (1000000) or '512KB', '16MB', '1GB'")
        return int(match["n"]) * _UNITS[match["unit"]]
    return value


Seconds = Annotated[
    float,
    BeforeValidator(_parse_seconds),
    Field(gt=0, le=7 * 24 * 3600),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string"}],
            "description": "Wall-clock seconds: 30, '30s', '5m', '1h30m'.",
        }
    ),
]
"""A wall-clock duration in seconds (live runs measure real time, replays virtual minutes)."""

Pause = Annotated[
    float,
    BeforeValidator(_parse_seconds),
    Field(ge=0, le=3600),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
            "description": "Wall-clock seconds, 0 for none: 2, '2s', '0.5s'.",
        }
    ),
]
"""A pause that may be zero (the launch stagger)."""


def _argument_list(value: object) -> object:
    if isinstance(value, str):
        import shlex

        try:
            words = shlex.split(value)
        except ValueError:
            words = value.split()
        suggestion = "[" + ", ".join(f'"{w}"' for w in words) + "]"
        raise ValueError(f"a command is a list of arguments, never a shell line; write {suggestion}")
    return value


Bytes = Annotated[
    int,
    BeforeValidator(_parse_bytes),
    Field(ge=1024),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1024}, {"type": "string"}], "description": "Bytes: '16MB', '512KB'."}
    ),
]


class AgentSettings(FileModel):
    """How one persona's agent is started and watched; unset fields come from ``[defaults]``."""

    preset: PresetName | None = Field(default=None, description="A known agent CLI: its command and output format.")
    command: Annotated[tuple[Text, ...] | None, BeforeValidator(_argument_list)] = Field(
        default=None,
        min_length=1,
        description="An argument list (never run through a shell). Placeholders: {prompt_file}, {system_file}, "
        "{workdir}, {model}, {python} (this Python), {here} (the agents file's folder).",
    )
    output: OutputFormat | None = Field(
        default=None, description="How the command's standard output is read: a preset's format or 'text'."
    )
    stdin: Literal["prompt", "none"] | None = Field(
        default=None, description="'prompt': the task prompt is the command's standard input; 'none': nothing."
    )
    system: Literal["argv", "env", "prompt"] | None = Field(
        default=None,
        description="How the persona's system prompt reaches the agent: a {system_file} placeholder in the "
        "command or env, or ('prompt') written at the top of the task prompt.",
    )
    model: str | None = Field(default=None, description="Fills {model}; ollama and llama-cpp need one.")
    env: dict[str, str] | None = Field(default=None, description="Extra environment variables (placeholders allowed).")
    timeout: Seconds | None = Field(default=None, description="Wall-clock limit per activity (default 30m).")
    idle_timeout: Seconds | None = Field(
        default=None, description="Stop an agent that prints nothing for this long (default 5m)."
    )
    output_cap: Bytes | None = Field(default=None, description="Stop an agent that prints more than this (16MB).")

    @model_validator(mode="after")
    def _one_source(self) -> AgentSettings:
        if self.preset is not None and self.command is not None:
            raise ValueError("give either preset or command, not both")
        return self


def _workdir(value: object) -> object:
    if isinstance(value, str):
        if _stray_brace(value):
            raise ValueError("unbalanced brace; a working folder may use only {run}")
        unknown = placeholders_in(value) - {"run"}
        if unknown:
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; a working folder may use only {{run}}")
    return value


class RunSettings(FileModel):
    """What belongs to the live run as a whole."""

    stagger: Pause = Field(
        default=2.0,
        description="Seconds between two agent launches: CLI agents started together race on their shared "
        "config files (Claude Code's ~/.claude.json, Gemini CLI's projects.json).",
    )
    concurrency: int = Field(default=4, ge=1, le=64, description="Agents running at once, at most.")
    retries: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Attempts a persona gets again after a failure before the fallback chain; "
        "default: the scenario's max_attempts - 1.",
    )
    workdir: Annotated[str, BeforeValidator(_workdir)] = Field(
        default=".",
        description="The folder agents work in, relative to the folder rolecall runs in; '{run}/workdir' "
        "is a fresh folder inside the run folder.",
    )


class AgentsFile(FileModel):
    run: RunSettings = RunSettings()
    defaults: AgentSettings = AgentSettings()
    agent: dict[Identifier, AgentSettings] = Field(
        default_factory=dict, description="Per persona id: settings that override [defaults]."
    )


@dataclass(frozen=True, slots=True)
class Binding:
    """A persona's agent, every setting resolved."""

    persona: str
    label: str
    """The preset's name, or ``command`` for a command of the user's own."""
    command: tuple[str, ...]
    output: OutputFormat
    stdin: Literal["prompt", "none"]
    system: Literal["argv", "env", "prompt"]
    model: str
    env: tuple[tuple[str, str], ...]
    timeout: float
    idle_timeout: float
    output_cap: int


_DEFAULT_TIMEOUT = 30 * 60.0
_DEFAULT_IDLE = 5 * 60.0
_DEFAULT_CAP = 16 * 1024 * 1024


def agents_from_document(doc: TomlDocument, personas: Mapping[str, str] | None = None) -> AgentsFile:
    """The agents file of ``doc``; with the cast's ``personas``, a table naming none of them is reported
    together with the file's other problems, not in a second round."""
    try:
        return doc.validate(AgentsFile)
    except InputError as exc:
        if personas is None:
            raise
        tables = doc.data.get("agent")
        unknown = [k for k in tables if k not in personas] if isinstance(tables, dict) else []
        extra = [doc.problem(f"no persona '{k}' in the cast{did_you_mean(k, personas)}", f"agent.{k}") for k in unknown]
        raise InputError([*exc.problems, *extra]) from None


def problems_beside_values(
    doc: TomlDocument, personas: Mapping[str, str], value_problems: Sequence[Problem], here: Path | None = None
) -> list[Problem]:
    """The problems :func:`resolve_agents` finds in the parts of ``doc`` that ``value_problems`` leave alone.

    So an agents file with a wrong value is fixed in one pass: each table holding
    one (``[run]``, ``[agent.<id>]``, a stray top-level key) is set aside, and the
    rest is bound, placeholders and programs checked. A wrong value in
    ``[defaults]``, which every persona's binding rests on, leaves nothing to check.
    """
    aside: set[str] = set()
    for problem in value_problems:
        parts = problem.field.split(".")
        head = parts[0].split("[")[0]
        if not head or head == "defaults" or (head == "agent" and len(parts) == 1):
            return []
        aside.add(f"agent.{parts[1]}" if head == "agent" else head)
    data = doc.data
    repaired = {key: value for key, value in data.items() if key not in aside}
    tables = data.get("agent")
    if isinstance(tables, dict):
        repaired["agent"] = {k: v for k, v in tables.items() if f"agent.{k}" not in aside}
    try:
        stand_in = AgentsFile.model_validate(repaired)
    except (ValidationError, RecursionError):
        return []
    bound = {p: name for p, name in personas.items() if f"agent.{p}" not in aside}
    try:
        resolve_agents(stand_in, bound, doc, here)
    except InputError as exc:
        return [p for p in exc.problems if p not in value_problems]
    return []


def resolve_agents(
    agents: AgentsFile, personas: Mapping[str, str], doc: TomlDocument | None = None, here: Path | None = None
) -> dict[str, Binding]:
    """One binding per persona of the cast (``personas``: id -> name); every problem raised together.

    With ``here`` (the agents file's folder, for ``{here}``), every command must
    also be installed: a program that is not, is one problem naming it and the
    personas that need it, at the line that binds them.
    """

    def problem(message: str, field: str) -> Problem:
        return doc.problem(message, field) if doc is not None else Problem(None, message, field)

    problems: list[Problem] = []
    for persona_id in agents.agent:
        if persona_id not in personas:
            hint = did_you_mean(persona_id, personas)
            problems.append(problem(f"no persona '{persona_id}' in the cast{hint}", f"agent.{persona_id}"))
    bindings: dict[str, Binding] = {}
    defaults = agents.defaults
    for persona_id in personas:
        own = agents.agent.get(persona_id)
        where = f"agent.{persona_id}" if own is not None and (own.preset or own.command) else "defaults"
        binding = _bind(persona_id, defaults, own, where, problem, problems)
        if binding is not None:
            bindings[persona_id] = binding
    if here is not None:
        problems += _missing_programs(agents, bindings, here, problem)
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a [defaults] mistake is said once, not per persona
    return bindings


def _missing_programs(
    agents: AgentsFile, bindings: Mapping[str, Binding], here: Path, problem: _ProblemFn
) -> list[Problem]:
    needed: dict[tuple[str, str, str], list[str]] = {}
    values = {"prompt_file": "", "system_file": "", "workdir": "", "python": sys.executable, "here": str(here)}
    for persona, binding in bindings.items():
        try:
            program = expand(binding.command[:1], {**values, "model": binding.model})[0]
        except ValueError:
            continue  # already reported as a placeholder problem
        if _installed(program):
            continue
        own = agents.agent.get(persona)
        table = f"agent.{persona}" if own is not None and (own.preset or own.command) else "defaults"
        field = f"{table}.command[0]" if binding.label == "command" else f"{table}.preset"
        needed.setdefault((program, binding.label, field), []).append(persona)
    out: list[Problem] = []
    for (program, label, field), personas in needed.items():
        what = "is not an executable file" if "/" in program else "is not on PATH"
        via = "" if label == "command" else f" (the {label} preset)"
        who = ", ".join(f"'{p}'" for p in personas)
        noun = "persona" if len(personas) == 1 else "personas"
        out.append(problem(f"command '{program}'{via} {what}; needed by {noun} {who}", field))
    return out


def _installed(program: str) -> bool:
    if "/" in program:
        path = Path(program)
        return path.is_file() and os.access(path, os.X_OK)
    return shutil.which(program) is not None


def _env_problems(
    persona_id: str, defaults: AgentSettings, own: AgentSettings | None, problem: _ProblemFn
) -> list[Problem]:
    problems: list[Problem] = []
    env_values = {**(defaults.env or {}), **((own.env if own is not None else None) or {})}
    for key, value in env_values.items():
        mine = own is not None and own.env is not None and key in own.env
        where_env = f"agent.{persona_id}.env.{key}" if mine else f"defaults.env.{key}"
        if _stray_brace(value):
            stray = f"unbalanced brace in {value!r}; write {{{{ or }}}} for a literal brace"
            problems.append(problem(stray, where_env))
        unknown = placeholders_in(value) - PLACEHOLDERS
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
            problems.append(problem(f"unknown placeholder {{{sorted(unknown)[0]}}}; known: {known}", where_env))
    return problems


def _bind(
    persona_id: str,
    defaults: AgentSettings,
    own: AgentSettings | None,
    where: str,
    problem: _ProblemFn,
    problems: list[Problem],
) -> Binding | None:
    def pick(name: str) -> object:
        value = getattr(own, name) if own is not None else None
        return value if value is not None else getattr(defaults, name)

    preset_name = own.preset if own is not None and (own.preset or own.command) else defaults.preset
    command = own.command if own is not None and (own.preset or own.command) else defaults.command
    if preset_name is None and command is None:
        problems.append(
            problem(
                f"persona '{persona_id}' has no agent: add [agent.{persona_id}] with a preset or a command, "
                "or set one in [defaults]",
                "agent",
            )
        )
        return None
    preset = PRESETS[preset_name] if preset_name is not None else None
    argv = preset.command if preset is not None else tuple(command or ())
    before = len(problems)
    for k, arg in enumerate(argv):
        if _stray_brace(arg):
            problems.append(
                problem(f"unbalanced brace in {arg!r}; write {{{{ or }}}} for a literal brace", f"{where}.command[{k}]")
            )
        unknown = placeholders_in(arg) - PLACEHOLDERS
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
            problems.append(
                problem(f"unknown placeholder {{{sorted(unknown)[0]}}}; known: {known}", f"{where}.command[{k}]")
            )
    model = pick("model")
    if preset is not None and preset.needs_model and not model:
        problems.append(
            problem(f"the {preset.name} preset needs a model: add model = \"...\" for '{persona_id}'", where)
        )
    blocking = len(problems) > before
    problems += _env_problems(persona_id, defaults, own, problem)  # reported whatever else is wrong
    if blocking:
        return None
    env_own = own.env if own is not None and own.env is not None else None
    env = {**dict(preset.env if preset is not None else ()), **(defaults.env or {}), **(env_own or {})}
    output = pick("output") or (preset.output if preset is not None else "text")
    stdin = pick("stdin") or (preset.stdin if preset is not None else "prompt")
    system = pick("system") or (preset.system if preset is not None else "prompt")
    timeout = pick("timeout")
    idle = pick("idle_timeout")
    cap = pick("output_cap")
    return Binding(
        persona=persona_id,
        label=preset.name if preset is not None else "command",
        command=argv,
        output=output,  # type: ignore[arg-type]
        stdin=stdin,  # type: ignore[arg-type]
        system=system,  # type: ignore[arg-type]
        model=str(model or ""),
        env=tuple(sorted(env.items())),
        timeout=float(timeout) if isinstance(timeout, float | int) else _DEFAULT_TIMEOUT,
        idle_timeout=float(idle) if isinstance(idle, float | int) else _DEFAULT_IDLE,
        output_cap=cap if isinstance(cap, int) else _DEFAULT_CAP,
    )


def default_agents_file(cwd: Path | None = None) -> Path:
    """``orchestrator/agents.toml`` in the working folder: where a live run looks without ``--agents``."""
    base = cwd if cwd is not None else Path()
    return base / "orchestrator" / "agents.toml"
