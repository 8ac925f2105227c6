"""The CLI agents a live run can drive, and how to read what each one prints.

A :class:`Preset` is an argument list with ``{placeholders}`` plus the few facts
rolecall needs to run it headless: what its standard input is, how the persona's
system prompt reaches it, and which output format its standard output is in.
Prompts travel through standard input or files, never as an argument: Linux
limits one argument to 128 KiB and a task prompt carries the deliverables of
the tasks it depends on.

:func:`read_answer` turns that output into an :class:`AgentAnswer`. It trusts
the agent's own final event over its exit code, because the agents disagree
with their exit codes in documented ways: Claude Code exits 0 with
``is_error`` on a rate limit, Codex exits 0 after ``turn.failed``, aider exits 0
on fatal API errors, and Claude Code can hang after it has printed ``result``.
:func:`ends_answer` recognises that final event line by line, so a runner can
stop an agent that hangs after answering and still keep the answer.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "PLACEHOLDERS",
    "PRESETS",
    "AgentAnswer",
    "OutputFormat",
    "Preset",
    "PresetName",
    "ends_answer",
    "expand",
    "placeholders_in",
    "read_answer",
]

OutputFormat = Literal["claude", "gemini", "codex", "aider", "text"]
PresetName = Literal["claude", "gemini", "codex", "aider", "ollama", "llama-cpp"]
PLACEHOLDERS: frozenset[str] = frozenset({"prompt_file", "system_file", "workdir", "model", "python", "here"})


@dataclass(frozen=True, slots=True)
class Preset:
    """How to run one CLI agent headless, and how to read its standard output."""

    name: PresetName
    command: tuple[str, ...]
    """The argument list; elements may hold ``{placeholder}`` fields from :data:`PLACEHOLDERS`."""
    output: OutputFormat
    stdin: Literal["prompt", "none"]
    """``prompt``: the task prompt file is the child's standard input; ``none``: it reads ``/dev/null``."""
    system: Literal["argv", "env", "prompt"]
    """How the persona's system prompt arrives: a ``{system_file}`` in the command, in ``env``, or
    (``prompt``) written by rolecall at the top of the task prompt."""
    env: tuple[tuple[str, str], ...] = ()
    needs_model: bool = False
    summary: str = ""


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        preset.name: preset
        for preset in (
            # --append-system-prompt-file, not --system-prompt-file: replacing the prompt drops Claude
            # Code's own tool and safety guidance, and a persona is a role on top of a coding agent.
            # In print mode nobody is there to approve an edit, so writes need acceptEdits; a denied
            # tool does not even fail the run (is_error stays false, anthropics/claude-code #76867).
            Preset(
                name="claude",
                command=(
                    "claude", "-p", "--output-format", "stream-json", "--verbose",
                    "--append-system-prompt-file", "{system_file}", "--permission-mode", "acceptEdits",
                ),
                output="claude",
                stdin="prompt",
                system="argv",
                summary="Claude Code in print mode (claude -p), read as stream-json events",
            ),
            # GEMINI_SYSTEM_MD replaces Gemini CLI's whole built-in system prompt, tool guidance
            # included, and there is no flag that appends; so the persona goes at the top of the task
            # prompt. Headless mode starts because standard input is not a terminal. Non-interactive
            # runs deny every tool that needs approval unless the approval mode allows it.
            Preset(
                name="gemini",
                command=("gemini", "--output-format", "stream-json", "--approval-mode", "auto_edit"),
                output="gemini",
                stdin="prompt",
                system="prompt",
                summary="Gemini CLI headless, read as stream-json events",
            ),
            # The trailing "-" reads the prompt from standard input, which rolecall closes: an open
            # pipe makes codex exec wait forever for more input. exec is read-only unless told
            # otherwise, and refuses to start outside a git repository without the skip flag.
            Preset(
                name="codex",
                command=(
                    "codex", "exec", "--json", "--skip-git-repo-check", "--sandbox", "workspace-write",
                    "-C", "{workdir}", "-",
                ),
                output="codex",
                stdin="prompt",
                system="prompt",
                summary="OpenAI Codex CLI (codex exec --json), read as JSONL events",
            ),
            # aider has no system prompt flag; a read-only --read file is how conventions reach it.
            Preset(
                name="aider",
                command=(
                    "aider", "--message-file", "{prompt_file}", "--read", "{system_file}", "--yes-always",
                    "--no-auto-commits", "--no-stream", "--no-pretty",
                ),
                output="aider",
                stdin="none",
                system="argv",
                summary="aider on one message file, edits applied without asking and never committed",
            ),
            # ollama run takes its system prompt only from a Modelfile, hence "prompt". A thinking
            # model prints its thoughts to standard output unless they are hidden.
            Preset(
                name="ollama",
                command=("ollama", "run", "{model}", "--nowordwrap", "--hidethinking"),
                output="text",
                stdin="prompt",
                system="prompt",
                needs_model=True,
                summary="a local model through ollama run: one text answer, no tools",
            ),
            # Current llama.cpp split llama-cli into a chat interface that rejects --no-conversation
            # and echoes a banner on standard output, and llama-completion, the one-shot tool. Its
            # documented one-shot form is a single conversation turn, which also applies the chat
            # template and the system prompt; -no-cnv would ignore -sysf.
            Preset(
                name="llama-cpp",
                command=(
                    "llama-completion", "-m", "{model}", "--jinja", "-st", "-sysf", "{system_file}",
                    "-f", "{prompt_file}", "--no-display-prompt", "--simple-io",
                ),
                output="text",
                stdin="none",
                system="argv",
                needs_model=True,
                summary="a local GGUF model through llama.cpp's llama-completion: one text answer, no tools",
            ),
        )
    }
)  # fmt: skip

# As in the handoff templates, {{ and }} are literal braces and {name} is a field. Unlike them, a
# brace that belongs to neither stays literal: placeholders_in then names everything expand can
# fail on, so checking a command's placeholders before a run is the whole check.
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders_in(arg: str) -> frozenset[str]:
    """The placeholder names one argument uses, so that a user's command can be checked before a run."""
    return frozenset(match.group(1).strip() for match in _FIELD.finditer(arg) if match.group(1) is not None)


def expand(template: Sequence[str], values: Mapping[str, str]) -> tuple[str, ...]:
    """Fill every ``{name}`` of every argument; raises ValueError naming a placeholder without a value."""
    return tuple(_expand_one(arg, values) for arg in template)


def _expand_one(arg: str, values: Mapping[str, str]) -> str:
    parts: list[str] = []
    pos = 0
    for match in _FIELD.finditer(arg):
        parts.append(arg[pos : match.start()])
        pos = match.end()
        if match.group(1) is None:
            parts.append(match.group(0)[0])
            continue
        name = match.group(1).strip()
        if name in values:
            parts.append(values[name])
        elif name in PLACEHOLDERS:
            raise ValueError(f"the placeholder {{{name}}} in {arg!r} has no value for this agent")
        else:
            known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS | values.keys()))
            raise ValueError(
                f"unknown placeholder {{{name}}} in {arg!r}; known: {known} (write {{{{ and }}}} for a literal brace)"
            )
    parts.append(arg[pos:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class AgentAnswer:
    """What an agent's run came to, read from its own output."""

    ok: bool
    text: str = ""
    """The agent's final answer: what becomes the deliverable (also kept, partial, when not ok)."""
    error: str = ""
    """Why the run failed, as one plain sentence; empty when ``ok``."""
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    files: tuple[str, ...] = ()
    """Files the agent itself reports changing (Codex ``file_change`` items), as it wrote the paths."""
    final_seen: bool = False
    """The format's final event was read: ``result`` (Claude Code, Gemini CLI), ``turn.completed`` or
    ``turn.failed`` (Codex)."""


_FINAL_EVENTS: dict[str, tuple[str, ...]] = {
    "claude": ("result",),
    "gemini": ("result",),
    "codex": ("turn.completed", "turn.failed"),
}


def ends_answer(output: OutputFormat, line: str) -> bool:
    """Whether one line of standard output is its format's final event; never raises."""
    finals = _FINAL_EVENTS.get(output)
    if not finals:
        return False
    text = line.strip()
    # Cheap test first: a runner calls this on every line, and most lines are not final.
    if not text.startswith("{") or not any(f'"{final}"' in text for final in finals):
        return False
    event = _loads(text)
    return isinstance(event, dict) and event.get("type") in finals


def read_answer(output: OutputFormat, stdout: str, exit_code: int | None) -> AgentAnswer:
    """Read an agent's whole standard output; ``exit_code`` None means rolecall stopped the process.

    For the JSON formats the final event decides: a successful ``result`` or ``turn.completed``
    makes the answer ok even when the process then hung and was stopped, or exited non-zero;
    without one the answer fails whatever the exit code. Never raises: any input gives an answer.
    """
    reader = _READERS.get(output)
    if reader is None:
        return AgentAnswer(False, error=f"rolecall cannot read the output format {output!r}")
    try:
        return reader(stdout, exit_code)
    except Exception as exc:
        # Agent output is untrusted; a reading bug must fail one activity, not the whole run.
        return AgentAnswer(False, error=f"rolecall could not read the agent's output ({type(exc).__name__})")


# --- reading helpers -----------------------------------------------------------------------------------

_CLIP = 300


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: deeply nested garbage such as "[[[[..."
        return None


def _events(stdout: str) -> list[dict[str, Any]]:
    """The JSON objects of an NDJSON stream; lines that are not JSON (warnings, logs) are skipped.

    Split on newlines only: str.splitlines() would also split on U+2028, which JSON.stringify
    leaves raw inside strings. When no line is an event, the whole output is tried as one JSON
    document: Claude Code's ``--output-format json`` prints an object, or with --verbose an array.
    """
    events: list[dict[str, Any]] = []
    for line in stdout.split("\n"):
        text = line.strip()
        if text.startswith("{"):
            event = _loads(text)
            if isinstance(event, dict):
                events.append(event)
    if any(isinstance(event.get("type"), str) for event in events):
        return events
    whole = stdout.strip()
    if whole.startswith(("{", "[")):
        document = _loads(whole)
        if isinstance(document, dict):
            return [document]
        if isinstance(document, list):
            return [event for event in document if isinstance(event, dict)]
    return events


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _money(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        amount = float(value)
    except OverflowError:  # JSON integers have no size limit
        return None
    return amount if math.isfinite(amount) and amount >= 0 else None


def _add(total: int | None, value: int | None) -> int | None:
    return value if total is None else total if value is None else total + value


def _clip(text: str) -> str:
    """One line of at most a few hundred characters: errors end up in transcripts and terminals."""
    flat = " ".join(text.split()).rstrip(" .")
    return flat if len(flat) <= _CLIP else flat[: _CLIP - 1].rstrip() + "…"


def _exit(exit_code: int | None, names: Mapping[int, str] | None = None) -> str:
    if exit_code is None:
        return "stopped by rolecall"
    name = (names or {}).get(exit_code)
    return f"exit {exit_code}: {name}" if name else f"exit {exit_code}"


def _reported(message: str, detail: str) -> str:
    return f"the agent reported an error: {_clip(message) or 'no reason given'} ({_clip(detail)})"


def _no_final(what: str, exit_code: int | None, said: str = "", names: Mapping[int, str] | None = None) -> str:
    if exit_code is None:
        error = f"the agent was stopped with no {what}"
    else:
        error = f"the agent ended with no {what} ({_exit(exit_code, names)})"
    return f"{error}; it said: {_clip(said)}" if said.strip() else error


def _empty(detail: str) -> str:
    return f"the agent gave an empty answer ({detail})"


# --- Claude Code -------------------------------------------------------------------------------------

_CLAUDE_SUBTYPES = {
    "error_max_turns": "it reached its turn limit",
    "error_max_budget_usd": "it reached its budget limit",
    "error_during_execution": "it failed while running",
}


def _read_claude(stdout: str, exit_code: int | None) -> AgentAnswer:
    result: dict[str, Any] | None = None
    texts: list[str] = []
    said = ""
    for event in _events(stdout):
        kind = event.get("type")
        if kind == "result":
            result = event
        # Subagents' messages carry the tool call they answer; only the main thread is the answer.
        elif kind == "assistant" and event.get("parent_tool_use_id") is None:
            content = _obj(event.get("message")).get("content")
            blocks = content if isinstance(content, list) else []
            texts.extend(_str(b.get("text")) for b in blocks if isinstance(b, dict) and b.get("type") == "text")
            said = _str(event.get("error")) or said
    streamed = "\n\n".join(t for t in texts if t.strip())
    if result is None:
        return AgentAnswer(False, streamed, _no_final("result event", exit_code, said))
    is_error = result.get("is_error") is True
    subtype = result.get("subtype")
    usage = _obj(result.get("usage"))
    cost = _money(result.get("total_cost_usd"))
    answer = AgentAnswer(
        ok=False,
        text=_str(result.get("result")) or streamed,
        cost_usd=cost if cost is not None else _money(result.get("cost_usd")),
        input_tokens=_count(usage.get("input_tokens")),
        output_tokens=_count(usage.get("output_tokens")),
        final_seen=True,
    )
    if not is_error and subtype in (None, "success"):
        if not answer.text.strip():
            return _replace(answer, error=_empty(f"result success, {_exit(exit_code)}"))
        return _replace(answer, ok=True)
    errors = result.get("errors")
    listed = [_str(e) or _str(_obj(e).get("message")) for e in errors] if isinstance(errors, list) else []
    subtype_text = _str(subtype)
    message = (
        _str(result.get("result"))
        or "; ".join(e for e in listed if e)
        or _CLAUDE_SUBTYPES.get(subtype_text, subtype_text)
        or said
    )
    detail = "result is_error" if is_error else f"result subtype {subtype_text or subtype!r}"
    return _replace(answer, error=_reported(message, f"{detail}, {_exit(exit_code)}"))


# --- Gemini CLI --------------------------------------------------------------------------------------

# docs/cli/headless.md; 1 is only used in text mode, and auth failures in stream-json mode exit
# 52 with no result event (google-gemini/gemini-cli #20183), so the code is often all there is.
_GEMINI_EXITS = {
    1: "a general error",
    41: "authentication failed",
    42: "the input was rejected",
    52: "its configuration is invalid",
    53: "it reached its session turn limit",
    54: "a tool failed fatally",
    130: "it was interrupted",
}


def _read_gemini(stdout: str, exit_code: int | None) -> AgentAnswer:
    events = _events(stdout)
    if not any(isinstance(event.get("type"), str) for event in events):
        document = next((e for e in reversed(events) if {"response", "error", "stats"} & e.keys()), None)
        if document is not None:
            return _read_gemini_json(document, exit_code)
    messages: list[list[str]] = []
    streaming = False
    result: dict[str, Any] | None = None
    said = ""
    for event in events:
        kind = event.get("type")
        if kind == "message" and event.get("role") == "assistant":
            # Deltas of one reply arrive as separate events; any other event ends that reply.
            if not (streaming and event.get("delta") is True):
                messages.append([])
            messages[-1].append(_str(event.get("content")))
            streaming = True
            continue
        streaming = False
        if kind == "result":
            result = event
        elif kind == "error" and event.get("severity") == "error":
            said = _str(event.get("message")) or said
    text = "\n\n".join(joined for joined in ("".join(m) for m in messages) if joined.strip())
    if result is None:
        return AgentAnswer(False, text, _no_final("result event", exit_code, said, _GEMINI_EXITS))
    stats = _obj(result.get("stats"))
    answer = AgentAnswer(
        ok=False,
        text=text,
        input_tokens=_count(stats.get("input_tokens")),
        output_tokens=_count(stats.get("output_tokens")),
        final_seen=True,
    )
    status = result.get("status")
    if status == "success":
        if not text.strip():
            return _replace(answer, error=_empty(f"result success, {_exit(exit_code, _GEMINI_EXITS)}"))
        return _replace(answer, ok=True)
    message = _str(_obj(result.get("error")).get("message")) or said
    detail = f"result status {_str(status) or status!r}, {_exit(exit_code, _GEMINI_EXITS)}"
    return _replace(answer, error=_reported(message, detail))


def _read_gemini_json(document: dict[str, Any], exit_code: int | None) -> AgentAnswer:
    """``--output-format json``: one ``{response, stats, error?}`` object, with per-model token stats."""
    input_tokens: int | None = None
    output_tokens: int | None = None
    for model in _obj(_obj(document.get("stats")).get("models")).values():
        tokens = _obj(_obj(model).get("tokens"))
        input_tokens = _add(input_tokens, _count(tokens.get("prompt")))
        output_tokens = _add(output_tokens, _count(tokens.get("candidates")))
    text = _str(document.get("response"))
    answer = AgentAnswer(False, text, input_tokens=input_tokens, output_tokens=output_tokens, final_seen=True)
    error = document.get("error")
    if error is not None:
        message = _str(_obj(error).get("message")) or _str(error)
        return _replace(answer, error=_reported(message, f"json error, {_exit(exit_code, _GEMINI_EXITS)}"))
    if not text.strip():
        return _replace(answer, error=_empty(_exit(exit_code, _GEMINI_EXITS)))
    return _replace(answer, ok=True)


# --- Codex -------------------------------------------------------------------------------------------


def _read_codex(stdout: str, exit_code: int | None) -> AgentAnswer:
    text = ""
    files: dict[str, None] = {}
    input_tokens: int | None = None
    output_tokens: int | None = None
    completed = False
    failed: str | None = None
    fatal: str | None = None
    for event in _events(stdout):
        kind = event.get("type")
        if kind == "item.completed":
            item = _obj(event.get("item"))
            if item.get("type") == "agent_message":
                text = _str(item.get("text")) or text
            elif item.get("type") == "file_change" and item.get("status") != "failed":
                changes = item.get("changes")
                for change in changes if isinstance(changes, list) else []:
                    path = _str(_obj(change).get("path"))
                    if path:
                        files[path] = None
        elif kind == "turn.completed":
            completed = True
            usage = _obj(event.get("usage"))
            input_tokens = _add(input_tokens, _count(usage.get("input_tokens")))
            output_tokens = _add(output_tokens, _count(usage.get("output_tokens")))
        elif kind == "turn.failed":
            failed = _str(_obj(event.get("error")).get("message"))
        elif kind == "error":
            message = _str(event.get("message"))
            # Retries of a dropped stream are reported as error events too, and the turn goes on
            # (openai/codex #32984); only the text tells them apart.
            if not message.startswith("Reconnecting"):
                fatal = message
    answer = AgentAnswer(
        ok=False,
        text=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        files=tuple(files),
        final_seen=completed or failed is not None,
    )
    if failed is not None:
        return _replace(answer, error=_reported(failed or (fatal or ""), f"turn.failed, {_exit(exit_code)}"))
    if fatal is not None:
        return _replace(answer, error=_reported(fatal, f"error event, {_exit(exit_code)}"))
    if not completed:
        return _replace(answer, error=_no_final("turn.completed event", exit_code))
    if not text.strip():
        return _replace(answer, error=_empty(f"turn.completed, {_exit(exit_code)}"))
    return _replace(answer, ok=True)


# --- aider and plain text ------------------------------------------------------------------------------

# aider exits 0 when the model never answered (Aider-AI/aider #5552, #3918). What it prints then,
# from aider/coders/base_coder.py and aider/exceptions.py:
# - each litellm error as "litellm.<Name>: ...", followed by "Retrying in N seconds..." while it
#   still retries; an error line with no retry after it is the one it gave up on, usually
#   followed by a sentence starting "The API provider ..." that says why in plain words;
# - "Empty response received from LLM. Check your provider account?" when a provider's error
#   came back as an empty reply (Aider-AI/aider #3264), rate limits included;
# - "Model <name> has hit a token limit!" when the context window or output limit ran out.
_AIDER_ERROR = re.compile(r"litellm\.\w+:")
_AIDER_FATAL_LINES = ("Empty response received from LLM", "has hit a token limit!")
_AIDER_TOKENS = re.compile(
    r"^Tokens: (\d+(?:\.\d+)?k?) sent(?:, \d+(?:\.\d+)?k? cache write)?(?:, \d+(?:\.\d+)?k? cache hit)?"
    r", (\d+(?:\.\d+)?k?) received\.",
    re.MULTILINE,
)
_AIDER_COST = re.compile(r"Cost: \$(\d+(?:\.\d+)?) message, \$(\d+(?:\.\d+)?) session\.")


def _aider_fatal(lines: Sequence[str]) -> str:
    last_error = -1
    for i, line in enumerate(lines):
        if _AIDER_ERROR.match(line.strip()):
            last_error = i
    if last_error >= 0:
        after = [line.strip() for line in lines[last_error + 1 :]]
        if not any(line.startswith("Retrying in ") for line in after):
            plain = next((line for line in after if line.startswith("The API provider ")), "")
            return plain or lines[last_error].strip()
    return next((line.strip() for line in lines if any(fatal in line for fatal in _AIDER_FATAL_LINES)), "")


def _aider_tokens(count: str) -> int | None:
    """aider rounds: '2.3k' is about 2300 tokens."""
    try:
        return round(float(count[:-1]) * 1000) if count.endswith("k") else int(count)
    except (ValueError, OverflowError):
        return None


def _aider_usage(stdout: str) -> tuple[float | None, int | None, int | None]:
    sent: int | None = None
    received: int | None = None
    for match in _AIDER_TOKENS.finditer(stdout):
        sent = _add(sent, _aider_tokens(match.group(1)))
        received = _add(received, _aider_tokens(match.group(2)))
    costs = [match.group(2) for match in _AIDER_COST.finditer(stdout)]
    cost = _money(float(costs[-1])) if costs else None
    return cost, sent, received


def _read_plain(stdout: str, exit_code: int | None, aider: bool) -> AgentAnswer:
    text = stdout.strip()
    cost, sent, received = _aider_usage(stdout) if aider else (None, None, None)
    answer = AgentAnswer(False, text, cost_usd=cost, input_tokens=sent, output_tokens=received)
    if exit_code is None:
        return _replace(answer, error="the agent was stopped before it finished (its output has no final event)")
    fatal = _aider_fatal(stdout.split("\n")) if aider else ""
    if fatal:
        return _replace(answer, error=_reported(fatal, _exit(exit_code)))
    if exit_code != 0:
        return _replace(answer, error=f"the agent failed ({_exit(exit_code)})")
    if not text:
        return _replace(answer, error=_empty(_exit(exit_code)))
    return _replace(answer, ok=True)


def _replace(answer: AgentAnswer, *, ok: bool = False, error: str = "") -> AgentAnswer:
    return dataclasses.replace(answer, ok=ok, error="" if ok else error)


_READERS: dict[str, Callable[[str, int | None], AgentAnswer]] = {
    "claude": _read_claude,
    "gemini": _read_gemini,
    "codex": _read_codex,
    "aider": lambda stdout, exit_code: _read_plain(stdout, exit_code, aider=True),
    "text": lambda stdout, exit_code: _read_plain(stdout, exit_code, aider=False),
}
